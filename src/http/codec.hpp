// JSON codecs: one encoder and one decoder per entity, and the error body. The decoders are
// strict: a wrong type or an unknown field is a bad request naming the field; a field present
// in the body replaces the record's value, a field absent leaves it (so one decoder serves both
// create and partial update). Only the http layer includes Boost.JSON.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "core/result.hpp"
#include "domain/care.hpp"
#include "domain/entities.hpp"
#include "domain/order.hpp"
#include "service/care.hpp"
#include "service/feedback.hpp"
#include "service/orders.hpp"
#include "service/planning.hpp"
#include "service/statistics.hpp"
#include "store/store.hpp"

namespace xj::http {

namespace json = boost::json;

enum class Lang { kZh, kEn };

// Parses a request body that must be one JSON object. Rejects invalid UTF-8, malformed JSON,
// and anything but an object, with a bad_request error saying which.
Result<json::object> parse_object(std::string_view body);

json::value to_json(const domain::Region& r);
json::value to_json(const domain::DictionaryEntry& e);
json::value to_json(const domain::Organisation& o);
json::value to_json(const domain::Lecturer& l);
json::value to_json(const domain::Campaign& c);
json::value to_json(const domain::Session& s);
json::value to_json(const domain::Account& a);
json::value to_json(const domain::AuditEntry& e);
// Never the token or its hash: neither is in store::ApiToken.
json::value to_json(const store::ApiToken& t);
json::value to_json(const domain::Order& d);
json::value to_json(const domain::OrderEvent& e);
json::value to_json(const store::FeedbackEntry& f);
json::value to_json(const service::CampaignFigures& f);
json::value to_json(const service::PeriodFigures& f);
json::value to_json(const service::Highlights& h);
json::value to_json(const service::CandidateList& l);

// The body of a quote flag change: exactly {"quote": true|false}.
Status from_json_quote(const json::object& o, bool& quote);

Status from_json(const json::object& o, domain::DictionaryEntry& e);
Status from_json(const json::object& o, domain::Organisation& org);
Status from_json(const json::object& o, domain::Lecturer& l);
// `version`, when asked for, receives the body's version if it has one (PATCH); else ignored.
Status from_json(const json::object& o, domain::Campaign& c,
                 std::optional<std::int64_t>* version = nullptr);
// A session; `version` not null: a correction, which must name the version it read.
Status from_json(const json::object& o, domain::Session& s, std::int64_t* version = nullptr);
// An order; `version` not null: an edit, which must name the version it read.
Status from_json(const json::object& o, domain::Order& d, std::int64_t* version);
// The session a delivery records, with the order's version; the workflow fills in the rest.
Status from_json_delivery(const json::object& o, domain::Session& s, std::int64_t& version);
Status from_json(const json::object& o, service::DispatchRequest& d);
Status from_json(const json::object& o, service::RateRequest& r);
// {"version": n} and, if `reason` is not null, {"reason": "..."}: accept, decline, cancel.
Status from_json(const json::object& o, std::int64_t& version, std::string* reason);
// {"reason": "..."} alone: reopening a feedback form.
Status reason_from_json(const json::object& o, std::string& reason);
Status from_json(const json::object& o, service::PlanRequest& r);
Status from_json(const json::object& o, service::FeedbackAnswer& a);
// {"assignments": [{order_id, lecturer_id, date, start_time, end_time}], "override_travel"}
Status from_json(const json::object& o, std::vector<service::PlanAssignment>& assignments,
                 bool& override_travel);
// `password` receives the "password" field when `password` is not null (account creation).
Status from_json(const json::object& o, domain::Account& a, std::string* password);

// A body of string fields only, all required to be strings if present (login, passwords).
Status from_json(const json::object& o,
                 std::initializer_list<std::pair<std::string_view, std::string*>> fields);

// Care programmes (issue 16). Amounts are integer fen; a fraction is a bad request.
json::value to_json(const domain::CareProgramme& p);
json::value to_json(const domain::CareAllocation& a);
json::value to_json(const domain::CareDisbursement& d);
json::value to_json(const service::DisbursementView& v);
json::value to_json(const service::Revealed& r);
json::value to_json(const domain::LedgerAccount& a);
json::value to_json(const domain::LedgerEntry& e);
Status from_json(const json::object& o, domain::CareProgramme& p,
                 std::optional<std::int64_t>* version = nullptr);
Status from_json(const json::object& o, domain::CareAllocation& a);
// A disbursement to a person (name, id_number, phone, employer, category at the top level) or,
// with `unit` set, a subsidy to a unit (unit_name, document_no, bank_name, bank_account).
Status from_json(const json::object& o, service::DisbursementRequest& d, bool unit);

// The message in the request's language (the other one if that is empty).
const std::string& text_in(const Message& m, Lang lang);

// {"error": {"code","message","field"}, "errors": [...]} in the request's language.
json::object error_body(const Error& e, Lang lang);

}  // namespace xj::http
