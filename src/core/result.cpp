#include "core/result.hpp"

namespace xj {

const char* code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalid:
      return "invalid";
    case ErrorCode::kBadRequest:
      return "bad_request";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kMethodNotAllowed:
      return "method_not_allowed";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kGone:
      return "gone";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::kTooManyRequests:
      return "too_many_requests";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

Error Error::invalid(std::vector<FieldError> errors) {
  Error e;
  e.code = ErrorCode::kInvalid;
  e.message = {"提交的内容有误，请检查标出的字段", "some fields are invalid"};
  if (!errors.empty()) e.field = errors.front().field;
  e.details = std::move(errors);
  return e;
}

Error Error::bad_request(Message message, std::string field) {
  return Error{ErrorCode::kBadRequest, std::move(message), std::move(field), {}};
}

Error Error::not_found(Message message) {
  return Error{ErrorCode::kNotFound, std::move(message), {}, {}};
}

Error Error::forbidden(Message message) {
  return Error{ErrorCode::kForbidden, std::move(message), {}, {}};
}

Error Error::conflict(Message message, std::string field) {
  return Error{ErrorCode::kConflict, std::move(message), std::move(field), {}};
}

Error Error::unauthenticated(Message message) {
  return Error{ErrorCode::kUnauthenticated, std::move(message), {}, {}};
}

}  // namespace xj
