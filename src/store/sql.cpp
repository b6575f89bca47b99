#include "store/sql.hpp"

namespace xj::store::sql {

std::int64_t Row::integer(std::size_t i) const {
  if (const auto* v = std::get_if<std::int64_t>(&values_[i])) return *v;
  if (const auto* d = std::get_if<double>(&values_[i])) return static_cast<std::int64_t>(*d);
  if (const auto* s = std::get_if<std::string>(&values_[i])) return std::stoll(*s);
  return 0;
}

double Row::real(std::size_t i) const {
  if (const auto* d = std::get_if<double>(&values_[i])) return *d;
  if (const auto* v = std::get_if<std::int64_t>(&values_[i])) return static_cast<double>(*v);
  if (const auto* s = std::get_if<std::string>(&values_[i])) return std::stod(*s);
  return 0;
}

std::string Row::text(std::size_t i) const {
  if (const auto* s = std::get_if<std::string>(&values_[i])) return *s;
  if (const auto* v = std::get_if<std::int64_t>(&values_[i])) return std::to_string(*v);
  if (const auto* d = std::get_if<double>(&values_[i])) return std::to_string(*d);
  return {};
}

std::optional<std::int64_t> Row::opt_integer(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return integer(i);
}

std::optional<double> Row::opt_real(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return real(i);
}

std::optional<std::string> Row::opt_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

}  // namespace xj::store::sql
