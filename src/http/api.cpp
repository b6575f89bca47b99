#include "http/api.hpp"

#include <unistd.h>
#include <algorithm>

#include <boost/json.hpp>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <system_error>
#include <variant>

#include "core/utf8.hpp"
#include "domain/validation.hpp"
#include "http/care_report_json.hpp"
#include "http/codec.hpp"
#include "http/coverage_json.hpp"
#include "http/imports_json.hpp"
#include "http/media.hpp"
#include "http/report_imports_json.hpp"
#include "http/response_cache.hpp"
#include "http/scorecard_json.hpp"
#include "http/vouchers_json.hpp"

namespace xj::http {
namespace {

using domain::Principal;
using service::Records;
using service::Workflow;

constexpr std::string_view kSessionCookie = "xj_session";
// The longest text a query parameter (a filter, a search box) may carry.
constexpr std::size_t kMaxQueryText = 200;

struct Call {
  const Request& req;
  Lang lang = Lang::kZh;
  std::vector<Id> ids;  // the {id} captures of the path, in order
  Principal who;
  std::string token;  // the {token} capture of a public link's path, or the {kind} of an export
};

// What a route that hashes a password hands on after its cheap checks: the rest, to run on the
// HashPool (see Services::hashes). It must not refer to the Call, which is gone by then.
struct Hashing {
  std::function<Response()> run;
};

// A route answers now, or hands its hashing on.
using Outcome = std::variant<Response, Hashing>;
using RouteFn = std::function<Outcome(Call&)>;

struct Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> segments;
  bool authenticated = true;
  // A list page whose answer depends only on the data, the caller's account, the language, the
  // day and the request target: answered from ResponseCache while the data version stands.
  bool kept = false;
  // The role permission the route needs at all, checked before the body is read: a caller who
  // may never do this learns nothing from how their body would have been judged. Scope and
  // relations (whose order, which subtree) stay the service's to check.
  std::optional<domain::Permission> needs;
  RouteFn fn;
};

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  if (!out.empty() && out.back().empty()) out.pop_back();  // tolerate a trailing slash
  return out;
}

Lang lang_of(const Request& req) {
  const auto h = req.header("accept-language");
  return h && h->size() >= 2 && (*h)[0] == 'e' && (*h)[1] == 'n' ? Lang::kEn : Lang::kZh;
}

Response json_response(unsigned status, const json::value& body) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  r.body = json::serialize(body);
  return r;
}

Response error_response(const Error& e, Lang lang) {
  Response r = json_response(status_of(e.code), error_body(e, lang));
  if (e.code == ErrorCode::kTooManyRequests) r.headers.emplace_back("Retry-After", "60");
  return r;
}

template <class T>
Response respond(const Result<T>& result, Lang lang, unsigned status = 200) {
  if (!result) return error_response(result.error(), lang);
  return json_response(status, to_json(*result));
}

template <class T>
json::object page_json(const store::Page<T>& page) {
  json::array items;
  items.reserve(page.items.size());
  for (const auto& item : page.items) items.push_back(to_json(item));
  json::object out{{"items", std::move(items)}, {"total", page.total}};
  if (page.total_capped) out["total_capped"] = true;
  return out;
}

template <class T>
Response respond_page(const Result<store::Page<T>>& result, Lang lang) {
  if (!result) return error_response(result.error(), lang);
  return json_response(200, page_json(*result));
}

// Query parameters, with the first malformed one remembered as a bad request.
class Query {
 public:
  explicit Query(const Request& req) : req_(req) {}

  // A filter's text: bounded like any text of a body (a search box needs far less), so that no
  // engine is handed invalid UTF-8 or a control character.
  std::string text(std::string_view name) {
    auto v = req_.query_param(name);
    if (!v) return {};
    if (auto problem = domain::text_problem(*v)) {
      fail(name, problem->zh, problem->en);
      return {};
    }
    if (utf8::length(*v) > kMaxQueryText) {
      fail(name, "不能超过" + std::to_string(kMaxQueryText) + "个字",
           "must be at most " + std::to_string(kMaxQueryText) + " characters");
      return {};
    }
    return std::string(*v);
  }
  std::optional<Id> id(std::string_view name) {
    auto v = req_.query_param(name);
    if (!v || v->empty()) return std::nullopt;
    std::int64_t n = 0;
    const auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || p != v->data() + v->size()) {
      fail(name, "应为整数", "must be an integer");
      return std::nullopt;
    }
    return n;
  }
  std::optional<Date> date(std::string_view name) {
    auto v = req_.query_param(name);
    if (!v || v->empty()) return std::nullopt;
    auto d = Date::parse(*v);
    if (!d) fail(name, "应为 YYYY-MM-DD 格式的日期", "must be a date YYYY-MM-DD");
    return d;
  }
  std::optional<bool> boolean(std::string_view name) {
    auto v = req_.query_param(name);
    if (!v || v->empty()) return std::nullopt;
    if (*v == "true" || *v == "1") return true;
    if (*v == "false" || *v == "0") return false;
    fail(name, "应为 true 或 false", "must be true or false");
    return std::nullopt;
  }
  template <class T, class Parse>
  std::optional<T> choice(std::string_view name, Parse parse) {
    auto v = req_.query_param(name);
    if (!v || v->empty()) return std::nullopt;
    auto parsed = parse(*v);
    if (!parsed) fail(name, "取值无效", "has an unknown value");
    return parsed;
  }
  store::PageRequest page() {
    store::PageRequest p;
    if (auto n = id("page")) p.page = *n;
    if (auto n = id("page_size")) p.page_size = *n;
    if (p.page < 1) fail("page", "必须大于 0", "must be at least 1");
    if (p.page_size < 1 || p.page_size > 200)
      fail("page_size", "必须在 1 到 200 之间", "must be between 1 and 200");
    return p;
  }
  // "1,2,3": positive ids separated by commas; "" for none.
  std::vector<Id> id_list(std::string_view name, const std::string& zh, const std::string& en) {
    const std::string list = text(name);
    std::vector<Id> out;
    for (std::size_t at = 0; at < list.size();) {
      const std::size_t end = std::min(list.find(',', at), list.size());
      std::int64_t id = 0;
      const auto [p, ec] = std::from_chars(list.data() + at, list.data() + end, id);
      if (ec != std::errc() || p != list.data() + end || id < 1) {
        fail(name, zh, en);
        return {};
      }
      out.push_back(id);
      at = end + 1;
    }
    return out;
  }
  const std::optional<Error>& error() const { return error_; }

 private:
  void fail(std::string_view name, const std::string& zh, const std::string& en) {
    if (error_) return;
    const std::string n(name);
    error_ = Error::bad_request({"查询参数 " + n + " " + zh, "query parameter " + n + " " + en}, n);
  }
  const Request& req_;
  std::optional<Error> error_;
};

