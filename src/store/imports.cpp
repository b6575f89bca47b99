// The store's share of imports: finding a record by the natural key a spreadsheet row carries.
#include "core/time.hpp"
#include "store/store.hpp"

namespace xj::store {

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

}  // namespace xj::store
