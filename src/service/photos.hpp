// Photos of sessions (现场照片) and lecturers' portraits (宣讲员照片): JPEG or PNG up to 10 MB and
// 50 megapixels, the type judged by walking the content's structure (domain/image.hpp; never by
// the name or the header the client sends), kept once per
// content under the data folder and served with their type and long caching. Removing a photo
// removes its file only when no other photo or portrait is the same file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "store/files.hpp"
#include "store/store.hpp"

namespace xj::service {

using domain::Principal;

constexpr std::size_t kMaxPhotoBytes = std::size_t{10} * 1024 * 1024;

class Photos {
 public:
  Photos(store::Store& store, std::filesystem::path root)
      : store_(store), files_(std::move(root)) {}

  Result<store::Photo> upload(const Principal& who, Id session_id, std::optional<Id> branch_id,
                              std::string_view bytes);
  Result<std::vector<store::Photo>> list(const Principal& who, Id session_id);
  struct File {
    std::string content_type;
    std::string sha256;
    std::string bytes;
  };
  Result<File> file(const Principal& who, Id photo_id);
  Result<void> remove(const Principal& who, Id session_id, Id photo_id);

  // A lecturer's portrait. Set and removed by whoever may edit the lecturer, and by the lecturer
  // themself; read by whoever may see the lecturer (not found when there is none).
  Result<domain::Lecturer> set_portrait(const Principal& who, Id lecturer_id,
                                        std::string_view bytes);
  Result<void> remove_portrait(const Principal& who, Id lecturer_id);
  Result<File> portrait(const Principal& who, Id lecturer_id);

  // Photos of a visit (走访慰问, issue 16): added with care.write to a payment made in the
  // caller's subtree, seen with care.read there (not found elsewhere). Audited like the others.
  Result<store::CarePhoto> upload_care(const Principal& who, Id disbursement_id,
                                       std::string_view bytes);
  Result<std::vector<store::CarePhoto>> care_photos(const Principal& who, Id disbursement_id);
  Result<File> care_file(const Principal& who, Id photo_id);

 private:
  // Too big: the error. Empty or not a whole JPEG/PNG of at most 50 megapixels: "" and the
  // reason added to `errors`. Otherwise the picture's type.
  static Result<std::string> picture_type(std::string_view bytes, std::vector<FieldError>& errors);
  // The lecturer, when `who` may change their portrait.
  static Result<domain::Lecturer> portrait_owner(store::Tx& tx, const Principal& who,
                                                 Id lecturer_id);
  // Removes the file unless a photo or a portrait still names it (under the write lock).
  void drop_file_if_unused(const std::string& sha256, const std::string& content_type);

  store::Store& store_;
  store::FileStore files_;
};

}  // namespace xj::service