std::optional<std::string> cookie(const Request& req, std::string_view name) {
  const auto h = req.header("cookie");
  if (!h) return std::nullopt;
  std::string_view rest = *h;
  while (!rest.empty()) {
    const std::size_t end = rest.find(';');
    std::string_view part = rest.substr(0, end);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    const std::size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) {
      return std::string(part.substr(eq + 1));
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

service::Presented presented(const Request& req) {
  service::Presented p;
  p.session_token = cookie(req, kSessionCookie);
  if (const auto h = req.header("authorization"); h && h->starts_with("Bearer ")) {
    p.bearer_token = std::string(h->substr(7));
  }
  if (const auto h = req.header("x-csrf-token")) p.csrf_header = std::string(*h);
  p.is_write = req.method != "GET" && req.method != "HEAD";
  p.address = req.remote_address;
  return p;
}

// "a,b,c" → {"a","b","c"}; "" → {}.
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The period, campaign set and organisation of GET /statistics, shared by the coverage routes,
// the report's highlights and the statistics export.
service::PeriodQuery period_query(Query& q) {
  service::PeriodQuery period;
  period.from = q.date("from");
  period.to = q.date("to");
  period.organisation_id = q.id("organisation_id");
  period.campaign_ids = q.id_list("campaign_ids", "应为以逗号分隔的活动编号",
                                  "must be campaign ids separated by commas");
  return period;
}

// ?grain= of the coverage route and its export: week (the default) or month.
std::optional<Error> read_grain(Query& q, domain::CoverageGrain& grain) {
  const std::string text = q.text("grain");
  if (text.empty()) return std::nullopt;
  const auto g = domain::parse_grain(text);
  if (!g) {
    return Error::bad_request(
        {"查询参数 grain 应为 week 或 month", "query parameter grain must be week or month"},
        "grain");
  }
  grain = *g;
  return std::nullopt;
}

// ?sort= of the lecturer ranking and its export: score (the default), sessions, audience,
// rating or acceptance.
std::optional<Error> read_ranking_sort(Query& q, service::RankingSort& sort) {
  const std::string text = q.text("sort");
  if (text.empty()) return std::nullopt;
  const auto parsed = service::parse_ranking_sort(text);
  if (!parsed) {
    return Error::bad_request({"查询参数 sort 应为 score、sessions、audience、rating 或 acceptance",
                               "query parameter sort must be score, sessions, audience, rating "
                               "or acceptance"},
                              "sort");
  }
  sort = *parsed;
  return std::nullopt;
}

// The filters of GET /sessions, shared by its export (where `format` names the file's format and
// the session format filter is `session_format`).
store::SessionFilter session_filter(Query& q, std::string_view format_param = "format") {
  store::SessionFilter f;
  f.campaign_id = q.id("campaign_id");
  f.region_prefix = store::region_prefix(q.text("region_code"));
  f.format = q.choice<domain::SessionFormat>(format_param, domain::parse_format);
  f.audience_group = q.text("audience_group");
  f.lecturer_id = q.id("lecturer_id");
  f.date_from = q.date("date_from");
  f.date_to = q.date("date_to");
  f.q = q.text("q");
  return f;
}

// The filters of GET /lecturers, shared by its export.
store::LecturerFilter lecturer_filter(Query& q) {
  store::LecturerFilter f;
  f.q = q.text("q");
  f.category = q.text("category");
  f.region_prefix = store::region_prefix(q.text("region_code"));
  f.topic = q.text("topic");
  f.active = q.boolean("active");
  return f;
}

// The filters of GET /orders, shared by its export.
Result<store::OrderFilter> order_filter(Query& q) {
  store::OrderFilter f;
  for (const auto& name : split_list(q.text("state"))) {
    if (auto st = domain::parse_state(name)) {
      f.states.push_back(*st);
    } else {
      return Error::bad_request({"查询参数 state 取值无效：" + name,
                                 "query parameter state has an unknown value: " + name},
                                "state");
    }
  }
  f.campaign_id = q.id("campaign_id");
  f.region_prefix = store::region_prefix(q.text("region_code"));
  f.lecturer_id = q.id("lecturer_id");
  f.date_from = q.date("date_from");
  f.date_to = q.date("date_to");
  f.q = q.text("q");
  const std::string sort = q.text("sort");
  if (sort == "priority") {
    f.sort = store::OrderFilter::Sort::kPriority;
  } else if (!sort.empty() && sort != "date") {
    return Error::bad_request(
        {"查询参数 sort 只能是 date 或 priority", "query parameter sort must be date or priority"},
        "sort");
  }
  return f;
}

// Decodes the body onto `record` (a fresh one to create, the stored one to update).
template <class T, class... Extra>
Status decode(const Request& req, T& record, Extra&&... extra) {
  auto body = parse_object(req.body);
  if (!body) return std::move(body).error();
  return from_json(*body, record, std::forward<Extra>(extra)...);
}

// A feedback form's state for the staff: the link (if made), open or closed, until when, and a
// reopening.
json::object link_state_json(const service::FeedbackLinkState& s) {
  json::object out{{"token", s.token ? json::value(*s.token) : json::value(nullptr)},
                   {"url", s.token ? json::value("/feedback/" + *s.token) : json::value(nullptr)},
                   {"open", s.open},
                   {"closes_on", s.closes_on.iso()},
                   {"may_reopen", s.may_reopen},
                   {"reopened", nullptr}};
  if (s.reopening) {
    out["reopened"] = json::object{{"at", iso_instant(s.reopening->at)},
                                   {"by", s.reopening->account_name},
                                   {"reason", s.reopening->reason},
                                   {"open_until", s.reopening->open_until.iso()}};
  }
  return out;
}

// A file of its own in the temporary directory, removed when this goes unless released (then
// the server removes it once it has opened it: Response::temporary_file).
class TemporaryFile {
 public:
  TemporaryFile() {
    std::string pattern = (std::filesystem::temp_directory_path() / "xj-export-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "mkstemp");
    ::close(fd);
    path_ = std::move(pattern);
  }
  ~TemporaryFile() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  const std::string& path() const { return path_; }
  std::string release() { return std::exchange(path_, {}); }

 private:
  std::string path_;
};

class Api {
 public:
  // Null services build the route table only (api_routes()).
  Api(const Services& services, ApiOptions options)
      : records_(services.records),
        workflow_(services.workflow),
        planner_(services.planner),
        feedback_(services.feedback),
        photos_(services.photos),
        auth_(services.auth),
        statistics_(services.statistics),
        hashes_(services.hashes),
        tokens_(services.tokens),
        exports_(services.exports),
        imports_(services.imports),
        scorecards_(services.scorecards),
        care_(services.care),
        vouchers_(services.vouchers),
        corrections_(services.corrections),
        report_imports_(services.report_imports),
        options_(std::move(options)),
        pages_(options_.page_cache_bytes) {
    define_routes();
  }

  void handle(const Request& req, const Reply& reply) {
    Outcome outcome = route(req);
    if (auto* now = std::get_if<Response>(&outcome)) return reply(std::move(*now));
    const Lang lang = lang_of(req);
    auto run = std::move(std::get<Hashing>(outcome).run);
    const auto refused =
        hashes_->submit(req.remote_address, [run = std::move(run), reply] { reply(run()); });
    if (refused) reply(busy_response(*refused, lang));
  }

  const std::vector<Route>& routes() const { return routes_; }

 private:
  // Answers a login the HashPool has no room for: the client may try again in a moment.
  static Response busy_response(service::HashPool::Refusal refusal, Lang lang) {
    const bool mine = refusal == service::HashPool::Refusal::kAddressFull;
    const Error e{ErrorCode::kTooManyRequests,
                  mine ? Message{"来自此地址的登录请求过多，请稍后再试",
                                 "too many logins from this address at once; try again shortly"}
                       : Message{"服务器正忙于处理其他登录，请几秒后再试",
                                 "the server is busy with other logins; try again in a few "
                                 "seconds"},
                  {},
                  {}};
    Response r = json_response(status_of(e.code), error_body(e, lang));
    r.headers.emplace_back("Retry-After", "2");
    return r;
  }

  // Where links handed out whole point: the configured address, else the request's Host when
  // it is a plain host[:port] (a forged Host only misleads the one who sent it, but must not
  // smuggle a path or markup into a QR code).
  std::string public_origin(const Call& c) const {
    if (!options_.public_url.empty()) return options_.public_url;
    std::string host(c.req.header("host").value_or("localhost"));
    const bool plain = !host.empty() && host.size() <= 255 &&
                       host.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                           "0123456789.-:[]") == std::string::npos;
    if (!plain) host = "localhost";
    return std::string(options_.secure_cookies ? "https://" : "http://") + host;
  }

  // A kept route's answer: the copy built at the current data version, else built now and kept.
  // The version is read before the page, so a page kept under it is at least that new.
  Outcome kept_page(const Route& route, Call& call) {
    const std::int64_t version = records_->data_version();
    const std::string key = std::to_string(call.who.account_id) +
                            (call.lang == Lang::kEn ? " en " : " zh ") +
                            shanghai_date(now_utc()).iso() + ' ' + call.req.target;
    if (auto kept = pages_.find(key, version)) return Response(*kept);
    Outcome out = route.fn(call);
    if (const auto* answer = std::get_if<Response>(&out);
        answer != nullptr && answer->status == 200 && answer->temporary_file.empty() &&
        answer->delay.count() == 0) {
      pages_.put(key, version, *answer);
    }
    return out;
  }

  Outcome route(const Request& req) {
    Call call{req, lang_of(req), {}, {}, {}};
    const auto segments = split_path(req.path);
    std::string allowed;
    for (const auto& route : routes_) {
      if (!match(route, segments, call.ids, call.token)) continue;
      if (route.method != req.method && !(route.method == "GET" && req.method == "HEAD")) {
        allowed += (allowed.empty() ? "" : ", ") + route.method;
        continue;
      }
      if (route.authenticated) {
        auto who = auth_->authenticate(presented(req));
        if (!who) return error_response(who.error(), call.lang);
        call.who = std::move(*who);
        if (route.needs && !domain::allows(call.who.role, *route.needs)) {
          return error_response(Error::forbidden(), call.lang);
        }
      }
      if (route.kept && req.method == "GET" && options_.page_cache_bytes > 0) {
        return kept_page(route, call);
      }
      return route.fn(call);
    }
    if (!allowed.empty()) {
      Response r = error_response(
          Error{ErrorCode::kMethodNotAllowed,
                {"此接口不支持 " + req.method + " 方法", "method " + req.method + " not allowed"},
                {},
                {}},
          call.lang);
      r.headers.emplace_back("Allow", allowed);
      return r;
    }
    return error_response(Error::not_found({"没有这个接口", "no such API route"}), call.lang);
  }

  static bool match(const Route& route, const std::vector<std::string>& segments,
                    std::vector<Id>& ids, std::string& token) {
    if (route.segments.size() != segments.size()) return false;
    std::vector<Id> captured;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (route.segments[i] == "{token}" || route.segments[i] == "{kind}") {
        const auto& s = segments[i];
        const bool ok =
            !s.empty() && s.size() <= 128 && std::all_of(s.begin(), s.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '.' || c == '_' || c == '-';
            });
        if (!ok) return false;
        token = s;
      } else if (route.segments[i] == "{id}") {
        const auto& s = segments[i];
        Id id = 0;
        const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
        if (ec != std::errc() || p != s.data() + s.size() || id <= 0) return false;
        captured.push_back(id);
      } else if (route.segments[i] != segments[i]) {
        return false;
      }
    }
    ids = std::move(captured);
    return true;
  }

  void add(std::string method, std::string pattern, RouteFn fn, bool authenticated = true) {
    Route r;
    r.method = std::move(method);
    r.segments = split_path(pattern);
    r.pattern = std::move(pattern);
    r.authenticated = authenticated;
    r.fn = std::move(fn);
    routes_.push_back(std::move(r));
  }

  // A route only roles with `needs` may call at all (see Route::needs).
  void add(std::string method, std::string pattern, domain::Permission needs, RouteFn fn) {
    add(std::move(method), std::move(pattern), std::move(fn));
    routes_.back().needs = needs;
  }

  json::object me_json(const Principal& who, const std::string& csrf) {
    auto profile = records_->profile(who);
    json::array permissions;
    for (const auto p : domain::permissions_of(who.role)) {
      permissions.emplace_back(domain::permission_name(p));
    }
    json::object me{
        {"id", who.account_id},
        {"username", who.username},
        {"role", domain::role_name(who.role)},
        {"lecturer_id", who.lecturer_id ? json::value(*who.lecturer_id) : json::value(nullptr)},
        {"permissions", std::move(permissions)},
        {"csrf_token", csrf}};
    if (profile) {
      me["display_name"] = profile->account.display_name;
      me["organisation"] = {{"id", profile->organisation.id},
                            {"name", profile->organisation.name},
                            {"level", domain::level_name(profile->organisation.level)},
                            {"region_code", profile->organisation.region_code}};
    }
    return me;
  }

  void define_routes();
  void define_order_routes(const std::string& v1);

  // A transition's answer; a refused one (409) also carries the order's current state and
  // version, so the client can show what changed without asking again.
  Response respond_order(const Call& c, Id id, const Result<domain::Order>& result,
                         unsigned status = 200) {
    if (result || result.error().code != ErrorCode::kConflict)
      return respond(result, c.lang, status);
    json::object body = error_body(result.error(), c.lang);
    if (auto now = workflow_->get_order(c.who, id)) {
      body["current"] = {{"state", domain::state_name(now->state)}, {"version", now->version}};
    }
    return json_response(409, body);
  }

  // A campaign's answer; a refused one (409) also carries the campaign as it now is.
  Response respond_campaign(const Call& c, const Result<domain::Campaign>& result) {
    if (result || result.error().code != ErrorCode::kConflict) return respond(result, c.lang);
    json::object body = error_body(result.error(), c.lang);
    if (auto now = records_->get_campaign(c.who, c.ids[0])) body["current"] = to_json(*now);
    return json_response(409, body);
  }

  void define_plan_routes(const std::string& v1);
  void define_link_routes(const std::string& v1);
  void define_photo_routes(const std::string& v1);
  void define_token_routes(const std::string& v1);
  void define_export_routes(const std::string& v1);
  void define_import_routes(const std::string& v1);
  void define_report_import_routes(const std::string& v1);
  void define_care_routes(const std::string& v1);
  void define_voucher_routes(const std::string& v1);
  // A programme's answer; a refused one (409) also carries the programme as it now is.
  Response respond_programme(const Call& c, const Result<domain::CareProgramme>& result) {
    if (result || result.error().code != ErrorCode::kConflict) return respond(result, c.lang);
    json::object body = error_body(result.error(), c.lang);
    if (auto now = care_->get_programme(c.who, c.ids[0])) body["current"] = to_json(*now);
    return json_response(409, body);
  }

  Records* records_;
  Workflow* workflow_;
  service::Planner* planner_;
  service::Feedback* feedback_;
  service::Photos* photos_;
  service::Auth* auth_;
  service::Statistics* statistics_;
  service::HashPool* hashes_;
  service::Tokens* tokens_;
  service::Exports* exports_;
  service::Imports* imports_;
  service::Scorecards* scorecards_;
  service::Care* care_;
  service::Vouchers* vouchers_;
  service::Corrections* corrections_;
  service::ReportImports* report_imports_;
  ApiOptions options_;
  ResponseCache pages_;
  std::vector<Route> routes_;
};

