#include "http/codec.hpp"
#include "http/vouchers_json.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <set>

#include "core/utf8.hpp"
#include "domain/validation.hpp"

namespace xj::http {
namespace {

using domain::Role;

// Reads the fields of one JSON object into a record, remembering the first type error and
// every format error, and which keys were consumed, so that unknown keys can be refused.
class Reader {
 public:
  Reader(const json::object& o, std::string prefix = {}) : o_(o), prefix_(std::move(prefix)) {}

  // Output fields the client may echo back: accepted and ignored.
  void ignore(std::initializer_list<std::string_view> keys) {
    for (auto k : keys) seen_.insert(std::string(k));
  }

  // Every string of every body passes here, so this is where no text goes unbounded: at most
  // kMaxTextCharacters, valid UTF-8, no control character but tab and line breaks (CR LF becomes
  // LF). The entity's own validation then applies its field's tighter limit.
  void text(std::string_view key, std::string& out) {
    if (const json::value* v = get(key)) {
      if (!v->is_string()) return type_error(key, "字符串", "a string");
      if (auto problem = domain::text_problem(v->as_string())) {
        return format_error(key, "内容" + problem->zh, "the text " + problem->en);
      }
      out = domain::normalise_line_breaks(v->as_string());
    }
  }

  void integer(std::string_view key, std::int64_t& out) {
    if (const json::value* v = get(key)) {
      if (v->is_int64()) {
        out = v->as_int64();
      } else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        out = static_cast<std::int64_t>(v->as_uint64());
      } else {
        type_error(key, "整数", "an integer");
      }
    }
  }

  void integer(std::string_view key, int& out) {
    std::int64_t v = out;
    integer(key, v);
    if (v < INT32_MIN || v > INT32_MAX) return type_error(key, "整数", "an integer");
    out = static_cast<int>(v);
  }

  // A record's id: a positive integer (0 and negatives name nothing).
  void id(std::string_view key, Id& out) {
    if (!present(key)) return;
    std::int64_t value = 0;
    integer(key, value);
    if (failed()) return;
    if (value <= 0) {
      return format_error(key, "编号必须是正整数", "an id must be a positive integer");
    }
    out = value;
  }

  void optional_id(std::string_view key, std::optional<Id>& out) {
    if (const json::value* v = get(key)) {
      if (v->is_null()) {
        out.reset();
        return;
      }
      Id value = 0;
      id(key, value);
      if (value > 0) out = value;
    }
  }

  // A record's version: what the client read, never negative.
  void version(std::string_view key, std::int64_t& out) {
    if (!present(key)) return;
    integer(key, out);
    if (!failed() && out < 0) format_error(key, "版本号不能为负数", "a version is never negative");
  }

  void boolean(std::string_view key, bool& out) {
    if (const json::value* v = get(key)) {
      if (!v->is_bool()) return type_error(key, "布尔值", "true or false");
      out = v->as_bool();
    }
  }

  void number(std::string_view key, std::optional<double>& out) {
    if (const json::value* v = get(key)) {
      if (v->is_null()) {
        out.reset();
      } else if (v->is_number()) {
        out = v->to_number<double>();
      } else {
        type_error(key, "数字", "a number");
      }
    }
  }

  // A number that has no "unset": null is a type error like any other.
  void number(std::string_view key, double& out) {
    if (const json::value* v = get(key)) {
      if (!v->is_number()) return type_error(key, "数字", "a number");
      out = v->to_number<double>();
    }
  }

  void date(std::string_view key, Date& out) {
    std::string s;
    if (!present(key)) return;
    text(key, s);
    if (failed()) return;
    if (auto d = Date::parse(s)) {
      out = *d;
    } else {
      format_error(key, "日期格式应为 YYYY-MM-DD", "a date must look like YYYY-MM-DD");
    }
  }

  void time(std::string_view key, std::optional<TimeOfDay>& out) {
    // get() answers null once a type error is recorded: never dereference it unchecked.
    const json::value* v = get(key);
    if (v == nullptr) return;
    if (v->is_null()) {
      out.reset();
      return;
    }
    std::string s;
    text(key, s);
    if (failed()) return;
    if (auto t = TimeOfDay::parse(s)) {
      out = *t;
    } else {
      format_error(key, "时间格式应为 HH:MM", "a time must look like HH:MM");
    }
  }

  void text_list(std::string_view key, std::vector<std::string>& out) {
    if (const json::value* v = get(key)) {
      if (!v->is_array()) return type_error(key, "字符串数组", "an array of strings");
      if (!within_count(key, v->as_array().size())) return;
      std::vector<std::string> items;
      for (const auto& item : v->as_array()) {
        if (!item.is_string()) return type_error(key, "字符串数组", "an array of strings");
        if (auto problem = domain::text_problem(item.as_string())) {
          return format_error(key, "内容" + problem->zh, "the text " + problem->en);
        }
        items.push_back(domain::normalise_line_breaks(item.as_string()));
      }
      out = std::move(items);
    }
  }

  void id_list(std::string_view key, std::vector<Id>& out) {
    if (const json::value* v = get(key)) {
      if (!v->is_array()) return type_error(key, "整数数组", "an array of integers");
      if (!within_count(key, v->as_array().size())) return;
      std::vector<Id> items;
      for (const auto& item : v->as_array()) {
        if (!item.is_int64()) return type_error(key, "整数数组", "an array of integers");
        if (item.as_int64() <= 0) {
          return format_error(key, "编号必须是正整数", "an id must be a positive integer");
        }
        items.push_back(item.as_int64());
      }
      out = std::move(items);
    }
  }

  // A value from a fixed set of names.
  template <class T, class Parse>
  void choice(std::string_view key, T& out, Parse parse, const char* allowed) {
    if (!present(key)) return;
    std::string s;
    text(key, s);
    if (failed()) return;
    if (auto v = parse(s)) {
      out = *v;
    } else {
      format_error(key, std::string("取值必须是 ") + allowed + " 之一",
                   std::string("must be one of ") + allowed);
    }
  }

