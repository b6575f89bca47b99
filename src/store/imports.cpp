// The store's share of imports: finding a record by the natural key a spreadsheet row carries.
#include "store/store.hpp"

namespace xj::store {

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

}  // namespace xj::store