void Api::define_routes() {
  const std::string v1 = "/api/v1";

  add(
      "GET", v1 + "/health",
      [this](Call& c) {
        const auto h = records_->health();
        json::object body{{"status", h.database_ok ? "ok" : "unavailable"},
                          {"version", options_.version},
                          {"engine", h.engine},
                          {"database", h.database_ok ? "ok" : "unavailable"},
                          {"schema_version", h.schema_version}};
        (void)c;
        return json_response(h.database_ok ? 200 : 503, body);
      },
      false);

  // --- Authentication ---
  add(
      "POST", v1 + "/auth/login",
      [this](Call& c) -> Outcome {
        std::string username;
        std::string password;
        auto body = parse_object(c.req.body);
        if (!body) return error_response(body.error(), c.lang);
        if (auto s = from_json(*body, {{"username", &username}, {"password", &password}}); !s) {
          return error_response(s.error(), c.lang);
        }
        std::vector<FieldError> missing;
        if (username.empty())
          missing.push_back({"username", {"请输入用户名", "enter your user name"}});
        if (password.empty())
          missing.push_back({"password", {"请输入密码", "enter your password"}});
        if (!missing.empty()) return error_response(Error::invalid(std::move(missing)), c.lang);
        if (username.size() > 64 || password.size() > 1024) {
          return error_response(
              Error::unauthenticated({"用户名或密码错误", "wrong user name or password"}), c.lang);
        }
        // Cheapest refusals first: no room to hash (nothing read), then the lockouts (one read).
        if (auto full = hashes_->check(c.req.remote_address)) return busy_response(*full, c.lang);
        if (auto open = auth_->check_lockout(username, c.req.remote_address); !open) {
          return error_response(open.error(), c.lang);
        }
        return Hashing{[this, username, password, address = c.req.remote_address, lang = c.lang] {
          auto attempt = auth_->login(username, password, address);
          if (!attempt.result) {
            Response r = error_response(attempt.result.error(), lang);
            r.delay = attempt.hold;
            return r;
          }
          const auto& result = *attempt.result;
          Response r = json_response(
              200, json::object{{"account", me_json(result.principal, result.csrf_token)},
                                {"csrf_token", result.csrf_token}});
          std::string cookie_value = std::string(kSessionCookie) + "=" + result.session_token +
                                     "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                     std::to_string(result.expires_at - now_utc());
          if (options_.secure_cookies) cookie_value += "; Secure";
          r.headers.emplace_back("Set-Cookie", cookie_value);
          return r;
        }};
      },
      false);

  add("POST", v1 + "/auth/logout", [this](Call& c) {
    if (auto token = cookie(c.req, kSessionCookie)) auth_->logout(*token, c.who);
    Response r;
    r.status = 204;
    r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) +
                                             "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return r;
  });

  add("GET", v1 + "/auth/me", [this](Call& c) {
    std::string csrf;
    if (auto token = cookie(c.req, kSessionCookie)) csrf = auth_->csrf_of(*token).value_or("");
    return json_response(200, me_json(c.who, csrf));
  });

  add("POST", v1 + "/auth/password", [this](Call& c) -> Outcome {
    std::string current;
    std::string next;
    auto body = parse_object(c.req.body);
    if (!body) return error_response(body.error(), c.lang);
    if (auto s = from_json(*body, {{"current_password", &current}, {"new_password", &next}}); !s) {
      return error_response(s.error(), c.lang);
    }
    // The new password's rules first: checking the current one logs in (a login session and
    // an audit row), which a refused change must not leave behind.
    if (auto errors = domain::validate_password(next); !errors.empty()) {
      for (auto& e : errors) e.field = "new_password";
      return error_response(Error::invalid(std::move(errors)), c.lang);
    }
    if (auto open = auth_->check_lockout(c.who.username, c.req.remote_address); !open) {
      return error_response(open.error(), c.lang);
    }
    // Two hashes (the current password's, the new one's): both on the HashPool.
    return Hashing{
        [this, who = c.who, current, next, address = c.req.remote_address, lang = c.lang] {
          auto check = auth_->login(who.username, current, address);
          if (!check.result) {
            auto e = check.result.error();
            if (e.code == ErrorCode::kUnauthenticated) {
              e = Error::invalid(
                  {{"current_password", {"当前密码不正确", "the current password is wrong"}}});
            }
            Response r = error_response(e, lang);
            r.delay = check.hold;
            return r;
          }
          auto done = records_->set_password(who, who.username, next);
          if (!done) return error_response(done.error(), lang);
          Response r;
          r.status = 204;
          return r;
        }};
  });

  // --- Reference data ---
  add("GET", v1 + "/regions", [this](Call& c) {
    Query q(c.req);
    const std::string parent = q.text("parent");
    const std::string level = q.text("level");
    if (q.error()) return error_response(*q.error(), c.lang);
    if (!level.empty() && level != "province" && level != "city" && level != "county") {
      return error_response(
          Error::bad_request({"查询参数 level 取值必须是 province、city、county 之一",
                              "query parameter level must be one of province, city, county"},
                             "level"),
          c.lang);
    }
    json::array items;
    for (const auto& r : records_->regions(parent, level)) items.push_back(to_json(r));
    const auto total = static_cast<std::int64_t>(items.size());
    return json_response(200, json::object{{"items", std::move(items)}, {"total", total}});
  });

  add("GET", v1 + "/dictionaries", [this](Call& c) {
    Query q(c.req);
    const auto kind = q.choice<domain::DictionaryKind>("kind", domain::parse_dictionary_kind);
    const bool all = q.boolean("include_inactive").value_or(false);
    if (q.error()) return error_response(*q.error(), c.lang);
    auto result = records_->list_dictionary(c.who, kind, all);
    if (!result) return error_response(result.error(), c.lang);
    json::array items;
    for (const auto& e : *result) items.push_back(to_json(e));
    const auto total = static_cast<std::int64_t>(items.size());
    return json_response(200, json::object{{"items", std::move(items)}, {"total", total}});
  });
  add("POST", v1 + "/dictionaries", domain::Permission::kDictionariesWrite, [this](Call& c) {
    domain::DictionaryEntry e;
    if (auto s = decode(c.req, e); !s) return error_response(s.error(), c.lang);
    return respond(records_->create_dictionary_entry(c.who, std::move(e)), c.lang, 201);
  });
  add("PATCH", v1 + "/dictionaries/{id}", domain::Permission::kDictionariesWrite, [this](Call& c) {
    return respond(
        records_->update_dictionary_entry(
            c.who, c.ids[0], [&](domain::DictionaryEntry& e) { return decode(c.req, e); }),
        c.lang);
  });

  // --- Organisations ---
  add("GET", v1 + "/organisations", [this](Call& c) {
    Query q(c.req);
    store::OrganisationFilter f;
    f.parent_id = q.id("parent_id");
    f.q = q.text("q");
    f.level = q.choice<domain::OrganisationLevel>("level", domain::parse_level);
    f.page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    return respond_page(records_->list_organisations(c.who, f), c.lang);
  });
  add("POST", v1 + "/organisations", domain::Permission::kOrganisationsWrite, [this](Call& c) {
    domain::Organisation o;
    if (auto s = decode(c.req, o); !s) return error_response(s.error(), c.lang);
    return respond(records_->create_organisation(c.who, std::move(o)), c.lang, 201);
  });
  add("GET", v1 + "/organisations/{id}",
      [this](Call& c) { return respond(records_->get_organisation(c.who, c.ids[0]), c.lang); });
  add("PATCH", v1 + "/organisations/{id}", domain::Permission::kOrganisationsWrite,
      [this](Call& c) {
        return respond(
            records_->update_organisation(
                c.who, c.ids[0], [&](domain::Organisation& o) { return decode(c.req, o); }),
            c.lang);
      });

  // --- Lecturers ---
  add("GET", v1 + "/lecturers", [this](Call& c) {
    Query q(c.req);
    store::LecturerFilter f = lecturer_filter(q);
    f.page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    return respond_page(records_->list_lecturers(c.who, f), c.lang);
  });
  add("POST", v1 + "/lecturers", domain::Permission::kLecturersWrite, [this](Call& c) {
    domain::Lecturer l;
    if (auto s = decode(c.req, l); !s) return error_response(s.error(), c.lang);
    return respond(records_->create_lecturer(c.who, std::move(l)), c.lang, 201);
  });
  add("GET", v1 + "/lecturers/{id}",
      [this](Call& c) { return respond(records_->get_lecturer(c.who, c.ids[0]), c.lang); });
  add("PATCH", v1 + "/lecturers/{id}", [this](Call& c) {
    return respond(records_->update_lecturer(c.who, c.ids[0],
                                             [&](domain::Lecturer& l) { return decode(c.req, l); }),
                   c.lang);
  });

  // 宣讲员档案: one lecturer's scorecard, and the ranking of every lecturer in scope.
  add("GET", v1 + "/lecturers/{id}/scorecard", [this](Call& c) {
    auto card = scorecards_->lecturer(c.who, c.ids[0]);
    if (!card) return error_response(card.error(), c.lang);
    return json_response(200, scorecard_json(*card, c.lang));
  });
  add("GET", v1 + "/lecturers/scorecards", [this](Call& c) {
    Query q(c.req);
    service::RankingQuery query;
    service::PeriodQuery period = period_query(q);
    query.from = period.from;
    query.to = period.to;
    query.organisation_id = period.organisation_id;
    query.campaign_ids = std::move(period.campaign_ids);
    if (q.error()) return error_response(*q.error(), c.lang);
    if (auto e = read_ranking_sort(q, query.sort)) return error_response(*e, c.lang);
    auto ranking = scorecards_->ranking(c.who, query);
    if (!ranking) return error_response(ranking.error(), c.lang);
    return json_response(200, ranking_json(*ranking, c.lang));
  });

  // --- Campaigns ---
  add("GET", v1 + "/campaigns", [this](Call& c) {
    Query q(c.req);
    store::CampaignFilter f;
    f.q = q.text("q");
    const std::string when = q.text("status");
    f.page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    using When = store::CampaignFilter::When;
    if (when == "current") {
      f.when = When::kCurrent;
    } else if (when == "upcoming") {
      f.when = When::kUpcoming;
    } else if (when == "past") {
      f.when = When::kPast;
    } else if (!when.empty()) {
      return error_response(
          Error::invalid({{"status",
                           {"状态须为 current（进行中）、upcoming（未开始）或 past（已结束）",
                            "status is one of current, upcoming, past"}}}),
          c.lang);
    }
    return respond_page(records_->list_campaigns(c.who, f), c.lang);
  });
  add("POST", v1 + "/campaigns", domain::Permission::kCampaignsWrite, [this](Call& c) {
    domain::Campaign x;
    if (auto s = decode(c.req, x); !s) return error_response(s.error(), c.lang);
    return respond(records_->create_campaign(c.who, std::move(x)), c.lang, 201);
  });
  add("GET", v1 + "/campaigns/{id}",
      [this](Call& c) { return respond(records_->get_campaign(c.who, c.ids[0]), c.lang); });
  add("PATCH", v1 + "/campaigns/{id}", domain::Permission::kCampaignsWrite, [this](Call& c) {
    auto body = parse_object(c.req.body);
    if (!body) return error_response(body.error(), c.lang);
    std::optional<std::int64_t> version;
    {
      domain::Campaign probe;  // the version first, so a stale edit is refused before validation
      probe.id = c.ids[0];
      if (auto s = from_json(*body, probe, &version); !s) return error_response(s.error(), c.lang);
    }
    return respond_campaign(
        c, records_->update_campaign(c.who, c.ids[0], version,
                                     [&](domain::Campaign& x) { return from_json(*body, x); }));
  });
  // 关闭 / 重新开启, each with the version the client read.
  add("POST", v1 + "/campaigns/{id}/close", domain::Permission::kCampaignsWrite, [this](Call& c) {
    std::int64_t version = 0;
    if (auto s = decode(c.req, version, nullptr); !s) return error_response(s.error(), c.lang);
    return respond_campaign(c, records_->close_campaign(c.who, c.ids[0], version));
  });
  add("POST", v1 + "/campaigns/{id}/reopen", domain::Permission::kCampaignsWrite, [this](Call& c) {
    std::int64_t version = 0;
    if (auto s = decode(c.req, version, nullptr); !s) return error_response(s.error(), c.lang);
    return respond_campaign(c, records_->reopen_campaign(c.who, c.ids[0], version));
  });

  // 统计: the dashboard's figures, over what the caller may see.
  add("GET", v1 + "/campaigns/{id}/statistics", [this](Call& c) {
    Query q(c.req);
    const auto organisation_id = q.id("organisation_id");
    if (q.error()) return error_response(*q.error(), c.lang);
    auto figures = statistics_->campaign(c.who, c.ids[0], organisation_id);
    if (!figures) return error_response(figures.error(), c.lang);
    return json_response(200, to_json(*figures));
  });

  // 统计 over a period and any set of campaigns (all when none is named), with the same
  // period a year before.
  add("GET", v1 + "/statistics", [this](Call& c) {
    Query q(c.req);
    service::PeriodQuery period = period_query(q);
    if (q.error()) return error_response(*q.error(), c.lang);
    auto figures = statistics_->period(c.who, period, shanghai_date(now_utc()));
    if (!figures) return error_response(figures.error(), c.lang);
    return json_response(200, to_json(*figures));
  });
  // 简报: the quotes and photos a printed report shows beside the figures, over the same
  // period, campaigns and organisation as GET /statistics.
  add("GET", v1 + "/statistics/highlights", [this](Call& c) {
    Query q(c.req);
    const service::PeriodQuery period = period_query(q);
    const auto limit = q.id("limit");
    if (q.error()) return error_response(*q.error(), c.lang);
    auto highlights = statistics_->highlights(
        c.who, period, shanghai_date(now_utc()),
        static_cast<int>(std::clamp<std::int64_t>(limit.value_or(6), -1, 1000)));
    if (!highlights) return error_response(highlights.error(), c.lang);
    return json_response(200, to_json(*highlights));
  });

  // 覆盖情况: leagues or counties × weeks or months and × audience groups, gaps marked.
  add("GET", v1 + "/statistics/coverage", [this](Call& c) {
    Query q(c.req);
    service::CoverageQuery query;
    query.period = period_query(q);
    query.level = q.text("level");
    if (q.error()) return error_response(*q.error(), c.lang);
    if (auto e = read_grain(q, query.grain)) return error_response(*e, c.lang);
    auto coverage = statistics_->coverage(c.who, query, shanghai_date(now_utc()));
    if (!coverage) return error_response(coverage.error(), c.lang);
    return json_response(200, to_json(*coverage));
  });
  // What could fill a gap: open orders there and lecturers free in the period.
  add("GET", v1 + "/statistics/coverage/fill", [this](Call& c) {
    Query q(c.req);
    service::CoverageFillQuery query;
    query.period = period_query(q);
    query.region_code = q.text("region_code");
    query.audience_group = q.text("audience_group");
    if (const auto limit = q.id("limit")) {
      query.limit = static_cast<int>(std::clamp<std::int64_t>(*limit, -1, 1000));
    }
    if (q.error()) return error_response(*q.error(), c.lang);
    auto fill = statistics_->coverage_fill(c.who, query, shanghai_date(now_utc()));
    if (!fill) return error_response(fill.error(), c.lang);
    return json_response(200, to_json(*fill));
  });

  // --- Sessions ---
  add("GET", v1 + "/sessions", [this](Call& c) {
    Query q(c.req);
    store::SessionFilter f = session_filter(q);
    const auto organisation_id = q.id("organisation_id");
    f.page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    return respond_page(records_->list_sessions(c.who, f, organisation_id), c.lang);
  });
  add("POST", v1 + "/sessions", domain::Permission::kSessionsWrite, [this](Call& c) {
    domain::Session s;
    if (auto st = decode(c.req, s); !st) return error_response(st.error(), c.lang);
    return respond(records_->create_session(c.who, std::move(s)), c.lang, 201);
  });
  add("POST", v1 + "/sessions/batch", domain::Permission::kSessionsWrite, [this](Call& c) {
    auto body = parse_object(c.req.body);
    if (!body) return error_response(body.error(), c.lang);
    for (const auto& kv : *body) {
      if (kv.key() != "sessions") {
        const std::string key(kv.key());
        return error_response(Error::bad_request({"未知字段 " + key, "unknown field " + key}, key),
                              c.lang);
      }
    }
    const auto* list = body->if_contains("sessions");
    if (list == nullptr || !list->is_array()) {
      return error_response(Error::bad_request({"请求内容应为 {\"sessions\": [...]}",
                                                "the body must be {\"sessions\": [...]}"},
                                               "sessions"),
                            c.lang);
    }
    std::vector<domain::Session> sessions;
    for (std::size_t i = 0; i < list->as_array().size(); ++i) {
      const auto& item = list->as_array()[i];
      const std::string field = "sessions[" + std::to_string(i) + "]";
      if (!item.is_object()) {
        return error_response(
            Error::bad_request({field + " 应为对象", field + " must be an object"}, field), c.lang);
      }
      domain::Session s;
      if (auto st = from_json(item.as_object(), s); !st) {
        // The item's reader names its own fields: say which item they belong to, as the
        // service does (a day of one session reads like one session).
        Error e = std::move(st).error();
        if (list->as_array().size() > 1) {
          if (!e.field.empty()) e.field = field + "." + e.field;
          for (auto& d : e.details) d.field = field + "." + d.field;
        }
        return error_response(e, c.lang);
      }
      sessions.push_back(std::move(s));
    }
    auto created = records_->create_sessions(c.who, std::move(sessions));
    if (!created) return error_response(created.error(), c.lang);
    json::array items;
    for (const auto& s : *created) items.push_back(to_json(s));
    const auto total = static_cast<std::int64_t>(items.size());
    return json_response(201, json::object{{"items", std::move(items)}, {"total", total}});
  });
  add("GET", v1 + "/sessions/{id}",
      [this](Call& c) { return respond(records_->get_session(c.who, c.ids[0]), c.lang); });
  add("PATCH", v1 + "/sessions/{id}", domain::Permission::kSessionsWrite, [this](Call& c) {
    auto body = parse_object(c.req.body);
    if (!body) return error_response(body.error(), c.lang);
    std::int64_t version = 0;
    {
      domain::Session probe;  // the version first, so a stale correction is refused before
      probe.id = c.ids[0];    // validation
      if (auto s = from_json(*body, probe, &version); !s) return error_response(s.error(), c.lang);
    }
    return respond(records_->update_session(c.who, c.ids[0], version,
                                            [&](domain::Session& s) {
                                              std::int64_t ignored = 0;
                                              return from_json(*body, s, &ignored);
                                            }),
                   c.lang);
  });

  // --- Accounts ---
  add("GET", v1 + "/accounts", [this](Call& c) {
    Query q(c.req);
    store::AccountFilter f;
    f.q = q.text("q");
    f.role = q.choice<domain::Role>("role", domain::parse_role);
    f.page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    return respond_page(records_->list_accounts(c.who, f), c.lang);
  });
  add("POST", v1 + "/accounts", domain::Permission::kAccountsWrite, [this](Call& c) -> Outcome {
    domain::Account a;
    std::string password;
    if (auto s = decode(c.req, a, &password); !s) return error_response(s.error(), c.lang);
    // The new password's hash takes a third of a second: on the HashPool, as a login's, so an
    // office creating accounts does not hold an I/O thread that others' requests wait for.
    return Hashing{[this, who = c.who, a = std::move(a), password, lang = c.lang] {
      return respond(records_->create_account(who, a, password), lang, 201);
    }};
  });
  add("GET", v1 + "/accounts/{id}",
      [this](Call& c) { return respond(records_->get_account(c.who, c.ids[0]), c.lang); });
  add("PATCH", v1 + "/accounts/{id}", domain::Permission::kAccountsWrite, [this](Call& c) {
    return respond(records_->update_account(c.who, c.ids[0],
                                            [&](domain::Account& a) {
                                              return decode(c.req, a,
                                                            static_cast<std::string*>(nullptr));
                                            }),
                   c.lang);
  });

  define_order_routes(v1);
  define_plan_routes(v1);
  define_link_routes(v1);
  define_photo_routes(v1);
  define_token_routes(v1);
  define_export_routes(v1);
  define_import_routes(v1);
  define_report_import_routes(v1);
  define_care_routes(v1);
  define_voucher_routes(v1);

  // --- Audit log ---
  add("GET", v1 + "/audit", domain::Permission::kAuditRead, [this](Call& c) {
    Query q(c.req);
    store::AuditFilter f;
    f.entity = q.text("entity");
    f.entity_id = q.id("entity_id");
    f.action = q.text("action");
    f.username = q.text("username");
    f.page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    return respond_page(records_->list_audit(c.who, f), c.lang);
  });

  // The most read pages, answered from the page cache while the data stands (Route::kept). Only
  // pages built from the data alone (nothing here may read the clock finer than the day), and
  // none that shows what a row-locked write (a voucher redemption) changes: those writes do not
  // raise the data version.
  for (auto& r : routes_) {
    r.kept =
        r.method == "GET" && (r.pattern == v1 + "/sessions" || r.pattern == v1 + "/lecturers" ||
                              r.pattern == v1 + "/organisations");
  }
}

