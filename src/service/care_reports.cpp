#include "service/care_reports.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "service/rules.hpp"

namespace xj::service {

using detail::require;
using domain::Permission;
using domain::Principal;

namespace {

bool programme_visible(const Principal& who, const domain::CareProgramme& p) {
  return domain::in_scope(who, p.owner_path) || who.organisation_path.starts_with(p.owner_path);
}

struct Chosen {
  domain::CareProgramme programme;
  domain::Organisation organisation;
};

// The programme, visible to the caller, and the organisation whose subtree the report covers.
Result<Chosen> choose(store::Tx& tx, const Principal& who, Id programme_id,
                      std::optional<Id> organisation_id) {
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  auto p = tx.care_programme(programme_id);
  if (!p || !programme_visible(who, *p)) return Error::not_found();
  Id chosen = organisation_id.value_or(who.organisation_path.starts_with(p->owner_path)
                                           ? who.organisation_id
                                           : p->owner_organisation_id);
  auto o = chosen > 0 ? tx.organisation(chosen) : std::nullopt;
  if (!o || !domain::in_scope(who, o->path)) {
    return Error::invalid({{"organisation_id", {"组织不存在", "no such organisation"}}});
  }
  return Chosen{std::move(*p), std::move(*o)};
}

// The level order of the tree, top first; unknown levels after them.
int level_rank(const std::string& level) {
  static const std::vector<std::string> kOrder = {"province", "league", "county", "industry",
                                                  "grassroots"};
  const auto it = std::find(kOrder.begin(), kOrder.end(), level);
  return static_cast<int>(it - kOrder.begin());
}

std::string aid_kind_zh(const std::string& code) {
  if (code == "cash") return "现金";
  if (code == "goods") return "实物";
  if (code == "voucher") return "消费券";
  if (code == "subsidy") return "补助单位";
  return code;
}

std::string aid_kind_en(const std::string& code) {
  if (code == "cash") return "Cash";
  if (code == "goods") return "Goods";
  if (code == "voucher") return "Vouchers";
  if (code == "subsidy") return "Subsidies to units";
  return code;
}

}  // namespace

Result<CareReport> care_report(store::Store& store, const Principal& who, Id programme_id,
                               std::optional<Id> organisation_id) {
  store::Tx tx = store.read();
  auto chosen = choose(tx, who, programme_id, organisation_id);
  if (!chosen) return std::move(chosen).error();
  const auto& org = chosen->organisation;
  CareReport r;
  r.programme = std::move(chosen->programme);
  r.organisation_id = org.id;
  r.organisation_name = org.name;

  // One line for the organisation itself, then one per direct child, in the tree's order.
  auto figures = [](const domain::Organisation& o, bool own) {
    CareOrganisationFigures f;
    f.organisation_id = o.id;
    f.name = o.name;
    f.level = std::string(domain::level_name(o.level));
    f.own = own;
    return f;
  };
  r.organisations.push_back(figures(org, true));
  std::map<std::string, std::size_t> line_of;  // child path → its line
  {
    store::OrganisationFilter f;
    f.parent_id = org.id;
    f.page = {1, 200};
    for (std::int64_t page = 1;; ++page) {
      f.page.page = page;
      auto children = tx.organisations(f);
      for (const auto& c : children.items) {
        line_of[c.path] = r.organisations.size();
        r.organisations.push_back(figures(c, false));
      }
      if (page * f.page.page_size >= children.total || children.items.empty()) break;
    }
  }
  // The line an organisation's figures go to: its own, or the child whose subtree holds it.
  auto line = [&](const std::string& path) -> CareOrganisationFigures& {
    if (path == org.path) return r.organisations.front();
    const auto end = path.find('/', org.path.size());
    const auto it = line_of.find(path.substr(0, end + 1));
    // A path below the chosen organisation always has a child above it; keep the rest with the
    // organisation itself rather than lose it.
    return it == line_of.end() ? r.organisations.front() : r.organisations[it->second];
  };

  std::map<std::string, CareLevelHolding> levels;
  std::map<std::string, std::int64_t> level_orgs;
  for (const auto& a : tx.care_report_accounts(programme_id, org.path)) {
    if (a.kind == "budget") continue;
    auto& l = line(a.organisation_path);
    // A voucher batch's account is money its organisation set aside for vouchers not yet
    // redeemed: still held there (it returns to the holding when the batch expires).
    if (a.kind == "holding" || a.kind == "voucher_batch") {
      l.received_fen += a.balance_fen;
      l.held_fen += a.balance_fen;
      r.held_fen += a.balance_fen;
      auto& lv = levels[a.level];
      lv.level = a.level;
      lv.held_fen += a.balance_fen;
      if (a.kind == "holding") ++lv.organisations;
    } else if (a.kind == "paid") {
      l.received_fen += a.balance_fen;
    } else if (a.kind == "merchant") {
      // Redeemed vouchers: paid out, at the merchant's organisation (no disbursement row).
      l.received_fen += a.balance_fen;
      l.disbursed_fen += a.balance_fen;
      r.disbursed_fen += a.balance_fen;
    }
  }

  const store::CarePaymentTotals totals = tx.care_payment_totals(programme_id, org.path);
  for (const auto& p : totals.payers) {
    auto& l = line(p.key);
    l.disbursed_fen += p.amount_fen;
    l.count += p.count;
    r.disbursed_fen += p.amount_fen;
    r.count += p.count;
  }
  r.units = totals.unit_payments;
  r.received_fen = r.held_fen + r.disbursed_fen;
  r.budget_fen =
      org.id == r.programme.owner_organisation_id ? r.programme.budget_fen : r.received_fen;
  r.people = tx.care_people_paid(programme_id, org.path);

  std::map<std::string, std::pair<std::string, std::string>> names;
  for (const auto& e : tx.dictionary(domain::DictionaryKind::kBeneficiaryCategory, true)) {
    names[e.code] = {e.name, e.name_en};
  }
  for (const auto& c : totals.categories) {
    const auto it = names.find(c.key);
    r.categories.push_back({c.key, it == names.end() ? c.key : it->second.first,
                            it == names.end() ? c.key : it->second.second, c.count, c.amount_fen});
  }
  std::stable_sort(r.categories.begin(), r.categories.end(),
                   [](const auto& a, const auto& b) { return a.amount_fen > b.amount_fen; });
  for (const auto& k : totals.aid_kinds) {
    r.kinds.push_back({k.key, aid_kind_zh(k.key), aid_kind_en(k.key), k.count, k.amount_fen});
  }
  for (const auto& m : totals.months)
    r.months.push_back({m.key, m.key, m.key, m.count, m.amount_fen});
  for (auto& [level, l] : levels) r.levels.push_back(l);
  std::stable_sort(r.levels.begin(), r.levels.end(), [](const auto& a, const auto& b) {
    return level_rank(a.level) < level_rank(b.level);
  });
  return r;
}

Status each_care_disbursement(store::Store& store, const Principal& who, Id programme_id,
                              std::optional<Id> organisation_id,
                              const std::function<Status(const domain::CareDisbursement&)>& row) {
  store::DisbursementFilter f;
  {
    store::Tx tx = store.read();
    auto chosen = choose(tx, who, programme_id, organisation_id);
    if (!chosen) return std::move(chosen).error();
    f.scope_path = chosen->organisation.path;
  }
  f.programme_id = programme_id;
  f.page = {1, 200};
  for (std::int64_t page = 1;; ++page) {
    f.page.page = page;
    auto items = store.read().care_disbursements(f);
    for (const auto& d : items.items) {
      if (auto s = row(d); !s) return s;
    }
    if (items.items.empty() || page * f.page.page_size >= items.total) break;
  }
  return Status{};
}

}  // namespace xj::service
