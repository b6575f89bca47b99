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
  Where w;
  w.add("d.programme_id = ?", {programme_id});
  w.subtree("o.path", scope_path);
  std::vector<CarePaymentGroup> out;
  for (const Row& r : conn_->query(
           "SELECT o.path, d.beneficiary_kind, d.category, d.aid_kind, substr(d.date, 1, 7), "
           "COUNT(*), COALESCE(SUM(d.amount_fen), 0) FROM care_disbursements d "
           "JOIN organisations o ON o.id = d.organisation_id" +
               w.sql() +
               " GROUP BY o.path, d.beneficiary_kind, d.category, d.aid_kind, "
               "substr(d.date, 1, 7) ORDER BY o.path",
           w.params())) {
    out.push_back(
        {r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.integer(5), r.integer(6)});
  }
  return out;
}

std::int64_t Tx::care_people_paid(Id programme_id, const std::string& scope_path) {
  Where w;
  w.add("d.programme_id = ?", {programme_id});
  w.add("d.beneficiary_id IS NOT NULL");
  w.subtree("o.path", scope_path);
  return conn_
      ->query(
          "SELECT COUNT(DISTINCT d.beneficiary_id) FROM care_disbursements d "
          "JOIN organisations o ON o.id = d.organisation_id" +
              w.sql(),
          w.params())
      .at(0)
      .integer(0);
}

}  // namespace xj::store
