#include "service/vouchers.hpp"

#include <sodium.h>

#include <array>
#include <set>
#include <utility>

#include "service/rules.hpp"

namespace xj::service {

using detail::add;
using detail::audit;
using detail::invalid_or;
using detail::require;
using detail::TxReferences;
using domain::Merchant;
using domain::Permission;
using domain::Voucher;
using domain::VoucherBatch;

namespace {

constexpr std::string_view kCodeContext = "care_vouchers.code";
constexpr std::string_view kIdContext = "care_beneficiaries.id_number";
constexpr std::string_view kPhoneContext = "care_beneficiaries.phone";

std::string yuan(std::int64_t fen) { return domain::format_yuan(fen) + " 元"; }

Date today() { return shanghai_date(now_utc()); }

// "2026-12-04 15:03" in Asia/Shanghai, for messages.
std::string shanghai_minute(UnixSeconds t) {
  const UnixSeconds local = t + UnixSeconds{8} * 3600;
  const auto day = shanghai_date(t);
  const auto seconds = ((local % 86400) + 86400) % 86400;
  const auto hh = seconds / 3600;
  const auto mm = (seconds % 3600) / 60;
  std::string out = day.iso() + " ";
  out += static_cast<char>('0' + hh / 10);
  out += static_cast<char>('0' + hh % 10);
  out += ':';
  out += static_cast<char>('0' + mm / 10);
  out += static_cast<char>('0' + mm % 10);
  return out;
}

Error conflict_redeemed(const domain::VoucherRedemption& r) {
  const std::string when = shanghai_minute(r.at);
  return Error::conflict({"这张券已于 " + when + " 在「" + r.merchant_name + "」核销，不能再用",
                          "this voucher was redeemed at " + r.merchant_name + " on " + when +
                              " (Beijing time) and cannot be used again"},
                         "code");
}

Error expired_error(const Voucher& v) {
  const std::string to = v.valid_to.iso();
  return Error{
      ErrorCode::kInvalid,
      {"这张券已于 " + to + " 过期，不能核销", "this voucher expired on " + to},
      "code",
      {{"code", {"这张券已于 " + to + " 过期，不能核销", "this voucher expired on " + to}}}};
}

Error no_such_code() {
  return Error::not_found({"没有这张券，请核对券码", "no such voucher: check the code"});
}

std::optional<Error> not_a_till(store::Tx& tx, const Principal& who, Id& merchant) {
  const auto m = tx.merchant_of_account(who.account_id);
  if (!m) {
    return Error::forbidden(
        {"此账号未绑定商户，不能核销", "this account works for no merchant: it cannot redeem"});
  }
  merchant = *m;
  return std::nullopt;
}

// Expires one batch in `tx`: the unredeemed rest back to the holding. REQUIRES: open.
void expire_in(store::Tx& tx, VoucherBatch b) {
  // The vouchers first: that waits for the batch's redemptions in flight (redemptions do not
  // take the global write lock) and bars later ones, so the count read after it is final.
  tx.expire_vouchers(b.id);
  b = *tx.voucher_batch(b.id);
  const std::int64_t rest = b.face_value_fen * (b.count - b.redeemed);
  const Id batch_account =
      tx.ledger_ref_account(b.programme_id, "voucher_batch", b.organisation_id, b.id);
  // A batch fully redeemed moves nothing back; it still closes, with no movement to name.
  std::optional<Id> movement;
  if (rest > 0) {
    const Id holding = tx.ledger_account(b.programme_id, "holding", b.organisation_id);
    movement = tx.post_movement(b.programme_id, "voucher_expiry", std::nullopt, b.title,
                                {{batch_account, -rest}, {holding, rest}});
  }
  tx.expire_batch(b.id, movement);
  domain::AuditEntry e;
  e.at = now_utc();
  e.username = "system";
  e.action = "expire";
  e.entity = "voucher_batch";
  e.entity_id = b.id;
  e.detail = b.title + "，过期退回 " + yuan(rest);
  tx.append_audit(e);
}

Voucher for_till(Voucher v) {
  v.code.clear();
  v.beneficiary_name = domain::mask_person_name(v.beneficiary_name);
  v.beneficiary_id_mask.clear();
  return v;
}

}  // namespace

// --- Merchants -----------------------------------------------------------------------------

Result<Page<Merchant>> Vouchers::list_merchants(const Principal& who, store::PageRequest page) {
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  return tx.merchants(who.organisation_path, clamp(page));
}

Result<Merchant> Vouchers::create_merchant(const Principal& who, Merchant m) {
  if (auto s = require(who, Permission::kCareWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  auto errors = domain::validate(m);
  detail::referenced_organisation(tx, who, m.organisation_id, false, errors, "organisation_id");
  if (!errors.empty()) return invalid_or(std::move(errors));
  const Id id = tx.insert_merchant(m, who.account_id);
  audit(tx, who, "create", "care_merchant", id, m.name);
  auto saved = tx.merchant(id);
  tx.commit();
  return *saved;
}

Result<Merchant> Vouchers::link_account(const Principal& who, Id merchant_id, Id account_id) {
  if (auto s = require(who, Permission::kCareWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  auto m = tx.merchant(merchant_id);
  if (!m || !domain::in_scope(who, m->organisation_path)) return Error::not_found();
  auto a = account_id > 0 ? tx.account(account_id) : std::nullopt;
  auto org = a ? tx.organisation(a->organisation_id) : std::nullopt;
  if (!a || !org || !domain::in_scope(who, org->path)) {
    return Error::invalid({{"account_id", {"账号不存在", "no such account"}}});
  }
  if (a->role != domain::Role::kMerchant) {
    return Error::invalid({{"account_id",
                            {"只有“商户”角色的账号可以绑定商户",
                             "only an account of role merchant can work for a merchant"}}});
  }
  tx.link_merchant_account(account_id, merchant_id);
  audit(tx, who, "link", "care_merchant", merchant_id, m->name + " ← " + a->username);
  tx.commit();
  return *m;
}

// --- Batches -------------------------------------------------------------------------------

Result<Page<VoucherBatch>> Vouchers::list_batches(const Principal& who,
                                                  std::optional<Id> programme_id,
                                                  store::PageRequest page) {
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  return tx.voucher_batches(programme_id, who.organisation_path, clamp(page));
}

Result<VoucherBatch> Vouchers::get_batch(const Principal& who, Id id) {
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto b = tx.voucher_batch(id);
  if (!b || !domain::in_scope(who, b->organisation_path)) return Error::not_found();
  return *b;
}

Result<VoucherBatch> Vouchers::create_batch(const Principal& who, VoucherBatch b) {
  if (auto s = require(who, Permission::kCareWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  auto errors = domain::validate(b);
  const auto org =
      detail::referenced_organisation(tx, who, b.organisation_id, false, errors, "organisation_id");
  auto p = b.programme_id > 0 ? tx.care_programme(b.programme_id) : std::nullopt;
  const bool visible = p && (domain::in_scope(who, p->owner_path) ||
                             who.organisation_path.starts_with(p->owner_path));
  if (!visible) {
    add(errors, "programme_id", "帮扶项目不存在", "no such programme");
  } else {
    if (p->state != domain::ProgrammeState::kOpen) {
      return Error::conflict({"帮扶项目不在进行中，不能发券", "the programme is not open"},
                             "state");
    }
    bool vouchers = false;
    for (const auto k : p->kinds) vouchers = vouchers || k == domain::AidKind::kVoucher;
    if (!vouchers) {
      add(errors, "programme_id", "本项目不提供消费券", "the programme gives no vouchers");
    }
    if (org && !org->path.starts_with(p->owner_path)) {
      add(errors, "organisation_id", "该组织不在本项目的范围内",
          "this organisation is outside the programme");
    }
  }
  if (b.valid_to < today()) {
    add(errors, "valid_to", "有效期截止日不能早于今天", "the last valid day must not be past");
  }
  for (std::size_t i = 0; i < b.merchant_ids.size(); ++i) {
    auto m = b.merchant_ids[i] > 0 ? tx.merchant(b.merchant_ids[i]) : std::nullopt;
    if (!m || !domain::in_scope(who, m->organisation_path)) {
      add(errors, "merchant_ids[" + std::to_string(i) + "]", "商户不存在", "no such merchant");
    }
  }
  if (!errors.empty()) return invalid_or(std::move(errors));
  const std::int64_t total = b.face_value_fen * b.count;
  const std::int64_t held = tx.ledger_balance(b.programme_id, "holding", b.organisation_id);
  if (auto e = domain::overspend(held, total, "count")) return *e;
  const Id id = tx.insert_voucher_batch(b, who.account_id);
  const Id holding = tx.ledger_account(b.programme_id, "holding", b.organisation_id);
  const Id batch_account =
      tx.ledger_ref_account(b.programme_id, "voucher_batch", b.organisation_id, id);
  const Id movement = tx.post_movement(b.programme_id, "voucher_batch", who.account_id, b.title,
                                       {{holding, -total}, {batch_account, total}});
  tx.set_batch_movement(id, movement);
  audit(tx, who, "create", "voucher_batch", id,
        b.title + "，" + std::to_string(b.count) + " 张 × " + yuan(b.face_value_fen));
  auto saved = tx.voucher_batch(id);
  tx.commit();
  return *saved;
}

Result<std::vector<Voucher>> Vouchers::issue(const Principal& who, Id batch_id,
                                             std::vector<IssueTarget> targets) {
  if (auto s = require(who, Permission::kCareWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  auto b = tx.voucher_batch(batch_id);
  if (!b || !domain::in_scope(who, b->organisation_path)) return Error::not_found();
  if (b->state != domain::BatchState::kOpen || b->valid_to < today()) {
    return Error::conflict({"这批券已过期，不能再发放", "the batch has expired"}, "state");
  }
  if (targets.empty() || targets.size() > 1000) {
    return Error::invalid(
        {{"beneficiaries", {"请列出 1 至 1000 位受助人", "list 1 to 1000 beneficiaries"}}});
  }
  if (b->issued + static_cast<std::int64_t>(targets.size()) > b->count) {
    const auto left = std::to_string(b->count - b->issued);
    return Error::invalid(
        {{"beneficiaries", {"这批券只剩 " + left + " 张", "only " + left + " vouchers are left"}}});
  }
  TxReferences refs(tx);
  std::vector<FieldError> errors;
  std::vector<Id> who_gets;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const std::string field = "beneficiaries[" + std::to_string(i) + "]";
    auto& t = targets[i];
    if (t.beneficiary_id) {
      auto rec = *t.beneficiary_id > 0 ? tx.beneficiary(*t.beneficiary_id) : std::nullopt;
      auto org = rec ? tx.organisation(rec->shown.organisation_id) : std::nullopt;
      if (!rec || !org || !domain::in_scope(who, org->path)) {
        add(errors, field + ".beneficiary_id", "受助人不存在", "no such beneficiary");
        continue;
      }
      who_gets.push_back(*t.beneficiary_id);
      names.push_back(rec->shown.name + "（" + rec->shown.id_mask + "）");
      continue;
    }
    if (!t.person) {
      add(errors, field, "请填写受助人", "a beneficiary is required");
      continue;
    }
    auto found = domain::validate(*t.person, refs);
    for (auto& e : found) errors.push_back({field + "." + e.field, e.message});
    if (!found.empty()) continue;
    const auto& person = *t.person;
    const std::string hash = vault_.keyed_hash(person.id_number);
    auto existing = tx.beneficiary_by_hash(hash);
    if (!existing) {
      store::BeneficiaryRecord rec;
      rec.shown.organisation_id = b->organisation_id;
      rec.shown.name = person.name;
      rec.shown.id_mask = domain::mask_resident_id(person.id_number);
      rec.shown.phone_mask = domain::mask_phone(person.phone);
      rec.shown.employer = person.employer;
      rec.shown.category = person.category;
      rec.id_hash = hash;
      rec.id_cipher = vault_.encrypt(person.id_number, kIdContext);
      rec.phone_cipher = person.phone.empty() ? "" : vault_.encrypt(person.phone, kPhoneContext);
      existing = tx.insert_beneficiary(rec);
    }
    who_gets.push_back(*existing);
    names.push_back(person.name + "（" + domain::mask_resident_id(person.id_number) + "）");
  }
  if (!errors.empty()) return invalid_or(std::move(errors));
  std::set<Id> seen;
  for (std::size_t i = 0; i < who_gets.size(); ++i) {
    if (!seen.insert(who_gets[i]).second || tx.voucher_issued_to(batch_id, who_gets[i])) {
      return Error::conflict({names[i] + " 已领过这批券，同一人在一批券中只能领一张",
                              names[i] + " already has a voucher of this batch: one per person"},
                             "beneficiaries[" + std::to_string(i) + "]");
    }
  }
  std::vector<Voucher> out;
  for (const Id beneficiary : who_gets) {
    std::array<unsigned char, domain::kVoucherRandomBytes> random{};
    randombytes_buf(random.data(), random.size());
    const std::string code = domain::voucher_code(random);
    const std::string symbols = *domain::normalise_voucher_code(code);
    const Id id = tx.insert_voucher(batch_id, beneficiary, vault_.keyed_hash("voucher:" + symbols),
                                    vault_.encrypt(symbols, kCodeContext),
                                    symbols.substr(symbols.size() - 4), who.account_id);
    auto saved = tx.voucher(id);
    saved->shown.code = code;
    out.push_back(saved->shown);
  }
  audit(tx, who, "issue", "voucher_batch", batch_id,
        b->title + "，发放 " + std::to_string(out.size()) + " 张");
  tx.commit();
  return out;
}

Result<Page<Voucher>> Vouchers::list_vouchers(const Principal& who, Id batch_id,
                                              store::PageRequest page) {
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto b = tx.voucher_batch(batch_id);
  if (!b || !domain::in_scope(who, b->organisation_path)) return Error::not_found();
  return tx.vouchers(batch_id, clamp(page));
}

Result<Voucher> Vouchers::get_voucher(const Principal& who, Id id) {
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto v = tx.voucher(id);
  if (!v || !domain::in_scope(who, v->organisation_path)) return Error::not_found();
  if (domain::allows(who.role, Permission::kCareWrite)) {
    auto symbols = vault_.decrypt(v->code_cipher, kCodeContext);
    if (!symbols) {
      return Error{ErrorCode::kInternal,
                   {"无法解密：密钥文件与数据库不匹配",
                    "cannot decrypt: the secrets file does not match the database"},
                   {},
                   {}};
    }
    v->shown.code = domain::group_voucher_code(*symbols);
  }
  return v->shown;
}

// --- The till ------------------------------------------------------------------------------

Result<VoucherCheck> Vouchers::check(const Principal& who, const std::string& code) {
  if (auto s = require(who, Permission::kVoucherRedeem); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  Id merchant = 0;
  if (auto e = not_a_till(tx, who, merchant)) return *e;
  const auto symbols = domain::normalise_voucher_code(code);
  if (!symbols) return no_such_code();
  auto v = tx.voucher_by_hash(vault_.keyed_hash("voucher:" + *symbols));
  if (!v) return no_such_code();
  VoucherCheck out;
  out.voucher = for_till(v->shown);
  out.accepted_here = tx.batch_accepts(v->shown.batch_id, merchant);
  const Date now = today();
  if (v->shown.state == "redeemed") {
    out.reason = {"已核销", "already redeemed"};
  } else if (v->shown.state == "expired" || now > v->shown.valid_to) {
    out.reason = {"已过期", "expired"};
    out.voucher.state = "expired";
  } else if (now < v->shown.valid_from) {
    out.reason = {"尚未到使用日期（" + v->shown.valid_from.iso() + " 起）",
                  "not valid before " + v->shown.valid_from.iso()};
  } else if (!out.accepted_here) {
    out.reason = {"本商户不受理这批券", "this merchant does not take this batch"};
  } else {
    out.redeemable = true;
  }
  return out;
}

std::optional<AlreadyRedeemed> Vouchers::redeemed(const std::string& code) {
  const auto symbols = domain::normalise_voucher_code(code);
  if (!symbols) return std::nullopt;
  store::Tx tx = store_.read();
  auto v = tx.voucher_by_hash(vault_.keyed_hash("voucher:" + *symbols));
  if (!v) return std::nullopt;
  auto r = tx.redemption_of_voucher(v->shown.id);
  if (!r) return std::nullopt;
  return AlreadyRedeemed{r->at, r->merchant_name};
}

Result<RedeemAnswer> Vouchers::redeem(const Principal& who, const std::string& code,
                                      const std::string& request_key) {
  if (auto s = require(who, Permission::kVoucherRedeem); !s) return std::move(s).error();
  const auto symbols = domain::normalise_voucher_code(code);
  const bool plain = symbols && domain::request_key_valid(request_key);
  const std::string hash = symbols ? vault_.keyed_hash("voucher:" + *symbols) : std::string();
  // A lost race (another redemption of the voucher, or under the key, committed first) is
  // answered from what was committed, as a sequential redemption would have been; a claim lost
  // to a redemption that then rolled back is tried again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (plain) {
      try {
        if (auto booked = book_redemption(who, hash, request_key)) return std::move(*booked);
      } catch (const store::sql::UniqueViolation&) {
        // The voucher's or the key's redemption committed meanwhile: judged below.
      }
    }
    if (auto refused = refusal(who, symbols ? &hash : nullptr, request_key)) {
      return std::move(*refused);
    }
  }
  return Error::conflict({"核销未完成，请重试", "the redemption did not go through: try again"});
}

std::optional<RedeemAnswer> Vouchers::book_redemption(const Principal& who, const std::string& hash,
                                                      const std::string& request_key) {
  // Without the store's global write lock: every race is closed by a row lock or a constraint.
  // - An expiry marks the batch's issued vouchers expired before it counts the redeemed ones:
  //   it waits for this claim of the voucher's row and counts this redemption once committed,
  //   or this claim waits for the expiry and finds the voucher expired (then 422).
  // - Two claims of one voucher: the second waits on the voucher's row, then finds it redeemed.
  // - One request key on two vouchers: the UNIQUE key refuses the second (UniqueViolation).
  // - A merchant's first redemption in a programme opens its account: ON CONFLICT DO NOTHING.
  // - The two kept balances are added to last, in the order of the accounts' ids.
  // Issuing and the reversal of allocations or disbursements touch none of these rows.
  store::Tx tx = store_.write_row_locked();
  const auto t = tx.redemption_target(hash, who.account_id, request_key);
  const Date now = today();
  // Anything but the plain case is refused or replayed by refusal(), in the sequential order.
  if (!t || !t->merchant_id || t->key_used || t->voucher_state != "issued" || !t->accepted ||
      t->batch_state != "open" || now > t->valid_to || now < t->valid_from ||
      t->batch_account == 0) {
    return std::nullopt;
  }
  if (!tx.claim_voucher(t->voucher_id)) return std::nullopt;
  const Id merchant_account =
      t->merchant_account ? *t->merchant_account
                          : tx.ledger_ref_account(t->programme_id, "merchant",
                                                  t->merchant_organisation_id, *t->merchant_id);
  tx.defer_balances();
  domain::VoucherRedemption r;
  r.voucher_id = t->voucher_id;
  r.merchant_id = *t->merchant_id;
  r.account_id = who.account_id;
  r.request_key = request_key;
  r.at = now_utc();
  r.movement_id = tx.post_movement(
      t->programme_id, "redemption", who.account_id, t->merchant_name,
      {{t->batch_account, -t->face_value_fen}, {merchant_account, t->face_value_fen}});
  r.id = tx.insert_redemption(r);
  // The answer is built from what was written: no read-back.
  r.merchant_name = t->merchant_name;
  r.face_value_fen = t->face_value_fen;
  r.code_mask = domain::mask_voucher_code(t->code_tail);
  r.batch_id = t->batch_id;
  audit(tx, who, "redeem", "care_voucher", t->voucher_id,
        r.code_mask + "，" + yuan(t->face_value_fen) + "，" + t->merchant_name);
  tx.commit();
  return RedeemAnswer{r, false};
}

std::optional<Result<RedeemAnswer>> Vouchers::refusal(const Principal& who, const std::string* hash,
                                                      const std::string& request_key) {
  std::optional<Id> due;  // an open batch past its last valid day: swept below
  std::optional<Result<RedeemAnswer>> out;
  {
    store::Tx tx = store_.read();
    Id merchant = 0;
    if (auto e = not_a_till(tx, who, merchant)) return *e;
    if (!domain::request_key_valid(request_key)) {
      return Error::bad_request({"请求须带 Idempotency-Key 头（1–128 个可见 ASCII 字符）",
                                 "the request needs an Idempotency-Key header (1 to 128 visible "
                                 "ASCII characters)"},
                                "Idempotency-Key");
    }
    if (hash == nullptr) return no_such_code();
    auto v = tx.voucher_by_hash(*hash);
    if (!v) return no_such_code();
    if (auto earlier = tx.redemption_by_key(request_key)) {
      if (earlier->voucher_id == v->shown.id && earlier->merchant_id == merchant) {
        return RedeemAnswer{*earlier, true};
      }
      return Error::invalid({{"Idempotency-Key",
                              {"这个请求键已用于另一次核销，请换一个",
                               "this request key was used "
                               "for another redemption"}}});
    }
    if (auto done = tx.redemption_of_voucher(v->shown.id)) return conflict_redeemed(*done);
    if (!tx.batch_accepts(v->shown.batch_id, merchant)) {
      return Error::forbidden({"本商户不受理这批券", "this merchant does not take this batch"});
    }
    const Date now = today();
    if (v->batch_state == "expired" || now > v->shown.valid_to) {
      // The sweep, at the first attempt after the last valid day: the value returns now.
      if (v->batch_state == "open") due = v->shown.batch_id;
      out = expired_error(v->shown);
    } else if (now < v->shown.valid_from) {
      const std::string from = v->shown.valid_from.iso();
      return Error{
          ErrorCode::kInvalid,
          {"这张券 " + from + " 起才能使用", "this voucher is valid from " + from},
          "code",
          {{"code", {"这张券 " + from + " 起才能使用", "this voucher is valid from " + from}}}};
    }
  }
  if (due) expire_if_due(*due, today());
  return out;
}

bool Vouchers::expire_if_due(Id batch_id, const Date& day) {
  store::Tx tx = store_.write();
  auto b = tx.voucher_batch(batch_id);
  // Swept meanwhile (expiries take the global write lock), or not due.
  if (!b || b->state != domain::BatchState::kOpen || !(b->valid_to < day)) return false;
  expire_in(tx, *b);
  tx.commit();
  return true;
}

Result<Page<domain::VoucherRedemption>> Vouchers::list_redemptions(const Principal& who,
                                                                   store::PageRequest page) {
  store::Tx tx = store_.read();
  if (who.role == domain::Role::kMerchant) {
    Id merchant = 0;
    if (auto e = not_a_till(tx, who, merchant)) return *e;
    return tx.redemptions(merchant, "", clamp(page));
  }
  if (auto s = require(who, Permission::kCareRead); !s) return std::move(s).error();
  return tx.redemptions(std::nullopt, who.organisation_path, clamp(page));
}

std::int64_t Vouchers::expire_due(const Date& day) {
  std::vector<Id> due;
  {
    store::Tx tx = store_.read();
    due = tx.batches_past(day);
  }
  std::int64_t expired = 0;
  for (const Id id : due) {
    if (expire_if_due(id, day)) ++expired;
  }
  return expired;
}

// --- Verification --------------------------------------------------------------------------

namespace detail {

std::optional<std::string> verify_vouchers(store::Tx& tx) {
  const auto f = tx.voucher_facts();
  for (const auto& b : f.batches) {
    const std::int64_t expected =
        b.state == "expired" ? 0 : b.face_value_fen * (b.count - b.redeemed);
    if (b.booked != b.face_value_fen * b.count) {
      return "voucher batch " + std::to_string(b.id) + " booked " + std::to_string(b.booked) +
             " fen, not its count × face value " + std::to_string(b.face_value_fen * b.count);
    }
    if (b.account_sum != expected) {
      return "voucher batch " + std::to_string(b.id) + " (" + b.state + ", " +
             std::to_string(b.redeemed) + " of " + std::to_string(b.count) + " redeemed) holds " +
             std::to_string(b.account_sum) + " fen, not " + std::to_string(expected);
    }
  }
  for (const auto& m : f.merchants) {
    if (m.account_sum != m.redeemed_fen) {
      return "merchant " + std::to_string(m.merchant_id) + "'s account " +
             std::to_string(m.account_id) + " (programme " + std::to_string(m.programme_id) +
             ") holds " + std::to_string(m.account_sum) + " fen but its redemptions are worth " +
             std::to_string(m.redeemed_fen);
    }
  }
  if (!f.bad_redemptions.empty()) {
    return "redemption " + std::to_string(f.bad_redemptions.front()) +
           " does not match its movement (one face value from its batch to its merchant)";
  }
  if (!f.bad_reversals.empty()) {
    return "reversal movement " + std::to_string(f.bad_reversals.front()) +
           " does not exactly undo the movement it names";
  }
  return std::nullopt;
}

}  // namespace detail

}  // namespace xj::service
