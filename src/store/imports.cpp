// The store's share of imports: finding a record by the natural key a spreadsheet row carries.
#include "core/time.hpp"
#include "store/query.hpp"
#include "store/store.hpp"

namespace xj::store {

using detail::Where;
using sql::Row;
using sql::Value;

std::optional<Id> Tx::session_by_key(Date date, Id host, const std::string& venue, Id lecturer) {
  // The day narrows first (sessions_date): a day holds a handful of sessions. Joined the other
  // way round, a planner may start from the lecturer's index and walk every session they gave,
  // which made a large import quadratic.
  auto rows =
      q("SELECT s.id FROM sessions s WHERE s.date = ? AND s.host_organisation_id = ? "
        "AND s.venue = ? AND EXISTS (SELECT 1 FROM session_lecturers l "
        "WHERE l.session_id = s.id AND l.lecturer_id = ?) ORDER BY s.id LIMIT 1",
        {date.iso(), host, venue, lecturer});
  if (rows.empty()) return std::nullopt;
  return rows[0].integer(0);
}

std::optional<Id> Tx::session_by_lecturer_day(Date date, const std::string& venue, Id lecturer) {
  // The day first (sessions_date), as session_by_key does.
  auto rows =
      q("SELECT s.id FROM sessions s WHERE s.date = ? AND s.venue = ? AND EXISTS (SELECT 1 FROM "
        "session_lecturers l WHERE l.session_id = s.id AND l.lecturer_id = ?) ORDER BY s.id "
        "LIMIT 1",
        {date.iso(), venue, lecturer});
  if (rows.empty()) return std::nullopt;
  return rows[0].integer(0);
}

Id Tx::insert_report_source(const ReportSource& source) {
  const auto path = q("SELECT path FROM organisations WHERE id = ?", {source.organisation_id});
  Value campaign = nullptr;
  if (source.campaign_id) campaign = *source.campaign_id;
  Value by = nullptr;
  if (source.created_by) by = *source.created_by;
  return insert_returning_id(
      "INSERT INTO report_sources (organisation_id, organisation_path, file_name, year, "
      "campaign_id, text, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {source.organisation_id, path.empty() ? std::string{} : path[0].text(0), source.file_name,
       static_cast<std::int64_t>(source.year), campaign, source.text, by, now_utc()});
}

void Tx::link_report_session(Id session_id, Id report_source_id, std::int64_t sentence_begin,
                             std::int64_t sentence_end) {
  x("INSERT INTO report_source_sessions (session_id, report_source_id, sentence_begin, "
    "sentence_end) VALUES (?, ?, ?, ?)",
    {session_id, report_source_id, sentence_begin, sentence_end});
}

namespace {

constexpr const char* kSourceColumns =
    "r.id, r.organisation_id, r.file_name, r.year, r.campaign_id, r.created_by, r.created_at, "
    "COALESCE(a.display_name, ''), COALESCE(o.name, ''), (SELECT COUNT(*) FROM "
    "report_source_sessions "
    "l WHERE l.report_source_id = r.id)";
constexpr const char* kSourceFrom =
    " FROM report_sources r LEFT JOIN accounts a ON a.id = r.created_by "
    "LEFT JOIN organisations o ON o.id = r.organisation_id";

ReportSource source_from(const Row& r) {
  ReportSource s;
  s.id = r.integer(0);
  s.organisation_id = r.integer(1);
  s.file_name = r.text(2);
  s.year = static_cast<int>(r.integer(3));
  s.campaign_id = r.opt_integer(4);
  s.created_by = r.opt_integer(5);
  s.created_at = r.integer(6);
  s.created_by_name = r.text(7);
  s.organisation_name = r.text(8);
  s.sessions = r.integer(9);
  return s;
}

ReportSourceSession link_from(const Row& r) {
  ReportSourceSession l;
  l.session_id = r.integer(0);
  l.report_source_id = r.integer(1);
  l.sentence_begin = r.integer(2);
  l.sentence_end = r.integer(3);
  l.title = r.text(4);
  l.date = Date::parse(r.text(5)).value_or(Date{});
  l.venue = r.text(6);
  return l;
}

constexpr const char* kLinkSelect =
    "SELECT l.session_id, l.report_source_id, l.sentence_begin, l.sentence_end, s.title, s.date, "
    "s.venue FROM report_source_sessions l JOIN sessions s ON s.id = l.session_id ";

}  // namespace

Page<ReportSource> Tx::report_sources(const std::string& scope_path, PageRequest page) {
  Where w;
  w.subtree("r.organisation_path", scope_path);
  Page<ReportSource> out;
  out.total =
      conn_->query("SELECT COUNT(*) FROM report_sources r" + w.sql(), w.params()).at(0).integer(0);
  for (const Row& r : conn_->query(std::string("SELECT ") + kSourceColumns + kSourceFrom + w.sql() +
                                       " ORDER BY r.id DESC LIMIT ? OFFSET ?",
                                   w.params_with_page(page))) {
    out.items.push_back(source_from(r));
  }
  return out;
}

std::optional<ReportSource> Tx::report_source(Id id) {
  auto rows = q(
      std::string("SELECT ") + kSourceColumns + ", r.text" + kSourceFrom + " WHERE r.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  auto s = source_from(rows[0]);
  s.text = rows[0].text(10);
  return s;
}

std::optional<std::string> Tx::report_source_path(Id id) {
  auto rows = q("SELECT organisation_path FROM report_sources WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return rows[0].text(0);
}

std::vector<ReportSourceSession> Tx::report_source_sessions(Id report_source_id) {
  std::vector<ReportSourceSession> out;
  for (const Row& r : q(std::string(kLinkSelect) +
                            "WHERE l.report_source_id = ? ORDER BY l.sentence_begin, l.session_id",
                        {report_source_id})) {
    out.push_back(link_from(r));
  }
  return out;
}

std::optional<ReportSourceSession> Tx::session_report_source(Id session_id) {
  auto rows = q(std::string(kLinkSelect) + "WHERE l.session_id = ?", {session_id});
  if (rows.empty()) return std::nullopt;
  return link_from(rows[0]);
}

}  // namespace xj::store
