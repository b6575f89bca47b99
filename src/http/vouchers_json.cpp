#include "http/vouchers_json.hpp"

#include <boost/json.hpp>

namespace xj::http {

namespace {
json::value maybe_id(const std::optional<Id>& id) {
  return id ? json::value(*id) : json::value(nullptr);
}
}  // namespace

json::value to_json(const domain::Merchant& m) {
  return {{"id", m.id},
          {"organisation_id", m.organisation_id},
          {"organisation_name", m.organisation_name},
          {"name", m.name},
          {"credit_code", m.credit_code},
          {"contact", m.contact},
          {"created_at", iso_instant(m.created_at)}};
}

json::value to_json(const domain::VoucherBatch& b) {
  json::array merchants;
  for (const auto& m : b.merchants) merchants.push_back(to_json(m));
  return {{"id", b.id},
          {"programme_id", b.programme_id},
          {"organisation_id", b.organisation_id},
          {"organisation_name", b.organisation_name},
          {"title", b.title},
          {"face_value_fen", b.face_value_fen},
          {"count", b.count},
          {"valid_from", b.valid_from.iso()},
          {"valid_to", b.valid_to.iso()},
          {"state", domain::batch_state_name(b.state)},
          {"issued", b.issued},
          {"redeemed", b.redeemed},
          {"expired", b.expired},
          {"merchant_ids", json::value_from(b.merchant_ids)},
          {"merchants", std::move(merchants)},
          {"movement_id", b.movement_id},
          {"expiry_movement_id", maybe_id(b.expiry_movement_id)},
          {"created_at", iso_instant(b.created_at)}};
}

json::value to_json(const domain::Voucher& v) {
  json::object out{{"id", v.id},
                   {"batch_id", v.batch_id},
                   {"batch_title", v.batch_title},
                   {"beneficiary_id", v.beneficiary_id},
                   {"beneficiary_name", v.beneficiary_name},
                   {"beneficiary_id_mask", v.beneficiary_id_mask},
                   {"state", v.state},
                   {"code_mask", v.code_mask},
                   {"face_value_fen", v.face_value_fen},
                   {"valid_from", v.valid_from.iso()},
                   {"valid_to", v.valid_to.iso()},
                   {"issued_at", iso_instant(v.issued_at)},
                   {"redeemed_at", v.redeemed_at ? json::value(iso_instant(*v.redeemed_at))
                                                 : json::value(nullptr)},
                   {"redeemed_merchant", v.redeemed_merchant}};
  if (!v.code.empty()) out["code"] = v.code;
  return out;
}

json::value to_json(const domain::VoucherRedemption& r) {
  return {{"id", r.id},
          {"voucher_id", r.voucher_id},
          {"batch_id", r.batch_id},
          {"merchant_id", r.merchant_id},
          {"merchant_name", r.merchant_name},
          {"face_value_fen", r.face_value_fen},
          {"code_mask", r.code_mask},
          {"movement_id", r.movement_id},
          {"redeemed_at", iso_instant(r.at)}};
}

json::value to_json(const service::VoucherCheck& c, Lang lang) {
  const auto& v = c.voucher;
  return {{"state", v.state},
          {"face_value_fen", v.face_value_fen},
          {"valid_from", v.valid_from.iso()},
          {"valid_to", v.valid_to.iso()},
          {"batch_title", v.batch_title},
          {"holder", v.beneficiary_name},
          {"code_mask", v.code_mask},
          {"accepted_here", c.accepted_here},
          {"redeemable", c.redeemable},
          {"reason", c.redeemable ? "" : (lang == Lang::kEn ? c.reason.en : c.reason.zh)},
          {"redeemed_at",
           v.redeemed_at ? json::value(iso_instant(*v.redeemed_at)) : json::value(nullptr)},
          {"redeemed_merchant", v.redeemed_merchant}};
}

json::value to_json(const service::Reversal& r) {
  return {{"movement_id", r.movement_id},
          {"reverses_movement_id", r.reverses_movement_id},
          {"reason", r.reason},
          {"at", iso_instant(r.at)}};
}

}  // namespace xj::http
