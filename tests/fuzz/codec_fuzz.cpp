// Fuzz target: the JSON decoders of the API's request bodies (src/http/codec.hpp), the first
// code every body of every route reaches. The first byte of an input picks the decoder (see
// kDecoders: 'a' is the first, 'b' the second, ...); the rest is the body, read by parse_object
// as the server reads it. Beyond "never crashes, never throws", it checks what the handlers rely
// on:
//   - a refusal is a bad request (type, unknown field) or a field error, with a message in both
//     languages, naming its field, and it can be written as an error body;
//   - an accepted record written back with its encoder reads again to the same record (the web
//     app edits what it read and sends it back).
//
// Seeds: tests/fuzz/corpus/codec/, one file per decoder and case, named after the route.
#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>

#include "http/codec.hpp"

namespace {

namespace json = boost::json;
using xj::Error;
using xj::ErrorCode;
using xj::Status;

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "codec fuzz: %s\n%.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

void check_refusal(const Error& e, std::string_view body) {
  if (e.code != ErrorCode::kBadRequest && e.code != ErrorCode::kInvalid) {
    fail("a decoder refused with a code other than bad_request or invalid", body);
  }
  if (e.message.zh.empty() || e.message.en.empty()) {
    if (e.code == ErrorCode::kBadRequest) fail("a bad request without a message", body);
  }
  if (e.code == ErrorCode::kInvalid) {
    if (e.details.empty()) fail("an invalid body without field errors", body);
    for (const auto& d : e.details) {
      if (d.field.empty() || d.message.zh.empty() || d.message.en.empty()) {
        fail("a field error without its field or message", body);
      }
    }
  }
  // What the handler answers with: must be writable in both languages.
  (void)json::serialize(xj::http::error_body(e, xj::http::Lang::kZh));
  (void)json::serialize(xj::http::error_body(e, xj::http::Lang::kEn));
}

// Equal JSON values, numbers within a few units in the last place: Boost.JSON 1.81 reads some
// doubles it wrote one unit off (1.0184474407370955E21 comes back ...956E21); its exact parsing
// comes with 1.83. Coordinates are all the doubles of a body: far below what they measure.
bool same(const json::value& a, const json::value& b) {
  if (a.is_double() && b.is_double()) {
    const double x = a.get_double();
    const double y = b.get_double();
    return x == y || std::fabs(x - y) <= 1e-15 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const json::array& x = a.get_array();
    const json::array& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!same(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    const json::object& x = a.get_object();
    const json::object& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& kv : x) {
      const json::value* other = y.if_contains(kv.key());
      if (other == nullptr || !same(kv.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

bool finite(const json::value& v) {
  if (v.is_double()) return std::isfinite(v.get_double());
  if (v.is_array()) {
    return std::all_of(v.get_array().begin(), v.get_array().end(),
                       [](const json::value& e) { return finite(e); });
  }
  if (v.is_object()) {
    return std::all_of(v.get_object().begin(), v.get_object().end(),
                       [](const auto& kv) { return finite(kv.value()); });
  }
  return true;
}

// Writes an accepted record, reads the text again into `fresh` as a request body, and checks
// that it is accepted and writes the same record.
template <class T, class Decode>
void check_round_trip(const T& accepted, T fresh, Decode decode) {
  const json::value encoded = xj::http::to_json(accepted);
  // 1e400 decodes to infinity, which no JSON can carry back; the domain's validation refuses
  // it (coordinates must lie in their ranges) before anything is stored or written.
  if (!finite(encoded)) return;
  const std::string once = json::serialize(encoded);
  auto body = xj::http::parse_object(once);
  if (!body.ok()) fail("an encoded record is not a JSON object the server reads", once);
  const Status again = decode(*body, fresh);
  // A field error on the way back (an id left 0 by a body that did not name it, e.g. a branch's
  // host) is the domain validation's to refuse before anything is stored; a type error is not.
  if (!again.ok() && again.error().code == ErrorCode::kInvalid) return;
  if (!again.ok()) {
    fail("an encoded record is refused when sent back",
         once + "\n" + again.error().message.en + " (" + again.error().field + ")");
  }
  const json::value twice = xj::http::to_json(fresh);
  if (!same(twice, json::parse(once))) {
    fail("an encoded record does not read back to itself", once + "\n" + json::serialize(twice));
  }
}

// Decodes `body` into a copy of `start`; on success checks the round trip from the same start.
template <class T, class Decode>
Status decode_entity(const json::object& body, const T& start, Decode decode) {
  T record = start;
  Status s = decode(body, record);
  if (s.ok()) check_round_trip(record, start, decode);
  return s;
}

using Decoder = std::function<Status(const json::object&)>;

// The records a body is read into, as the handlers hold them: a new record has its references
// set by the time it is stored and written (the decoder refuses an id below 1), an existing one
// also has its own id.
xj::domain::Lecturer new_lecturer() {
  xj::domain::Lecturer l;
  l.organisation_id = 1;
  return l;
}

xj::domain::Campaign new_campaign() {
  xj::domain::Campaign c;
  c.owner_organisation_id = 1;
  return c;
}

xj::domain::Campaign existing_campaign() {
  xj::domain::Campaign c = new_campaign();
  c.id = 3;
  return c;
}

xj::domain::Session new_session() {
  xj::domain::Session s;
  s.host_organisation_id = 1;
  return s;
}

xj::domain::Session existing_session() {
  xj::domain::Session s = new_session();
  s.id = 7;
  return s;
}

xj::domain::Order new_order() {
  xj::domain::Order d;
  d.organisation_id = 1;
  d.campaign_id = 1;
  return d;
}

xj::domain::Account new_account() {
  xj::domain::Account a;
  a.organisation_id = 1;
  return a;
}

// One decoder per request body of the API (route in the comment), in the order of the
// selector byte: the input "a{...}" goes to the first.
const std::array<Decoder, 22> kDecoders = {{
    // a: POST /dictionaries
    [](const json::object& o) {
      return decode_entity(o, xj::domain::DictionaryEntry{},
                           [](auto& b, auto& e) { return xj::http::from_json(b, e); });
    },
    // b: PATCH /dictionaries/{id}
    [](const json::object& o) {
      return decode_entity(o, xj::domain::DictionaryEntry{},
                           [](auto& b, auto& e) { return xj::http::from_json(b, e); });
    },
    // c: POST /organisations, PATCH /organisations/{id}
    [](const json::object& o) {
      return decode_entity(o, xj::domain::Organisation{},
                           [](auto& b, auto& e) { return xj::http::from_json(b, e); });
    },
    // d: POST /lecturers, PATCH /lecturers/{id}
    [](const json::object& o) {
      return decode_entity(o, new_lecturer(),
                           [](auto& b, auto& e) { return xj::http::from_json(b, e); });
    },
    // e: POST /campaigns
    [](const json::object& o) {
      return decode_entity(o, new_campaign(),
                           [](auto& b, auto& e) { return xj::http::from_json(b, e); });
    },
    // f: PATCH /campaigns/{id}
    [](const json::object& o) {
      return decode_entity(o, existing_campaign(),
                           [](auto& b, auto& e) { return xj::http::from_json(b, e); });
    },
    // g: POST /sessions, each of POST /sessions/batch
    [](const json::object& o) {
      return decode_entity(o, new_session(),
                           [](auto& b, auto& e) { return xj::http::from_json(b, e); });
    },
    // h: PATCH /sessions/{id}
    [](const json::object& o) {
      return decode_entity(o, existing_session(),
                           [](auto& b, auto& e) { return xj::http::from_json(b, e); });
    },
    // i: POST /orders
    [](const json::object& o) {
      return decode_entity(o, new_order(),
                           [](auto& b, auto& e) { return xj::http::from_json(b, e, nullptr); });
    },
    // j: PATCH /orders/{id}
    [](const json::object& o) {
      return decode_entity(o, new_order(), [](auto& b, auto& e) {
        std::int64_t version = 0;
        return xj::http::from_json(b, e, &version);
      });
    },
    // k: POST /orders/{id}/deliver
    [](const json::object& o) {
      xj::domain::Session s;
      std::int64_t version = 0;
      return xj::http::from_json_delivery(o, s, version);
    },
    // l: POST /orders/{id}/dispatch-check, /orders/{id}/dispatch
    [](const json::object& o) {
      xj::service::DispatchRequest d;
      return xj::http::from_json(o, d);
    },
    // m: POST /orders/{id}/rate
    [](const json::object& o) {
      xj::service::RateRequest r;
      return xj::http::from_json(o, r);
    },
    // n: POST /orders/{id}/decline, /orders/{id}/cancel
    [](const json::object& o) {
      std::int64_t version = 0;
      std::string reason;
      return xj::http::from_json(o, version, &reason);
    },
    // o: POST /orders/{id}/accept
    [](const json::object& o) {
      std::int64_t version = 0;
      return xj::http::from_json(o, version, nullptr);
    },
    // p: POST /campaigns/{id}/dispatch-plans
    [](const json::object& o) {
      xj::service::PlanRequest r;
      return xj::http::from_json(o, r);
    },
    // q: POST /feedback/{token}, POST /sessions/{id}/feedback
    [](const json::object& o) {
      xj::service::FeedbackAnswer a;
      return xj::http::from_json(o, a);
    },
    // r: POST /dispatch-plans/{id}/apply
    [](const json::object& o) {
      std::vector<xj::service::PlanAssignment> assignments;
      bool override_travel = false;
      return xj::http::from_json(o, assignments, override_travel);
    },
    // s: POST /accounts
    [](const json::object& o) {
      return decode_entity(o, new_account(), [](auto& b, auto& e) {
        std::string password;
        return xj::http::from_json(b, e, &password);
      });
    },
    // t: PATCH /accounts/{id}
    [](const json::object& o) {
      return decode_entity(o, new_account(),
                           [](auto& b, auto& e) { return xj::http::from_json(b, e, nullptr); });
    },
    // u: POST /auth/login, /auth/password
    [](const json::object& o) {
      std::string username, password, current, next;
      return xj::http::from_json(o, {{"username", &username},
                                     {"password", &password},
                                     {"current_password", &current},
                                     {"new_password", &next}});
    },
    // v: PATCH /sessions/{id}/feedback/{feedback_id}
    [](const json::object& o) {
      bool quote = false;
      return xj::http::from_json_quote(o, quote);
    },
}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // 'a' picks the first decoder, 'b' the second; every other byte picks one too.
  constexpr size_t kCount = kDecoders.size();
  const size_t which = (data[0] % kCount + kCount - 'a' % kCount) % kCount;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto object = xj::http::parse_object(body);
  if (!object.ok()) {
    check_refusal(object.error(), body);
    return 0;
  }
  const Status s = kDecoders[which](*object);
  if (!s.ok()) check_refusal(s.error(), body);
  return 0;
}
