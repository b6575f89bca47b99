#include "service/photos.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "domain/image.hpp"
#include "service/rules.hpp"

namespace xj::service {

using namespace detail;  // NOLINT(google-build-using-namespace): the service's own rules

namespace {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> out{};
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string hex;
  for (const unsigned char b : out) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  return hex;
}

std::string_view extension_of(const std::string& content_type) {
  return content_type == "image/png" ? ".png" : ".jpg";
}

}  // namespace

Result<std::string> Photos::picture_type(std::string_view bytes, std::vector<FieldError>& errors) {
  if (bytes.size() > kMaxPhotoBytes) {
    return Error{ErrorCode::kPayloadTooLarge,
                 {"照片不能超过 10 MB", "a photo must be at most 10 MB"},
                 "photo",
                 {}};
  }
  if (bytes.empty()) {
    add(errors, "photo", "照片是空的", "the photo is empty");
    return std::string();
  }
  auto image = domain::inspect_image(bytes);
  if (!image) {
    const Error refused = std::move(image).error();
    errors.insert(errors.end(), refused.details.begin(), refused.details.end());
    return std::string();
  }
  return std::string(domain::content_type_of(image->type));
}

void Photos::drop_file_if_unused(const std::string& sha256, const std::string& content_type) {
  store::Tx tx = store_.write();
  if (tx.photos_with(sha256) == 0) files_.remove(sha256, extension_of(content_type));
  tx.commit();
}

Result<store::Photo> Photos::upload(const Principal& who, Id session_id,
                                    std::optional<Id> branch_id, std::string_view bytes) {
  if (auto s = require(who, Permission::kSessionsWrite); !s) return std::move(s).error();
  std::vector<FieldError> errors;
  auto type = picture_type(bytes, errors);
  if (!type) return std::move(type).error();
  // Checked before anything is written: a refused upload leaves nothing behind.
  {
    store::Tx tx = store_.read();
    auto s = tx.session(session_id);
    if (!s || !session_visible(who, *s)) return Error::not_found();
    if (branch_id && std::none_of(s->branches.begin(), s->branches.end(),
                                  [&](const auto& br) { return br.id == *branch_id; })) {
      add(errors, "branch_id", "分会场不属于这场宣讲", "no such branch venue of this session");
    }
  }
  if (!errors.empty()) return invalid_or(std::move(errors));
  store::Photo p;
  p.session_id = session_id;
  p.branch_id = branch_id;
  p.sha256 = sha256_hex(bytes);
  p.content_type = *type;
  p.bytes = static_cast<std::int64_t>(bytes.size());
  p.created_by = who.account_id;
  p.created_at = now_utc();
  // The file is written under the write lock, so that a concurrent removal of the last photo
  // with the same content cannot delete it between the write and the row.
  store::Tx tx = store_.write();
  files_.put(p.sha256, extension_of(p.content_type), bytes);
  p.id = tx.insert_photo(p);
  audit(tx, who, "upload", "photo", p.id, "session " + std::to_string(session_id));
  tx.commit();
  return p;
}

