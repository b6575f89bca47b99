// Photos of visits (走访慰问, issue 16): rows naming files of the photo store (service/photos).
#include "store/query.hpp"
#include "store/store.hpp"

namespace xj::store {

using detail::opt;
using sql::Row;

namespace {

constexpr const char* kCarePhotoColumns =
    "SELECT id, disbursement_id, sha256, content_type, bytes, created_by, created_at "
    "FROM care_photos";

CarePhoto care_photo_from(const Row& r) {
  CarePhoto p;
  p.id = r.integer(0);
  p.disbursement_id = r.integer(1);
  p.sha256 = r.text(2);
  p.content_type = r.text(3);
  p.bytes = r.integer(4);
  p.created_by = r.opt_integer(5);
  p.created_at = r.integer(6);
  return p;
}

}  // namespace

Id Tx::insert_care_photo(const CarePhoto& p) {
  return insert_returning_id(
      "INSERT INTO care_photos (disbursement_id, sha256, content_type, bytes, created_by, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      {p.disbursement_id, p.sha256, p.content_type, p.bytes, opt(p.created_by),
       p.created_at != 0 ? p.created_at : now_utc()});
}

std::optional<CarePhoto> Tx::care_photo(Id id) {
  auto rows = q(std::string(kCarePhotoColumns) + " WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return care_photo_from(rows[0]);
}

std::vector<CarePhoto> Tx::care_photos(Id disbursement_id) {
  std::vector<CarePhoto> out;
  for (const Row& r : q(std::string(kCarePhotoColumns) + " WHERE disbursement_id = ? ORDER BY id",
                        {disbursement_id})) {
    out.push_back(care_photo_from(r));
  }
  return out;
}

}  // namespace xj::store
