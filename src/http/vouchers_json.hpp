// The JSON of e-vouchers and corrections (issue 16 point 5): merchants, batches, vouchers (the
// code only where the service filled it, a mask always), redemptions, reversals. Readers of the
// request bodies are in codec.cpp with the others (they share its Reader).
#pragma once

#include <vector>

#include "http/codec.hpp"
#include "service/vouchers.hpp"

namespace xj::http {

json::value to_json(const domain::Merchant& m);
json::value to_json(const domain::VoucherBatch& b);
json::value to_json(const domain::Voucher& v);
json::value to_json(const domain::VoucherRedemption& r);
json::value to_json(const service::VoucherCheck& c, Lang lang);
json::value to_json(const service::Reversal& r);

Status from_json(const json::object& o, domain::Merchant& m);
Status from_json(const json::object& o, domain::VoucherBatch& b);
// {"beneficiaries": [{"beneficiary_id": 7} | {"name", "id_number", "phone", "employer",
// "category"}, …]}
Status from_json(const json::object& o, std::vector<service::IssueTarget>& targets);
// {"reason": "…"}
Status from_json_reason(const json::object& o, std::string& reason);
// {"account_id": 7}
Status from_json_account(const json::object& o, Id& account_id);

}  // namespace xj::http
