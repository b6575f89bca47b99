// Result<T>: the return type of every operation that can fail in an expected way (validation,
// not found, conflict, forbidden). Exceptions are kept for bugs and resource exhaustion.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace xj {

// Each code maps to exactly one HTTP status (http/errors.cpp holds that table).
enum class ErrorCode {
  kInvalid,           // a field fails validation; `details` lists every failing field
  kBadRequest,        // malformed request: bad JSON, wrong type, unknown field, bad UTF-8
  kUnauthenticated,   // no or expired credentials, wrong password
  kForbidden,         // authenticated, but the role may not do this
  kNotFound,          // no such record, or the record is outside the caller's scope
  kMethodNotAllowed,  // the route exists, the method does not
  kConflict,          // the request contradicts the current state (duplicate, stale version)
  kGone,              // existed, but is closed for good (a feedback form after its deadline)
  kPayloadTooLarge,   // the body is over the size limit
  kTooManyRequests,   // rate limited or locked out for a while
  kInternal,          // a bug or an unavailable resource; never caused by input alone
};

// Stable machine-readable name of a code, as sent in the API ("invalid", "not_found", ...).
const char* code_name(ErrorCode code);

// A user-facing message in both UI languages; the HTTP layer picks one per request.
struct Message {
  std::string zh;
  std::string en;
};

struct FieldError {
  std::string field;
  Message message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  Message message;
  std::string field;                // the offending field, if one
  std::vector<FieldError> details;  // for kInvalid: every field error at once

  static Error invalid(std::vector<FieldError> errors);
  static Error bad_request(Message message, std::string field = {});
  static Error not_found(Message message = {"记录不存在", "record not found"});
  static Error forbidden(Message message = {"没有权限执行此操作",
                                            "you are not allowed to do this"});
  static Error conflict(Message message, std::string field = {});
  static Error unauthenticated(Message message = {"请先登录", "please log in"});
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok()
  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace xj
