// xuanjiang export KIND: what GET /api/v1/exports/{kind} answers, written to a file, as an
// account sees it (--as) or, by default, as an admin of the whole tree.
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "service/exports.hpp"

namespace xj::cli {

namespace {

struct Options {
  std::string db = default_db();
  std::string kind;
  std::string format = "xlsx";
  std::string out;
  std::string as;
  std::string lang = "zh";
  Id campaign_id = 0;
  Id organisation_id = 0;
  std::string region_code;
  std::string session_format;
  std::string audience_group;
  Id lecturer_id = 0;
  std::string date_from;
  std::string date_to;
  std::string search;
  std::vector<std::string> states;
  std::string category;
  std::string topic;
  std::string active;
  Id session_id = 0;
  bool quotes_only = false;
  std::string from;
  std::string to;
  std::vector<Id> campaign_ids;
  std::string grain;
  std::string level;
  std::string sort;
  Id programme_id = 0;
};

std::optional<Id> given(Id id) { return id > 0 ? std::optional<Id>(id) : std::nullopt; }

std::optional<Date> date_option(const std::string& name, const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto d = Date::parse(text);
  if (!d) throw CommandFailed(name + " must be a date YYYY-MM-DD");
  return d;
}

// The account named by --as, or an admin at the root of the tree.
domain::Principal principal_of(store::Store& store, const std::string& login) {
  store::Tx tx = store.read();
  if (!login.empty()) {
    const auto credentials = tx.credentials(login);
    auto who = credentials ? tx.principal(credentials->account.id) : std::nullopt;
    if (!who) throw CommandFailed("no account " + login);
    return *who;
  }
  store::OrganisationFilter any;
  any.page.page_size = 1;
  auto page = tx.organisations(any);
  if (page.items.empty()) throw CommandFailed("the database has no organisations (run init)");
  domain::Organisation root = page.items.front();
  while (root.parent_id) {
    auto parent = tx.organisation(*root.parent_id);
    if (!parent) break;
    root = std::move(*parent);
  }
  domain::Principal who;
  who.username = "command line";
  who.role = domain::Role::kAdmin;
  who.organisation_id = root.id;
  who.organisation_path = root.path;
  return who;
}

service::ExportQuery query_of(const Options& o, service::ExportKind kind) {
  service::ExportQuery q;
  q.kind = kind;
  q.english = o.lang == "en";
  q.organisation_id = given(o.organisation_id);
  q.region_code = o.region_code;
  const std::string prefix = store::region_prefix(o.region_code);
  const auto from = date_option("--date-from", o.date_from);
  const auto to = date_option("--date-to", o.date_to);

  auto& s = q.sessions;
  s.campaign_id = given(o.campaign_id);
  s.region_prefix = prefix;
  if (!o.session_format.empty()) {
    s.format = domain::parse_format(o.session_format);
    if (!s.format) throw CommandFailed("--session-format is one of offline, online, hybrid");
  }
  s.audience_group = o.audience_group;
  s.lecturer_id = given(o.lecturer_id);
  s.date_from = from;
  s.date_to = to;
  s.q = o.search;

  auto& r = q.orders;
  for (const auto& name : o.states) {
    const auto st = domain::parse_state(name);
    if (!st) throw CommandFailed("unknown order state " + name);
    r.states.push_back(*st);
  }
  r.campaign_id = given(o.campaign_id);
  r.region_prefix = prefix;
  r.lecturer_id = given(o.lecturer_id);
  r.date_from = from;
  r.date_to = to;
  r.q = o.search;

  auto& l = q.lecturers;
  l.q = o.search;
  l.category = o.category;
  l.region_prefix = prefix;
  l.topic = o.topic;
  if (o.active == "true") l.active = true;
  if (o.active == "false") l.active = false;

  if (!o.from.empty() || !o.to.empty() || !o.campaign_ids.empty() ||
      kind == service::ExportKind::kCoverage || kind == service::ExportKind::kRanking) {
    service::PeriodQuery period;
    period.from = date_option("--from", o.from);
    period.to = date_option("--to", o.to);
    period.organisation_id = q.organisation_id;
    period.campaign_ids = o.campaign_ids;
    q.period = std::move(period);
  }
  if (!o.grain.empty()) {
    const auto grain = domain::parse_grain(o.grain);
    if (!grain) throw CommandFailed("--grain is week or month");
    q.grain = *grain;
  }
  q.level = o.level;
  if (!o.sort.empty()) {
    const auto sort = service::parse_ranking_sort(o.sort);
    if (!sort) throw CommandFailed("--sort is score, sessions, audience, rating or acceptance");
    q.sort = *sort;
  }
  q.today = shanghai_date(now_utc());
  q.session_id = given(o.session_id);
  q.quotes_only = o.quotes_only;
  q.campaign_id = given(o.campaign_id);
  q.programme_id = given(o.programme_id);
  return q;
}

}  // namespace

void add_export_command(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "export",
      "Export sessions, lecturers, orders, feedback, statistics, coverage, the lecturer "
      "ranking or a care programme's disbursements or report to .xlsx or CSV");
  cmd->add_option("kind", opt->kind,
                  "sessions, lecturers, orders, feedback, statistics, coverage, ranking, "
                  "care_disbursements or care_report")
      ->required();
  cmd->add_option("--db", opt->db, "SQLite file or postgresql:// URL (or $XJ_DB)")
      ->capture_default_str();
  cmd->add_option("--format", opt->format, "xlsx or csv")->capture_default_str();
  cmd->add_option("-o,--output", opt->out, "The file to write")->required();
  cmd->add_option("--as", opt->as, "Export what this account sees (default: the whole tree)");
  cmd->add_option("--lang", opt->lang, "zh or en: headers and names")->capture_default_str();
  cmd->add_option("--campaign-id", opt->campaign_id, "Campaign (statistics: required)");
  cmd->add_option("--organisation-id", opt->organisation_id, "Organisation subtree");
  cmd->add_option("--region-code", opt->region_code, "GB/T 2260 region");
  cmd->add_option("--session-format", opt->session_format, "offline, online or hybrid");
  cmd->add_option("--audience-group", opt->audience_group, "Audience group code");
  cmd->add_option("--lecturer-id", opt->lecturer_id, "Lecturer");
  cmd->add_option("--date-from", opt->date_from, "YYYY-MM-DD");
  cmd->add_option("--date-to", opt->date_to, "YYYY-MM-DD");
  cmd->add_option("-q,--search", opt->search, "Text to search for");
  cmd->add_option("--state", opt->states, "Order states (orders)");
  cmd->add_option("--category", opt->category, "Lecturer category code (lecturers)");
  cmd->add_option("--topic", opt->topic, "Topic code (lecturers)");
  cmd->add_option("--active", opt->active, "true or false (lecturers)");
  cmd->add_option("--session-id", opt->session_id, "Session (feedback: required)");
  cmd->add_flag("--quote", opt->quotes_only, "Quotes only (feedback)");
  cmd->add_option("--from", opt->from,
                  "First day, YYYY-MM-DD (statistics over a period, coverage, ranking)");
  cmd->add_option("--to", opt->to,
                  "Last day, YYYY-MM-DD (statistics over a period, coverage, ranking)");
  cmd->add_option("--campaign-ids", opt->campaign_ids,
                  "Campaigns (statistics over a period, coverage, ranking)")
      ->delimiter(',');
  cmd->add_option("--grain", opt->grain, "week or month (coverage)");
  cmd->add_option("--level", opt->level, "league or county (coverage)");
  cmd->add_option("--sort", opt->sort, "score, sessions, audience, rating or acceptance (ranking)");
  cmd->add_option("--programme-id", opt->programme_id,
                  "Care programme (care_disbursements, care_report: required)");
  cmd->callback([opt] {
    const auto kind = service::parse_export_kind(opt->kind);
    if (!kind) {
      throw CommandFailed("unknown kind " + opt->kind +
                          " (sessions, lecturers, orders, feedback, statistics, coverage, ranking, "
                          "care_disbursements, care_report)");
    }
    const auto format = exports::parse_format(opt->format);
    if (!format) throw CommandFailed("--format is xlsx or csv");
    if (opt->lang != "zh" && opt->lang != "en") throw CommandFailed("--lang is zh or en");
    const auto query = query_of(*opt, *kind);

    auto store = store::Store::open(opt->db);
    const auto who = principal_of(*store, opt->as);
    service::Records records(*store);
    service::Workflow workflow(*store, {});
    service::Feedback feedback(*store, {});
    service::Statistics statistics(*store);
    service::Scorecards scorecards(*store);
    service::Exports exports(*store, records, workflow, feedback, statistics, scorecards);

    // Written beside the target and renamed over it: a failed export leaves no half file.
    const std::string partial = opt->out + ".partial";
    auto writer = exports::make_writer(*format, partial);
    auto done = exports.write(who, query, *writer, now_utc());
    writer.reset();
    if (!done) {
      std::error_code ignored;
      std::filesystem::remove(partial, ignored);
      throw CommandFailed(done.error().message.en);
    }
    std::filesystem::rename(partial, opt->out);
  });
}

}  // namespace xj::cli
