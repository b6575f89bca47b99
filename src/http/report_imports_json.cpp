#include "http/report_imports_json.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <set>

#include "domain/validation.hpp"

namespace xj::http {

namespace {

Error bad(const std::string& field, std::string zh, std::string en) {
  return Error::bad_request({std::move(zh), std::move(en)}, field);
}

json::value opt_date(const std::optional<Date>& d) {
  return d ? json::value(d->iso()) : json::value(nullptr);
}

json::object proposal_json(const service::ReportProposal& rp, bool full) {
  const auto& p = rp.proposal;
  json::object o;
  o["date"] = p.date.iso();
  o["date_to"] = opt_date(p.date_to);
  o["lecturer_name"] = p.lecturer_name;
  o["venue"] = p.venue;
  o["host_organisation"] = p.host_organisation;
  o["region_code"] = p.region_code;
  o["audience_group"] = p.audience_group;
  o["format"] = p.format;
  o["title"] = p.title;
  o["audience_count"] = p.audience_count ? json::value(*p.audience_count) : json::value(nullptr);
  o["sentence"] = p.sentence;
  o["confidence"] = std::round(p.confidence * 100.0) / 100.0;
  if (!full) return o;
  o["lecturer_id"] = p.lecturer_id ? json::value(*p.lecturer_id) : json::value(nullptr);
  if (!p.lecturer_id) {
    o["new_lecturer"] = json::object{{"honours", p.lecturer_honours},
                                     {"employer", p.lecturer_employer},
                                     {"category", p.lecturer_category}};
  } else {
    o["new_lecturer"] = nullptr;
  }
  o["host_organisation_id"] =
      p.host_organisation_id ? json::value(*p.host_organisation_id) : json::value(nullptr);
  json::array branches;
  for (const auto& b : p.branches) {
    branches.push_back(json::object{{"venue", b.venue}, {"region_code", b.region_code}});
  }
  o["branches"] = std::move(branches);
  o["hybrid_reason"] = p.hybrid_reason;
  o["host_match"] = std::string(extract::org_match_kind_name(p.host_match));
  o["host_match_name"] = p.host_match_name;
  o["host_confidence"] = p.host_confidence;
  o["audience_group_code"] = rp.audience_group_code;
  o["audience_qualifier"] = std::string(extract::qualifier_name(p.audience_qualifier));
  o["sentence_begin"] = static_cast<std::int64_t>(p.sentence_span.begin);
  o["sentence_end"] = static_cast<std::int64_t>(p.sentence_span.end);
  o["duplicate_of"] = rp.duplicate_of ? json::value(*rp.duplicate_of) : json::value(nullptr);
  return o;
}

json::object statement_json(const extract::Statement& s, bool full) {
  json::object o;
  o["kind"] = std::string(extract::statement_kind_name(s.kind));
  switch (s.kind) {
    case extract::StatementKind::kRunningTotal:
      o["lecturer_name"] = s.lecturer_name;
      o["count"] = s.count;
      break;
    case extract::StatementKind::kMoney:
      o["fen"] = s.fen;
      o["qualifier"] = std::string(extract::qualifier_name(s.qualifier));
      break;
    case extract::StatementKind::kQuote:
      o["who"] = s.who;
      o["text"] = s.text;
      break;
  }
  o["sentence"] = s.sentence;
  if (full) {
    o["sentence_begin"] = static_cast<std::int64_t>(s.sentence_span.begin);
    o["sentence_end"] = static_cast<std::int64_t>(s.sentence_span.end);
  }
  return o;
}

// Strict readers of one field each.
Status read_text(const json::object& o, const char* key, std::string& out, std::size_t max,
                 const std::string& where) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return {};
  if (!v->is_string()) return bad(where + key, "应为文字", "must be a string");
  out = std::string(v->as_string());
  if (out.size() > max) return bad(where + key, "过长", "too long");
  return {};
}
Status read_int(const json::object& o, const char* key, std::optional<std::int64_t>& out,
                const std::string& where) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return {};
  if (v->is_int64()) {
    out = v->as_int64();
  } else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    out = static_cast<std::int64_t>(v->as_uint64());
  } else {
    return bad(where + key, "应为整数", "must be an integer");
  }
  return {};
}
Status read_date(const json::object& o, const char* key, std::optional<Date>& out,
                 const std::string& where) {
  std::string text;
  if (auto s = read_text(o, key, text, 40, where); !s) return s;
  if (text.empty()) return {};
  out = Date::parse(text);
  if (!out) return bad(where + key, "日期格式应为 YYYY-MM-DD", "a date is YYYY-MM-DD");
  return {};
}
Status only_keys(const json::object& o, const std::set<std::string_view>& keys,
                 const std::string& where) {
  for (const auto& kv : o) {
    if (keys.count(kv.key()) == 0) {
      const std::string key(kv.key());
      return bad(where + key, "未知字段 " + key, "unknown field " + key);
    }
  }
  return {};
}

}  // namespace