void Api::define_order_routes(const std::string& v1) {
  add("GET", v1 + "/orders", [this](Call& c) {
    Query q(c.req);
    auto filter = order_filter(q);
    if (!filter) return error_response(filter.error(), c.lang);
    store::OrderFilter& f = *filter;
    const auto organisation_id = q.id("organisation_id");
    f.page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    return respond_page(workflow_->list_orders(c.who, f, organisation_id), c.lang);
  });
  add("POST", v1 + "/orders", domain::Permission::kOrdersWrite, [this](Call& c) {
    domain::Order o;
    if (auto s = decode(c.req, o, nullptr); !s) return error_response(s.error(), c.lang);
    return respond(workflow_->create_order(c.who, std::move(o)), c.lang, 201);
  });
  add("GET", v1 + "/orders/{id}",
      [this](Call& c) { return respond(workflow_->get_order(c.who, c.ids[0]), c.lang); });
  add("PATCH", v1 + "/orders/{id}", domain::Permission::kOrdersWrite, [this](Call& c) {
    auto body = parse_object(c.req.body);
    if (!body) return error_response(body.error(), c.lang);
    std::int64_t version = 0;
    {
      domain::Order probe;  // the version first, so a stale edit is refused before validation
      if (auto s = from_json(*body, probe, &version); !s) return error_response(s.error(), c.lang);
    }
    return respond_order(c, c.ids[0],
                         workflow_->update_order(c.who, c.ids[0], version, [&](domain::Order& o) {
                           std::int64_t ignored = 0;
                           return from_json(*body, o, &ignored);
                         }));
  });
  add("GET", v1 + "/orders/{id}/history", [this](Call& c) {
    auto events = workflow_->order_history(c.who, c.ids[0]);
    if (!events) return error_response(events.error(), c.lang);
    json::array items;
    for (const auto& e : *events) items.push_back(to_json(e));
    const auto total = static_cast<std::int64_t>(items.size());
    return json_response(200, json::object{{"items", std::move(items)}, {"total", total}});
  });
  add("POST", v1 + "/orders/{id}/dispatch-check", domain::Permission::kOrdersDispatch,
      [this](Call& c) {
        service::DispatchRequest d;
        if (auto s = decode(c.req, d); !s) return error_response(s.error(), c.lang);
        auto check = workflow_->check_dispatch(c.who, c.ids[0], d);
        if (!check) return error_response(check.error(), c.lang);
        json::array problems;
        for (const auto& p : check->problems) problems.emplace_back(text_in(p, c.lang));
        return json_response(200, json::object{{"available", check->available},
                                               {"travel_fits", check->travel_fits},
                                               {"problems", std::move(problems)}});
      });
  add("GET", v1 + "/orders/{id}/candidates", domain::Permission::kOrdersDispatch, [this](Call& c) {
    Query q(c.req);
    service::CandidateQuery query;
    query.date = q.date("date");
    // Beyond the bounds either way stays beyond them: the service names the range.
    if (auto n = q.id("limit")) query.limit = static_cast<int>(std::clamp<Id>(*n, 0, 1000));
    if (q.error()) return error_response(*q.error(), c.lang);
    auto list = workflow_->candidates(c.who, c.ids[0], query);
    if (!list) return error_response(list.error(), c.lang);
    return json_response(200, to_json(*list));
  });
  add("POST", v1 + "/orders/{id}/dispatch", domain::Permission::kOrdersDispatch, [this](Call& c) {
    service::DispatchRequest d;
    if (auto s = decode(c.req, d); !s) return error_response(s.error(), c.lang);
    return respond_order(c, c.ids[0], workflow_->dispatch(c.who, c.ids[0], d));
  });
  add("POST", v1 + "/orders/{id}/accept", [this](Call& c) {
    std::int64_t version = 0;
    if (auto s = decode(c.req, version, nullptr); !s) return error_response(s.error(), c.lang);
    return respond_order(c, c.ids[0], workflow_->accept(c.who, c.ids[0], version));
  });
  add("POST", v1 + "/orders/{id}/decline", [this](Call& c) {
    std::int64_t version = 0;
    std::string reason;
    if (auto s = decode(c.req, version, &reason); !s) return error_response(s.error(), c.lang);
    return respond_order(c, c.ids[0],
                         workflow_->decline(c.who, c.ids[0], version, std::move(reason)));
  });
  add("POST", v1 + "/orders/{id}/deliver", domain::Permission::kSessionsWrite, [this](Call& c) {
    auto body = parse_object(c.req.body);
    if (!body) return error_response(body.error(), c.lang);
    domain::Session s;
    std::int64_t version = 0;
    if (auto st = from_json_delivery(*body, s, version); !st) {
      return error_response(st.error(), c.lang);
    }
    return respond_order(c, c.ids[0], workflow_->deliver(c.who, c.ids[0], version, std::move(s)));
  });
  add("POST", v1 + "/orders/{id}/rate", [this](Call& c) {
    service::RateRequest r;
    if (auto s = decode(c.req, r); !s) return error_response(s.error(), c.lang);
    return respond_order(c, c.ids[0], workflow_->rate(c.who, c.ids[0], r));
  });
  add("POST", v1 + "/orders/{id}/cancel", [this](Call& c) {
    std::int64_t version = 0;
    std::string reason;
    if (auto s = decode(c.req, version, &reason); !s) return error_response(s.error(), c.lang);
    return respond_order(c, c.ids[0],
                         workflow_->cancel(c.who, c.ids[0], version, std::move(reason)));
  });

  // --- Inbox (站内消息) of the caller's own account ---
  add("GET", v1 + "/inbox", [this](Call& c) {
    Query q(c.req);
    const bool unread_only = q.boolean("unread").value_or(false);
    const auto page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    const auto got = workflow_->inbox(c.who, unread_only, page);
    json::array items;
    for (const auto& item : got.items) {
      const auto& n = item.notification;
      items.push_back({{"id", n.id},
                       {"at", iso_instant(n.at)},
                       {"kind", domain::kind_name(n.kind)},
                       {"order_id", n.order_id ? json::value(*n.order_id) : json::value(nullptr)},
                       {"order_priority",
                        n.order_priority ? json::value(*n.order_priority) : json::value(nullptr)},
                       {"text", text_in(item.text, c.lang)},
                       {"read", n.read_at.has_value()},
                       {"asks_to_act", domain::asks_to_act(n.kind)},
                       {"done", n.done_at.has_value()}});
    }
    return json_response(200, json::object{{"items", std::move(items)},
                                           {"total", got.total},
                                           {"unread", workflow_->unread(c.who)}});
  });
  add("POST", v1 + "/inbox/read", [this](Call& c) {
    auto body = parse_object(c.req.body);
    if (!body) return error_response(body.error(), c.lang);
    std::vector<Id> ids;
    for (const auto& [key, value] : *body) {
      if (key != "ids") {
        return error_response(Error::bad_request({"未知字段 " + std::string(key),
                                                  "unknown field " + std::string(key)},
                                                 std::string(key)),
                              c.lang);
      }
      if (!value.is_array()) {
        return error_response(
            Error::bad_request({"ids 应为整数数组", "ids must be an array of integers"}, "ids"),
            c.lang);
      }
      for (const auto& v : value.as_array()) {
        if (!v.is_int64()) {
          return error_response(
              Error::bad_request({"ids 应为整数数组", "ids must be an array of integers"}, "ids"),
              c.lang);
        }
        ids.push_back(v.as_int64());
      }
    }
    const auto marked = workflow_->mark_read(c.who, ids);
    return json_response(200,
                         json::object{{"marked", marked}, {"unread", workflow_->unread(c.who)}});
  });
}

