#include "service/report_imports.hpp"

#include <algorithm>
#include <map>

#include "core/utf8.hpp"
#include "extract/pdf.hpp"
#include "service/rules.hpp"
#include "sheet/table.hpp"

namespace xj::service {

using detail::audit;
using detail::check_new_lecturer;
using detail::check_new_session;
using detail::Permission;
using detail::require;
using detail::TxReferences;

namespace {

Error too_large() {
  return Error{ErrorCode::kPayloadTooLarge,
               {"报道文字超过 1 MB，请只上传报道本身",
                "the report's text is over 1 MB: upload the report alone"},
               "text",
               {}};
}

Error control_characters() {
  return Error::bad_request({"报道文字中含有控制字符，请粘贴普通文字",
                             "the text holds control characters: paste plain text"},
                            "text");
}

Error not_text() {
  return Error::bad_request({"文件不是文本、Word（.docx）或 PDF 文件，无法读取",
                             "the file is not text, Word (.docx) or PDF: it cannot be read"},
                            "file");
}

// Lists of the scope read a page at a time.
template <class Filter, class Fetch>
auto all_pages(Filter filter, Fetch fetch) {
  filter.page.page_size = 500;
  decltype(fetch(filter).items) out;
  for (filter.page.page = 1;; ++filter.page.page) {
    auto page = fetch(filter);
    const bool last = page.items.size() < static_cast<std::size_t>(filter.page.page_size);
    for (auto& item : page.items) out.push_back(std::move(item));
    if (last || filter.page.page > 1000) break;
  }
  return out;
}

std::vector<std::string> split_honours(const std::string& honours) {
  std::vector<std::string> out;
  std::size_t start = 0;
  const std::string sep = "、";
  while (start <= honours.size()) {
    const auto at = honours.find(sep, start);
    std::string part =
        utf8::trim(honours.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (!part.empty() && out.size() < 20) out.push_back(std::move(part));
    if (at == std::string::npos) break;
    start = at + sep.size();
  }
  return out;
}

// What PDF and Word text carries besides words (form feeds between pages, stray controls): a
// line break or a space, so that the text passes as plain text.
std::string without_controls(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b == '\f' || b == '\v') {
      out.push_back('\n');
    } else if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F) {
      out.push_back(' ');
    } else if (b == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      out.push_back(' ');  // a C1 control
      ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// Code points [begin, end) of valid UTF-8 `text`, clamped to it.
std::string code_points(const std::string& text, std::int64_t begin, std::int64_t end) {
  std::size_t from = text.size();
  std::size_t to = text.size();
  std::int64_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // a continuation byte
    if (n == begin) from = i;
    if (n == end) {
      to = i;
      break;
    }
    ++n;
  }
  if (begin <= 0) from = 0;
  return from < to ? text.substr(from, to - from) : std::string{};
}

}  // namespace

Result<std::string> report_text_from_file(std::string_view bytes) {
  if (bytes.empty() || utf8::trim(bytes).empty()) {
    return Error::bad_request({"文件是空的", "the file is empty"}, "file");
  }
  std::string text;
  if (extract::looks_like_pdf(bytes)) {
    auto t = extract::pdf_text(bytes);
    if (!t) return std::move(t).error();
    text = std::move(*t);
  } else if (bytes.starts_with("PK\x03\x04")) {
    auto t = sheet::read_docx_text(bytes);
    if (!t) return std::move(t).error();
    text = std::move(*t);
  } else {
    if (bytes.find('\0') != std::string_view::npos) return not_text();
    if (bytes.size() > kMaxReportTextBytes * 2) return too_large();
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    if (utf8::valid(bytes)) {
      text = std::string(bytes);
    } else if (auto gbk = sheet::gb18030_to_utf8(bytes)) {
      text = std::move(*gbk);
    } else {
      return not_text();
    }
  }
  if (text.size() > kMaxReportTextBytes) return too_large();
  text = without_controls(text);
  if (utf8::trim(text).empty()) {
    return Error::bad_request({"文件中没有文字", "the file holds no text"}, "file");
  }
  return text;
}

ReportImports::ReportImports(store::Store& store, extract::Rules rules)
    : store_(store), rules_(std::move(rules)) {}
ReportImports::~ReportImports() = default;

Result<ReportPreview> ReportImports::propose(const domain::Principal& who, std::string_view text,
                                             int year, std::optional<Id> campaign_id) {
  if (auto s = require(who, Permission::kSessionsWrite); !s) return std::move(s).error();
  if (!utf8::valid(text)) {
    return Error::bad_request({"报道文字不是有效的 UTF-8", "the text is not valid UTF-8"}, "text");
  }
  if (text.size() > kMaxReportTextBytes) return too_large();
  if (utf8::has_control(text)) return control_characters();
  if (utf8::trim(text).empty()) {
    return Error::invalid(
        {{"text", {"请粘贴报道文字或上传文件", "paste a report or upload a file"}}});
  }
  if (year < 1990 || year > 2100) {
    return Error::invalid({{"year", {"年份应在 1990–2100 之间", "the year must be 1990–2100"}}});
  }
  store::Tx tx = store_.read();
  if (campaign_id) {
    const auto c = tx.campaign(*campaign_id);
    if (!c || !detail::campaign_visible(who, *c)) {
      return Error::invalid({{"campaign_id", {"宣讲活动不存在", "no such campaign"}}});
    }
  }
  extract::Gazetteer g;
  for (auto& r : tx.regions("", "")) g.regions.push_back({r.code, r.name, r.parent});
  store::LecturerFilter lf;
  lf.scope_path = who.organisation_path;
  for (const auto& l : all_pages(lf, [&tx](const auto& f) { return tx.lecturers(f); })) {
    g.lecturers.push_back({l.id, l.name});
  }
  store::OrganisationFilter of;
  of.scope_path = who.organisation_path;
  for (const auto& o : all_pages(of, [&tx](const auto& f) { return tx.organisations(f); })) {
    g.organisations.push_back({o.id, o.name, o.region_code});
  }
  const auto groups = tx.dictionary(domain::DictionaryKind::kAudienceGroup, false);

  const extract::Extractor extractor(rules_, g);
  auto extraction = extractor.extract(text, year);
  ReportPreview out;
  out.text = std::move(extraction.normalized.text);
  out.year = year;
  out.campaign_id = campaign_id;
  out.statements = std::move(extraction.statements);
  for (auto& p : extraction.proposals) {
    ReportProposal rp;
    for (const auto& e : groups) {
      if (e.name == p.audience_group) rp.audience_group_code = e.code;
    }
    if (p.lecturer_id)
      rp.duplicate_of = tx.session_by_lecturer_day(p.date, p.venue, *p.lecturer_id);
    rp.proposal = std::move(p);
    out.proposals.push_back(std::move(rp));
  }
  return out;
}

Result<AcceptResult> ReportImports::accept(const domain::Principal& who, AcceptRequest request) {
  if (auto s = require(who, Permission::kSessionsWrite); !s) return std::move(s).error();
  if (!utf8::valid(request.text) || !utf8::valid(request.file_name)) {
    return Error::bad_request({"报道文字不是有效的 UTF-8", "the text is not valid UTF-8"}, "text");
  }
  if (request.text.size() > kMaxReportTextBytes) return too_large();
  if (utf8::has_control(request.text)) return control_characters();
  std::vector<FieldError> errors;
  if (utf8::trim(request.text).empty()) {
    errors.push_back({"text", {"缺少报道原文", "the report's text is missing"}});
  }
  if (request.year < 1990 || request.year > 2100) {
    errors.push_back({"year", {"年份应在 1990–2100 之间", "the year must be 1990–2100"}});
  }
  if (request.proposals.empty() || request.proposals.size() > kMaxAcceptedProposals) {
    errors.push_back(
        {"proposals", {"一次可保存 1–200 条宣讲记录", "accept 1–200 proposals at once"}});
  }
  if (utf8::length(request.file_name) > 200) {
    errors.push_back({"file_name", {"文件名过长", "the file name is too long"}});
  }
  if (!errors.empty()) return Error::invalid(std::move(errors));
  store::Tx tx = store_.write();
  TxReferences refs(tx);
  if (request.campaign_id) {
    const auto c = tx.campaign(*request.campaign_id);
    if (!c || !detail::campaign_visible(who, *c)) {
      return Error::invalid({{"campaign_id", {"宣讲活动不存在", "no such campaign"}}});
    }
  }
  const auto groups = tx.dictionary(domain::DictionaryKind::kAudienceGroup, false);
  AcceptResult result;
  struct Planned {
    std::size_t index;
    domain::Session session;
    std::optional<domain::Lecturer> new_lecturer;
  };
  std::vector<Planned> planned;
  std::map<std::string, std::size_t> new_by_name;  // one new lecturer per name
  for (std::size_t i = 0; i < request.proposals.size(); ++i) {
    auto& p = request.proposals[i];
    const std::string at = "proposals[" + std::to_string(i) + "].";
    std::vector<FieldError> mine;
    domain::Session s;
    s.campaign_id = request.campaign_id;
    s.title = utf8::trim(p.title);
    s.date = p.date;
    s.venue = utf8::trim(p.venue);
    s.host_organisation_id = p.host_organisation_id.value_or(who.organisation_id);
    s.region_code = p.region_code;
    if (s.region_code.empty()) {
      if (const auto host = tx.organisation(s.host_organisation_id))
        s.region_code = host->region_code;
    }
    s.audience_group = p.audience_group;
    for (const auto& e : groups) {
      if (e.name == p.audience_group) s.audience_group = e.code;
    }
    const auto format = domain::parse_format(p.format);
    if (!format) {
      mine.push_back(
          {"format",
           {"形式只能是线下、线上或主会场+分会场", "format must be offline, online or hybrid"}});
    } else {
      s.format = *format;
      if (*format == domain::SessionFormat::kHybrid && p.branches.empty()) {
        mine.push_back({"format",
                        {"主会场+分会场的宣讲请填写至少一个分会场，或按线下保存",
                         "give a hybrid session at least one branch venue, or save it as "
                         "offline"}});
      } else if (*format == domain::SessionFormat::kHybrid) {
        for (auto& b : p.branches) {
          if (b.host_organisation_id == 0) b.host_organisation_id = s.host_organisation_id;
          if (b.region_code.empty()) b.region_code = s.region_code;
          if (b.audience_group.empty()) b.audience_group = s.audience_group;
          for (const auto& e : groups) {
            if (e.name == b.audience_group) b.audience_group = e.code;
          }
          b.venue = utf8::trim(b.venue);
        }
        s.branches = p.branches;
      }
    }
    if (p.audience_count < 0 || p.audience_count > 100000000) {
      mine.push_back(
          {"audience_count", {"人数应在 0–100000000 之间", "the audience must be 0–100000000"}});
    } else if (s.format == domain::SessionFormat::kOnline) {
      s.online_viewers = p.audience_count;
    } else {
      s.audience_offline = std::min<std::int64_t>(p.audience_count, 1000000);
    }
    if (p.date_to && *p.date_to > p.date) {
      s.summary = "宣讲日期 " + p.date.iso() + " 至 " + p.date_to->iso() + "（报道导入）";
    }
    s.source = domain::SessionSource::kImported;
    std::optional<domain::Lecturer> new_lecturer;
    if (p.lecturer_id) {
      s.lecturer_ids = {*p.lecturer_id};
    } else if (!utf8::trim(p.lecturer_name).empty()) {
      // A new lecturer is registered only by those who may register lecturers.
      if (auto s2 = require(who, Permission::kLecturersWrite); !s2) return std::move(s2).error();
      domain::Lecturer l;
      l.organisation_id = who.organisation_id;
      l.name = utf8::trim(p.lecturer_name);
      l.honours = split_honours(p.lecturer_honours);
      l.employer = utf8::trim(p.lecturer_employer);
      l.languages = {"zh"};
      l.category = p.lecturer_category.empty() ? "advanced_worker" : p.lecturer_category;
      l.region_code = s.region_code.size() == 6 ? s.region_code : std::string{};
      for (auto& e : check_new_lecturer(tx, who, l, refs)) {
        mine.push_back({"lecturer." + e.field, e.message});
      }
      new_lecturer = std::move(l);
    } else {
      mine.push_back({"lecturer_name", {"请填写宣讲员", "a lecturer is required"}});
    }
    // The session's own rules, with a placeholder lecturer when the lecturer is new (it is
    // checked above and registered below, in this transaction).
    domain::Session checked = s;
    if (new_lecturer) checked.lecturer_ids.clear();
    auto session_errors = check_new_session(tx, who, checked, refs);
    for (auto& e : session_errors) {
      if (new_lecturer && e.field == "lecturer_ids") continue;
      mine.push_back(std::move(e));
    }
    s.title = checked.title;
    s.venue = checked.venue;
    for (auto& e : mine) {
      e.field = at + e.field;
      errors.push_back(std::move(e));
    }
    planned.push_back({i, std::move(s), std::move(new_lecturer)});
  }
  if (!errors.empty()) return detail::invalid_or(std::move(errors));

  store::ReportSource source;
  source.organisation_id = who.organisation_id;
  source.file_name = request.file_name;
  source.year = request.year;
  source.campaign_id = request.campaign_id;
  source.text = request.text;
  source.created_by = who.account_id > 0 ? std::optional<Id>(who.account_id) : std::nullopt;
  result.report_source_id = tx.insert_report_source(source);
  audit(tx, who, "create", "report_source", result.report_source_id, request.file_name);
  for (auto& plan : planned) {
    auto& s = plan.session;
    if (plan.new_lecturer) {
      const auto known = new_by_name.find(plan.new_lecturer->name);
      if (known != new_by_name.end()) {
        s.lecturer_ids = {result.new_lecturers[known->second].id};
      } else {
        plan.new_lecturer->id = tx.insert_lecturer(*plan.new_lecturer);
        audit(tx, who, "create", "lecturer", plan.new_lecturer->id, plan.new_lecturer->name);
        new_by_name[plan.new_lecturer->name] = result.new_lecturers.size();
        result.new_lecturers.push_back(*plan.new_lecturer);
        s.lecturer_ids = {plan.new_lecturer->id};
      }
    }
    if (const auto dup = tx.session_by_lecturer_day(s.date, s.venue, s.lecturer_ids.front())) {
      result.duplicates.emplace_back(plan.index, *dup);
      continue;
    }
    const Id id =
        tx.insert_session(s, who.account_id > 0 ? std::optional<Id>(who.account_id) : std::nullopt);
    const auto& p = request.proposals[plan.index];
    tx.link_report_session(id, result.report_source_id, p.sentence_begin, p.sentence_end);
    audit(tx, who, "create", "session", id, s.title);
    result.created.push_back(*tx.session(id));
  }
  tx.commit();
  return result;
}

Result<store::Page<store::ReportSource>> ReportImports::list_sources(const domain::Principal& who,
                                                                     store::PageRequest page) {
  if (auto s = require(who, Permission::kSessionsRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  return tx.report_sources(who.organisation_path, page);
}

Result<ReportImports::SourceDetail> ReportImports::get_source(const domain::Principal& who, Id id) {
  if (auto s = require(who, Permission::kSessionsRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  const auto path = tx.report_source_path(id);
  if (!path || !domain::in_scope(who, *path)) return Error::not_found();
  SourceDetail out;
  out.source = *tx.report_source(id);
  for (auto& l : tx.report_source_sessions(id)) {
    const auto session = tx.session(l.session_id);
    if (session && detail::session_visible(who, *session)) out.sessions.push_back(std::move(l));
  }
  return out;
}

Result<ReportImports::SessionSource> ReportImports::session_source(const domain::Principal& who,
                                                                   Id session_id) {
  if (auto s = require(who, Permission::kSessionsRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  const auto session = tx.session(session_id);
  if (!session || !detail::session_visible(who, *session)) return Error::not_found();
  auto link = tx.session_report_source(session_id);
  if (!link) {
    return Error::not_found(
        {"这场宣讲不是从报道导入的", "this session was not imported from a report"});
  }
  SessionSource out;
  const auto source = tx.report_source(link->report_source_id);
  if (source) {
    // Offsets are code points into the stored text.
    out.sentence = code_points(source->text, link->sentence_begin, link->sentence_end);
    const auto path = tx.report_source_path(link->report_source_id);
    out.text_visible = path && domain::in_scope(who, *path);
  }
  out.link = std::move(*link);
  return out;
}

}  // namespace xj::service
