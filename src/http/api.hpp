// The JSON API under /api/v1: routing, authentication, and translation between HTTP and the
// service layer. Nothing here decides what is allowed; the service does.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "http/server.hpp"
#include "service/auth.hpp"
#include "service/care.hpp"
#include "service/exports.hpp"
#include "service/feedback.hpp"
#include "service/hash_pool.hpp"
#include "service/imports.hpp"
#include "service/orders.hpp"
#include "service/photos.hpp"
#include "service/planning.hpp"
#include "service/records.hpp"
#include "service/report_imports.hpp"
#include "service/scorecard.hpp"
#include "service/statistics.hpp"
#include "service/tokens.hpp"
#include "service/vouchers.hpp"

namespace xj::http {

struct ApiOptions {
  std::string version;
  bool secure_cookies = false;  // add `Secure` to the session cookie (behind HTTPS)
  // The address people reach the app at ("https://xj.example.org"), for links handed out whole
  // (calendar feeds, QR codes). Empty: the request's own Host, with https when cookies are
  // secure.
  std::string public_url;
  // The kept copies of the most read list pages (http/response_cache.hpp), in all; 0 keeps none.
  std::size_t page_cache_bytes = std::size_t{32} << 20;
};

// The use cases the API translates to. All must be set, except when only the route table is
// wanted (api_routes()).
struct Services {
  service::Records* records = nullptr;
  service::Workflow* workflow = nullptr;
  service::Planner* planner = nullptr;
  service::Feedback* feedback = nullptr;
  service::Photos* photos = nullptr;
  service::Auth* auth = nullptr;
  service::Statistics* statistics = nullptr;
  // Where the routes that hash a password (login, password change) do so, never on the
  // request workers; a request it has no room for is refused with 429 before any hashing.
  service::HashPool* hashes = nullptr;
  service::Tokens* tokens = nullptr;
  service::Exports* exports = nullptr;
  service::Imports* imports = nullptr;
  service::Scorecards* scorecards = nullptr;
  service::Care* care = nullptr;
  service::Vouchers* vouchers = nullptr;
  service::Corrections* corrections = nullptr;
  service::ReportImports* report_imports = nullptr;  // 报道导入 (issue 18)
};

// The handler the server calls for every request under /api/.
AsyncHandler make_api(const Services& services, ApiOptions options);

// Every route as (method, pattern), e.g. ("GET", "/api/v1/lecturers/{id}"): what
// docs/openapi.yaml must describe.
std::vector<std::pair<std::string, std::string>> api_routes();

// The largest body the API takes for a request (ServerOptions::body_limit_for): 10 MB for a
// photo upload, 20 MB for an import's spreadsheet, 1 MB otherwise.
std::size_t body_limit_for(std::string_view method, std::string_view path);

// Content-Disposition of a download: `ascii_name` for old clients, `name` (UTF-8, Chinese) in
// RFC 5987's filename*=UTF-8''… for the rest.
std::string content_disposition(std::string_view ascii_name, std::string_view name);

// The HTTP status of each error code: one table for the whole API.
unsigned status_of(ErrorCode code);

}  // namespace xj::http