json::object plan_json(const store::DispatchPlanRecord& p) {
  json::object o{{"id", p.id},
                 {"campaign_id", p.campaign_id},
                 {"state", p.state},
                 {"created_at", iso_instant(p.created_at)},
                 {"time_limit_seconds", p.time_limit},
                 {"seed", p.seed},
                 {"orders", p.orders},
                 {"lecturers", p.lecturers},
                 {"error", p.error},
                 {"plan", nullptr}};
  if (p.finished_at) o["finished_at"] = iso_instant(*p.finished_at);
  if (!p.result.empty()) {
    boost::system::error_code ec;
    auto parsed = json::parse(p.result, ec);
    if (!ec) o["plan"] = std::move(parsed);
  }
  return o;
}

void Api::define_plan_routes(const std::string& v1) {
  add("POST", v1 + "/campaigns/{id}/dispatch-plans", domain::Permission::kOrdersDispatch,
      [this](Call& c) {
        auto body = parse_object(c.req.body);
        if (!body) return error_response(body.error(), c.lang);
        service::PlanRequest request;
        if (auto s = from_json(*body, request); !s) return error_response(s.error(), c.lang);
        auto plan = planner_->start(c.who, c.ids[0], request);
        if (!plan) return error_response(plan.error(), c.lang);
        Response r = json_response(202, plan_json(*plan));
        r.headers.emplace_back("Location", "/api/v1/dispatch-plans/" + std::to_string(plan->id));
        return r;
      });
  add("GET", v1 + "/dispatch-plans/{id}", domain::Permission::kOrdersDispatch, [this](Call& c) {
    auto plan = planner_->get(c.who, c.ids[0]);
    if (!plan) return error_response(plan.error(), c.lang);
    return json_response(200, plan_json(*plan));
  });
  add("POST", v1 + "/dispatch-plans/{id}/apply", domain::Permission::kOrdersDispatch,
      [this](Call& c) {
        auto body = parse_object(c.req.body);
        if (!body) return error_response(body.error(), c.lang);
        std::vector<service::PlanAssignment> assignments;
        bool override_travel = false;
        if (auto s = from_json(*body, assignments, override_travel); !s) {
          return error_response(s.error(), c.lang);
        }
        auto applied = planner_->apply(c.who, c.ids[0], assignments, override_travel);
        if (!applied) return error_response(applied.error(), c.lang);
        json::array items;
        std::int64_t dispatched = 0;
        for (const auto& a : *applied) {
          json::object item{{"order_id", a.order_id}, {"dispatched", a.dispatched}};
          if (a.error) {
            item["status"] = status_of(a.error->code);
            item["error"] = error_body(*a.error, c.lang)["error"];
          } else {
            item["status"] = 200;
            ++dispatched;
          }
          items.push_back(std::move(item));
        }
        return json_response(
            200,
            json::object{{"items", std::move(items)},
                         {"dispatched", dispatched},
                         {"refused", static_cast<std::int64_t>(applied->size()) - dispatched}});
      });
}

constexpr std::string_view kBrowserCookie = "xj_browser";

// The answering browser's id: its cookie, or a new one to set with the answer.
std::pair<std::string, bool> browser_of(const Request& req) {
  if (auto c = cookie(req, kBrowserCookie); c && c->size() == 64) return {*c, false};
  return {service::random_token(), true};
}

void set_browser_cookie(Response& r, const std::string& browser) {
  r.headers.emplace_back("Set-Cookie", std::string(kBrowserCookie) + "=" + browser +
                                           "; Path=/api/v1/feedback; HttpOnly; SameSite=Lax; "
                                           "Max-Age=31536000");
}

Response no_content() {
  Response r;
  r.status = 204;
  return r;
}

// A stored picture with its type, its hash as the ETag, the caching given, and a download name
// made of `name` (ASCII letters, digits and "-" only) and the type's extension. Whatever bytes a
// picture holds, it never runs as a page of our origin: nosniff (set by the server on every
// answer) keeps the browser to the type, and the CSP sandboxes a picture opened on its own.
Response picture_response(service::Photos::File file, std::string cache_control,
                          const std::string& name) {
  Response r;
  r.status = 200;
  const char* extension = file.content_type == "image/png" ? ".png" : ".jpg";
  r.headers.emplace_back("Content-Type", file.content_type);
  r.headers.emplace_back("Cache-Control", std::move(cache_control));
  r.headers.emplace_back("ETag", "\"" + file.sha256 + "\"");
  r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
  r.headers.emplace_back("Content-Disposition", "inline; filename=\"" + name + extension + "\"");
  r.body = std::move(file.bytes);
  return r;
}

// {"renew": bool} or an empty object.
Result<bool> renew_flag(const Request& req) {
  auto body = parse_object(req.body.empty() ? std::string_view("{}") : req.body);
  if (!body) return std::move(body).error();
  bool renew = false;
  for (const auto& [key, value] : *body) {
    if (key != "renew" || !value.is_bool()) {
      return Error::bad_request({"请求内容只能是 {\"renew\": true|false}",
                                 "the body may only be {\"renew\": true|false}"},
                                std::string(key));
    }
    renew = value.as_bool();
  }
  return renew;
}

void Api::define_link_routes(const std::string& v1) {
  // --- Agendas (日程) and the private calendar feed ---
  add("GET", v1 + "/lecturers/{id}/agenda", [this](Call& c) {
    Query q(c.req);
    const Date today = shanghai_date(now_utc());
    const Date from = q.date("from").value_or(today.plus_days(-30));
    const Date to = q.date("to").value_or(today.plus_days(90));
    if (q.error()) return error_response(*q.error(), c.lang);
    auto items = workflow_->agenda(c.who, c.ids[0], from, to);
    if (!items) return error_response(items.error(), c.lang);
    json::array out;
    for (const auto& i : *items) {
      out.push_back({{"kind", i.kind},
                     {"id", i.id},
                     {"date", i.date.iso()},
                     {"start_time", i.start ? json::value(i.start->text()) : json::value(nullptr)},
                     {"end_time", i.end ? json::value(i.end->text()) : json::value(nullptr)},
                     {"title", i.title},
                     {"place", i.place},
                     {"region_name", i.region_name},
                     {"organisation", i.organisation},
                     {"state", i.state},
                     {"elsewhere", i.elsewhere},
                     {"league_name", i.league_name},
                     {"topic", i.topic},
                     {"audience_group_name", i.audience_group_name},
                     {"audience", i.audience},
                     {"contact", i.contact}});
    }
    const auto total = static_cast<std::int64_t>(out.size());
    return json_response(200, json::object{{"items", std::move(out)}, {"total", total}});
  });
  add("POST", v1 + "/lecturers/{id}/calendar-link", [this](Call& c) {
    auto renew = renew_flag(c.req);
    if (!renew) return error_response(renew.error(), c.lang);
    auto token = workflow_->calendar_token(c.who, c.ids[0], *renew);
    if (!token) return error_response(token.error(), c.lang);
    const std::string path = "/api/v1/calendar/" + *token + ".ics";
    return json_response(
        200, json::object{{"token", *token}, {"path", path}, {"url", public_origin(c) + path}});
  });
  add(
      "GET", v1 + "/calendar/{token}",
      [this](Call& c) {
        std::string token = c.token;
        if (token.ends_with(".ics")) token.resize(token.size() - 4);
        auto feed = workflow_->calendar_feed(token, shanghai_date(now_utc()));
        if (!feed) return error_response(feed.error(), c.lang);
        Response r;
        r.status = 200;
        r.headers.emplace_back("Content-Type", "text/calendar; charset=utf-8");
        r.headers.emplace_back("Cache-Control", "private, max-age=300");
        r.body = agenda_ical(*feed, now_utc());
        return r;
      },
      false);

  // --- Feedback by QR code (扫码评价) ---
  add("GET", v1 + "/sessions/{id}/feedback-link", [this](Call& c) {
    auto state = feedback_->link_state(c.who, c.ids[0], shanghai_date(now_utc()));
    if (!state) return error_response(state.error(), c.lang);
    return json_response(200, link_state_json(*state));
  });
  add("POST", v1 + "/sessions/{id}/feedback-link", domain::Permission::kSessionsWrite,
      [this](Call& c) {
        auto renew = renew_flag(c.req);
        if (!renew) return error_response(renew.error(), c.lang);
        auto token = feedback_->link_token(c.who, c.ids[0], *renew);
        if (!token) return error_response(token.error(), c.lang);
        auto state = feedback_->link_state(c.who, c.ids[0], shanghai_date(now_utc()));
        if (!state) return error_response(state.error(), c.lang);
        return json_response(200, link_state_json(*state));
      });
  add("POST", v1 + "/sessions/{id}/feedback-link/reopen", domain::Permission::kSessionsWrite,
      [this](Call& c) {
        auto body = parse_object(c.req.body);
        if (!body) return error_response(body.error(), c.lang);
        std::string reason;
        if (auto s = reason_from_json(*body, reason); !s) return error_response(s.error(), c.lang);
        auto state = feedback_->reopen(c.who, c.ids[0], std::move(reason), now_utc());
        if (!state) return error_response(state.error(), c.lang);
        return json_response(200, link_state_json(*state));
      });
  add("GET", v1 + "/sessions/{id}/feedback-link/qr", [this](Call& c) {
    Query q(c.req);
    const std::string format = q.text("format").empty() ? "svg" : q.text("format");
    if (q.error()) return error_response(*q.error(), c.lang);
    if (format != "svg" && format != "png") {
      return error_response(
          Error::bad_request({"format 只能是 svg 或 png", "format must be svg or png"}, "format"),
          c.lang);
    }
    auto state = feedback_->link_state(c.who, c.ids[0], shanghai_date(now_utc()));
    if (!state) return error_response(state.error(), c.lang);
    if (!state->open) {  // a code put up at a venue must not lead to a form that says "closed"
      return error_response(
          Error{ErrorCode::kGone,
                {"本场宣讲的评价已于 " + state->closes_on.iso() + " 截止，不再提供二维码",
                 "feedback on this lecture closed on " + state->closes_on.iso() +
                     ": there is no QR code for it"},
                {},
                {}},
          c.lang);
    }
    auto token = feedback_->link_token(c.who, c.ids[0], false);
    if (!token) return error_response(token.error(), c.lang);
    const std::string url = public_origin(c) + "/feedback/" + *token;
    auto image = format == "svg" ? qr_svg(url) : qr_png(url);
    if (!image) {
      return error_response(Error{ErrorCode::kInternal, {"二维码生成失败", "no QR code"}, {}, {}},
                            c.lang);
    }
    Response r;
    r.status = 200;
    r.headers.emplace_back("Content-Type", format == "svg" ? "image/svg+xml" : "image/png");
    r.headers.emplace_back("Cache-Control", "private, no-cache");
    r.body = std::move(*image);
    return r;
  });
  add("GET", v1 + "/sessions/{id}/feedback", [this](Call& c) {
    Query q(c.req);
    const auto page = q.page();
    const auto quotes_only = q.boolean("quote");
    if (q.error()) return error_response(*q.error(), c.lang);
    auto report = feedback_->report(c.who, c.ids[0], page, quotes_only.value_or(false));
    if (!report) return error_response(report.error(), c.lang);
    json::array answers;
    for (const auto& f : report->answers.items) answers.push_back(to_json(f));
    const auto& s = report->summary;
    json::array by_rating;
    for (const auto n : s.by_rating) by_rating.emplace_back(n);
    return json_response(200, json::object{{"answers", s.answers},
                                           {"average", s.average},
                                           {"by_rating", std::move(by_rating)},
                                           {"signed_in", s.signed_in},
                                           {"items", std::move(answers)},
                                           {"total", report->answers.total}});
  });
  add("POST", v1 + "/sessions/{id}/feedback", domain::Permission::kSessionsWrite, [this](Call& c) {
    auto body = parse_object(c.req.body);
    if (!body) return error_response(body.error(), c.lang);
    service::FeedbackAnswer a;
    if (auto s = from_json(*body, a); !s) return error_response(s.error(), c.lang);
    auto entry = feedback_->record(c.who, c.ids[0], std::move(a));
    if (!entry) return error_response(entry.error(), c.lang);
    return json_response(201, to_json(*entry));
  });
  add("PATCH", v1 + "/sessions/{id}/feedback/{id}", domain::Permission::kSessionsWrite,
      [this](Call& c) {
        auto body = parse_object(c.req.body);
        if (!body) return error_response(body.error(), c.lang);
        bool quote = false;
        if (auto s = from_json_quote(*body, quote); !s) return error_response(s.error(), c.lang);
        auto entry = feedback_->mark_quote(c.who, c.ids[0], c.ids[1], quote);
        if (!entry) return error_response(entry.error(), c.lang);
        return json_response(200, to_json(*entry));
      });
  add(
      "GET", v1 + "/feedback/{token}",
      [this](Call& c) {
        auto s = feedback_->open(c.token, shanghai_date(now_utc()));
        if (!s) return error_response(s.error(), c.lang);
        json::array lecturers;
        for (const auto& name : s->lecturers) lecturers.emplace_back(name);
        json::array groups;
        for (const auto& g : s->audience_groups) {
          groups.push_back({{"code", g.code}, {"name", g.name}, {"name_en", g.name_en}});
        }
        Response r = json_response(
            200, json::object{{"title", s->title},
                              {"date", s->date.iso()},
                              {"start_time", s->start_time ? json::value(s->start_time->text())
                                                           : json::value(nullptr)},
                              {"venue", s->venue},
                              {"host", s->host},
                              {"lecturers", std::move(lecturers)},
                              {"closes", s->closes.iso()},
                              {"audience_groups", std::move(groups)}});
        r.headers.emplace_back("Cache-Control", "no-store");
        return r;
      },
      false);
  add(
      "POST", v1 + "/feedback/{token}",
      [this](Call& c) {
        auto body = parse_object(c.req.body);
        if (!body) return error_response(body.error(), c.lang);
        service::FeedbackAnswer a;
        if (auto s = from_json(*body, a); !s) return error_response(s.error(), c.lang);
        const auto [browser, fresh] = browser_of(c.req);
        auto done =
            feedback_->answer(c.token, std::move(a), browser, c.req.remote_address, now_utc());
        if (!done) return error_response(done.error(), c.lang);
        Response r = no_content();
        if (fresh) set_browser_cookie(r, browser);
        return r;
      },
      false);
  add(
      "POST", v1 + "/feedback/{token}/sign-in",
      [this](Call& c) {
        const auto [browser, fresh] = browser_of(c.req);
        auto done = feedback_->sign_in(c.token, browser, c.req.remote_address, now_utc());
        if (!done) return error_response(done.error(), c.lang);
        Response r = no_content();
        if (fresh) set_browser_cookie(r, browser);
        return r;
      },
      false);
}