json::object report_preview_json(const service::ReportPreview& preview, bool full) {
  json::object out;
  json::array proposals;
  for (const auto& p : preview.proposals) proposals.push_back(proposal_json(p, full));
  json::array statements;
  for (const auto& s : preview.statements) statements.push_back(statement_json(s, full));
  out["proposals"] = std::move(proposals);
  out["statements"] = std::move(statements);
  if (full) {
    out["text"] = preview.text;
    out["year"] = preview.year;
    out["campaign_id"] =
        preview.campaign_id ? json::value(*preview.campaign_id) : json::value(nullptr);
  }
  return out;
}

json::object accept_result_json(const service::AcceptResult& result) {
  json::object out;
  out["report_source_id"] = result.report_source_id;
  out["created"] = static_cast<std::int64_t>(result.created.size());
  json::array duplicates;
  for (const auto& [index, id] : result.duplicates) {
    duplicates.push_back(
        json::object{{"index", static_cast<std::int64_t>(index)}, {"session_id", id}});
  }
  out["duplicates"] = std::move(duplicates);
  json::array sessions;
  for (const auto& s : result.created) sessions.push_back(to_json(s));
  out["sessions"] = std::move(sessions);
  json::array lecturers;
  for (const auto& l : result.new_lecturers) lecturers.push_back(to_json(l));
  out["new_lecturers"] = std::move(lecturers);
  return out;
}

json::value to_json(const store::ReportSource& source) {
  json::object out{{"id", source.id},
                   {"organisation_id", source.organisation_id},
                   {"organisation_name", source.organisation_name},
                   {"file_name", source.file_name},
                   {"year", static_cast<std::int64_t>(source.year)},
                   {"created_by_name", source.created_by_name},
                   {"created_at", iso_instant(source.created_at)},
                   {"sessions", source.sessions}};
  out["campaign_id"] = source.campaign_id ? json::value(*source.campaign_id) : json::value(nullptr);
  out["created_by"] = source.created_by ? json::value(*source.created_by) : json::value(nullptr);
  return out;
}

namespace {

json::object link_json(const store::ReportSourceSession& l) {
  return json::object{{"session_id", l.session_id},
                      {"report_source_id", l.report_source_id},
                      {"sentence_begin", l.sentence_begin},
                      {"sentence_end", l.sentence_end},
                      {"title", l.title},
                      {"date", l.date.iso()},
                      {"venue", l.venue}};
}

}  // namespace

json::object report_source_json(const service::ReportImports::SourceDetail& detail) {
  json::object out = to_json(detail.source).as_object();
  out["text"] = detail.source.text;
  json::array links;
  for (const auto& l : detail.sessions) links.push_back(link_json(l));
  out["links"] = std::move(links);
  return out;
}

json::object session_source_json(const service::ReportImports::SessionSource& source) {
  json::object out = link_json(source.link);
  out["sentence"] = source.sentence;
  out["text_visible"] = source.text_visible;
  return out;
}