  // An array of objects, each read by `read_one` with its own Reader.
  template <class T, class ReadOne>
  void objects(std::string_view key, std::vector<T>& out, ReadOne read_one) {
    if (const json::value* v = get(key)) {
      if (!v->is_array()) return type_error(key, "对象数组", "an array of objects");
      if (!within_count(key, v->as_array().size())) return;
      std::vector<T> items;
      std::size_t i = 0;
      for (const auto& item : v->as_array()) {
        const std::string field = name(key) + "[" + std::to_string(i++) + "]";
        if (!item.is_object()) return type_error_named(field, "对象", "an object");
        Reader sub(item.as_object(), field + ".");
        T value{};
        read_one(sub, value);
        sub.check_unknown();
        if (sub.type_error_) {
          type_error_ = std::move(sub.type_error_);
          return;
        }
        formats_.insert(formats_.end(), sub.formats_.begin(), sub.formats_.end());
        items.push_back(std::move(value));
      }
      out = std::move(items);
    }
  }

  bool present(std::string_view key) const { return o_.contains(key); }

  // For fields with no usable default (dates): absent on creation is a field error.
  void required(std::string_view key, const std::string& zh, const std::string& en) {
    if (!present(key)) formats_.push_back({name(key), {zh + "不能为空", en + " is required"}});
  }
  bool failed() const { return type_error_.has_value(); }

  Status finish() {
    check_unknown();
    if (type_error_) return std::move(*type_error_);
    if (!formats_.empty()) return Error::invalid(std::move(formats_));
    return {};
  }

 private:
  // No list in any body needs more items than this (a campaign's targets by league and group,
  // a plan's assignments); a longer one is refused before any of it is read.
  static constexpr std::size_t kMaxItems = 5000;

  bool within_count(std::string_view key, std::size_t count) {
    if (count <= kMaxItems) return true;
    format_error(key, "最多 " + std::to_string(kMaxItems) + " 项",
                 "at most " + std::to_string(kMaxItems) + " items");
    return false;
  }

  const json::value* get(std::string_view key) {
    seen_.insert(std::string(key));
    if (type_error_) return nullptr;
    return o_.if_contains(key);
  }

  std::string name(std::string_view key) const { return prefix_ + std::string(key); }

  void type_error(std::string_view key, const std::string& zh, const std::string& en) {
    type_error_named(name(key), zh, en);
  }
  void type_error_named(const std::string& field, const std::string& zh, const std::string& en) {
    if (!type_error_) {
      type_error_ = Error::bad_request(
          {"字段 " + field + " 的类型错误，应为" + zh, "field " + field + " must be " + en}, field);
    }
  }
  void format_error(std::string_view key, const std::string& zh, const std::string& en) {
    formats_.push_back({name(key), {zh, en}});
  }
  void check_unknown() {
    if (type_error_) return;
    for (const auto& kv : o_) {
      if (!seen_.contains(std::string(kv.key()))) {
        const std::string field = name(kv.key());
        type_error_ = Error::bad_request({"未知字段 " + field, "unknown field " + field}, field);
        return;
      }
    }
  }