json::object photo_json(const store::Photo& p) {
  return {{"id", p.id},
          {"session_id", p.session_id},
          {"branch_id", p.branch_id ? json::value(*p.branch_id) : json::value(nullptr)},
          {"content_type", p.content_type},
          {"bytes", p.bytes},
          {"url", "/api/v1/photos/" + std::to_string(p.id)},
          {"created_at", iso_instant(p.created_at)}};
}

json::object care_photo_json(const store::CarePhoto& p) {
  return {{"id", p.id},
          {"disbursement_id", p.disbursement_id},
          {"content_type", p.content_type},
          {"bytes", p.bytes},
          {"url", "/api/v1/care-photos/" + std::to_string(p.id)},
          {"created_at", iso_instant(p.created_at)}};
}

void Api::define_photo_routes(const std::string& v1) {
  // The body is the picture itself (not a form): its bytes decide its type.
  add("POST", v1 + "/sessions/{id}/photos", domain::Permission::kSessionsWrite, [this](Call& c) {
    Query q(c.req);
    const auto branch_id = q.id("branch_id");
    if (q.error()) return error_response(*q.error(), c.lang);
    auto photo = photos_->upload(c.who, c.ids[0], branch_id, c.req.body);
    if (!photo) return error_response(photo.error(), c.lang);
    return json_response(201, photo_json(*photo));
  });
  add("GET", v1 + "/sessions/{id}/photos", [this](Call& c) {
    auto photos = photos_->list(c.who, c.ids[0]);
    if (!photos) return error_response(photos.error(), c.lang);
    json::array items;
    for (const auto& p : *photos) items.push_back(photo_json(p));
    const auto total = static_cast<std::int64_t>(items.size());
    return json_response(200, json::object{{"items", std::move(items)}, {"total", total}});
  });
  add("DELETE", v1 + "/sessions/{id}/photos/{id}", domain::Permission::kSessionsWrite,
      [this](Call& c) {
        auto done = photos_->remove(c.who, c.ids[0], c.ids[1]);
        if (!done) return error_response(done.error(), c.lang);
        return no_content();
      });
  add("GET", v1 + "/photos/{id}", [this](Call& c) {
    auto file = photos_->file(c.who, c.ids[0]);
    if (!file) return error_response(file.error(), c.lang);
    // The content never changes under an id: cache for a year, privately (it needs a login).
    return picture_response(std::move(*file), "private, max-age=31536000, immutable",
                            "photo-" + std::to_string(c.ids[0]));
  });

  // --- Photos of a visit (走访慰问, issue 16) ---
  add("POST", v1 + "/disbursements/{id}/photos", domain::Permission::kCareWrite, [this](Call& c) {
    auto photo = photos_->upload_care(c.who, c.ids[0], c.req.body);
    if (!photo) return error_response(photo.error(), c.lang);
    return json_response(201, care_photo_json(*photo));
  });
  add("GET", v1 + "/disbursements/{id}/photos", domain::Permission::kCareRead, [this](Call& c) {
    auto photos = photos_->care_photos(c.who, c.ids[0]);
    if (!photos) return error_response(photos.error(), c.lang);
    json::array items;
    for (const auto& p : *photos) items.push_back(care_photo_json(p));
    const auto total = static_cast<std::int64_t>(items.size());
    return json_response(200, json::object{{"items", std::move(items)}, {"total", total}});
  });
  add("GET", v1 + "/care-photos/{id}", domain::Permission::kCareRead, [this](Call& c) {
    auto file = photos_->care_file(c.who, c.ids[0]);
    if (!file) return error_response(file.error(), c.lang);
    return picture_response(std::move(*file), "private, max-age=31536000, immutable",
                            "care-photo-" + std::to_string(c.ids[0]));
  });

  // --- A lecturer's portrait (宣讲员照片) ---
  add("PUT", v1 + "/lecturers/{id}/photo", [this](Call& c) {
    auto lecturer = photos_->set_portrait(c.who, c.ids[0], c.req.body);
    if (!lecturer) return error_response(lecturer.error(), c.lang);
    return json_response(200, to_json(*lecturer));
  });
  add("DELETE", v1 + "/lecturers/{id}/photo", [this](Call& c) {
    auto done = photos_->remove_portrait(c.who, c.ids[0]);
    if (!done) return error_response(done.error(), c.lang);
    return no_content();
  });
  add("GET", v1 + "/lecturers/{id}/photo", [this](Call& c) {
    auto file = photos_->portrait(c.who, c.ids[0]);
    if (!file) return error_response(file.error(), c.lang);
    // The address carries ?v=<the file's hash> (photo_url), so a new portrait is a new address.
    return picture_response(std::move(*file), "private, max-age=31536000, immutable",
                            "lecturer-" + std::to_string(c.ids[0]));
  });
}

// API tokens: one's own under /auth/tokens, others' (admins, in scope) under /accounts/{id}.
void Api::define_token_routes(const std::string& v1) {
  auto list = [this](const Call& c, Id account_id) {
    auto tokens = tokens_->list(c.who, account_id);
    if (!tokens) return error_response(tokens.error(), c.lang);
    json::array items;
    for (const auto& t : *tokens) items.push_back(to_json(t));
    const auto total = static_cast<std::int64_t>(items.size());
    return json_response(200, json::object{{"items", std::move(items)}, {"total", total}});
  };
  auto revoke = [this](const Call& c, Id account_id, Id token_id) {
    auto done = tokens_->revoke(c.who, account_id, token_id);
    if (!done) return error_response(done.error(), c.lang);
    Response r;
    r.status = 204;
    return r;
  };
  add("GET", v1 + "/auth/tokens", [list](Call& c) { return list(c, c.who.account_id); });
  add("DELETE", v1 + "/auth/tokens/{id}",
      [revoke](Call& c) { return revoke(c, c.who.account_id, c.ids[0]); });
  add("GET", v1 + "/accounts/{id}/tokens", [list](Call& c) { return list(c, c.ids[0]); });
  add("DELETE", v1 + "/accounts/{id}/tokens/{id}",
      [revoke](Call& c) { return revoke(c, c.ids[0], c.ids[1]); });
}