Status from_json(const json::object& o, ProposeBody& body) {
  if (auto s = only_keys(o, {"text", "year", "campaign_id"}, ""); !s) return s;
  if (auto s = read_text(o, "text", body.text, std::string::npos, ""); !s) return s;
  std::optional<std::int64_t> year;
  std::optional<std::int64_t> campaign;
  if (auto s = read_int(o, "year", year, ""); !s) return s;
  if (auto s = read_int(o, "campaign_id", campaign, ""); !s) return s;
  if (!year) return bad("year", "请选择年份", "the year is required");
  body.year = *year;
  body.campaign_id = campaign;
  return {};
}

Status from_json(const json::object& o, service::AcceptRequest& request) {
  if (auto s = only_keys(o, {"text", "year", "campaign_id", "file_name", "proposals"}, ""); !s) {
    return s;
  }
  if (auto s = read_text(o, "text", request.text, std::string::npos, ""); !s) {
    return s;
  }
  if (auto s = read_text(o, "file_name", request.file_name, 1000, ""); !s) return s;
  std::optional<std::int64_t> year;
  std::optional<std::int64_t> campaign;
  if (auto s = read_int(o, "year", year, ""); !s) return s;
  if (auto s = read_int(o, "campaign_id", campaign, ""); !s) return s;
  if (!year) return bad("year", "请选择年份", "the year is required");
  if (*year < 0 || *year > 9999) return bad("year", "年份无效", "not a year");
  request.year = static_cast<int>(*year);
  request.campaign_id = campaign;
  const auto* list = o.if_contains("proposals");
  if (list == nullptr || !list->is_array()) {
    return bad("proposals", "proposals 应为数组", "proposals must be an array");
  }
  if (list->as_array().size() > service::kMaxAcceptedProposals) {
    return bad("proposals", "一次最多保存 200 条", "at most 200 proposals at once");
  }
  static const std::set<std::string_view> kKeys = {"date",
                                                   "date_to",
                                                   "lecturer_id",
                                                   "lecturer_name",
                                                   "venue",
                                                   "host_organisation",
                                                   "host_organisation_id",
                                                   "host_match",
                                                   "host_match_name",
                                                   "host_confidence",
                                                   "region_code",
                                                   "audience_group",
                                                   "audience_group_code",
                                                   "format",
                                                   "title",
                                                   "audience_count",
                                                   "audience_qualifier",
                                                   "sentence",
                                                   "sentence_begin",
                                                   "sentence_end",
                                                   "confidence",
                                                   "duplicate_of",
                                                   "new_lecturer",
                                                   "lecturer_honours",
                                                   "lecturer_employer",
                                                   "lecturer_category",
                                                   "branches",
                                                   "hybrid_reason",
                                                   "accepted"};
  std::size_t i = 0;
  for (const auto& item : list->as_array()) {
    const std::string where = "proposals[" + std::to_string(i++) + "].";
    if (!item.is_object()) return bad(where, "应为对象", "must be an object");
    const auto& p = item.as_object();
    if (auto s = only_keys(p, kKeys, where); !s) return s;
    service::AcceptedProposal a;
    std::optional<Date> date;
    if (auto s = read_date(p, "date", date, where); !s) return s;
    if (!date) return bad(where + "date", "请填写日期", "the date is required");
    a.date = *date;
    if (auto s = read_date(p, "date_to", a.date_to, where); !s) return s;
    std::optional<std::int64_t> n;
    if (auto s = read_int(p, "lecturer_id", n, where); !s) return s;
    if (n) a.lecturer_id = *n;
    n.reset();
    if (auto s = read_int(p, "host_organisation_id", n, where); !s) return s;
    if (n) a.host_organisation_id = *n;
    n.reset();
    if (auto s = read_int(p, "audience_count", n, where); !s) return s;
    a.audience_count = n.value_or(0);
    n.reset();
    if (auto s = read_int(p, "sentence_begin", n, where); !s) return s;
    a.sentence_begin = n.value_or(0);
    n.reset();
    if (auto s = read_int(p, "sentence_end", n, where); !s) return s;
    a.sentence_end = n.value_or(0);
    for (const auto& [key, into] : std::initializer_list<std::pair<const char*, std::string*>>{
             {"lecturer_name", &a.lecturer_name},
             {"venue", &a.venue},
             {"region_code", &a.region_code},
             {"format", &a.format},
             {"title", &a.title},
             {"lecturer_honours", &a.lecturer_honours},
             {"lecturer_employer", &a.lecturer_employer},
             {"lecturer_category", &a.lecturer_category}}) {
      if (auto s = read_text(p, key, *into, 2000, where); !s) return s;
    }
    // The dictionary's code wins over the name the text gave.
    std::string group;
    std::string group_code;
    if (auto s = read_text(p, "audience_group", group, 200, where); !s) return s;
    if (auto s = read_text(p, "audience_group_code", group_code, 200, where); !s) return s;
    a.audience_group = group_code.empty() ? group : group_code;
    if (const auto* nl = p.if_contains("new_lecturer"); nl != nullptr && nl->is_object()) {
      const auto& l = nl->as_object();
      if (a.lecturer_honours.empty()) {
        if (auto s = read_text(l, "honours", a.lecturer_honours, 2000, where + "new_lecturer."); !s)
          return s;
      }
      if (a.lecturer_employer.empty()) {
        if (auto s = read_text(l, "employer", a.lecturer_employer, 2000, where + "new_lecturer.");
            !s)
          return s;
      }
      if (a.lecturer_category.empty()) {
        if (auto s = read_text(l, "category", a.lecturer_category, 200, where + "new_lecturer.");
            !s)
          return s;
      }
    }
    if (a.format.empty()) a.format = "offline";
    // 主会场+分会场: the branch venues the reviewer kept ({venue, host_organisation_id?,
    // region_code?, audience_group?, headcount?}); the session rules check them.
    if (const auto* branch_list = p.if_contains("branches");
        branch_list != nullptr && !branch_list->is_null()) {
      if (!branch_list->is_array() || branch_list->as_array().size() > 100) {
        return bad(where + "branches", "分会场应为不超过 100 项的数组",
                   "branches must be an array of at most 100");
      }
      std::size_t k = 0;
      for (const auto& b : branch_list->as_array()) {
        const std::string at = where + "branches[" + std::to_string(k++) + "].";
        if (!b.is_object()) return bad(at, "应为对象", "must be an object");
        const auto& bo = b.as_object();
        if (auto st = only_keys(bo,
                                {"venue", "host_organisation_id", "host_organisation",
                                 "region_code", "audience_group", "headcount"},
                                at);
            !st)
          return st;
        domain::BranchVenue branch;
        if (auto st = read_text(bo, "venue", branch.venue, 200, at); !st) return st;
        if (auto st = read_text(bo, "region_code", branch.region_code, 12, at); !st) return st;
        if (auto st = read_text(bo, "audience_group", branch.audience_group, 200, at); !st)
          return st;
        std::optional<std::int64_t> v;
        if (auto st = read_int(bo, "host_organisation_id", v, at); !st) return st;
        branch.host_organisation_id = v.value_or(0);
        v.reset();
        if (auto st = read_int(bo, "headcount", v, at); !st) return st;
        branch.headcount = v.value_or(0);
        for (const auto* text : {&branch.venue, &branch.region_code, &branch.audience_group}) {
          if (auto problem = domain::text_problem(*text)) {
            return Error::bad_request({problem->zh, problem->en}, at);
          }
        }
        a.branches.push_back(std::move(branch));
      }
    }
    for (const auto* text :
         {&a.lecturer_name, &a.venue, &a.title, &a.region_code, &a.lecturer_honours,
          &a.lecturer_employer, &a.lecturer_category, &a.audience_group, &a.format}) {
      if (auto problem = domain::text_problem(*text)) {
        return Error::bad_request({problem->zh, problem->en}, where);
      }
    }
    request.proposals.push_back(std::move(a));
  }
  return {};
}

}  // namespace xj::http
