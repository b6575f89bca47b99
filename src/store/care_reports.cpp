// The store's share of the care programmes' reports (issue 16 point 8): a programme's accounts
// and its payments grouped small enough to fold in memory (organisations × kinds × months), so
// that a report over a million disbursements reads a few thousand rows.
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

std::vector<CarePaymentGroup> Tx::care_payment_groups(Id programme_id,
                                                      const std::string& scope_path) {
  // The kept sums (migration 0031) hold exactly these groups, one row each.
  Where w;
  w.add("s.programme_id = ?", {programme_id});
  w.subtree("o.path", scope_path);
  std::vector<CarePaymentGroup> out;
  for (const Row& r : conn_->query(
           "SELECT o.path, s.beneficiary_kind, s.category, s.aid_kind, s.month, s.payments, "
           "s.amount_fen FROM care_payment_sums s "
           "JOIN organisations o ON o.id = s.organisation_id" +
               w.sql() + " ORDER BY o.path",
           w.params())) {
    out.push_back(
        {r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.integer(5), r.integer(6)});
  }
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