// 导出: a list (or the statistics) as .xlsx or CSV, built in a temporary file that the server
// streams and removes.
void Api::define_export_routes(const std::string& v1) {
  add("GET", v1 + "/exports/{kind}", [this](Call& c) {
    const auto kind = service::parse_export_kind(c.token);
    if (!kind) {
      return error_response(
          Error::not_found({"没有“" + c.token +
                                "”这种导出；可导出 sessions（宣讲场次）、lecturers（宣讲员）、"
                                "orders（宣讲需求）、feedback（评价）、statistics（统计）、"
                                "coverage（覆盖情况）、ranking（宣讲员排行）、"
                                "care_disbursements（帮扶发放明细）、care_report（帮扶统计）",
                            "no export called “" + c.token +
                                "”; the kinds are sessions, lecturers, orders, feedback, "
                                "statistics, coverage, ranking, care_disbursements, care_report"}),
          c.lang);
    }
    Query q(c.req);
    // The app's own language wins over the browser's (a download link sends no header of ours).
    const std::string lang = q.text("lang");
    if (lang == "en") {
      c.lang = Lang::kEn;
    } else if (lang == "zh" || lang == "zh-CN") {
      c.lang = Lang::kZh;
    } else if (!lang.empty()) {
      return error_response(
          Error::bad_request(
              {"查询参数 lang 只能是 zh 或 en", "query parameter lang must be zh or en"}, "lang"),
          c.lang);
    }
    const std::string format_name = q.text("format");
    const auto format = exports::parse_format(format_name.empty() ? "xlsx" : format_name);
    if (!format) {
      return error_response(
          Error::bad_request({"导出格式须为 xlsx（Excel）或 csv", "format must be xlsx or csv"},
                             "format"),
          c.lang);
    }
    service::ExportQuery query;
    query.kind = *kind;
    query.english = c.lang == Lang::kEn;
    // Every filter is judged whatever the kind (a malformed one is refused, not ignored); each
    // kind then takes its list's own.
    query.sessions = session_filter(q, "session_format");
    query.lecturers = lecturer_filter(q);
    // `sort` is the orders' (date, priority) or the ranking's (score, sessions, …).
    if (*kind == service::ExportKind::kRanking) {
      if (auto e = read_ranking_sort(q, query.sort)) return error_response(*e, c.lang);
    } else {
      auto orders = order_filter(q);
      if (!orders) return error_response(orders.error(), c.lang);
      query.orders = std::move(*orders);
    }
    query.organisation_id = q.id("organisation_id");
    query.region_code = q.text("region_code");
    query.session_id = q.id("session_id");
    query.quotes_only = q.boolean("quote").value_or(false);
    query.campaign_id = q.id("campaign_id");
    query.programme_id = q.id("programme_id");
    auto period = period_query(q);
    query.level = q.text("level");
    if (q.error()) return error_response(*q.error(), c.lang);
    if (auto e = read_grain(q, query.grain)) return error_response(*e, c.lang);
    // A statistics export over a period names a period or a campaign set; with neither, the
    // single campaign's. The coverage and the ranking always take theirs, defaulted as their
    // routes default it.
    if (period.from || period.to || !period.campaign_ids.empty() ||
        *kind == service::ExportKind::kCoverage || *kind == service::ExportKind::kRanking) {
      query.period = std::move(period);
    }
    query.today = shanghai_date(now_utc());

    TemporaryFile file;
    auto writer = exports::make_writer(*format, file.path());
    const UnixSeconds now = now_utc();
    auto written = exports_->write(c.who, query, *writer, now);
    writer.reset();
    if (!written) return error_response(written.error(), c.lang);
    const std::string name = service::Exports::file_stem(*kind, query.english, now) + "." +
                             std::string(exports::format_extension(*format));
    const std::string ascii = service::Exports::file_stem(*kind, true, now) + "." +
                              std::string(exports::format_extension(*format));
    Response r;
    r.status = 200;
    r.headers.emplace_back("Content-Type", std::string(exports::format_content_type(*format)));
    r.headers.emplace_back("Content-Disposition", content_disposition(ascii, name));
    r.headers.emplace_back("Cache-Control", "private, no-store");
    r.temporary_file = file.release();
    return r;
  });
}

// 导入: a template per kind, and the upload (the spreadsheet is the body; ?dry_run=true previews).
void Api::define_import_routes(const std::string& v1) {
  using service::ImportKind;
  for (const auto kind :
       {ImportKind::kLecturers, ImportKind::kOrganisations, ImportKind::kSessions}) {
    const std::string name(service::import_kind_name(kind));
    // The role check before the body is read: the service asks the rest (sessions: both).
    const auto needs = kind == ImportKind::kOrganisations ? domain::Permission::kOrganisationsWrite
                                                          : domain::Permission::kLecturersWrite;
    std::string base = v1;
    base.append("/imports/").append(name);
    add("GET", base + "/template", [this, kind, name](Call& c) {
      Query q(c.req);
      const std::string format = q.text("format").empty() ? "xlsx" : q.text("format");
      if (q.error()) return error_response(*q.error(), c.lang);
      if (format != "xlsx" && format != "csv") {
        return error_response(
            Error::bad_request({"format 只能是 xlsx 或 csv", "format must be xlsx or csv"},
                               "format"),
            c.lang);
      }
      auto file = imports_->template_file(
          c.who, kind,
          format == "csv" ? service::TemplateFormat::kCsv : service::TemplateFormat::kXlsx);
      if (!file) return error_response(file.error(), c.lang);
      Response r;
      r.status = 200;
      r.headers.emplace_back("Content-Type", format == "csv"
                                                 ? "text/csv; charset=utf-8"
                                                 : "application/vnd.openxmlformats-officedocument."
                                                   "spreadsheetml.sheet");
      std::string disposition = "attachment; filename=\"";
      disposition.append(name).append("-template.").append(format).append("\"");
      r.headers.emplace_back("Content-Disposition", std::move(disposition));
      r.headers.emplace_back("Cache-Control", "private, no-cache");
      r.body = std::move(*file);
      return r;
    });
    add("POST", base, needs, [this, kind](Call& c) {
      Query q(c.req);
      const bool dry_run = q.boolean("dry_run").value_or(false);
      if (q.error()) return error_response(*q.error(), c.lang);
      auto report = imports_->run(c.who, kind, c.req.body, dry_run);
      if (!report) return error_response(report.error(), c.lang);
      if (dry_run || report->committed)
        return json_response(200, import_report_json(*report, c.lang));
      // Some row is wrong: nothing was written; the report says which rows and why.
      const std::string n = std::to_string(report->error_rows);
      const Message message{n + " 行有错误，未导入任何数据，请修改后重新上传",
                            n + " rows have errors: nothing was imported; correct them and upload "
                                "again"};
      json::object body =
          error_body(Error{ErrorCode::kInvalid, message, "file", {{"file", message}}}, c.lang);
      body["report"] = import_report_json(*report, c.lang);
      return json_response(422, body);
    });
  }
}

// 报道导入 (issue 18): a report's text (JSON) or file (the body, as the spreadsheet imports take
// theirs; ?year=&campaign_id=&file_name=) in, proposals out, nothing saved; then the reviewed
// proposals saved in one transaction.
void Api::define_report_import_routes(const std::string& v1) {
  add("POST", v1 + "/imports/reports", domain::Permission::kSessionsWrite, [this](Call& c) {
    const auto type = c.req.header("content-type").value_or("");
    // The query is read (and refused when wrong) whatever the body: it carries the year and the
    // campaign of a file.
    Query q(c.req);
    const auto query_year = q.id("year");
    const auto query_campaign = q.id("campaign_id");
    if (q.error()) return error_response(*q.error(), c.lang);
    if (query_year && (*query_year < 1990 || *query_year > 2100)) {
      return error_response(
          Error::invalid({{"year", {"年份应在 1990–2100 之间", "the year must be 1990–2100"}}}),
          c.lang);
    }
    ProposeBody body;
    if (type.starts_with("application/json")) {
      auto o = parse_object(c.req.body);
      if (!o) return error_response(o.error(), c.lang);
      if (auto s = from_json(*o, body); !s) return error_response(s.error(), c.lang);
    } else {
      if (!query_year) {
        return error_response(Error::invalid({{"year", {"请选择年份", "the year is required"}}}),
                              c.lang);
      }
      body.year = *query_year;
      body.campaign_id = query_campaign;
      auto text = service::report_text_from_file(c.req.body);
      if (!text) return error_response(text.error(), c.lang);
      body.text = std::move(*text);
    }
    if (body.year < 1990 || body.year > 2100) {
      return error_response(
          Error::invalid({{"year", {"年份应在 1990–2100 之间", "the year must be 1990–2100"}}}),
          c.lang);
    }
    auto preview =
        report_imports_->propose(c.who, body.text, static_cast<int>(body.year), body.campaign_id);
    if (!preview) return error_response(preview.error(), c.lang);
    return json_response(200, report_preview_json(*preview, true));
  });
  add("POST", v1 + "/imports/reports/accept", domain::Permission::kSessionsWrite, [this](Call& c) {
    auto o = parse_object(c.req.body);
    if (!o) return error_response(o.error(), c.lang);
    service::AcceptRequest request;
    if (auto s = from_json(*o, request); !s) return error_response(s.error(), c.lang);
    auto result = report_imports_->accept(c.who, std::move(request));
    if (!result) return error_response(result.error(), c.lang);
    return json_response(result->created.empty() ? 200 : 201, accept_result_json(*result));
  });
  // The stored texts: the reader's subtree, newest first; one with the sessions it gave.
  add("GET", v1 + "/imports/reports", domain::Permission::kSessionsRead, [this](Call& c) {
    Query q(c.req);
    const auto page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    return respond_page(report_imports_->list_sources(c.who, page), c.lang);
  });
  add("GET", v1 + "/imports/reports/{id}", domain::Permission::kSessionsRead, [this](Call& c) {
    auto detail = report_imports_->get_source(c.who, c.ids[0]);
    if (!detail) return error_response(detail.error(), c.lang);
    return json_response(200, report_source_json(*detail));
  });
  add("GET", v1 + "/sessions/{id}/report-source", domain::Permission::kSessionsRead,
      [this](Call& c) {
        auto source = report_imports_->session_source(c.who, c.ids[0]);
        if (!source) return error_response(source.error(), c.lang);
        return json_response(200, session_source_json(*source));
      });
}

// 送温暖 (issue 16): programmes, allocations, disbursements, subsidies, the ledger, and the
// audited reveal of one person's ID number and phone.
void Api::define_care_routes(const std::string& v1) {
  using domain::Permission;
  add("GET", v1 + "/programmes", Permission::kCareRead, [this](Call& c) {
    Query q(c.req);
    store::ProgrammeFilter f;
    f.q = q.text("q");
    const std::string state = q.text("state");
    f.page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    if (!state.empty()) {
      f.state = domain::parse_programme_state(state);
      if (!f.state) {
        return error_response(
            Error::bad_request({"查询参数 state 须为 draft、open 或 closed",
                                "query parameter state is one of draft, open, closed"},
                               "state"),
            c.lang);
      }
    }
    return respond_page(care_->list_programmes(c.who, f), c.lang);
  });
  add("POST", v1 + "/programmes", Permission::kCareWrite, [this](Call& c) {
    domain::CareProgramme p;
    if (auto s = decode(c.req, p); !s) return error_response(s.error(), c.lang);
    return respond(care_->create_programme(c.who, std::move(p)), c.lang, 201);
  });
  add("GET", v1 + "/programmes/{id}", Permission::kCareRead,
      [this](Call& c) { return respond(care_->get_programme(c.who, c.ids[0]), c.lang); });
  add("PATCH", v1 + "/programmes/{id}", Permission::kCareWrite, [this](Call& c) {
    auto body = parse_object(c.req.body);
    if (!body) return error_response(body.error(), c.lang);
    std::optional<std::int64_t> version;
    {
      domain::CareProgramme probe;
      probe.id = c.ids[0];
      if (auto s = from_json(*body, probe, &version); !s) return error_response(s.error(), c.lang);
    }
    return respond_programme(
        c, care_->update_programme(c.who, c.ids[0], version,
                                   [&](domain::CareProgramme& p) { return from_json(*body, p); }));
  });
  for (const auto& [name, action] : {std::pair{"open", domain::ProgrammeAction::kOpen},
                                     std::pair{"close", domain::ProgrammeAction::kClose}}) {
    add("POST", v1 + "/programmes/{id}/" + name, Permission::kCareWrite,
        [this, act = action](Call& c) {
          std::int64_t version = 0;
          if (auto s = decode(c.req, version, nullptr); !s) {
            return error_response(s.error(), c.lang);
          }
          return respond_programme(c, care_->transition(c.who, c.ids[0], version, act));
        });
  }

  // The programme named by a list's required programme_id query parameter.
  auto programme_param = [](Query& q) -> Result<Id> {
    auto id = q.id("programme_id");
    if (q.error()) return *q.error();
    if (!id || *id <= 0) {
      return Error::bad_request(
          {"查询参数 programme_id 不能为空", "query parameter programme_id is required"},
          "programme_id");
    }
    return *id;
  };

  add("GET", v1 + "/allocations", Permission::kCareRead, [this, programme_param](Call& c) {
    Query q(c.req);
    auto programme = programme_param(q);
    const auto page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    if (!programme) return error_response(programme.error(), c.lang);
    return respond_page(care_->list_allocations(c.who, *programme, page), c.lang);
  });
  add("POST", v1 + "/allocations", Permission::kCareWrite, [this](Call& c) {
    domain::CareAllocation a;
    if (auto s = decode(c.req, a); !s) return error_response(s.error(), c.lang);
    return respond(care_->allocate(c.who, std::move(a)), c.lang, 201);
  });

  auto list_disbursements = [this](Call& c, const char* kind) {
    Query q(c.req);
    store::DisbursementFilter f;
    f.programme_id = q.id("programme_id");
    f.beneficiary_id = q.id("beneficiary_id");
    f.beneficiary_kind = kind;
    f.page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    for (const auto& [name, value] : {std::pair{"programme_id", f.programme_id},
                                      std::pair{"beneficiary_id", f.beneficiary_id}}) {
      if (value && *value <= 0) {
        return error_response(Error::bad_request({std::string("查询参数 ") + name + " 必须是正整数",
                                                  std::string("query parameter ") + name +
                                                      " must be a positive integer"},
                                                 name),
                              c.lang);
      }
    }
    return respond_page(care_->list_disbursements(c.who, f), c.lang);
  };
  auto disburse = [this](Call& c, bool unit) {
    service::DisbursementRequest request;
    auto body = parse_object(c.req.body);
    if (!body) return error_response(body.error(), c.lang);
    if (auto s = from_json(*body, request, unit); !s) return error_response(s.error(), c.lang);
    return respond(care_->disburse(c.who, std::move(request)), c.lang, 201);
  };
  add("GET", v1 + "/disbursements", Permission::kCareRead,
      [list_disbursements](Call& c) { return list_disbursements(c, ""); });
  add("POST", v1 + "/disbursements", Permission::kCareWrite,
      [disburse](Call& c) { return disburse(c, false); });
  add("GET", v1 + "/disbursements/{id}", Permission::kCareRead,
      [this](Call& c) { return respond(care_->get_disbursement(c.who, c.ids[0]), c.lang); });
  add("GET", v1 + "/subsidies", Permission::kCareRead,
      [list_disbursements](Call& c) { return list_disbursements(c, "unit"); });
  add("POST", v1 + "/subsidies", Permission::kCareWrite,
      [disburse](Call& c) { return disburse(c, true); });

  add("POST", v1 + "/beneficiaries/{id}/reveal", Permission::kCareReveal,
      [this](Call& c) { return respond(care_->reveal(c.who, c.ids[0]), c.lang); });

  add("GET", v1 + "/ledger", Permission::kCareRead, [this, programme_param](Call& c) {
    Query q(c.req);
    auto programme = programme_param(q);
    if (!programme) return error_response(programme.error(), c.lang);
    auto accounts = care_->ledger(c.who, *programme);
    if (!accounts) return error_response(accounts.error(), c.lang);
    json::array items;
    for (const auto& a : *accounts) items.push_back(to_json(a));
    const auto total = static_cast<std::int64_t>(items.size());
    return json_response(200, json::object{{"items", std::move(items)}, {"total", total}});
  });
  // 帮扶统计: a programme's totals for an organisation's subtree (default the caller's).
  add("GET", v1 + "/programmes/{id}/report", Permission::kCareRead, [this](Call& c) {
    Query q(c.req);
    const auto organisation = q.id("organisation_id");
    if (q.error()) return error_response(*q.error(), c.lang);
    auto report = care_->report(c.who, c.ids[0], organisation);
    if (!report) return error_response(report.error(), c.lang);
    return json_response(200, care_report_json(*report, c.lang));
  });
  add("GET", v1 + "/ledger/accounts/{id}/entries", Permission::kCareRead, [this](Call& c) {
    Query q(c.req);
    const auto page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    return respond_page(care_->ledger_entries(c.who, c.ids[0], page), c.lang);
  });
}

