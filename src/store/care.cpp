// The store's share of care programmes (issue 16): programmes, the double-entry ledger,
// allocations, beneficiaries and disbursements. The ledger's tables are append-only (triggers in
// migration 0017); only ledger_accounts.balance_fen changes, in the transaction of its entries.
#include <algorithm>
#include <map>
#include <stdexcept>

#include "store/query.hpp"
#include "store/store.hpp"

namespace xj::store {

using detail::contains_pattern;
using detail::kAddPaymentSums;
using detail::kOnPaymentSums;
using detail::opt;
using detail::upper_bound_of;
using detail::Where;
using domain::CareAllocation;
using domain::CareDisbursement;
using domain::CareProgramme;
using sql::Row;
using sql::Value;

namespace {

constexpr const char* kProgrammeColumns =
    "p.id, p.owner_organisation_id, p.title, p.start_date, p.end_date, p.budget_fen, p.kinds, "
    "p.description, p.state, p.version, p.created_at, p.updated_at, o.path, o.name";
constexpr const char* kProgrammeFrom =
    " FROM care_programmes p JOIN organisations o ON o.id = p.owner_organisation_id";

std::string join_kinds(const std::vector<domain::AidKind>& kinds) {
  std::string out;
  for (const auto k : kinds) {
    if (!out.empty()) out += ',';
    out += domain::aid_kind_name(k);
  }
  return out;
}

std::vector<domain::AidKind> split_kinds(const std::string& text) {
  std::vector<domain::AidKind> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (auto k = domain::parse_aid_kind(text.substr(start, end - start))) out.push_back(*k);
    start = end + 1;
  }
  return out;
}

CareProgramme programme_from(const Row& r) {
  CareProgramme p;
  p.id = r.integer(0);
  p.owner_organisation_id = r.integer(1);
  p.title = r.text(2);
  p.start_date = Date::parse(r.text(3)).value_or(Date{});
  p.end_date = Date::parse(r.text(4)).value_or(Date{});
  p.budget_fen = r.integer(5);
  p.kinds = split_kinds(r.text(6));
  p.description = r.text(7);
  p.state = domain::parse_programme_state(r.text(8)).value_or(domain::ProgrammeState::kDraft);
  p.version = r.integer(9);
  p.created_at = r.integer(10);
  p.updated_at = r.integer(11);
  p.owner_path = r.text(12);
  p.owner_name = r.text(13);
  return p;
}

constexpr const char* kAllocationColumns =
    "a.id, a.programme_id, a.kind, a.from_organisation_id, a.to_organisation_id, a.amount_fen, "
    "a.note, a.movement_id, a.created_by, a.created_at, f.name, t.name, "
    "CASE WHEN EXISTS (SELECT 1 FROM ledger_movements r WHERE r.reverses_id = a.movement_id) "
    "THEN 1 ELSE 0 END";
constexpr const char* kAllocationFrom =
    " FROM care_allocations a JOIN organisations f ON f.id = a.from_organisation_id "
    "JOIN organisations t ON t.id = a.to_organisation_id";

CareAllocation allocation_from(const Row& r) {
  CareAllocation a;
  a.id = r.integer(0);
  a.programme_id = r.integer(1);
  a.kind = r.text(2);
  a.from_organisation_id = r.integer(3);
  a.to_organisation_id = r.integer(4);
  a.amount_fen = r.integer(5);
  a.note = r.text(6);
  a.movement_id = r.integer(7);
  a.created_by = r.opt_integer(8);
  a.created_at = r.integer(9);
  a.from_name = r.text(10);
  a.to_name = r.text(11);
  a.reversed = r.integer(12) != 0;
  return a;
}

constexpr const char* kDisbursementColumns =
    "d.id, d.programme_id, d.organisation_id, d.beneficiary_kind, d.beneficiary_id, d.category, "
    "d.unit_name, d.document_no, d.bank_name, d.bank_account, d.amount_fen, d.aid_kind, d.date, "
    "d.officials, d.note, d.duplicate_reason, d.movement_id, d.created_by, d.created_at, o.name, "
    "o.path, b.organisation_id, b.name, b.id_mask, b.phone_mask, b.employer, b.category, "
    "CASE WHEN EXISTS (SELECT 1 FROM ledger_movements r WHERE r.reverses_id = d.movement_id) "
    "THEN 1 ELSE 0 END";
constexpr const char* kDisbursementFrom =
    " FROM care_disbursements d JOIN organisations o ON o.id = d.organisation_id "
    "LEFT JOIN care_beneficiaries b ON b.id = d.beneficiary_id";

CareDisbursement disbursement_from(const Row& r) {
  CareDisbursement d;
  d.id = r.integer(0);
  d.programme_id = r.integer(1);
  d.organisation_id = r.integer(2);
  d.beneficiary_kind = r.text(3);
  d.beneficiary_id = r.opt_integer(4);
  d.category = r.text(5);
  d.unit_name = r.text(6);
  d.document_no = r.text(7);
  d.bank_name = r.text(8);
  d.bank_account = r.text(9);
  d.amount_fen = r.integer(10);
  d.aid_kind = domain::parse_aid_kind(r.text(11)).value_or(domain::AidKind::kCash);
  d.date = Date::parse(r.text(12)).value_or(Date{});
  d.officials = r.text(13);
  d.note = r.text(14);
  d.duplicate_reason = r.text(15);
  d.movement_id = r.integer(16);
  d.created_by = r.opt_integer(17);
  d.created_at = r.integer(18);
  d.organisation_name = r.text(19);
  d.organisation_path = r.text(20);
  d.reversed = r.integer(27) != 0;
  if (d.beneficiary_id) {
    d.beneficiary =
        domain::CareBeneficiary{*d.beneficiary_id, r.integer(21), r.text(22), r.text(23),
                                r.text(24),        r.text(25),    r.text(26)};
  }
  return d;
}

}  // namespace

