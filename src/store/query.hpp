// Helpers for building the store's SQL: internal to the store library. User input only ever
// goes into parameters; the SQL text is built from fixed fragments.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "store/sql.hpp"
#include "store/store.hpp"

namespace xj::store::detail {

using sql::Value;

// The kept sums of care payments (migration 0031): an insert's head, its upsert tail, and the
// recount of care_disbursements they hold (add "WHERE …" between it and kPaymentSumsGroups).
inline constexpr const char* kAddPaymentSums =
    "INSERT INTO care_payment_sums (programme_id, organisation_id, beneficiary_kind, category, "
    "aid_kind, month, payments, amount_fen, first_payments) ";
inline constexpr const char* kOnPaymentSums =
    " ON CONFLICT (programme_id, organisation_id, beneficiary_kind, category, aid_kind, month) "
    "DO UPDATE SET payments = care_payment_sums.payments + excluded.payments, "
    "amount_fen = care_payment_sums.amount_fen + excluded.amount_fen, "
    "first_payments = care_payment_sums.first_payments + excluded.first_payments";
inline constexpr const char* kRecountPaymentSums =
    "SELECT programme_id, organisation_id, beneficiary_kind, category, aid_kind, "
    "substr(date, 1, 7), COUNT(*), SUM(amount_fen), "
    "SUM(CASE WHEN beneficiary_kind = 'person' AND duplicate_reason = '' THEN 1 ELSE 0 END) "
    "FROM care_disbursements ";
inline constexpr const char* kPaymentSumsGroups =
    " GROUP BY programme_id, organisation_id, beneficiary_kind, category, aid_kind, "
    "substr(date, 1, 7)";

inline Value opt(const std::optional<Id>& v) { return v ? Value(*v) : Value(nullptr); }
inline Value opt(const std::optional<double>& v) { return v ? Value(*v) : Value(nullptr); }
inline Value opt_text(const std::string& s) { return s.empty() ? Value(nullptr) : Value(s); }
inline Value flag(bool b) { return Value{static_cast<std::int64_t>(b ? 1 : 0)}; }

// The half-open range [prefix, upper) holds exactly the strings that start with `prefix`;
// paths are digits and '/', so bumping the last byte is enough. Index-friendly in any engine.
inline std::string upper_bound_of(std::string prefix) {
  prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

// A LIKE pattern matching `text` anywhere, with the pattern characters escaped.
inline std::string contains_pattern(std::string_view text) {
  std::string p = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') p += '\\';
    p += c;
  }
  p += '%';
  return p;
}

// Builds a WHERE clause from fixed fragments; user input only ever goes into the parameters.
class Where {
 public:
  void add(std::string_view clause, std::initializer_list<Value> params = {}) {
    sql_ += sql_.empty() ? " WHERE " : " AND ";
    sql_ += clause;
    params_.insert(params_.end(), params);
  }
  void add_list(std::string_view clause, const std::vector<Value>& params) {
    sql_ += sql_.empty() ? " WHERE " : " AND ";
    sql_ += clause;
    params_.insert(params_.end(), params.begin(), params.end());
  }
  void subtree(std::string_view column, const std::string& path) {
    if (path.empty()) return;
    add(std::string(column) + " >= ? AND " + std::string(column) + " < ?",
        {path, upper_bound_of(path)});
  }
  const std::string& sql() const { return sql_; }
  std::vector<Value> params() const { return params_; }
  std::vector<Value> params_with_page(const PageRequest& page) const {
    std::vector<Value> p = params_;
    p.emplace_back(page.page_size);
    p.emplace_back((page.page - 1) * page.page_size);
    return p;
  }

 private:
  std::string sql_;
  std::vector<Value> params_;
};

// Counts the matches of `from_where` (" FROM … WHERE …", no ORDER BY) up to `bound`: past it
// `page.total` is the bound and `page.total_capped` is set. A filter no kept sum answers then
// costs at most `bound` + 1 index entries or rows, not every match (see Page::total_capped).
template <class T>
void count_up_to(sql::Connection& conn, const std::string& from_where, std::vector<Value> params,
                 std::int64_t bound, Page<T>& page) {
  params.emplace_back(bound + 1);
  page.total =
      conn.query("SELECT COUNT(*) FROM (SELECT 1" + from_where + " LIMIT ?) matches", params)
          .at(0)
          .integer(0);
  page.total_capped = page.total > bound;
  if (page.total_capped) page.total = bound;
}

// Fragments over a session `s` shared by the kept sums (tallies.cpp) and their recounts.
// Everyone a session reached: main venue, online viewers and its branch venues.
constexpr const char* kReached =
    "s.audience_offline + s.online_viewers + (SELECT COALESCE(SUM(b.headcount), 0) "
    "FROM session_branches b WHERE b.session_id = s.id)";
constexpr const char* kAnswers = "(SELECT COUNT(*) FROM feedback f WHERE f.session_id = s.id)";
constexpr const char* kRatingSum =
    "(SELECT COALESCE(SUM(f.rating), 0) FROM feedback f WHERE f.session_id = s.id)";
constexpr const char* kSignedIn = "(SELECT COUNT(*) FROM attendance a WHERE a.session_id = s.id)";
// Answers by source (the scorecard's): QR answers from a browser that also signed in to the
// same session (verified), and answers entered by staff.
inline std::string answers_of(const char* what, const char* which) {
  return std::string("(SELECT ") + what + " FROM feedback f WHERE f.session_id = s.id AND " +
         which + ")";
}
constexpr const char* kVerifiedAnswer =
    "f.channel = 'qr' AND f.browser <> '' AND EXISTS (SELECT 1 FROM attendance a "
    "WHERE a.session_id = f.session_id AND a.browser = f.browser)";
constexpr const char* kStaffAnswer = "f.channel = 'staff'";

// `column IN (ids)`; nothing when `ids` is unset, nothing matches when it is empty.
inline void add_ids(Where& w, const std::string& column, const std::optional<std::vector<Id>>& ids);

inline std::string placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i == 0 ? "?" : ",?";
  return s;
}

inline void add_ids(Where& w, const std::string& column,
                    const std::optional<std::vector<Id>>& ids) {
  if (!ids) return;
  if (ids->empty()) {
    w.add("1 = 0");
    return;
  }
  std::vector<Value> values(ids->begin(), ids->end());
  w.add_list(column + " IN (" + placeholders(values.size()) + ")", values);
}

// `column IN (values)`; nothing matches when `values` is empty (the node ids of a scope).
inline void add_values(Where& w, const std::string& column, const std::vector<Value>& values) {
  if (values.empty()) {
    w.add("1 = 0");
    return;
  }
  w.add_list(column + " IN (" + placeholders(values.size()) + ")", values);
}

}  // namespace xj::store::detail
