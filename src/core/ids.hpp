#pragma once

#include <cstdint>

namespace xj {

// Database row id. Positive once stored; 0 means "not stored yet".
using Id = std::int64_t;

}  // namespace xj