std::optional<CareProgramme> Tx::care_programme(Id id) {
  auto rows =
      q(std::string("SELECT ") + kProgrammeColumns + kProgrammeFrom + " WHERE p.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  CareProgramme p = programme_from(rows[0]);
  for (const Row& r : q("SELECT category FROM care_programme_categories WHERE programme_id = ? "
                        "ORDER BY ordinal",
                        {id})) {
    p.categories.push_back(r.text(0));
  }
  return p;
}

Page<CareProgramme> Tx::care_programmes(const ProgrammeFilter& f) {
  Where w;
  if (!f.scope_path.empty()) {
    w.add("((o.path >= ? AND o.path < ?) OR substr(?, 1, length(o.path)) = o.path)",
          {f.scope_path, upper_bound_of(f.scope_path), f.scope_path});
  }
  if (!f.q.empty()) w.add("p.title LIKE ? ESCAPE '\\'", {contains_pattern(f.q)});
  if (f.state) w.add("p.state = ?", {std::string(domain::programme_state_name(*f.state))});
  Page<CareProgramme> page;
  page.total = conn_->query(std::string("SELECT COUNT(*)") + kProgrammeFrom + w.sql(), w.params())
                   .at(0)
                   .integer(0);
  for (const Row& r :
       conn_->query(std::string("SELECT ") + kProgrammeColumns + kProgrammeFrom + w.sql() +
                        " ORDER BY p.start_date DESC, p.id DESC" + " LIMIT ? OFFSET ?",
                    w.params_with_page(f.page))) {
    page.items.push_back(programme_from(r));
  }
  for (auto& p : page.items) {
    for (const Row& r : q("SELECT category FROM care_programme_categories "
                          "WHERE programme_id = ? ORDER BY ordinal",
                          {p.id})) {
      p.categories.push_back(r.text(0));
    }
  }
  return page;
}

namespace {
void save_categories(
    Tx& tx, Id id, const std::vector<std::string>& categories,
    const std::function<std::int64_t(std::string_view, std::initializer_list<Value>)>& exec) {
  (void)tx;
  exec("DELETE FROM care_programme_categories WHERE programme_id = ?", {id});
  std::int64_t ordinal = 0;
  for (const auto& c : categories) {
    exec(
        "INSERT INTO care_programme_categories (programme_id, ordinal, category) "
        "VALUES (?, ?, ?)",
        {id, ordinal++, c});
  }
}
}  // namespace

Id Tx::insert_care_programme(const CareProgramme& p, std::optional<Id> created_by) {
  const auto now = now_utc();
  const Id id = insert_returning_id(
      "INSERT INTO care_programmes (owner_organisation_id, title, start_date, end_date, "
      "budget_fen, kinds, description, state, version, created_by, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id",
      {p.owner_organisation_id, p.title, p.start_date.iso(), p.end_date.iso(), p.budget_fen,
       join_kinds(p.kinds), p.description, std::string(domain::programme_state_name(p.state)),
       opt(created_by), now, now});
  save_categories(
      *this, id, p.categories,
      [this](std::string_view sql, std::initializer_list<Value> params) { return x(sql, params); });
  return id;
}

bool Tx::update_care_programme(CareProgramme& p) {
  const auto changed =
      x("UPDATE care_programmes SET title = ?, start_date = ?, end_date = ?, budget_fen = ?, "
        "kinds = ?, description = ?, state = ?, version = version + 1, updated_at = ? "
        "WHERE id = ? AND version = ?",
        {p.title, p.start_date.iso(), p.end_date.iso(), p.budget_fen, join_kinds(p.kinds),
         p.description, std::string(domain::programme_state_name(p.state)), now_utc(), p.id,
         p.version});
  if (changed != 1) return false;
  ++p.version;
  save_categories(
      *this, p.id, p.categories,
      [this](std::string_view sql, std::initializer_list<Value> params) { return x(sql, params); });
  return true;
}

Id Tx::ledger_account(Id programme_id, std::string_view kind, Id organisation_id) {
  const std::string k(kind);
  auto rows = q(
      "SELECT id FROM ledger_accounts WHERE programme_id = ? AND kind = ? AND organisation_id = ?",
      {programme_id, k, organisation_id});
  if (!rows.empty()) return rows[0].integer(0);
  return insert_returning_id(
      "INSERT INTO ledger_accounts (programme_id, kind, organisation_id, balance_fen) "
      "VALUES (?, ?, ?, 0) RETURNING id",
      {programme_id, k, organisation_id});
}

std::int64_t Tx::ledger_balance(Id programme_id, std::string_view kind, Id organisation_id) {
  auto rows =
      q("SELECT balance_fen FROM ledger_accounts "
        "WHERE programme_id = ? AND kind = ? AND organisation_id = ?",
        {programme_id, std::string(kind), organisation_id});
  return rows.empty() ? 0 : rows[0].integer(0);
}

Id Tx::post_movement(Id programme_id, std::string_view kind, std::optional<Id> account_id,
                     const std::string& note,
                     const std::vector<std::pair<Id, std::int64_t>>& legs) {
  std::int64_t sum = 0;
  for (const auto& [account, amount] : legs) {
    if (amount == 0) throw std::logic_error("a ledger entry of zero");
    sum += amount;
  }
  if (legs.size() < 2 || sum != 0) throw std::logic_error("a movement that does not balance");
  const Id movement = insert_returning_id(
      "INSERT INTO ledger_movements (programme_id, kind, at, account_id, note) "
      "VALUES (?, ?, ?, ?, ?) RETURNING id",
      {programme_id, std::string(kind), now_utc(), opt(account_id), note});
  // Every entry in one statement: one round trip to the server however many legs.
  std::string entries = "INSERT INTO ledger_entries (movement_id, account_id, amount_fen) VALUES ";
  std::vector<Value> params;
  params.reserve(legs.size() * 3);
  for (const auto& [account, amount] : legs) {
    entries += params.empty() ? "(?, ?, ?)" : ", (?, ?, ?)";
    params.insert(params.end(), {movement, account, amount});
  }
  conn_->execute(entries, params);
  for (const auto& [account, amount] : legs) {
    if (defer_balances_) {
      balance_changes_[account] += amount;
    } else {
      x("UPDATE ledger_accounts SET balance_fen = balance_fen + ? WHERE id = ?", {amount, account});
    }
  }
  return movement;
}

void Tx::defer_balances() { defer_balances_ = true; }

void Tx::flush_balances() {
  // std::map: ascending account ids.
  for (const auto& [account, change] : balance_changes_) {
    if (change == 0) continue;
    x("UPDATE ledger_accounts SET balance_fen = balance_fen + ? WHERE id = ?", {change, account});
  }
  balance_changes_.clear();
}

namespace {
constexpr const char* kAccountColumns =
    "a.id, a.programme_id, a.kind, a.organisation_id, a.balance_fen, o.name, o.path";
domain::LedgerAccount account_from(const Row& r) {
  return {r.integer(0), r.integer(1), r.text(2), r.integer(3), r.integer(4), r.text(5), r.text(6)};
}
}  // namespace

std::vector<domain::LedgerAccount> Tx::ledger_accounts(Id programme_id,
                                                       const std::string& scope_path) {
  Where w;
  w.add("a.programme_id = ?", {programme_id});
  w.subtree("o.path", scope_path);
  std::vector<domain::LedgerAccount> out;
  for (const Row& r :
       conn_->query(std::string("SELECT ") + kAccountColumns +
                        " FROM ledger_accounts a JOIN organisations o ON o.id = a.organisation_id" +
                        w.sql() + " ORDER BY o.path, a.kind",
                    w.params())) {
    out.push_back(account_from(r));
  }
  return out;
}

std::optional<domain::LedgerAccount> Tx::ledger_account_by_id(Id id) {
  auto rows = q(std::string("SELECT ") + kAccountColumns +
                    " FROM ledger_accounts a JOIN organisations o ON o.id = a.organisation_id "
                    "WHERE a.id = ?",
                {id});
  if (rows.empty()) return std::nullopt;
  return account_from(rows[0]);
}

Page<domain::LedgerEntry> Tx::ledger_entries(Id account_id, PageRequest page) {
  Page<domain::LedgerEntry> out;
  out.total =
      q("SELECT COUNT(*) FROM ledger_entries WHERE account_id = ?", {account_id}).at(0).integer(0);
  for (const Row& r : q("SELECT e.id, e.movement_id, e.account_id, e.amount_fen, m.kind, m.at, "
                        "m.note FROM ledger_entries e JOIN ledger_movements m "
                        "ON m.id = e.movement_id WHERE e.account_id = ? "
                        "ORDER BY e.id DESC LIMIT ? OFFSET ?",
                        {account_id, page.page_size, (page.page - 1) * page.page_size})) {
    out.items.push_back({r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.text(4),
                         r.integer(5), r.text(6)});
  }
  return out;
}

Id Tx::insert_care_allocation(const CareAllocation& a) {
  return insert_returning_id(
      "INSERT INTO care_allocations (programme_id, kind, from_organisation_id, "
      "to_organisation_id, amount_fen, note, movement_id, created_by, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {a.programme_id, a.kind, a.from_organisation_id, a.to_organisation_id, a.amount_fen, a.note,
       a.movement_id, opt(a.created_by), now_utc()});
}

