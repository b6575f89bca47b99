// Validation of everything a user types. Each function trims and normalises the record in place
// and returns every error at once, by field (an empty vector means valid). Field names are the
// API's JSON names ("unavailable[2].to"), so the front end can show each error by its field.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "domain/entities.hpp"
#include "domain/order.hpp"

namespace xj::domain {

// What only the database knows: validation asks, the service answers from the store.
class References {
 public:
  virtual ~References() = default;
  virtual bool region_exists(std::string_view code) const = 0;
  virtual bool dictionary_has(DictionaryKind kind, std::string_view code) const = 0;
};

std::vector<FieldError> validate(Organisation& org, const References& refs);
std::vector<FieldError> validate(Lecturer& lecturer, const References& refs);
std::vector<FieldError> validate(Campaign& campaign, const References& refs);
std::vector<FieldError> validate(Session& session, const References& refs);
std::vector<FieldError> validate(Order& order, const References& refs);
std::vector<FieldError> validate(DictionaryEntry& entry);
std::vector<FieldError> validate(Account& account);
// A free-text answer (a reason, a comment) in place: trimmed, valid UTF-8, no control characters
// but line breaks, at most `max` characters; `label` names it in the messages.
std::vector<FieldError> validate_text(std::string& value, const std::string& field,
                                      const Message& label, std::size_t max, bool required);
// The bound every text of every request stays within, whatever its field: the longest field's
// own limit (a session's summary, a campaign's description: 5000) with room to spare. Readers
// of outside input refuse a longer text before any field's own rule is asked.
inline constexpr std::size_t kMaxTextCharacters = 10000;
// Why `text` can be no field's value — not valid UTF-8, a control character other than tab and
// line breaks, longer than kMaxTextCharacters — or nothing when it can.
std::optional<Message> text_problem(std::string_view text);
// `text` with CR LF and lone CR turned into LF, the one line break we store.
std::string normalise_line_breaks(std::string_view text);
// At least 10 characters, at most 128, and not only one kind of character.
std::vector<FieldError> validate_password(std::string_view password);

// Whether an organisation of level `child` may sit under one of level `parent`.
bool level_fits_under(OrganisationLevel child, OrganisationLevel parent);

// A GB/T 4754-2017 section letter (A–T).
bool is_industry_section(std::string_view code);
// The section's name (门类), "制造业" for "C"; "" for anything but a section letter.
std::string_view industry_section_name(std::string_view letter);

}  // namespace xj::domain