Result<std::vector<store::Photo>> Photos::list(const Principal& who, Id session_id) {
  if (auto s = require(who, Permission::kSessionsRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto s = tx.session(session_id);
  if (!s || !session_visible(who, *s)) return Error::not_found();
  return tx.photos(session_id);
}

Result<Photos::File> Photos::file(const Principal& who, Id photo_id) {
  if (auto s = require(who, Permission::kSessionsRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto p = tx.photo(photo_id);
  if (!p) return Error::not_found();
  auto s = tx.session(p->session_id);
  if (!s || !session_visible(who, *s)) return Error::not_found();
  auto bytes = files_.get(p->sha256, extension_of(p->content_type));
  if (!bytes) return Error::not_found({"照片文件缺失", "the photo's file is missing"});
  return File{p->content_type, p->sha256, std::move(*bytes)};
}

Result<void> Photos::remove(const Principal& who, Id session_id, Id photo_id) {
  if (auto s = require(who, Permission::kSessionsWrite); !s) return std::move(s).error();
  store::Photo removed;
  {
    store::Tx tx = store_.write();
    auto p = tx.photo(photo_id);
    if (!p || p->session_id != session_id) return Error::not_found();
    auto s = tx.session(session_id);
    if (!s || !session_visible(who, *s)) return Error::not_found();
    tx.delete_photo(photo_id);
    audit(tx, who, "delete", "photo", photo_id, "session " + std::to_string(session_id));
    tx.commit();
    removed = *p;
  }
  // The file goes only if nothing names it any more, judged under the write lock (uploads write
  // files under it too).
  drop_file_if_unused(removed.sha256, removed.content_type);
  return {};
}

Result<domain::Lecturer> Photos::portrait_owner(store::Tx& tx, const Principal& who,
                                                Id lecturer_id) {
  if (!own_lecturer_record(who, lecturer_id)) {
    if (auto s = require(who, Permission::kLecturersWrite); !s) return std::move(s).error();
  }
  const auto path = tx.lecturer_organisation_path(lecturer_id);
  if (!path || !lecturer_visible(who, lecturer_id, *path)) return Error::not_found();
  return *tx.lecturer(lecturer_id);
}

Result<domain::Lecturer> Photos::set_portrait(const Principal& who, Id lecturer_id,
                                              std::string_view bytes) {
  {
    store::Tx tx = store_.read();
    if (auto l = portrait_owner(tx, who, lecturer_id); !l) return std::move(l).error();
  }
  std::vector<FieldError> errors;
  auto type = picture_type(bytes, errors);
  if (!type) return std::move(type).error();
  if (!errors.empty()) return invalid_or(std::move(errors));
  const std::string sha = sha256_hex(bytes);
  domain::Lecturer before;
  {
    store::Tx tx = store_.write();
    auto l = portrait_owner(tx, who, lecturer_id);
    if (!l) return std::move(l).error();
    before = *l;
    files_.put(sha, extension_of(*type), bytes);
    tx.set_lecturer_photo(lecturer_id, sha, *type);
    audit(tx, who, "set_photo", "lecturer", lecturer_id, l->name);
    tx.commit();
  }
  if (!before.photo_sha256.empty() && before.photo_sha256 != sha) {
    drop_file_if_unused(before.photo_sha256, before.photo_type);
  }
  store::Tx tx = store_.read();
  return *tx.lecturer(lecturer_id);
}

Result<void> Photos::remove_portrait(const Principal& who, Id lecturer_id) {
  domain::Lecturer before;
  {
    store::Tx tx = store_.write();
    auto l = portrait_owner(tx, who, lecturer_id);
    if (!l) return std::move(l).error();
    if (l->photo_sha256.empty()) return Error::not_found({"没有照片", "no photo"});
    before = *l;
    tx.set_lecturer_photo(lecturer_id, "", "");
    audit(tx, who, "delete_photo", "lecturer", lecturer_id, l->name);
    tx.commit();
  }
  drop_file_if_unused(before.photo_sha256, before.photo_type);
  return {};
}

Result<Photos::File> Photos::portrait(const Principal& who, Id lecturer_id) {
  if (auto s = require(who, Permission::kLecturersRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  const auto path = tx.lecturer_organisation_path(lecturer_id);
  if (!path || !lecturer_visible(who, lecturer_id, *path)) return Error::not_found();
  const auto l = tx.lecturer(lecturer_id);
  if (l->photo_sha256.empty()) return Error::not_found({"没有照片", "no photo"});
  auto bytes = files_.get(l->photo_sha256, extension_of(l->photo_type));
  if (!bytes) return Error::not_found({"照片文件缺失", "the photo's file is missing"});
  return File{l->photo_type, l->photo_sha256, std::move(*bytes)};
}

// --- Photos of visits ---------------------------------------------------------------------

Result<store::CarePhoto> Photos::upload_care(const Principal& who, Id disbursement_id,
                                             std::string_view bytes) {
  if (auto s = require(who, Permission::kCareWrite); !s) return std::move(s).error();
  std::vector<FieldError> errors;
  auto type = picture_type(bytes, errors);
  if (!type) return std::move(type).error();
  {
    store::Tx tx = store_.read();
    auto d = tx.care_disbursement(disbursement_id);
    if (!d || !domain::in_scope(who, d->organisation_path)) return Error::not_found();
  }
  if (!errors.empty()) return invalid_or(std::move(errors));
  store::CarePhoto p;
  p.disbursement_id = disbursement_id;
  p.sha256 = sha256_hex(bytes);
  p.content_type = *type;
  p.bytes = static_cast<std::int64_t>(bytes.size());
  p.created_by = who.account_id;
  p.created_at = now_utc();
  // Under the write lock, as for a session's photo.
  store::Tx tx = store_.write();
  files_.put(p.sha256, extension_of(p.content_type), bytes);
  p.id = tx.insert_care_photo(p);
  audit(tx, who, "upload", "care_photo", p.id, "disbursement " + std::to_string(disbursement_id));
  tx.commit();
  return p;
}

Result<std::vector<store::CarePhoto>> Photos::care_photos(const Principal& who,
                                                          Id disbursement_id) {
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto d = tx.care_disbursement(disbursement_id);
  if (!d || !domain::in_scope(who, d->organisation_path)) return Error::not_found();
  return tx.care_photos(disbursement_id);
}

Result<Photos::File> Photos::care_file(const Principal& who, Id photo_id) {
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto p = tx.care_photo(photo_id);
  if (!p) return Error::not_found();
  auto d = tx.care_disbursement(p->disbursement_id);
  if (!d || !domain::in_scope(who, d->organisation_path)) return Error::not_found();
  auto bytes = files_.get(p->sha256, extension_of(p->content_type));
  if (!bytes) return Error::not_found({"照片文件缺失", "the photo's file is missing"});
  return File{p->content_type, p->sha256, std::move(*bytes)};
}

}  // namespace xj::service
