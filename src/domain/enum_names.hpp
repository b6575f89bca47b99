// Name tables for the domain's enums: one (value, API name) array per enum, read both ways.
// Internal to the domain library.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace xj::domain::detail {

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return table.front().second;
}

template <class E, std::size_t N>
std::optional<E> parse_of(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

}  // namespace xj::domain::detail