std::optional<CareAllocation> Tx::care_allocation(Id id) {
  auto rows =
      q(std::string("SELECT ") + kAllocationColumns + kAllocationFrom + " WHERE a.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return allocation_from(rows[0]);
}

Page<CareAllocation> Tx::care_allocations(Id programme_id, const std::string& scope_path,
                                          PageRequest page) {
  Where w;
  w.add("a.programme_id = ?", {programme_id});
  if (!scope_path.empty()) {
    w.add("((f.path >= ? AND f.path < ?) OR (t.path >= ? AND t.path < ?))",
          {scope_path, upper_bound_of(scope_path), scope_path, upper_bound_of(scope_path)});
  }
  Page<CareAllocation> out;
  out.total = conn_->query(std::string("SELECT COUNT(*)") + kAllocationFrom + w.sql(), w.params())
                  .at(0)
                  .integer(0);
  for (const Row& r : conn_->query(std::string("SELECT ") + kAllocationColumns + kAllocationFrom +
                                       w.sql() + " ORDER BY a.id DESC LIMIT ? OFFSET ?",
                                   w.params_with_page(page))) {
    out.items.push_back(allocation_from(r));
  }
  return out;
}

std::optional<Id> Tx::beneficiary_by_hash(const std::string& id_hash) {
  auto rows = q("SELECT id FROM care_beneficiaries WHERE id_hash = ?", {id_hash});
  if (rows.empty()) return std::nullopt;
  return rows[0].integer(0);
}

Id Tx::insert_beneficiary(const BeneficiaryRecord& b) {
  return insert_returning_id(
      "INSERT INTO care_beneficiaries (organisation_id, name, id_hash, id_cipher, id_mask, "
      "phone_cipher, phone_mask, employer, category, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {b.shown.organisation_id, b.shown.name, b.id_hash, b.id_cipher, b.shown.id_mask,
       b.phone_cipher, b.shown.phone_mask, b.shown.employer, b.shown.category, now_utc()});
}

