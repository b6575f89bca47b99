// Corrections of the care ledger (issue 16 point 4): a reversing movement, never an edit.
#include <utility>

#include "service/rules.hpp"
#include "service/vouchers.hpp"

namespace xj::service {

using detail::audit;
using detail::require;
using domain::Permission;

namespace {

std::string yuan(std::int64_t fen) { return domain::format_yuan(fen) + " 元"; }

Error already_reversed() {
  return Error::conflict({"这笔记录已冲正过，不能再次冲正", "this entry was already reversed"},
                         "id");
}

}  // namespace

Result<Reversal> Corrections::reverse_disbursement(const Principal& who, Id id,
                                                   std::string reason) {
  if (auto s = require(who, Permission::kCareWrite); !s) return std::move(s).error();
  if (auto errors = domain::validate_reason(reason); !errors.empty()) {
    return Error::invalid(std::move(errors));
  }
  store::Tx tx = store_.write();
  auto d = tx.care_disbursement(id);
  if (!d || !domain::in_scope(who, d->organisation_path)) return Error::not_found();
  if (tx.reversal_of(d->movement_id)) return already_reversed();
  const Id movement = tx.post_reversal(d->movement_id, who.account_id, reason);
  const std::string whom =
      d->beneficiary ? d->beneficiary->name + "（" + d->beneficiary->id_mask + "）" : d->unit_name;
  audit(tx, who, "reverse", "care_disbursement", id,
        whom + "，" + yuan(d->amount_fen) + " 冲正：" + reason);
  tx.commit();
  return Reversal{movement, d->movement_id, reason, now_utc()};
}

Result<Reversal> Corrections::reverse_allocation(const Principal& who, Id id, std::string reason) {
  if (auto s = require(who, Permission::kCareWrite); !s) return std::move(s).error();
  if (auto errors = domain::validate_reason(reason); !errors.empty()) {
    return Error::invalid(std::move(errors));
  }
  store::Tx tx = store_.write();
  auto a = tx.care_allocation(id);
  auto from = a ? tx.organisation(a->from_organisation_id) : std::nullopt;
  if (!a || !from || !domain::in_scope(who, from->path)) return Error::not_found();
  if (tx.reversal_of(a->movement_id)) return already_reversed();
  // Undoing an allocation takes the money back from whoever received it: only what it still
  // holds (an organisation never goes below zero).
  const Id receiver = a->kind == "allocation" ? a->to_organisation_id : a->from_organisation_id;
  const std::int64_t held = tx.ledger_balance(a->programme_id, "holding", receiver);
  if (auto e = domain::overspend(held, a->amount_fen, "id")) {
    return Error::conflict(
        {"收款方已支用了这笔拨付，余额不足以冲正（" + e->message.zh + "）",
         "the receiver has spent part of it: too little left to reverse (" + e->message.en + ")"},
        "id");
  }
  const Id movement = tx.post_reversal(a->movement_id, who.account_id, reason);
  audit(tx, who, "reverse", "care_allocation", id,
        a->from_name + " → " + a->to_name + "，" + yuan(a->amount_fen) + " 冲正：" + reason);
  tx.commit();
  return Reversal{movement, a->movement_id, reason, now_utc()};
}

}  // namespace xj::service
