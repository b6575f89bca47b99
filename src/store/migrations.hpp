// The versioned schema migrations, compiled into the binary from migrations/<engine>/NNNN_*.sql.
#pragma once

#include <string_view>
#include <vector>

namespace xj::store {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// The migrations of `engine` ("sqlite", "postgresql"), in version order.
const std::vector<Migration>& migrations(std::string_view engine);

}  // namespace xj::store