std::optional<BeneficiaryRecord> Tx::beneficiary(Id id) {
  auto rows =
      q("SELECT id, organisation_id, name, id_mask, phone_mask, employer, category, id_hash, "
        "id_cipher, phone_cipher FROM care_beneficiaries WHERE id = ?",
        {id});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows[0];
  return BeneficiaryRecord{
      {r.integer(0), r.integer(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6)},
      r.text(7),
      r.text(8),
      r.text(9)};
}

Id Tx::insert_care_disbursement(const CareDisbursement& d) {
  const Id id = insert_returning_id(
      "INSERT INTO care_disbursements (programme_id, organisation_id, beneficiary_kind, "
      "beneficiary_id, category, unit_name, document_no, bank_name, bank_account, amount_fen, "
      "aid_kind, date, officials, note, duplicate_reason, movement_id, created_by, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {d.programme_id, d.organisation_id, d.beneficiary_kind, opt(d.beneficiary_id), d.category,
       d.unit_name, d.document_no, d.bank_name, d.bank_account, d.amount_fen,
       std::string(domain::aid_kind_name(d.aid_kind)), d.date.iso(), d.officials, d.note,
       d.duplicate_reason, d.movement_id, opt(d.created_by), now_utc()});
  const bool first = d.beneficiary_kind == "person" && d.duplicate_reason.empty();
  x(std::string(kAddPaymentSums) + "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)" + kOnPaymentSums,
    {d.programme_id, d.organisation_id, d.beneficiary_kind, d.category,
     std::string(domain::aid_kind_name(d.aid_kind)), d.date.iso().substr(0, 7), d.amount_fen,
     std::int64_t{first ? 1 : 0}});
  return id;
}

