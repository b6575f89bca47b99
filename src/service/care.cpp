#include "service/care.hpp"

#include <map>
#include <set>
#include <utility>

#include "service/rules.hpp"
#include "service/vouchers.hpp"

namespace xj::service {

using detail::add;
using detail::audit;
using detail::invalid_or;
using detail::require;
using detail::TxReferences;
using domain::CareAllocation;
using domain::CareDisbursement;
using domain::CareProgramme;
using domain::Permission;
using domain::ProgrammeState;

namespace {

constexpr std::string_view kIdContext = "care_beneficiaries.id_number";
constexpr std::string_view kPhoneContext = "care_beneficiaries.phone";

bool programme_visible(const Principal& who, const CareProgramme& p) {
  return domain::in_scope(who, p.owner_path) || who.organisation_path.starts_with(p.owner_path);
}

Error stale(const CareProgramme& p) {
  const std::string v = std::to_string(p.version);
  return Error::conflict(
      {"帮扶项目已被他人修改（当前版本 " + v + "），请刷新后重试",
       "the programme was changed meanwhile (now version " + v + "): reload it and try again"},
      "version");
}

Error not_open(const CareProgramme& p) {
  if (p.state == ProgrammeState::kDraft) {
    return Error::conflict({"帮扶项目尚未启动，请先启动再拨付或发放",
                            "the programme is not open yet: open it before moving money"},
                           "state");
  }
  return Error::conflict(
      {"帮扶项目已结束，不能再拨付或发放", "the programme is closed: no more money moves"},
      "state");
}

// The programme a write names: visible, or not found; open, or a conflict.
Result<CareProgramme> open_programme(store::Tx& tx, const Principal& who, Id id,
                                     const std::string& field) {
  auto p = id > 0 ? tx.care_programme(id) : std::nullopt;
  if (!p || !programme_visible(who, *p)) {
    return Error::invalid({{field, {"帮扶项目不存在", "no such programme"}}});
  }
  if (p->state != ProgrammeState::kOpen) return not_open(*p);
  return *p;
}

std::string yuan(std::int64_t fen) { return domain::format_yuan(fen) + " 元"; }

}  // namespace

store::BeneficiaryRecord seal_person(const Vault& vault, const domain::PersonInput& person,
                                     Id organisation_id) {
  store::BeneficiaryRecord b;
  b.shown.organisation_id = organisation_id;
  b.shown.name = person.name;
  b.shown.id_mask = domain::mask_resident_id(person.id_number);
  b.shown.phone_mask = domain::mask_phone(person.phone);
  b.shown.employer = person.employer;
  b.shown.category = person.category;
  b.id_hash = vault.keyed_hash(person.id_number);
  b.id_cipher = vault.encrypt(person.id_number, kIdContext);
  b.phone_cipher = person.phone.empty() ? "" : vault.encrypt(person.phone, kPhoneContext);
  return b;
}

std::string payee_words(const domain::PersonInput& person) {
  return person.name + "（" + domain::mask_resident_id(person.id_number) + "）";
}

// --- Programmes ----------------------------------------------------------------------------

Result<Page<CareProgramme>> Care::list_programmes(const Principal& who,
                                                  store::ProgrammeFilter filter) {
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  filter.scope_path = who.organisation_path;
  filter.page = clamp(filter.page);
  store::Tx tx = store_.read();
  return tx.care_programmes(filter);
}

Result<CareProgramme> Care::get_programme(const Principal& who, Id id) {
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto p = tx.care_programme(id);
  if (!p || !programme_visible(who, *p)) return Error::not_found();
  return *p;
}

Result<CareProgramme> Care::create_programme(const Principal& who, CareProgramme p) {
  if (auto s = require(who, Permission::kCareWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  TxReferences refs(tx);
  auto errors = domain::validate(p, refs);
  if (p.owner_organisation_id <= 0) {
    add(errors, "owner_organisation_id", "主办组织不能为空", "owner organisation is required");
  } else {
    detail::referenced_organisation(tx, who, p.owner_organisation_id, false, errors,
                                    "owner_organisation_id");
  }
  if (!errors.empty()) return invalid_or(std::move(errors));
  p.state = ProgrammeState::kDraft;
  const Id id = tx.insert_care_programme(p, who.account_id);
  audit(tx, who, "create", "care_programme", id, p.title + "，预算 " + yuan(p.budget_fen));
  auto saved = tx.care_programme(id);
  tx.commit();
  return *saved;
}

Result<CareProgramme> Care::update_programme(const Principal& who, Id id,
                                             std::optional<std::int64_t> version,
                                             const Patch<CareProgramme>& patch) {
  if (auto s = require(who, Permission::kCareWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  auto p = tx.care_programme(id);
  if (!p || !programme_visible(who, *p)) return Error::not_found();
  if (!domain::in_scope(who, p->owner_path)) return Error::forbidden();
  if (version && *version != p->version) return stale(*p);
  if (p->state == ProgrammeState::kClosed) {
    return Error::conflict({"帮扶项目已结束，不能修改", "the programme is closed"}, "state");
  }
  const CareProgramme before = *p;
  if (auto s = patch(*p); !s) return std::move(s).error();
  p->id = id;
  p->version = before.version;
  p->state = before.state;
  p->owner_organisation_id = before.owner_organisation_id;
  if (p->state != ProgrammeState::kDraft && p->budget_fen != before.budget_fen) {
    return Error::conflict(
        {"项目启动后预算不能再改", "the budget is fixed once the programme opens"}, "budget_fen");
  }
  TxReferences refs(tx);
  auto errors = domain::validate(*p, refs);
  if (!errors.empty()) return invalid_or(std::move(errors));
  if (!tx.update_care_programme(*p)) return stale(before);
  audit(tx, who, "update", "care_programme", id, p->title);
  auto saved = tx.care_programme(id);
  tx.commit();
  return *saved;
}

Result<CareProgramme> Care::transition(const Principal& who, Id id, std::int64_t version,
                                       domain::ProgrammeAction action) {
  if (auto s = require(who, Permission::kCareWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  auto p = tx.care_programme(id);
  if (!p || !programme_visible(who, *p)) return Error::not_found();
  if (!domain::in_scope(who, p->owner_path)) return Error::forbidden();
  if (version != p->version) return stale(*p);
  const auto next = domain::programme_transition(p->state, action);
  const bool opening = action == domain::ProgrammeAction::kOpen;
  if (!next) {
    return Error::conflict(
        opening ? Message{"只有草稿状态的项目可以启动", "only a draft programme can be opened"}
                : Message{"只有进行中的项目可以结束", "only an open programme can be closed"},
        "state");
  }
  const CareProgramme before = *p;
  p->state = *next;
  if (!tx.update_care_programme(*p)) return stale(before);
  if (opening) {
    const Id budget = tx.ledger_account(id, "budget", p->owner_organisation_id);
    const Id holding = tx.ledger_account(id, "holding", p->owner_organisation_id);
    tx.post_movement(id, "budget", who.account_id, p->title,
                     {{budget, -p->budget_fen}, {holding, p->budget_fen}});
  }
  audit(tx, who, opening ? "open" : "close", "care_programme", id,
        p->title + (opening ? "，预算 " + yuan(p->budget_fen) + " 入账" : ""));
  auto saved = tx.care_programme(id);
  tx.commit();
  return *saved;
}

// --- Allocations ---------------------------------------------------------------------------

Result<Page<CareAllocation>> Care::list_allocations(const Principal& who, Id programme_id,
                                                    store::PageRequest page) {
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto p = tx.care_programme(programme_id);
  if (!p || !programme_visible(who, *p)) return Error::not_found();
  return tx.care_allocations(programme_id, who.organisation_path, clamp(page));
}

Result<CareAllocation> Care::allocate(const Principal& who, CareAllocation a) {
  store::Tx tx = store_.write();
  auto saved = allocate(tx, who, std::move(a));
  if (saved) tx.commit();
  return saved;
}

Result<std::vector<CareAllocation>> Care::allocate_all(const Principal& who,
                                                       std::vector<CareAllocation> batch) {
  store::Tx tx = store_.write();
  std::vector<CareAllocation> saved;
  for (auto& a : batch) {
    auto one = allocate(tx, who, std::move(a));
    if (!one) return std::move(one).error();
    saved.push_back(std::move(*one));
  }
  tx.commit();
  return saved;
}

Result<CareAllocation> Care::allocate(store::Tx& tx, const Principal& who, CareAllocation a) {
  if (auto s = require(who, Permission::kCareWrite); !s) return std::move(s).error();
  auto errors = domain::validate(a);
  auto programme = open_programme(tx, who, a.programme_id, "programme_id");
  if (!programme && programme.error().code != ErrorCode::kInvalid) return programme.error();
  if (!programme) errors.push_back(programme.error().details.at(0));
  const auto from = detail::referenced_organisation(tx, who, a.from_organisation_id, false, errors,
                                                    "from_organisation_id");
  auto to = a.to_organisation_id > 0 ? tx.organisation(a.to_organisation_id) : std::nullopt;
  if (!to || !domain::in_scope(who, to->path)) {
    add(errors, "to_organisation_id", "组织不存在", "no such organisation");
  } else if (from && to->parent_id != from->id) {
    add(errors, "to_organisation_id", "只能拨付给（或收回自）直属下级组织",
        "money moves only to (or back from) a direct child organisation");
  }
  if (from && programme && !from->path.starts_with(programme->owner_path)) {
    add(errors, "from_organisation_id", "该组织不在本项目的范围内",
        "this organisation is outside the programme");
  }
  if (!errors.empty()) return invalid_or(std::move(errors));
  const bool down = a.kind == "allocation";
  const Id giver = down ? from->id : to->id;
  const Id taker = down ? to->id : from->id;
  const std::int64_t held = tx.ledger_balance(a.programme_id, "holding", giver);
  if (auto e = domain::overspend(held, a.amount_fen, "amount_fen")) return *e;
  const Id giver_account = tx.ledger_account(a.programme_id, "holding", giver);
  const Id taker_account = tx.ledger_account(a.programme_id, "holding", taker);
  a.movement_id =
      tx.post_movement(a.programme_id, down ? "allocation" : "take_back", who.account_id, a.note,
                       {{giver_account, -a.amount_fen}, {taker_account, a.amount_fen}});
  a.created_by = who.account_id;
  const Id id = tx.insert_care_allocation(a);
  audit(tx, who, down ? "allocate" : "take_back", "care_allocation", id,
        (down ? from->name + " → " + to->name : to->name + " → " + from->name) + "，" +
            yuan(a.amount_fen));
  return *tx.care_allocation(id);
}

// --- Disbursements -------------------------------------------------------------------------

Result<Page<CareDisbursement>> Care::list_disbursements(const Principal& who,
                                                        store::DisbursementFilter filter) {
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  filter.scope_path = who.organisation_path;
  filter.page = clamp(filter.page);
  store::Tx tx = store_.read();
  return tx.care_disbursements(filter);
}

Result<DisbursementView> Care::get_disbursement(const Principal& who, Id id) {
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto d = tx.care_disbursement(id);
  if (!d || !domain::in_scope(who, d->organisation_path)) return Error::not_found();
  DisbursementView view{*d, {}, 0};
  if (d->beneficiary_id) {
    store::DisbursementFilter f;
    f.scope_path = who.organisation_path;
    f.beneficiary_id = d->beneficiary_id;
    f.page = {1, 200};
    auto mine = tx.care_disbursements(f);
    for (auto& other : mine.items) {
      if (other.id != id) view.history.push_back(std::move(other));
    }
    view.elsewhere = tx.disbursements_to(*d->beneficiary_id, std::nullopt) - mine.total;
  }
  return view;
}

Result<CareDisbursement> Care::disburse(const Principal& who, DisbursementRequest request) {
  store::Tx tx = store_.write();
  auto saved = disburse(tx, who, std::move(request));
  if (saved) tx.commit();
  return saved;
}

Result<std::vector<CareDisbursement>> Care::disburse_all(const Principal& who,
                                                         std::vector<DisbursementRequest> batch) {
  store::Tx tx = store_.write();
  std::vector<CareDisbursement> saved;
  for (auto& request : batch) {
    auto one = disburse(tx, who, std::move(request));
    if (!one) return std::move(one).error();
    saved.push_back(std::move(*one));
  }
  tx.commit();
  return saved;
}

Result<CareDisbursement> Care::disburse(store::Tx& tx, const Principal& who,
                                        DisbursementRequest request) {
  if (auto s = require(who, Permission::kCareWrite); !s) return std::move(s).error();
  CareDisbursement d = std::move(request.disbursement);
  TxReferences refs(tx);
  auto errors = domain::validate(d, refs);
  if (d.beneficiary_kind == "person") {
    if (!request.person) {
      add(errors, "beneficiary", "请填写受助人信息", "the beneficiary's details are required");
    } else {
      for (auto& e : domain::validate(*request.person, refs)) errors.push_back(std::move(e));
      d.category = request.person->category;
    }
  }
  auto programme = open_programme(tx, who, d.programme_id, "programme_id");
  if (!programme && programme.error().code != ErrorCode::kInvalid) return programme.error();
  if (!programme) errors.push_back(programme.error().details.at(0));
  const auto payer =
      detail::referenced_organisation(tx, who, d.organisation_id, false, errors, "organisation_id");
  if (programme) {
    const auto& p = *programme;
    if (payer && !payer->path.starts_with(p.owner_path)) {
      add(errors, "organisation_id", "该组织不在本项目的范围内",
          "this organisation is outside the programme");
    }
    if (d.date < p.start_date || d.date > p.end_date) {
      add(errors, "date",
          "日期须在项目期间（" + p.start_date.iso() + " 至 " + p.end_date.iso() + "）内",
          "the date must fall within the programme (" + p.start_date.iso() + " to " +
              p.end_date.iso() + ")");
    }
    bool kind_ok = false;
    for (const auto k : p.kinds) kind_ok = kind_ok || k == d.aid_kind;
    if (!kind_ok)
      add(errors, "aid_kind", "本项目不提供这种帮扶方式", "the programme gives no such aid");
    if (!d.category.empty()) {
      bool category_ok = false;
      for (const auto& c : p.categories) category_ok = category_ok || c == d.category;
      if (!category_ok) {
        add(errors, "category", "本项目不面向这一类帮扶对象",
            "the programme does not serve this category");
      }
    }
  }
  if (!errors.empty()) return invalid_or(std::move(errors));

  std::optional<Id> beneficiary;
  std::string who_got_it = d.unit_name;
  if (request.person) {
    const auto& person = *request.person;
    const std::string hash = vault_.keyed_hash(person.id_number);
    beneficiary = tx.beneficiary_by_hash(hash);
    who_got_it = payee_words(person);
    if (beneficiary && tx.disbursements_to(*beneficiary, d.programme_id) > 0) {
      if (!request.confirm_duplicate) {
        return Error::conflict({"此人在本项目中已领取过帮扶；如确需再次发放，请确认并填写理由",
                                "this person has already been helped in this programme; confirm "
                                "with a reason to pay again"},
                               "confirm_duplicate");
      }
      if (d.duplicate_reason.empty()) {
        return Error::invalid(
            {{"duplicate_reason", {"再次发放须填写理由", "a reason is required to pay again"}}});
      }
    } else {
      d.duplicate_reason.clear();  // nothing to explain
    }
    if (!beneficiary)
      beneficiary = tx.insert_beneficiary(seal_person(vault_, person, d.organisation_id));
  }
  d.beneficiary_id = beneficiary;
  const std::int64_t held = tx.ledger_balance(d.programme_id, "holding", d.organisation_id);
  if (auto e = domain::overspend(held, d.amount_fen, "amount_fen")) return *e;
  const Id holding = tx.ledger_account(d.programme_id, "holding", d.organisation_id);
  const Id paid = tx.ledger_account(d.programme_id, "paid", d.organisation_id);
  const bool unit = d.beneficiary_kind == "unit";
  d.movement_id =
      tx.post_movement(d.programme_id, unit ? "subsidy" : "disbursement", who.account_id,
                       who_got_it, {{holding, -d.amount_fen}, {paid, d.amount_fen}});
  d.created_by = who.account_id;
  const Id id = tx.insert_care_disbursement(d);
  audit(tx, who, unit ? "subsidise" : "disburse", "care_disbursement", id,
        who_got_it + "，" + yuan(d.amount_fen) +
            (d.duplicate_reason.empty() ? "" : "，再次发放：" + d.duplicate_reason));
  return *tx.care_disbursement(id);
}

Result<Revealed> Care::reveal(const Principal& who, Id beneficiary_id) {
  if (auto s = require(who, Permission::kCareReveal); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  auto b = tx.beneficiary(beneficiary_id);
  if (!b) return Error::not_found();
  // In scope: registered by an organisation in the subtree, or helped by one.
  const auto org = tx.organisation(b->shown.organisation_id);
  bool visible = org && domain::in_scope(who, org->path);
  if (!visible) {
    store::DisbursementFilter f;
    f.scope_path = who.organisation_path;
    f.beneficiary_id = beneficiary_id;
    f.page = {1, 1};
    visible = tx.care_disbursements(f).total > 0;
  }
  if (!visible) return Error::not_found();
  auto id_number = vault_.decrypt(b->id_cipher, kIdContext);
  auto phone = b->phone_cipher.empty() ? std::optional<std::string>("")
                                       : vault_.decrypt(b->phone_cipher, kPhoneContext);
  if (!id_number || !phone) {
    return Error{ErrorCode::kInternal,
                 {"无法解密：密钥文件与数据库不匹配",
                  "cannot decrypt: the secrets file does not "
                  "match the database"},
                 {},
                 {}};
  }
  audit(tx, who, "reveal", "care_beneficiary", beneficiary_id,
        b->shown.name + "（" + b->shown.id_mask + "）的身份证号和电话");
  tx.commit();
  return Revealed{beneficiary_id, b->shown.name, *id_number, *phone};
}

// --- Ledger --------------------------------------------------------------------------------

Result<std::vector<domain::LedgerAccount>> Care::ledger(const Principal& who, Id programme_id) {
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto p = tx.care_programme(programme_id);
  if (!p || !programme_visible(who, *p)) return Error::not_found();
  return tx.ledger_accounts(programme_id, who.organisation_path);
}

Result<Page<domain::LedgerEntry>> Care::ledger_entries(const Principal& who, Id account_id,
                                                       store::PageRequest page) {
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto a = tx.ledger_account_by_id(account_id);
  if (!a || !domain::in_scope(who, a->organisation_path)) return Error::not_found();
  return tx.ledger_entries(account_id, clamp(page));
}

// --- Verification --------------------------------------------------------------------------

LedgerVerdict verify_ledger(store::Store& store) {
  store::Tx tx = store.read();
  const auto facts = tx.ledger_facts();
  LedgerVerdict v;
  v.programmes = static_cast<std::int64_t>(facts.programmes.size());
  v.accounts = static_cast<std::int64_t>(facts.accounts.size());
  v.movements = facts.movements;
  auto fail = [&v](std::string problem) {
    v.ok = false;
    v.problem = std::move(problem);
    return v;
  };
  // The checks run in this order and each names its first discrepancy by id, so the verdict
  // is the same whether a check runs in the database (movements, payments) or here.
  const store::LedgerBreaks breaks = tx.first_ledger_breaks();
  if (const auto& m = breaks.movement) {
    return fail("movement " + std::to_string(m->id) + " (" + m->kind + ", programme " +
                std::to_string(m->programme_id) + ") does not balance: " +
                std::to_string(m->entries) + " entries summing to " + std::to_string(m->sum) +
                " fen" + (m->foreign_entries != 0 ? ", some on another programme's accounts" : ""));
  }
  std::map<Id, std::int64_t> programme_sum;
  std::map<Id, std::int64_t> budget_balance;
  for (const auto& a : facts.accounts) {
    if (a.balance_fen != a.entries_sum) {
      return fail("account " + std::to_string(a.id) + " (" + a.kind + " of organisation " +
                  std::to_string(a.organisation_id) + ", programme " +
                  std::to_string(a.programme_id) + ") keeps a balance of " +
                  std::to_string(a.balance_fen) + " fen but its entries sum to " +
                  std::to_string(a.entries_sum));
    }
    if (a.kind != "budget" && a.entries_sum < 0) {
      return fail("account " + std::to_string(a.id) + " (" + a.kind + " of organisation " +
                  std::to_string(a.organisation_id) + ", programme " +
                  std::to_string(a.programme_id) +
                  ") is negative: " + std::to_string(a.entries_sum) + " fen");
    }
    programme_sum[a.programme_id] += a.entries_sum;
    if (a.kind == "budget") budget_balance[a.programme_id] += a.entries_sum;
  }
  for (const auto& p : facts.programmes) {
    if (programme_sum[p.id] != 0) {
      return fail("programme " + std::to_string(p.id) +
                  " does not sum to zero: " + std::to_string(programme_sum[p.id]) + " fen");
    }
    const std::int64_t expected = p.state == "draft" ? 0 : -p.budget_fen;
    if (budget_balance[p.id] != expected) {
      return fail("programme " + std::to_string(p.id) + "'s budget account holds " +
                  std::to_string(budget_balance[p.id]) + " fen, not " + std::to_string(expected));
    }
  }
  // The legs of each allocation's movement, to judge it against what it booked.
  std::map<Id, std::vector<const store::LedgerFacts::Leg*>> legs;
  for (const auto& l : facts.legs) legs[l.movement_id].push_back(&l);
  auto has_leg = [&legs](Id movement, const char* kind, Id org, std::int64_t amount) {
    for (const auto* l : legs[movement]) {
      if (l->account_kind == kind && l->organisation_id == org && l->amount_fen == amount) {
        return true;
      }
    }
    return false;
  };
  for (const auto& a : facts.allocations) {
    const bool down = a.kind == "allocation";
    const Id giver = down ? a.from_organisation_id : a.to_organisation_id;
    const Id taker = down ? a.to_organisation_id : a.from_organisation_id;
    if (a.to_parent_id != a.from_organisation_id || legs[a.movement_id].size() != 2 ||
        !has_leg(a.movement_id, "holding", giver, -a.amount_fen) ||
        !has_leg(a.movement_id, "holding", taker, a.amount_fen)) {
      return fail("allocation " + std::to_string(a.id) + " (programme " +
                  std::to_string(a.programme_id) + ") does not match its movement " +
                  std::to_string(a.movement_id) + " from organisation " + std::to_string(giver) +
                  " to its child " + std::to_string(taker));
    }
  }
  // Money reaches an organisation only from its parent: every holding but the owner's was fed
  // by allocations, so each chain leads back to the budget.
  std::map<Id, Id> owner;
  for (const auto& p : facts.programmes) owner[p.id] = p.owner_organisation_id;
  std::set<std::pair<Id, Id>> fed;  // (programme, organisation) that received an allocation
  for (const auto& a : facts.allocations) {
    if (a.kind == "allocation") fed.insert({a.programme_id, a.to_organisation_id});
  }
  for (const auto& a : facts.accounts) {
    if (a.kind == "budget" && a.organisation_id != owner[a.programme_id]) {
      return fail("programme " + std::to_string(a.programme_id) +
                  " has a budget account of organisation " + std::to_string(a.organisation_id) +
                  ", not of its owner");
    }
    if (a.kind == "holding" && a.entries_sum != 0 && a.organisation_id != owner[a.programme_id] &&
        !fed.contains({a.programme_id, a.organisation_id})) {
      return fail("organisation " + std::to_string(a.organisation_id) + " holds " +
                  std::to_string(a.entries_sum) + " fen of programme " +
                  std::to_string(a.programme_id) + " that no allocation brought it");
    }
  }
  if (const auto& d = breaks.payment) {
    return fail("disbursement " + std::to_string(d->id) + " (programme " +
                std::to_string(d->programme_id) + ") does not match its movement " +
                std::to_string(d->movement_id));
  }
  if (auto problem = detail::verify_vouchers(tx)) return fail(*problem);
  return v;
}

}  // namespace xj::service