// 电子消费券 (issue 16 point 5): merchants, batches, issue, the till's look-up and redemption;
// and the corrections of the care ledger (reversals). The literal routes under /vouchers come
// before /vouchers/{token}, which is a voucher's code.
void Api::define_voucher_routes(const std::string& v1) {
  using domain::Permission;
  auto body_of = [](Call& c) { return parse_object(c.req.body); };

  add("GET", v1 + "/vouchers/merchants", Permission::kCareRead, [this](Call& c) {
    Query q(c.req);
    const auto page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    return respond_page(vouchers_->list_merchants(c.who, page), c.lang);
  });
  add("POST", v1 + "/vouchers/merchants", Permission::kCareWrite, [this](Call& c) {
    domain::Merchant m;
    if (auto s = decode(c.req, m); !s) return error_response(s.error(), c.lang);
    return respond(vouchers_->create_merchant(c.who, std::move(m)), c.lang, 201);
  });
  add("POST", v1 + "/vouchers/merchants/{id}/accounts", Permission::kCareWrite,
      [this, body_of](Call& c) {
        auto body = body_of(c);
        if (!body) return error_response(body.error(), c.lang);
        Id account = 0;
        if (auto s = from_json_account(*body, account); !s) {
          return error_response(s.error(), c.lang);
        }
        return respond(vouchers_->link_account(c.who, c.ids[0], account), c.lang);
      });
  add("GET", v1 + "/vouchers/batches", Permission::kCareRead, [this](Call& c) {
    Query q(c.req);
    const auto programme = q.id("programme_id");
    const auto page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    if (programme && *programme <= 0) {
      return error_response(Error::bad_request({"查询参数 programme_id 必须是正整数",
                                                "query parameter programme_id must be a "
                                                "positive integer"},
                                               "programme_id"),
                            c.lang);
    }
    return respond_page(vouchers_->list_batches(c.who, programme, page), c.lang);
  });
  add("POST", v1 + "/vouchers/batches", Permission::kCareWrite, [this](Call& c) {
    domain::VoucherBatch b;
    if (auto s = decode(c.req, b); !s) return error_response(s.error(), c.lang);
    return respond(vouchers_->create_batch(c.who, std::move(b)), c.lang, 201);
  });
  add("GET", v1 + "/vouchers/batches/{id}", Permission::kCareRead,
      [this](Call& c) { return respond(vouchers_->get_batch(c.who, c.ids[0]), c.lang); });
  add("POST", v1 + "/vouchers/batches/{id}/issue", Permission::kCareWrite,
      [this, body_of](Call& c) {
        auto body = body_of(c);
        if (!body) return error_response(body.error(), c.lang);
        std::vector<service::IssueTarget> targets;
        if (auto s = from_json(*body, targets); !s) return error_response(s.error(), c.lang);
        auto issued = vouchers_->issue(c.who, c.ids[0], std::move(targets));
        if (!issued) return error_response(issued.error(), c.lang);
        json::array items;
        for (const auto& v : *issued) items.push_back(to_json(v));
        const auto total = static_cast<std::int64_t>(items.size());
        return json_response(201, json::object{{"items", std::move(items)}, {"total", total}});
      });
  add("GET", v1 + "/vouchers/batches/{id}/vouchers", Permission::kCareRead, [this](Call& c) {
    Query q(c.req);
    const auto page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    return respond_page(vouchers_->list_vouchers(c.who, c.ids[0], page), c.lang);
  });
  add("GET", v1 + "/vouchers/issued/{id}", Permission::kCareRead,
      [this](Call& c) { return respond(vouchers_->get_voucher(c.who, c.ids[0]), c.lang); });
  add("GET", v1 + "/vouchers/issued/{id}/qr", Permission::kCareWrite, [this](Call& c) {
    Query q(c.req);
    const std::string format = q.text("format").empty() ? "svg" : q.text("format");
    if (q.error()) return error_response(*q.error(), c.lang);
    if (format != "svg" && format != "png") {
      return error_response(
          Error::bad_request({"format 只能是 svg 或 png", "format must be svg or png"}, "format"),
          c.lang);
    }
    auto v = vouchers_->get_voucher(c.who, c.ids[0]);
    if (!v) return error_response(v.error(), c.lang);
    auto image = format == "svg" ? qr_svg(v->code) : qr_png(v->code);
    if (!image) {
      return error_response(Error{ErrorCode::kInternal, {"二维码生成失败", "no QR code"}, {}, {}},
                            c.lang);
    }
    Response r;
    r.status = 200;
    r.headers.emplace_back("Content-Type", format == "svg" ? "image/svg+xml" : "image/png");
    r.headers.emplace_back("Cache-Control", "private, no-store");
    r.body = std::move(*image);
    return r;
  });
  add("GET", v1 + "/vouchers/redemptions", [this](Call& c) {
    Query q(c.req);
    const auto page = q.page();
    if (q.error()) return error_response(*q.error(), c.lang);
    return respond_page(vouchers_->list_redemptions(c.who, page), c.lang);
  });
  add("GET", v1 + "/vouchers/{token}", Permission::kVoucherRedeem, [this](Call& c) {
    auto found = vouchers_->check(c.who, c.token);
    if (!found) return error_response(found.error(), c.lang);
    return json_response(200, to_json(*found, c.lang));
  });
  add("POST", v1 + "/vouchers/{token}/redeem", Permission::kVoucherRedeem, [this](Call& c) {
    const std::string key(c.req.header("idempotency-key").value_or(""));
    auto answer = vouchers_->redeem(c.who, c.token, key);
    if (!answer) {
      json::object body = error_body(answer.error(), c.lang);
      if (answer.error().code == ErrorCode::kConflict) {
        if (auto done = vouchers_->redeemed(c.token)) {
          body["redeemed"] = {{"at", iso_instant(done->at)}, {"merchant", done->merchant_name}};
        }
      }
      return json_response(status_of(answer.error().code), body);
    }
    json::value out = to_json(answer->redemption);
    out.as_object()["replayed"] = answer->replayed;
    return json_response(answer->replayed ? 200 : 201, out);
  });

  auto reverse = [this, body_of](Call& c, bool disbursement) {
    auto body = body_of(c);
    if (!body) return error_response(body.error(), c.lang);
    std::string reason;
    if (auto s = from_json_reason(*body, reason); !s) return error_response(s.error(), c.lang);
    auto done = disbursement
                    ? corrections_->reverse_disbursement(c.who, c.ids[0], std::move(reason))
                    : corrections_->reverse_allocation(c.who, c.ids[0], std::move(reason));
    if (!done) return error_response(done.error(), c.lang);
    return json_response(201, to_json(*done));
  };
  add("POST", v1 + "/disbursements/{id}/reverse", Permission::kCareWrite,
      [reverse](Call& c) { return reverse(c, true); });
  add("POST", v1 + "/allocations/{id}/reverse", Permission::kCareWrite,
      [reverse](Call& c) { return reverse(c, false); });
}

}  // namespace

std::string content_disposition(std::string_view ascii_name, std::string_view name) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string encoded;
  for (const char ch : name) {
    const auto b = static_cast<unsigned char>(ch);
    const bool plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
                       ch == '.' || ch == '_' || ch == '-';
    if (plain) {
      encoded += ch;
    } else {
      encoded += '%';
      encoded += kHex[b >> 4];
      encoded += kHex[b & 0x0F];
    }
  }
  std::string fallback;
  for (const char ch : ascii_name) {
    const auto b = static_cast<unsigned char>(ch);
    fallback += b >= 0x20 && b < 0x7F && ch != '"' && ch != '\\' ? ch : '_';
  }
  return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

std::size_t body_limit_for(std::string_view method, std::string_view path) {
  // POST /api/v1/sessions/{id}/photos and PUT /api/v1/lecturers/{id}/photo carry a picture;
  // everything else is small JSON.
  if (method == "POST" && path.starts_with("/api/v1/sessions/") && path.ends_with("/photos")) {
    return service::kMaxPhotoBytes;
  }
  if (method == "POST" && path.starts_with("/api/v1/disbursements/") && path.ends_with("/photos")) {
    return service::kMaxPhotoBytes;
  }
  if (method == "PUT" && path.starts_with("/api/v1/lecturers/") && path.ends_with("/photo")) {
    return service::kMaxPhotoBytes;
  }
  if (method == "POST" && path.starts_with("/api/v1/imports/")) return service::kMaxImportBytes;
  return std::size_t{1} << 20;
}

unsigned status_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalid:
      return 422;
    case ErrorCode::kBadRequest:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kGone:
      return 410;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

AsyncHandler make_api(const Services& services, ApiOptions options) {
  auto api = std::make_shared<Api>(services, std::move(options));
  return [api](const Request& req, const Reply& reply) { api->handle(req, reply); };
}

std::vector<std::pair<std::string, std::string>> api_routes() {
  std::vector<std::pair<std::string, std::string>> out;
  const Api api(Services{}, {});
  for (const auto& r : api.routes()) out.emplace_back(r.method, r.pattern);
  return out;
}

}  // namespace xj::http