std::optional<CareDisbursement> Tx::care_disbursement(Id id) {
  auto rows = q(
      std::string("SELECT ") + kDisbursementColumns + kDisbursementFrom + " WHERE d.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return disbursement_from(rows[0]);
}

Page<CareDisbursement> Tx::care_disbursements(const DisbursementFilter& f) {
  Where w;
  w.subtree("o.path", f.scope_path);
  if (f.programme_id) w.add("d.programme_id = ?", {*f.programme_id});
  if (f.beneficiary_id) w.add("d.beneficiary_id = ?", {*f.beneficiary_id});
  if (!f.beneficiary_kind.empty()) w.add("d.beneficiary_kind = ?", {f.beneficiary_kind});
  Page<CareDisbursement> out;
  bool walk = false;
  if (f.beneficiary_id) {
    out.total =
        conn_->query(std::string("SELECT COUNT(*)") + kDisbursementFrom + w.sql(), w.params())
            .at(0)
            .integer(0);
  } else {
    // Payments in a subtree: the kept sums (migration 0031) hold the count, read in a few
    // hundred rows rather than counted over a million.
    auto kept = [&](const std::string& scope_path) {
      Where s;
      s.subtree("o.path", scope_path);
      if (f.programme_id) s.add("s.programme_id = ?", {*f.programme_id});
      if (!f.beneficiary_kind.empty()) s.add("s.beneficiary_kind = ?", {f.beneficiary_kind});
      return conn_
          ->query(
              "SELECT CAST(COALESCE(SUM(s.payments), 0) AS BIGINT) FROM care_payment_sums s "
              "JOIN organisations o ON o.id = s.organisation_id" +
                  s.sql(),
              s.params())
          .at(0)
          .integer(0);
    };
    out.total = kept(f.scope_path);
    const std::int64_t size = std::max<std::int64_t>(f.page.page_size, 1);
    if (f.page.page > (out.total + size - 1) / size) return out;  // past the last payment
    if (f.programme_id) {
      // Newest first, either by walking the programme's date index and testing each payment's
      // payer against the scope (cheap while the subtree pays much of the programme: a page is
      // found after a short walk), or through the payers' own index with a sort of the
      // subtree's payments (when they are few). The walk reads about (rows up to the page's
      // end) × the programme's payments / the subtree's; the sort reads the subtree's.
      const std::int64_t all = f.scope_path.empty() ? out.total : kept("");
      walk = static_cast<double>(f.page.page * size) * static_cast<double>(all) <=
             static_cast<double>(out.total) * static_cast<double>(out.total);
    }
  }
  // The planners do not know how much of a programme a subtree pays: SQLite drives from the
  // organisations and sorts the subtree's payments, PostgreSQL guesses. A walk is asked for.
  const bool sqlite = conn_->engine() == "sqlite";
  if (walk && !sqlite) {
    conn_->execute_script(
        "SET LOCAL enable_sort = off; SET LOCAL max_parallel_workers_per_gather = 0");
  }
  const std::string from =
      walk && sqlite ? " FROM care_disbursements d INDEXED BY care_disbursements_programme_date "
                       "CROSS JOIN organisations o ON o.id = d.organisation_id "
                       "LEFT JOIN care_beneficiaries b ON b.id = d.beneficiary_id"
                     : kDisbursementFrom;
  for (const Row& r : conn_->query(std::string("SELECT ") + kDisbursementColumns + from + w.sql() +
                                       " ORDER BY d.date DESC, d.id DESC LIMIT ? OFFSET ?",
                                   w.params_with_page(f.page))) {
    out.items.push_back(disbursement_from(r));
  }
  if (walk && !sqlite) {
    conn_->execute_script(
        "SET LOCAL enable_sort = DEFAULT; SET LOCAL max_parallel_workers_per_gather = DEFAULT");
  }
  return out;
}

std::int64_t Tx::disbursements_to(Id beneficiary_id, std::optional<Id> programme_id) {
  if (programme_id) {
    return q("SELECT COUNT(*) FROM care_disbursements WHERE beneficiary_id = ? "
             "AND programme_id = ?",
             {beneficiary_id, *programme_id})
        .at(0)
        .integer(0);
  }
  return q("SELECT COUNT(*) FROM care_disbursements WHERE beneficiary_id = ?", {beneficiary_id})
      .at(0)
      .integer(0);
}

LedgerFacts Tx::ledger_facts() {
  LedgerFacts f;
  for (const Row& r : q("SELECT id, owner_organisation_id, state, budget_fen "
                        "FROM care_programmes ORDER BY id")) {
    f.programmes.push_back({r.integer(0), r.integer(1), r.text(2), r.integer(3)});
  }
  // One pass over the entries grouped by account (a few thousand accounts), not one index walk
  // per account: at millions of entries the pass is what the engines do fastest.
  std::map<Id, std::int64_t> sums;
  for (const Row& r :
       q("SELECT account_id, SUM(amount_fen) FROM ledger_entries GROUP BY account_id")) {
    sums[r.integer(0)] = r.integer(1);
  }
  for (const Row& r : q("SELECT id, programme_id, kind, organisation_id, balance_fen "
                        "FROM ledger_accounts ORDER BY id")) {
    const auto sum = sums.find(r.integer(0));
    f.accounts.push_back({r.integer(0), r.integer(1), r.text(2), r.integer(3), r.integer(4),
                          sum == sums.end() ? 0 : sum->second});
  }
  for (const Row& r : q("SELECT a.id, a.programme_id, a.kind, a.from_organisation_id, "
                        "a.to_organisation_id, a.amount_fen, a.movement_id, t.parent_id "
                        "FROM care_allocations a JOIN organisations t "
                        "ON t.id = a.to_organisation_id ORDER BY a.id")) {
    f.allocations.push_back({r.integer(0), r.integer(1), r.text(2), r.integer(3), r.integer(4),
                             r.integer(5), r.integer(6), r.opt_integer(7)});
  }
  for (const Row& r : q("SELECT e.movement_id, a.kind, a.organisation_id, e.amount_fen "
                        "FROM care_allocations c JOIN ledger_entries e "
                        "ON e.movement_id = c.movement_id "
                        "JOIN ledger_accounts a ON a.id = e.account_id "
                        "ORDER BY e.movement_id, e.id")) {
    f.legs.push_back({r.integer(0), r.text(1), r.integer(2), r.integer(3)});
  }
  f.movements = count("ledger_movements");
  return f;
}

LedgerBreaks Tx::first_ledger_breaks() {
  // Each movement's entries joined once, with its payment if it is one: the engines walk the
  // three tables in movement order side by side (merge joins on PostgreSQL). Two passes, one
  // per check, each read the entries again, and PostgreSQL chose index probes per row for them
  // (LIMIT 1 made it expect an early hit): 25 s where this takes 10 at 5,000,000 entries.
  static constexpr const char* kMovementBreaks =
      "COUNT(e.movement_id) < 2 OR COALESCE(SUM(e.amount_fen), 0) <> 0 "
      "OR COALESCE(SUM(CASE WHEN a.programme_id <> m.programme_id THEN 1 ELSE 0 END), 0) <> 0";
  static constexpr const char* kPaymentBreaks =
      "COUNT(e.movement_id) <> 2 "
      "OR COALESCE(SUM(CASE WHEN a.kind = 'holding' AND a.organisation_id = d.organisation_id "
      "AND e.amount_fen = -d.amount_fen THEN 1 ELSE 0 END), 0) = 0 "
      "OR COALESCE(SUM(CASE WHEN a.kind = 'paid' AND a.organisation_id = d.organisation_id "
      "AND e.amount_fen = d.amount_fen THEN 1 ELSE 0 END), 0) = 0";
  const bool postgresql = conn_->engine() == "postgresql";
  // Compiling this one query costs PostgreSQL's JIT a second or two for nothing.
  if (postgresql) x("SET LOCAL jit = off");
  const Row firsts =
      q(std::string("SELECT MIN(CASE WHEN broken_movement = 1 THEN id END), "
                    "MIN(CASE WHEN broken_payment = 1 THEN payment_id END) FROM ("
                    "SELECT m.id AS id, MAX(d.id) AS payment_id, CASE WHEN ") +
        kMovementBreaks + " THEN 1 ELSE 0 END AS broken_movement, " +
        "CASE WHEN MAX(d.id) IS NOT NULL AND (" + kPaymentBreaks +
        ") THEN 1 ELSE 0 END AS broken_payment "
        "FROM ledger_movements m LEFT JOIN care_disbursements d ON d.movement_id = m.id "
        "LEFT JOIN ledger_entries e ON e.movement_id = m.id "
        "LEFT JOIN ledger_accounts a ON a.id = e.account_id GROUP BY m.id) g")
          .at(0);
  if (postgresql) x("SET LOCAL jit = DEFAULT");
  LedgerBreaks out;
  if (const auto id = firsts.opt_integer(0)) {
    const Row r =
        q("SELECT m.id, m.programme_id, m.kind, COUNT(e.movement_id), "
          "COALESCE(SUM(e.amount_fen), 0), "
          "COALESCE(SUM(CASE WHEN a.programme_id <> m.programme_id THEN 1 ELSE 0 END), 0) "
          "FROM ledger_movements m LEFT JOIN ledger_entries e ON e.movement_id = m.id "
          "LEFT JOIN ledger_accounts a ON a.id = e.account_id WHERE m.id = ? "
          "GROUP BY m.id, m.programme_id, m.kind",
          {*id})
            .at(0);
    out.movement = LedgerFacts::Movement{r.integer(0), r.integer(1), r.text(2),
                                         r.integer(3), r.integer(4), r.integer(5)};
  }
  if (const auto id = firsts.opt_integer(1)) {
    const Row r = q("SELECT id, programme_id, organisation_id, amount_fen, movement_id "
                    "FROM care_disbursements WHERE id = ?",
                    {*id})
                      .at(0);
    out.payment =
        LedgerFacts::Payment{r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4)};
  }
  return out;
}

}  // namespace xj::store