  const json::object& o_;
  std::string prefix_;
  std::set<std::string> seen_;
  std::optional<Error> type_error_;
  std::vector<FieldError> formats_;
};

json::value opt(const std::optional<Id>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value opt(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace

Result<json::object> parse_object(std::string_view body) {
  if (!utf8::valid(body)) {
    return Error::bad_request({"请求内容不是有效的 UTF-8 文本", "the body is not valid UTF-8"});
  }
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 32;
  json::value v = json::parse(body, ec, {}, options);
  if (ec) {
    return Error::bad_request({"请求内容不是有效的 JSON", "the body is not valid JSON"});
  }
  if (!v.is_object()) {
    return Error::bad_request({"请求内容必须是一个 JSON 对象", "the body must be a JSON object"});
  }
  return std::move(v.as_object());
}

json::value to_json(const domain::Region& r) {
  return {{"code", r.code}, {"name", r.name},    {"parent", r.parent}, {"level", r.level},
          {"kind", r.kind}, {"lat", opt(r.lat)}, {"lon", opt(r.lon)}};
}

json::value to_json(const domain::DictionaryEntry& e) {
  return {{"id", e.id},           {"kind", domain::dictionary_kind_name(e.kind)},
          {"code", e.code},       {"name", e.name},
          {"name_en", e.name_en}, {"sort_order", e.sort_order},
          {"active", e.active}};
}

Status from_json(const json::object& o, domain::DictionaryEntry& e) {
  Reader r(o);
  r.ignore({"id"});
  // Kind and code never change: on an update they are read like any field, and the service
  // refuses a change.
  r.choice("kind", e.kind, domain::parse_dictionary_kind,
           "lecturer_category, audience_group, topic, beneficiary_category");
  r.text("code", e.code);
  r.text("name", e.name);
  r.text("name_en", e.name_en);
  r.integer("sort_order", e.sort_order);
  r.boolean("active", e.active);
  return r.finish();
}

json::value to_json(const domain::Organisation& o) {
  return {{"id", o.id},
          {"name", o.name},
          {"parent_id", opt(o.parent_id)},
          {"level", domain::level_name(o.level)},
          {"region_code", o.region_code},
          {"industry", o.industry},
          {"address", o.address},
          {"lat", opt(o.lat)},
          {"lon", opt(o.lon)},
          {"path", o.path}};
}

Status from_json(const json::object& o, domain::Organisation& org) {
  Reader r(o);
  r.ignore({"id", "path"});
  r.text("name", org.name);
  r.optional_id("parent_id", org.parent_id);
  r.choice("level", org.level, domain::parse_level,
           "province, league, county, industry, grassroots");
  r.text("region_code", org.region_code);
  r.text("industry", org.industry);
  r.text("address", org.address);
  r.number("lat", org.lat);
  r.number("lon", org.lon);
  return r.finish();
}

json::value to_json(const domain::Lecturer& l) {
  json::array unavailable;
  for (const auto& u : l.unavailable) {
    unavailable.push_back({{"from", u.from.iso()}, {"to", u.to.iso()}, {"reason", u.reason}});
  }
  return {{"id", l.id},
          {"organisation_id", l.organisation_id},
          {"name", l.name},
          {"gender", l.gender},
          {"ethnicity", l.ethnicity},
          {"category", l.category},
          {"honours", strings(l.honours)},
          {"employer", l.employer},
          {"region_code", l.region_code},
          {"topics", strings(l.topics)},
          {"languages", strings(l.languages)},
          {"phone", l.phone},
          {"bio", l.bio},
          {"account_id", opt(l.account_id)},
          // A new portrait is a new address (the hash's start), so it may be cached for good.
          {"photo_url", l.photo_sha256.empty()
                            ? json::value(nullptr)
                            : json::value("/api/v1/lecturers/" + std::to_string(l.id) +
                                          "/photo?v=" + l.photo_sha256.substr(0, 12))},
          {"active", l.active},
          {"unavailable", std::move(unavailable)}};
}

Status from_json(const json::object& o, domain::Lecturer& l) {
  Reader r(o);
  r.ignore({"id", "account_id", "photo_url"});
  r.id("organisation_id", l.organisation_id);
  r.text("name", l.name);
  r.text("gender", l.gender);
  r.text("ethnicity", l.ethnicity);
  r.text("category", l.category);
  r.text_list("honours", l.honours);
  r.text("employer", l.employer);
  r.text("region_code", l.region_code);
  r.text_list("topics", l.topics);
  r.text_list("languages", l.languages);
  r.text("phone", l.phone);
  r.text("bio", l.bio);
  r.boolean("active", l.active);
  r.objects("unavailable", l.unavailable, [](Reader& sub, domain::Unavailability& u) {
    sub.date("from", u.from);
    sub.date("to", u.to);
    sub.text("reason", u.reason);
  });
  return r.finish();
}

json::value to_json(const domain::Campaign& c) {
  json::array targets;
  for (const auto& t : c.targets) {
    targets.push_back({{"region_code", t.region_code},
                       {"audience_group", t.audience_group},
                       {"sessions", t.sessions},
                       {"audience", t.audience}});
  }
  return {
      {"id", c.id},
      {"title", c.title},
      {"owner_organisation_id", c.owner_organisation_id},
      {"start_date", c.start_date.iso()},
      {"end_date", c.end_date.iso()},
      {"description", c.description},
      {"targets", std::move(targets)},
      {"status",
       domain::campaign_status_name(domain::campaign_status(c, shanghai_date(now_utc())))},
      {"closed_at", c.closed_at ? json::value(iso_instant(*c.closed_at)) : json::value(nullptr)},
      {"closed_by", opt(c.closed_by)},
      {"closed_by_name", c.closed_by_name},
      {"version", c.version}};
}

Status from_json(const json::object& o, domain::Campaign& c, std::optional<std::int64_t>* version) {
  Reader r(o);
  r.ignore({"id", "status", "closed_at", "closed_by", "closed_by_name"});
  // Checked wherever it comes (a creation's is not used): a bad one is a field error.
  if (r.present("version")) {
    std::int64_t v = 0;
    r.version("version", v);
    if (version != nullptr) *version = v;
  }
  r.text("title", c.title);
  r.id("owner_organisation_id", c.owner_organisation_id);
  if (c.id == 0) {
    r.required("start_date", "开始日期", "start date");
    r.required("end_date", "结束日期", "end date");
  }
  r.date("start_date", c.start_date);
  r.date("end_date", c.end_date);
  r.text("description", c.description);
  r.objects("targets", c.targets, [](Reader& sub, domain::CampaignTarget& t) {
    sub.text("region_code", t.region_code);
    sub.text("audience_group", t.audience_group);
    sub.integer("sessions", t.sessions);
    sub.integer("audience", t.audience);
  });
  return r.finish();
}

json::value to_json(const domain::Session& s) {
  json::array lecturers;
  json::array lecturer_ids;
  for (std::size_t i = 0; i < s.lecturer_ids.size(); ++i) {
    lecturer_ids.emplace_back(s.lecturer_ids[i]);
    lecturers.push_back(
        {{"id", s.lecturer_ids[i]},
         {"name", i < s.lecturer_names.size() ? s.lecturer_names[i] : std::string()}});
  }
  json::array branches;
  for (const auto& b : s.branches) {
    branches.push_back({{"id", b.id},
                        {"host_organisation_id", b.host_organisation_id},
                        {"venue", b.venue},
                        {"region_code", b.region_code},
                        {"audience_group", b.audience_group},
                        {"headcount", b.headcount}});
  }
  return {{"id", s.id},
          {"campaign_id", opt(s.campaign_id)},
          {"title", s.title},
          {"date", s.date.iso()},
          {"start_time", s.start_time ? json::value(s.start_time->text()) : json::value(nullptr)},
          {"end_time", s.end_time ? json::value(s.end_time->text()) : json::value(nullptr)},
          {"venue", s.venue},
          {"host_organisation_id", s.host_organisation_id},
          {"host_organisation_name", s.host_organisation_name},
          {"region_code", s.region_code},
          {"region_name", s.region_name},
          {"industry", s.industry},
          {"format", domain::format_name(s.format)},
          {"audience_group", s.audience_group},
          {"audience_offline", s.audience_offline},
          {"online_viewers", s.online_viewers},
          {"summary", s.summary},
          {"source", domain::source_name(s.source)},
          {"order_id", opt(s.order_id)},
          {"lecturer_ids", std::move(lecturer_ids)},
          {"lecturers", std::move(lecturers)},
          {"branches", std::move(branches)},
          {"total_audience", domain::total_audience(s)},
          {"version", s.version}};
}

namespace {
// The fields a client writes on any session; campaign, source and lecturers only where the
// caller (not the order workflow) owns them.
void read_session_fields(Reader& r, domain::Session& s) {
  r.text("title", s.title);
  r.date("date", s.date);
  r.time("start_time", s.start_time);
  r.time("end_time", s.end_time);
  r.text("venue", s.venue);
  r.id("host_organisation_id", s.host_organisation_id);
  r.text("region_code", s.region_code);
  r.text("industry", s.industry);
  r.choice("format", s.format, domain::parse_format, "offline, online, hybrid");
  r.text("audience_group", s.audience_group);
  r.integer("audience_offline", s.audience_offline);
  r.integer("online_viewers", s.online_viewers);
  r.text("summary", s.summary);
  r.objects("branches", s.branches, [](Reader& sub, domain::BranchVenue& b) {
    sub.ignore({"id"});
    sub.id("host_organisation_id", b.host_organisation_id);
    sub.text("venue", b.venue);
    sub.text("region_code", b.region_code);
    sub.text("audience_group", b.audience_group);
    sub.integer("headcount", b.headcount);
  });
}
}  // namespace

Status from_json(const json::object& o, domain::Session& s, std::int64_t* version) {
  Reader r(o);
  r.ignore(
      {"id", "host_organisation_name", "region_name", "lecturers", "total_audience", "order_id"});
  if (version != nullptr) {
    r.required("version", "版本号", "version");
    r.version("version", *version);
  } else {
    std::int64_t echoed = 0;  // a new session has no version yet: an echoed one is only checked
    r.version("version", echoed);
  }
  r.optional_id("campaign_id", s.campaign_id);
  if (s.id == 0) r.required("date", "宣讲日期", "date");
  read_session_fields(r, s);
  r.choice("source", s.source, domain::parse_source, "ordered, unordered, imported");
  r.id_list("lecturer_ids", s.lecturer_ids);
  return r.finish();
}

Status from_json_delivery(const json::object& o, domain::Session& s, std::int64_t& version) {
  Reader r(o);
  r.required("version", "版本号", "version");
  r.version("version", version);
  read_session_fields(r, s);
  return r.finish();
}

json::value to_json(const domain::Order& d) {
  auto opt_date = [](const std::optional<Date>& x) {
    return x ? json::value(x->iso()) : json::value(nullptr);
  };
  auto opt_time = [](const std::optional<TimeOfDay>& x) {
    return x ? json::value(x->text()) : json::value(nullptr);
  };
  return {{"id", d.id},
          {"organisation_id", d.organisation_id},
          {"organisation_name", d.organisation_name},
          {"campaign_id", d.campaign_id},
          {"campaign_title", d.campaign_title},
          {"window_from", d.window_from.iso()},
          {"window_to", d.window_to.iso()},
          {"region_code", d.region_code},
          {"region_name", d.region_name},
          {"address", d.address},
          {"audience_group", d.audience_group},
          {"expected_audience", d.expected_audience},
          {"preferred_format", domain::format_name(d.preferred_format)},
          {"topic", d.topic},
          {"language", d.language},
          {"preferred_lecturer_id", opt(d.preferred_lecturer_id)},
          {"preferred_category", d.preferred_category},
          {"priority", d.priority},
          {"contact_name", d.contact_name},
          {"contact_phone", d.contact_phone},
          {"note", d.note},
          {"state", domain::state_name(d.state)},
          {"version", d.version},
          {"lecturer_id", opt(d.lecturer_id)},
          {"lecturer_name", d.lecturer_name},
          {"date", opt_date(d.date)},
          {"start_time", opt_time(d.start_time)},
          {"end_time", opt_time(d.end_time)},
          {"dispatched_at",
           d.dispatched_at ? json::value(iso_instant(*d.dispatched_at)) : json::value(nullptr)},
          {"session_id", opt(d.session_id)},
          {"rating", d.rating ? json::value(*d.rating) : json::value(nullptr)},
          {"rating_comment", d.rating_comment},
          {"created_at", iso_instant(d.created_at)},
          {"updated_at", iso_instant(d.updated_at)}};
}

Status from_json(const json::object& o, domain::Order& d, std::int64_t* version) {
  Reader r(o);
  // What the workflow owns, echoed back by a client that edits what it read: ignored.
  r.ignore({"id", "organisation_name", "campaign_title", "region_name", "state", "lecturer_id",
            "lecturer_name", "date", "start_time", "end_time", "dispatched_at", "session_id",
            "rating", "rating_comment", "created_at", "updated_at"});
  if (version != nullptr) {
    r.required("version", "版本号", "version");
    r.version("version", *version);
  } else {
    std::int64_t echoed = 0;  // a new order has no version yet: an echoed one is only checked
    r.version("version", echoed);
    r.required("window_from", "最早日期", "earliest date");
    r.required("window_to", "最晚日期", "latest date");
  }
  r.id("organisation_id", d.organisation_id);
  r.id("campaign_id", d.campaign_id);
  r.date("window_from", d.window_from);
  r.date("window_to", d.window_to);
  r.text("region_code", d.region_code);
  r.text("address", d.address);
  r.text("audience_group", d.audience_group);
  r.integer("expected_audience", d.expected_audience);
  r.choice("preferred_format", d.preferred_format, domain::parse_format, "offline, online, hybrid");
  r.text("topic", d.topic);
  r.text("language", d.language);
  r.optional_id("preferred_lecturer_id", d.preferred_lecturer_id);
  r.text("preferred_category", d.preferred_category);
  r.integer("priority", d.priority);
  r.text("contact_name", d.contact_name);
  r.text("contact_phone", d.contact_phone);
  r.text("note", d.note);
  return r.finish();
}

json::value to_json(const domain::OrderEvent& e) {
  return {{"id", e.id},
          {"at", iso_instant(e.at)},
          {"account_id", opt(e.account_id)},
          {"username", e.username},
          {"display_name", e.display_name},
          {"action", e.action},
          {"from", e.from ? json::value(domain::state_name(*e.from)) : json::value(nullptr)},
          {"to", domain::state_name(e.to)},
          {"reason", e.reason},
          {"lecturer_id", opt(e.lecturer_id)},
          {"date", e.date ? json::value(e.date->iso()) : json::value(nullptr)}};
}

Status from_json(const json::object& o, service::DispatchRequest& d) {
  Reader r(o);
  r.required("version", "版本号", "version");
  r.version("version", d.version);
  r.id("lecturer_id", d.lecturer_id);
  if (r.present("date")) {
    Date date;
    r.date("date", date);
    if (!r.failed()) d.date = date;
  }
  r.time("start_time", d.start_time);
  r.time("end_time", d.end_time);
  r.boolean("override_travel", d.override_travel);
  r.text("note", d.note);
  return r.finish();
}

Status from_json(const json::object& o, std::int64_t& version, std::string* reason) {
  Reader r(o);
  r.required("version", "版本号", "version");
  r.version("version", version);
  if (reason != nullptr) r.text("reason", *reason);
  return r.finish();
}

Status reason_from_json(const json::object& o, std::string& reason) {
  Reader r(o);
  r.required("reason", "原因", "reason");
  r.text("reason", reason);
  return r.finish();
}

Status from_json(const json::object& o, service::RateRequest& q) {
  Reader r(o);
  r.required("version", "版本号", "version");
  r.required("rating", "评分", "rating");
  r.version("version", q.version);
  r.integer("rating", q.rating);
  r.text("comment", q.comment);
  return r.finish();
}

Status from_json(const json::object& o, service::FeedbackAnswer& a) {
  Reader r(o);
  r.required("rating", "评分", "rating");
  r.integer("rating", a.rating);
  r.text("comment", a.comment);
  r.text("audience_group", a.audience_group);
  return r.finish();
}

Status from_json_quote(const json::object& o, bool& quote) {
  Reader r(o);
  r.required("quote", "精彩语录标记", "quote");
  r.boolean("quote", quote);
  return r.finish();
}

json::value to_json(const store::FeedbackEntry& f) {
  return {{"id", f.id},
          {"at", iso_instant(f.at)},
          {"rating", f.rating},
          {"comment", f.comment},
          {"audience_group", f.audience_group},
          {"channel", f.channel},
          {"quote", f.quote}};
}

namespace {
json::array breakdowns(const std::vector<service::Breakdown>& list, bool named) {
  json::array out;
  for (const auto& b : list) {
    json::object o{{"code", b.code}, {"sessions", b.sessions}, {"audience", b.audience}};
    if (named) {
      o["name"] = b.name;
      o["name_en"] = b.name_en;
    }
    out.emplace_back(std::move(o));
  }
  return out;
}
}  // namespace

json::value to_json(const service::CandidateList& l) {
  json::array items;
  for (const auto& c : l.items) {
    const auto& f = c.facts;
    const auto block = domain::block_name(f.block);
    items.push_back(
        json::object{{"lecturer_id", f.lecturer_id},
                     {"name", f.name},
                     {"category", c.category},
                     {"region_code", c.region_code},
                     {"employer", c.employer},
                     {"dispatchable", f.block == domain::CandidateBlock::kNone},
                     {"blocked", block.empty() ? json::value(nullptr) : json::value(block)},
                     {"unavailable_reason", c.unavailable_reason},
                     {"requested", f.requested},
                     {"category_match", domain::requirement_name(f.category)},
                     {"topic_match", domain::requirement_name(f.topic)},
                     {"language_match", domain::requirement_name(f.language)},
                     {"qualified", domain::unmet_requirements(f) == 0},
                     {"same_day_lectures", f.same_day_lectures},
                     {"campaign_lectures", f.campaign_lectures},
                     {"distance_km", f.distance_km ? json::value(std::llround(*f.distance_km))
                                                   : json::value(nullptr)},
                     {"travel_minutes",
                      c.travel_minutes ? json::value(*c.travel_minutes) : json::value(nullptr)}});
  }
  return json::object{{"date", l.date.iso()},
                      {"online", l.online},
                      {"lecturers", l.lecturers},
                      {"dispatchable", l.dispatchable},
                      {"items", std::move(items)}};
}

json::value to_json(const service::CampaignFigures& f) {
  const store::CampaignStatistics& t = f.totals;
  json::array orders;
  for (const auto& [state, count] : f.orders) {
    orders.push_back({{"state", domain::state_name(state)}, {"count", count}});
  }
  json::array weekly;
  for (const auto& w : f.weekly) {
    weekly.push_back(
        {{"week_start", w.week_start.iso()}, {"sessions", w.sessions}, {"audience", w.audience}});
  }
  json::array regions;
  for (const auto& l : f.leagues) {
    regions.push_back({{"code", l.region.code},
                       {"name", l.region.name},
                       {"lat", opt(l.region.lat)},
                       {"lon", opt(l.region.lon)},
                       {"sessions", l.sessions},
                       {"audience", l.audience},
                       {"target_sessions", l.target_sessions},
                       {"target_audience", l.target_audience}});
  }
  json::array lecturers;
  for (const auto& l : f.lecturers) {
    lecturers.push_back({{"id", l.tally.id},
                         {"name", l.tally.name},
                         {"sessions", l.tally.sessions},
                         {"audience", l.tally.audience},
                         {"average_rating", opt(l.average_rating)}});
  }
  json::array targets;
  for (const auto& p : f.targets) {
    targets.push_back({{"region_code", p.target.region_code},
                       {"region_name", p.region_name},
                       {"audience_group", p.target.audience_group},
                       {"sessions_target", p.target.sessions},
                       {"sessions", p.sessions},
                       {"audience_target", p.target.audience},
                       {"audience", p.audience}});
  }
  return {{"campaign_id", f.campaign_id},
          {"organisation_id", opt(f.organisation_id)},
          {"totals",
           {{"sessions", t.sessions},
            {"audience_offline", t.audience_offline},
            {"online_viewers", t.online_viewers},
            {"branch_headcount", t.branch_headcount},
            {"audience", t.audience_offline + t.online_viewers + t.branch_headcount},
            {"signed_in", t.signed_in},
            {"ratings", t.ratings},
            {"average_rating", opt(f.average_rating)},
            {"lecturers", t.lecturers}}},
          {"orders", std::move(orders)},
          {"weekly", std::move(weekly)},
          {"regions", std::move(regions)},
          {"audience_groups", breakdowns(f.audience_groups, true)},
          {"lecturer_categories", breakdowns(f.lecturer_categories, true)},
          {"industries", breakdowns(f.industries, false)},
          {"lecturers", std::move(lecturers)},
          {"targets", std::move(targets)}};
}

json::array compared(const std::vector<service::Compared>& list) {
  json::array out;
  for (const auto& c : list) {
    json::object o{{"code", c.code},
                   {"sessions", c.sessions},
                   {"audience", c.audience},
                   {"previous_sessions", c.previous_sessions},
                   {"previous_audience", c.previous_audience}};
    if (!c.name.empty()) o["name"] = c.name;
    if (!c.name_en.empty()) o["name_en"] = c.name_en;
    if (!c.parent.empty()) o["parent"] = c.parent;
    if (c.lat && c.lon) {
      o["lat"] = *c.lat;
      o["lon"] = *c.lon;
    }
    out.push_back(std::move(o));
  }
  return out;
}

json::object statistics_totals(const store::CampaignStatistics& t,
                               std::optional<double> average_rating) {
  return {{"sessions", t.sessions},
          {"audience_offline", t.audience_offline},
          {"online_viewers", t.online_viewers},
          {"branch_headcount", t.branch_headcount},
          {"audience", t.audience_offline + t.online_viewers + t.branch_headcount},
          {"signed_in", t.signed_in},
          {"ratings", t.ratings},
          {"average_rating", opt(average_rating)},
          {"lecturers", t.lecturers}};
}

json::value to_json(const service::Highlights& h) {
  json::array campaigns;
  for (const Id id : h.campaign_ids) campaigns.push_back(id);
  json::array quotes;
  for (const auto& q : h.quotes) {
    quotes.push_back({{"id", q.feedback_id},
                      {"session_id", q.session_id},
                      {"session_title", q.session_title},
                      {"session_date", q.session_date.iso()},
                      {"host_name", q.host_name},
                      {"rating", q.rating},
                      {"comment", q.comment},
                      {"audience_group", q.audience_group},
                      {"channel", q.channel}});
  }
  json::array photos;
  for (const auto& p : h.photos) {
    photos.push_back({{"id", p.photo_id},
                      {"session_id", p.session_id},
                      {"session_title", p.session_title},
                      {"session_date", p.session_date.iso()},
                      {"host_name", p.host_name}});
  }
  return {{"from", h.from.iso()},
          {"to", h.to.iso()},
          {"campaign_ids", std::move(campaigns)},
          {"organisation_id", opt(h.organisation_id)},
          {"quotes", std::move(quotes)},
          {"photos", std::move(photos)}};
}

json::value to_json(const service::PeriodFigures& f) {
  json::array campaigns;
  for (const Id id : f.campaign_ids) campaigns.push_back(id);
  json::array orders;
  for (const auto& [state, count] : f.orders) {
    orders.push_back({{"state", domain::state_name(state)}, {"count", count}});
  }
  json::array weekly;
  for (const auto& w : f.weekly) {
    weekly.push_back(
        {{"week_start", w.week_start.iso()}, {"sessions", w.sessions}, {"audience", w.audience}});
  }
  json::array lecturers;
  for (const auto& l : f.lecturers) {
    lecturers.push_back({{"id", l.tally.id},
                         {"name", l.tally.name},
                         {"sessions", l.tally.sessions},
                         {"audience", l.tally.audience},
                         {"average_rating", opt(l.average_rating)}});
  }
  const auto previous_rating =
      f.previous.ratings == 0 ? std::optional<double>()
                              : std::optional<double>(static_cast<double>(f.previous.rating_sum) /
                                                      static_cast<double>(f.previous.ratings));
  return {{"from", f.from.iso()},
          {"to", f.to.iso()},
          {"previous_from", f.previous_from.iso()},
          {"previous_to", f.previous_to.iso()},
          {"campaign_ids", std::move(campaigns)},
          {"organisation_id", opt(f.organisation_id)},
          {"totals", statistics_totals(f.totals, f.average_rating)},
          {"previous", statistics_totals(f.previous, previous_rating)},
          {"orders", std::move(orders)},
          {"leagues", compared(f.leagues)},
          {"counties", compared(f.counties)},
          {"industries", compared(f.industries)},
          {"audience_groups", compared(f.audience_groups)},
          {"lecturer_categories", compared(f.lecturer_categories)},
          {"formats", compared(f.formats)},
          {"months", compared(f.months)},
          {"weekly", std::move(weekly)},
          {"lecturers", std::move(lecturers)}};
}

Status from_json(const json::object& o, service::PlanRequest& q) {
  Reader r(o);
  r.number("time_limit_seconds", q.time_limit_seconds);
  r.integer("seed", q.seed);
  return r.finish();
}

Status from_json(const json::object& o, std::vector<service::PlanAssignment>& assignments,
                 bool& override_travel) {
  Reader r(o);
  r.required("assignments", "派单列表", "assignments");
  r.objects("assignments", assignments, [](Reader& sub, service::PlanAssignment& a) {
    sub.required("order_id", "需求单", "order");
    sub.required("lecturer_id", "宣讲员", "lecturer");
    sub.required("date", "日期", "date");
    sub.id("order_id", a.order_id);
    sub.id("lecturer_id", a.lecturer_id);
    sub.date("date", a.date);
    sub.time("start_time", a.start_time);
    sub.time("end_time", a.end_time);
  });
  r.boolean("override_travel", override_travel);
  return r.finish();
}

const std::string& text_in(const Message& m, Lang lang) {
  return lang == Lang::kEn && !m.en.empty() ? m.en : (m.zh.empty() ? m.en : m.zh);
}

json::value to_json(const domain::Account& a) {
  return {{"id", a.id},
          {"username", a.username},
          {"display_name", a.display_name},
          {"role", domain::role_name(a.role)},
          {"organisation_id", a.organisation_id},
          {"lecturer_id", opt(a.lecturer_id)},
          {"active", a.active}};
}

Status from_json(const json::object& o, domain::Account& a, std::string* password) {
  Reader r(o);
  r.ignore({"id"});
  r.text("username", a.username);
  r.text("display_name", a.display_name);
  r.choice("role", a.role, domain::parse_role, "admin, organiser, lecturer, requester, viewer");
  r.id("organisation_id", a.organisation_id);
  r.optional_id("lecturer_id", a.lecturer_id);
  r.boolean("active", a.active);
  if (password != nullptr) r.text("password", *password);
  return r.finish();
}

json::value to_json(const domain::AuditEntry& e) {
  return {{"id", e.id},
          {"at", iso_instant(e.at)},
          {"account_id", opt(e.account_id)},
          {"username", e.username},
          {"display_name", e.display_name},
          {"action", e.action},
          {"entity", e.entity},
          {"entity_id", opt(e.entity_id)},
          {"address", e.address},
          {"detail", e.detail}};
}

json::value to_json(const store::ApiToken& t) {
  auto instant = [](const std::optional<UnixSeconds>& at) {
    return at ? json::value(iso_instant(*at)) : json::value(nullptr);
  };
  return {{"id", t.id},
          {"account_id", t.account_id},
          {"name", t.name},
          {"created_at", iso_instant(t.created_at)},
          {"expires_at", instant(t.expires_at)},
          {"last_used_at", instant(t.last_used_at)}};
}

Status from_json(const json::object& o,
                 std::initializer_list<std::pair<std::string_view, std::string*>> fields) {
  Reader r(o);
  for (const auto& [key, out] : fields) r.text(key, *out);
  return r.finish();
}

json::object error_body(const Error& e, Lang lang) {
  auto pick = [lang](const Message& m) { return text_in(m, lang); };
  json::object body;
  body["error"] = {{"code", code_name(e.code)}, {"message", pick(e.message)}, {"field", e.field}};
  if (!e.details.empty()) {
    json::array errors;
    for (const auto& d : e.details) {
      errors.push_back({{"code", "invalid"}, {"message", pick(d.message)}, {"field", d.field}});
    }
    body["errors"] = std::move(errors);
  }
  return body;
}

// --- Care programmes (issue 16) ------------------------------------------------------------

namespace {

json::value optional_id(const std::optional<Id>& id) {
  return id ? json::value(*id) : json::value(nullptr);
}

// The aid kinds of a body: names from the fixed set, each an error of its own when unknown.
void read_kinds(Reader& r, std::vector<domain::AidKind>& kinds, std::vector<FieldError>& unknown) {
  if (!r.present("kinds")) return;
  std::vector<std::string> names;
  r.text_list("kinds", names);
  if (r.failed()) return;
  kinds.clear();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (auto k = domain::parse_aid_kind(names[i])) {
      kinds.push_back(*k);
    } else {
      unknown.push_back({"kinds[" + std::to_string(i) + "]",
                         {"帮扶方式须为 cash、goods、voucher、subsidy 之一",
                          "a kind of aid is one of cash, goods, voucher, subsidy"}});
    }
  }
}

Status finish_with(Reader& r, std::vector<FieldError> more) {
  auto s = r.finish();
  if (!s && s.error().code != ErrorCode::kInvalid) return s;
  std::vector<FieldError> all = s ? std::vector<FieldError>{} : std::move(s).error().details;
  for (auto& e : more) all.push_back(std::move(e));
  if (!all.empty()) return Error::invalid(std::move(all));
  return {};
}

}  // namespace

json::value to_json(const domain::CareProgramme& p) {
  json::array categories;
  for (const auto& c : p.categories) categories.emplace_back(c);
  json::array kinds;
  for (const auto k : p.kinds) kinds.emplace_back(domain::aid_kind_name(k));
  return {{"id", p.id},
          {"owner_organisation_id", p.owner_organisation_id},
          {"owner_name", p.owner_name},
          {"title", p.title},
          {"start_date", p.start_date.iso()},
          {"end_date", p.end_date.iso()},
          {"budget_fen", p.budget_fen},
          {"categories", std::move(categories)},
          {"kinds", std::move(kinds)},
          {"description", p.description},
          {"state", domain::programme_state_name(p.state)},
          {"version", p.version},
          {"created_at", iso_instant(p.created_at)},
          {"updated_at", iso_instant(p.updated_at)}};
}

Status from_json(const json::object& o, domain::CareProgramme& p,
                 std::optional<std::int64_t>* version) {
  Reader r(o);
  r.ignore({"id", "owner_name", "state", "created_at", "updated_at"});
  if (r.present("version")) {
    std::int64_t v = 0;
    r.version("version", v);
    if (version != nullptr) *version = v;
  }
  r.text("title", p.title);
  if (p.id == 0) {
    r.id("owner_organisation_id", p.owner_organisation_id);
    r.required("start_date", "开始日期", "start date");
    r.required("end_date", "结束日期", "end date");
    r.required("budget_fen", "预算", "budget");
  } else {
    r.ignore({"owner_organisation_id"});
  }
  r.date("start_date", p.start_date);
  r.date("end_date", p.end_date);
  r.integer("budget_fen", p.budget_fen);
  r.text_list("categories", p.categories);
  std::vector<FieldError> unknown;
  read_kinds(r, p.kinds, unknown);
  r.text("description", p.description);
  return finish_with(r, std::move(unknown));
}

json::value to_json(const domain::CareAllocation& a) {
  return {{"id", a.id},
          {"programme_id", a.programme_id},
          {"kind", a.kind},
          {"from_organisation_id", a.from_organisation_id},
          {"from_name", a.from_name},
          {"to_organisation_id", a.to_organisation_id},
          {"to_name", a.to_name},
          {"amount_fen", a.amount_fen},
          {"note", a.note},
          {"movement_id", a.movement_id},
          {"reversed", a.reversed},
          {"created_by", optional_id(a.created_by)},
          {"created_at", iso_instant(a.created_at)}};
}

Status from_json(const json::object& o, domain::CareAllocation& a) {
  Reader r(o);
  r.required("programme_id", "帮扶项目", "programme");
  r.required("from_organisation_id", "拨出组织", "from organisation");
  r.required("to_organisation_id", "接收组织", "to organisation");
  r.required("amount_fen", "金额", "amount");
  r.id("programme_id", a.programme_id);
  r.text("kind", a.kind);
  r.id("from_organisation_id", a.from_organisation_id);
  r.id("to_organisation_id", a.to_organisation_id);
  r.integer("amount_fen", a.amount_fen);
  r.text("note", a.note);
  return r.finish();
}

json::value to_json(const domain::CareDisbursement& d) {
  json::object out{{"id", d.id},
                   {"programme_id", d.programme_id},
                   {"organisation_id", d.organisation_id},
                   {"organisation_name", d.organisation_name},
                   {"beneficiary_kind", d.beneficiary_kind},
                   {"beneficiary_id", optional_id(d.beneficiary_id)},
                   {"category", d.category},
                   {"amount_fen", d.amount_fen},
                   {"aid_kind", domain::aid_kind_name(d.aid_kind)},
                   {"date", d.date.iso()},
                   {"officials", d.officials},
                   {"note", d.note},
                   {"duplicate_reason", d.duplicate_reason},
                   {"movement_id", d.movement_id},
                   {"reversed", d.reversed},
                   {"created_by", optional_id(d.created_by)},
                   {"created_at", iso_instant(d.created_at)}};
  if (d.beneficiary) {
    // Masks only: the full numbers leave the server through the audited reveal alone.
    out["name"] = d.beneficiary->name;
    out["id_number_masked"] = d.beneficiary->id_mask;
    out["phone_masked"] = d.beneficiary->phone_mask;
    out["employer"] = d.beneficiary->employer;
  }
  if (d.beneficiary_kind == "unit") {
    out["unit_name"] = d.unit_name;
    out["document_no"] = d.document_no;
    out["bank_name"] = d.bank_name;
    out["bank_account"] = d.bank_account;
  }
  return out;
}

json::value to_json(const service::DisbursementView& v) {
  json::object out = to_json(v.disbursement).as_object();
  json::array history;
  for (const auto& h : v.history) history.push_back(to_json(h));
  out["history"] = std::move(history);
  out["history_elsewhere"] = v.elsewhere;
  return out;
}

json::value to_json(const service::Revealed& r) {
  return {{"beneficiary_id", r.beneficiary_id},
          {"name", r.name},
          {"id_number", r.id_number},
          {"phone", r.phone}};
}

json::value to_json(const domain::LedgerAccount& a) {
  return {{"id", a.id},
          {"programme_id", a.programme_id},
          {"kind", a.kind},
          {"organisation_id", a.organisation_id},
          {"organisation_name", a.organisation_name},
          {"balance_fen", a.balance_fen}};
}

json::value to_json(const domain::LedgerEntry& e) {
  return {{"id", e.id},
          {"movement_id", e.movement_id},
          {"account_id", e.account_id},
          {"amount_fen", e.amount_fen},
          {"kind", e.movement_kind},
          {"at", iso_instant(e.at)},
          {"note", e.note}};
}

Status from_json(const json::object& o, service::DisbursementRequest& request, bool unit) {
  Reader r(o);
  auto& d = request.disbursement;
  d.beneficiary_kind = unit ? "unit" : "person";
  r.required("programme_id", "帮扶项目", "programme");
  r.required("organisation_id", "发放组织", "paying organisation");
  r.required("amount_fen", "金额", "amount");
  r.required("date", "日期", "date");
  r.id("programme_id", d.programme_id);
  r.id("organisation_id", d.organisation_id);
  r.integer("amount_fen", d.amount_fen);
  r.date("date", d.date);
  r.text("officials", d.officials);
  r.text("note", d.note);
  if (unit) {
    d.aid_kind = domain::AidKind::kSubsidy;
    r.choice("aid_kind", d.aid_kind, domain::parse_aid_kind, "subsidy");
    r.text("unit_name", d.unit_name);
    r.text("document_no", d.document_no);
    r.text("bank_name", d.bank_name);
    r.text("bank_account", d.bank_account);
    r.text("category", d.category);
  } else {
    r.required("aid_kind", "帮扶方式", "kind of aid");
    r.choice("aid_kind", d.aid_kind, domain::parse_aid_kind, "cash, goods, voucher");
    domain::PersonInput person;
    r.text("name", person.name);
    r.text("id_number", person.id_number);
    r.text("phone", person.phone);
    r.text("employer", person.employer);
    r.text("category", person.category);
    r.boolean("confirm_duplicate", request.confirm_duplicate);
    r.text("duplicate_reason", d.duplicate_reason);
    request.person = std::move(person);
  }
  return r.finish();
}

}  // namespace xj::http

// --- E-vouchers and corrections (issue 16 point 5; their JSON out is in vouchers_json.cpp) ---

namespace xj::http {

Status from_json(const json::object& o, domain::Merchant& m) {
  Reader r(o);
  r.required("organisation_id", "所属组织", "organisation");
  r.required("name", "商户名称", "merchant name");
  r.id("organisation_id", m.organisation_id);
  r.text("name", m.name);
  r.text("credit_code", m.credit_code);
  r.text("contact", m.contact);
  return r.finish();
}

Status from_json(const json::object& o, domain::VoucherBatch& b) {
  Reader r(o);
  r.required("programme_id", "帮扶项目", "programme");
  r.required("organisation_id", "发券组织", "issuing organisation");
  r.required("face_value_fen", "面值", "face value");
  r.required("count", "张数", "count");
  r.required("valid_from", "有效期起始日", "first valid day");
  r.required("valid_to", "有效期截止日", "last valid day");
  r.id("programme_id", b.programme_id);
  r.id("organisation_id", b.organisation_id);
  r.text("title", b.title);
  r.integer("face_value_fen", b.face_value_fen);
  r.integer("count", b.count);
  r.date("valid_from", b.valid_from);
  r.date("valid_to", b.valid_to);
  r.id_list("merchant_ids", b.merchant_ids);
  return r.finish();
}

Status from_json(const json::object& o, std::vector<service::IssueTarget>& targets) {
  Reader r(o);
  r.required("beneficiaries", "受助人", "beneficiaries");
  r.objects("beneficiaries", targets, [](Reader& sub, service::IssueTarget& t) {
    if (sub.present("beneficiary_id")) {
      Id id = 0;
      sub.id("beneficiary_id", id);
      t.beneficiary_id = id;
      return;
    }
    domain::PersonInput person;
    sub.text("name", person.name);
    sub.text("id_number", person.id_number);
    sub.text("phone", person.phone);
    sub.text("employer", person.employer);
    sub.text("category", person.category);
    t.person = std::move(person);
  });
  return r.finish();
}

Status from_json_reason(const json::object& o, std::string& reason) {
  Reader r(o);
  r.required("reason", "冲正理由", "reason");
  r.text("reason", reason);
  return r.finish();
}

Status from_json_account(const json::object& o, Id& account_id) {
  Reader r(o);
  r.required("account_id", "账号", "account");
  r.id("account_id", account_id);
  return r.finish();
}

}  // namespace xj::http
