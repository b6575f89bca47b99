// The store's share of imports: finding a record by the natural key a spreadsheet row carries.
#include "store/store.hpp"

namespace xj::store {

std::optional<Id> Tx::session_by_key(Date date, Id host, const std::string& venue, Id lecturer) {
  // sessions_date (date, id) narrows to the day; a day holds a handful of sessions.
  auto rows =
      q("SELECT s.id FROM sessions s JOIN session_lecturers l ON l.session_id = s.id "
        "WHERE s.date = ? AND s.host_organisation_id = ? AND s.venue = ? AND l.lecturer_id = ? "
        "ORDER BY s.id LIMIT 1",
        {date.iso(), host, venue, lecturer});
  if (rows.empty()) return std::nullopt;
  return rows[0].integer(0);
}

}  // namespace xj::store
