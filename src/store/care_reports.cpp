// The store's share of the care programmes' reports (issue 16 point 8): a programme's accounts
// and its payments grouped small enough to fold in memory (organisations × kinds × months), so
// that a report over a million disbursements reads a few thousand rows.
#include <algorithm>

#include "store/query.hpp"
#include "store/store.hpp"

namespace xj::store {

using detail::Where;
using sql::Row;

std::vector<CareReportAccount> Tx::care_report_accounts(Id programme_id,
                                                        const std::string& scope_path) {
  Where w;
  w.add("a.programme_id = ?", {programme_id});
  w.subtree("o.path", scope_path);
  std::vector<CareReportAccount> out;
  for (const Row& r : conn_->query("SELECT a.organisation_id, o.path, o.level, a.kind, "
                                   "a.balance_fen FROM ledger_accounts a "
                                   "JOIN organisations o ON o.id = a.organisation_id" +
                                       w.sql() + " ORDER BY o.path, a.kind",
                                   w.params())) {
    out.push_back({r.integer(0), r.text(1), r.text(2), r.text(3), r.integer(4)});
  }
  return out;
}

CarePaymentTotals Tx::care_payment_totals(Id programme_id, const std::string& scope_path) {
  // The kept sums (migration 0031) of the subtree, read once and summed four ways by the
  // database: the rows (payers × kinds × categories × months, ten thousand for a province) are
  // what would cost to carry, not to add.
  Where w;
  w.add("s.programme_id = ?", {programme_id});
  w.subtree("o.path", scope_path);
  static constexpr const char* kSums = "CAST(SUM(n) AS BIGINT), CAST(SUM(fen) AS BIGINT) FROM g ";
  CarePaymentTotals out;
  for (const Row& r : conn_->query(
           "WITH g AS (SELECT o.path AS path, s.beneficiary_kind AS beneficiary_kind, "
           "s.category AS category, s.aid_kind AS aid_kind, s.month AS month, s.payments AS n, "
           "s.amount_fen AS fen FROM care_payment_sums s "
           "JOIN organisations o ON o.id = s.organisation_id" +
               w.sql() + ") SELECT 'p', path, " + kSums + "GROUP BY path UNION ALL " +
               "SELECT 'c', category, " + kSums +
               "WHERE beneficiary_kind = 'person' GROUP BY category UNION ALL " +
               "SELECT 'u', beneficiary_kind, " + kSums +
               "WHERE beneficiary_kind = 'unit' GROUP BY beneficiary_kind UNION ALL " +
               "SELECT 'a', aid_kind, " + kSums + "GROUP BY aid_kind UNION ALL " +
               "SELECT 'm', month, " + kSums + "GROUP BY month",
           w.params())) {
    const CarePaymentTotals::Sum sum{r.text(1), r.integer(2), r.integer(3)};
    switch (r.text(0).front()) {
      case 'p':
        out.payers.push_back(sum);
        break;
      case 'c':
        out.categories.push_back(sum);
        break;
      case 'u':
        out.unit_payments += sum.count;
        break;
      case 'a':
        out.aid_kinds.push_back(sum);
        break;
      default:
        out.months.push_back(sum);
        break;
    }
  }
  auto by_key = [](auto& sums) {
    std::sort(sums.begin(), sums.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  };
  by_key(out.payers);
  by_key(out.categories);
  by_key(out.aid_kinds);
  by_key(out.months);
  return out;
}

std::int64_t Tx::care_people_paid(Id programme_id, const std::string& scope_path) {
  // Everyone paid in a programme has one payment without a duplicate reason, their first (the
  // service asks for a reason from the second on). So the people of a subtree are those whose
  // first payment lies in it (kept sums) and those paid again in it whose first payment lies
  // outside (a walk over the repeated payments only, which are few).
  Where w;
  w.add("s.programme_id = ?", {programme_id});
  w.subtree("o.path", scope_path);
  const std::int64_t firsts = conn_
                                  ->query(
                                      "SELECT CAST(COALESCE(SUM(s.first_payments), 0) AS BIGINT) "
                                      "FROM care_payment_sums s "
                                      "JOIN organisations o ON o.id = s.organisation_id" +
                                          w.sql(),
                                      w.params())
                                  .at(0)
                                  .integer(0);
  Where r;
  r.add("d.programme_id = ?", {programme_id});
  r.add("d.duplicate_reason <> ''");
  r.add("d.beneficiary_id IS NOT NULL");
  r.subtree("o.path", scope_path);
  std::string first_inside =
      "SELECT 1 FROM care_disbursements f JOIN organisations fo ON fo.id = f.organisation_id "
      "WHERE f.beneficiary_id = d.beneficiary_id AND f.programme_id = d.programme_id "
      "AND f.duplicate_reason = ''";
  std::vector<sql::Value> params = r.params();
  if (!scope_path.empty()) {
    first_inside += " AND fo.path >= ? AND fo.path < ?";
    params.emplace_back(scope_path);
    params.emplace_back(detail::upper_bound_of(scope_path));
  }
  const std::int64_t others =
      conn_
          ->query(
              "SELECT COUNT(DISTINCT d.beneficiary_id) FROM care_disbursements d "
              "JOIN organisations o ON o.id = d.organisation_id" +
                  r.sql() + " AND NOT EXISTS (" + first_inside + ")",
              params)
          .at(0)
          .integer(0);
  return firsts + others;
}

}  // namespace xj::store
