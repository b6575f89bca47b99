// docs/openapi.yaml describes every route the server has, and nothing it does not.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "http/api.hpp"

namespace xj::http {

TEST(OpenApi, DocumentsExactlyTheServersRoutes) {
  std::ifstream in(std::string(XJ_SOURCE_DIR) + "/docs/openapi.yaml");
  ASSERT_TRUE(in) << "docs/openapi.yaml is missing";
  const std::regex path_line(R"(^  (/[^:]*):\s*$)");
  const std::regex method_line(R"(^    (get|post|patch|put|delete):)");
  const std::regex id_param(R"(\{[a-z_]*id\})");
  std::set<std::pair<std::string, std::string>> documented;
  std::string line;
  std::string path;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, path_line)) {
      // OpenAPI names each path parameter ({photo_id}); the router's are all {id}.
      path = std::regex_replace("/api/v1" + m[1].str(), id_param, "{id}");
    } else if (!path.empty() && std::regex_search(line, m, method_line)) {
      std::string method = m[1].str();
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.emplace(method, path);
    }
  }
  std::set<std::pair<std::string, std::string>> served;
  for (const auto& route : api_routes()) served.insert(route);
  for (const auto& r : served) {
    EXPECT_TRUE(documented.contains(r)) << r.first << " " << r.second << " is not documented";
  }
  for (const auto& r : documented) {
    EXPECT_TRUE(served.contains(r)) << r.first << " " << r.second << " is documented, not served";
  }
  EXPECT_GE(served.size(), 25u);
}

}  // namespace xj::http
