// The storage interface: a Store hands out transactions; every read and write of the service
// goes through one Tx, and a Tx that is not committed is rolled back. All SQL lives here and in
// the drivers below; the same SQL runs on every engine.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/care.hpp"
#include "domain/entities.hpp"
#include "domain/order.hpp"
#include "domain/vouchers.hpp"
#include "store/sql.hpp"

namespace xj::store {

namespace detail {
class BulkSums;     // store/bulk_sums.hpp
class BulkAnswers;  // store/bulk_sums.hpp
}  // namespace detail

struct PageRequest {
  std::int64_t page = 1;  // 1-based
  std::int64_t page_size = 20;
};

template <class T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;
  // The count stopped at its bound (kCountBound, or kTextCountBound for a text search: a filter
  // no kept count answers, over a million sessions): `total` is then that bound, a lower bound
  // of the matches.
  bool total_capped = false;
};

// Where a count that no kept sum answers stops: past it a list says "more than" instead of
// walking every match to say how many.
inline constexpr std::int64_t kCountBound = 10'000;
// Where a text search's count stops (`q` of the session list): its matches are tested on each
// session's row, scattered through the table, and a common word (职工, a third of the sessions)
// matches too many to test ten thousand within a page's time on PostgreSQL. A thousand
// matches, twenty pages of fifty, is as far as anyone pages through a search before narrowing it.
inline constexpr std::int64_t kTextCountBound = 1'000;

// In every filter an empty scope_path means "the whole database" (for the CLI and tests); the
// service always sets it from the principal.
struct OrganisationFilter {
  std::string scope_path;
  std::optional<Id> parent_id;
  std::string q;  // substring of the name
  std::optional<domain::OrganisationLevel> level;
  PageRequest page;
};

struct LecturerFilter {
  std::string scope_path;
  std::optional<Id> only_id;  // a lecturer account sees its own record only
  std::string q;
  std::string category;
  std::string region_prefix;  // "1502" matches 150200 and its counties
  std::string topic;
  std::optional<bool> active;
  PageRequest page;
};

struct CampaignFilter {
  // Campaigns owned by this organisation's ancestors or anything in its subtree are visible.
  std::string scope_path;
  std::string q;
  // current: open and today within the period; upcoming: open, not started; past: ended or
  // closed. Judged against `today` (Asia/Shanghai), which the service sets.
  enum class When { kAny, kCurrent, kUpcoming, kPast } when = When::kAny;
  Date today;
  PageRequest page;
};

struct SessionFilter {
  std::string scope_path;           // host organisation's subtree
  std::optional<Id> only_lecturer;  // a lecturer account sees its own sessions
  std::optional<Id> campaign_id;
  std::string host_path;  // narrower subtree (organisation_id filter)
  std::string region_prefix;
  std::optional<domain::SessionFormat> format;
  std::string audience_group;
  std::optional<Id> lecturer_id;
  std::optional<Date> date_from;
  std::optional<Date> date_to;
  std::string q;  // substring of title or venue
  PageRequest page;
  // Where a count no kept sum answers stops (see Page::total_capped); with a text `q`, at
  // kTextCountBound if that comes first (text_count_bound).
  std::int64_t count_bound = kCountBound;
  // Keyset paging, to walk every match (exports): only the sessions after this one in the list's
  // order (date newest first, then id descending), the first page_size of them. With it, `page`
  // counts only its size and `total` is left 0 (not counted).
  struct After {
    Date date;
    Id id = 0;
  };
  std::optional<After> after;
};

// Where `f`'s count stops: kTextCountBound with a text, f.count_bound otherwise.
inline std::int64_t text_count_bound(const SessionFilter& f) {
  return f.q.empty() ? f.count_bound : std::min(f.count_bound, kTextCountBound);
}

struct OrderFilter {
  std::string scope_path;                  // the ordering organisation's subtree
  std::optional<Id> only_lecturer;         // a lecturer account sees what is dispatched to it
  std::vector<domain::OrderState> states;  // any of these; empty = every state
  std::optional<Id> campaign_id;
  std::string organisation_path;  // narrower subtree (organisation_id filter)
  std::string region_prefix;
  std::optional<Id> lecturer_id;
  std::optional<Date> date_from;  // the dispatched date, or else the window, meets the range
  std::optional<Date> date_to;
  std::string q;  // substring of the address or the note
  enum class Sort { kDate, kPriority } sort = Sort::kDate;
  PageRequest page;
  // Where the count stops (see Page::total_capped).
  std::int64_t count_bound = kCountBound;
};

// A lecture already on a lecturer's day: an order dispatched or accepted, or a session.
struct DayBooking {
  std::string kind;  // "order" | "session"
  Id id = 0;
  std::string region_code;
  bool online = false;
  std::optional<TimeOfDay> start;
  std::optional<TimeOfDay> end;
};

// A plan the optimiser proposed for a campaign's open orders in one organiser's scope.
struct DispatchPlanRecord {
  Id id = 0;
  Id campaign_id = 0;
  std::string scope_path;  // of the organiser who asked: who else may see and apply it
  std::optional<Id> created_by;
  UnixSeconds created_at = 0;
  std::string state;  // running | done | failed
  double time_limit = 0;
  std::int64_t seed = 1;
  std::int64_t orders = 0;
  std::int64_t lecturers = 0;
  std::string result;  // the plan as JSON (schedule's campaign plan format)
  std::string error;
  std::optional<UnixSeconds> finished_at;
};

// The original text of an imported report (issue 18, migration 0020).
struct ReportSource {
  Id id = 0;
  Id organisation_id = 0;  // the importer's organisation: the text's scope
  std::string file_name;   // "" for pasted text
  int year = 0;
  std::optional<Id> campaign_id;
  std::string text;  // as the extractor read it (normalised), the offsets' reference
  std::optional<Id> created_by;
  // Read back only (report_sources, report_source): when, by whom, and how many sessions.
  UnixSeconds created_at = 0;
  std::string created_by_name;
  std::string organisation_name;
  std::int64_t sessions = 0;
};

// A session accepted from a report, and where in the report's text it was told (code points).
struct ReportSourceSession {
  Id session_id = 0;
  Id report_source_id = 0;
  std::int64_t sentence_begin = 0;
  std::int64_t sentence_end = 0;
  std::string title;
  Date date;
  std::string venue;
};

// Lectures a lecturer already has on a date (orders dispatched or accepted, and sessions).
struct BookedDay {
  Id lecturer_id = 0;
  Date date;
  std::int64_t lectures = 0;
};

// One entry of a lecturer's agenda: an order dispatched or accepted, or a session given.
struct AgendaItem {
  std::string kind;  // "order" | "session"
  Id id = 0;
  Date date;
  std::optional<TimeOfDay> start;
  std::optional<TimeOfDay> end;
  std::string title;  // the session's title, or the ordering union's name
  std::string place;  // venue or address
  std::string region_name;
  std::string organisation;  // ordering union or host
  std::string state;         // dispatched | accepted for orders, delivered for sessions
  std::string path;          // the ordering union's or the host's organisation path (scope)
  bool elsewhere = false;    // beyond the viewer's scope: only kind, day, times and state kept
  // For the calendar feed, so that an event reads on its own without the app:
  std::string league_name;  // the league/city the region lies in ("" when the region is one)
  std::string topic;        // the order's requested topic (its name), or the session's title
  std::string audience_group_name;
  std::int64_t audience = 0;  // expected (order) or counted (session)
  std::string contact;        // the ordering union's contact name and phone, "" for sessions
};

// 评价 of a session.
struct FeedbackEntry {
  Id id = 0;
  Id session_id = 0;
  UnixSeconds at = 0;
  int rating = 0;
  std::string comment;
  std::string audience_group;
  std::string channel;  // qr | staff
  bool quote = false;
  std::string browser;  // the answering browser's random id (one answer each), "" for staff
  std::string address;
};

// A closed feedback form opened again (once per session), by whom, why and until when.
struct FeedbackReopening {
  Id session_id = 0;
  UnixSeconds at = 0;
  Id account_id = 0;
  std::string account_name;  // the display name, for the session page
  std::string reason;
  Date open_until;
};

struct FeedbackSummary {
  std::int64_t answers = 0;
  double average = 0;
  std::array<std::int64_t, 5> by_rating{};
  std::int64_t signed_in = 0;  // attendance through the link
};

// What the dashboard counts (统计), over the sessions and orders one caller may see: one
// campaign, several, or every session, within a period or not.
struct StatisticsFilter {
  // The campaigns counted; nullopt counts every session, those of no campaign included.
  std::optional<std::vector<Id>> campaigns;
  std::optional<Date> date_from;    // sessions on or after; orders by their date (or window)
  std::optional<Date> date_to;      // on or before
  std::string scope_path;           // sessions hosted and orders placed in this subtree
  std::string organisation_path;    // a narrower subtree, "" for none
  std::optional<Id> only_lecturer;  // a lecturer counts only their own sessions and orders
};

// A comment staff marked as a quote (精彩语录), with the lecture it was said at: for reports.
struct QuoteHighlight {
  Id feedback_id = 0;
  Id session_id = 0;
  std::string session_title;
  Date session_date;
  std::string host_name;  // the session's host organisation
  int rating = 0;
  std::string comment;
  std::string audience_group;
  std::string channel;  // qr | staff
};

// One photo of a lecture, with the lecture: for reports.
struct PhotoHighlight {
  Id photo_id = 0;
  Id session_id = 0;
  std::string session_title;
  Date session_date;
  std::string host_name;
};

// Where the figures come from: the kept sums (migration 0015), or a count of the sessions
// themselves (what the kept sums must always equal; a lecturer's own figures are counted so).
enum class StatisticsSource { kKept, kRecount };

// Sessions and the people they reached, for one value of a breakdown.
struct Tally {
  std::string key;
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
};

// Where people were reached: main venues count their session and its main-venue audience; a
// branch venue counts its headcount only (its session is counted at the main venue).
struct PlaceTally {
  std::string region_code;
  std::string audience_group;
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
};

struct LecturerTally {
  Id id = 0;
  std::string name;
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
  std::int64_t ratings = 0;
  std::int64_t rating_sum = 0;
};

// Audience always means everyone reached once: main venue, online viewers and each branch
// venue's headcount. A branch's headcount counts where the branch is (its league, its audience
// group); everything else counts where the main venue is.
struct CampaignStatistics {
  std::int64_t sessions = 0;
  std::int64_t audience_offline = 0;
  std::int64_t online_viewers = 0;
  std::int64_t branch_headcount = 0;
  std::int64_t signed_in = 0;  // attendance through the feedback links
  std::int64_t ratings = 0;    // feedback answers, QR and staff-entered
  std::int64_t rating_sum = 0;
  std::int64_t lecturers = 0;  // distinct lecturers who gave a session
  std::vector<std::pair<std::string, std::int64_t>> orders_by_state;  // states with orders
  std::vector<Tally> by_date;        // key: ISO date; days with sessions only
  std::vector<PlaceTally> by_place;  // main venues and branches, by region and group
  std::vector<Tally> by_industry;    // key: GB/T 4754 section, "" when not given
  std::vector<Tally> by_format;      // key: offline | online | hybrid
  std::vector<Tally>
      by_lecturer_category;  // a session counts once per category among its lecturers
  std::vector<LecturerTally> top_lecturers;  // most sessions first
};

// Sessions and the people reached on one day, at one place, in one audience group (a branch
// venue's headcount where the branch is, as in PlaceTally): what coverage gaps are drawn from.
struct CoverageTally {
  std::string day;  // ISO date
  std::string region_code;
  std::string audience_group;
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
};

// The lecturer scorecard (宣讲员档案, issue 15 point 3): what to count.
struct ScorecardFilter {
  std::string scope_path;  // sessions hosted and orders placed in this subtree; "" for all
  std::optional<std::vector<Id>> campaigns;  // none: every session, those of no campaign too
  std::optional<Date> date_from;             // sessions on or after; orders by their date
  std::optional<Date> date_to;               // on or before
  std::optional<Id> lecturer_id;             // one lecturer, else every lecturer
};

// One lecturer's sessions in one year, format and league/city, with the answers about them.
// `ratings` counts every answer; `verified_*` the QR answers whose browser signed in to the same
// session, `staff_*` those entered by staff (the rest are QR answers without a sign-in).
struct ScorecardTally {
  Id lecturer_id = 0;
  std::string year;    // "2026"
  std::string format;  // offline | online | hybrid
  std::string league;  // the GB/T 2260 code of the session's league or city, "150200"
  std::int64_t sessions = 0;
  std::int64_t audience = 0;  // everyone reached: main venue, online and branch venues
  std::int64_t ratings = 0;
  std::int64_t rating_sum = 0;
  std::int64_t verified_ratings = 0;
  std::int64_t verified_rating_sum = 0;
  std::int64_t staff_ratings = 0;
  std::int64_t staff_rating_sum = 0;
};

// A dispatch to a lecturer, their acceptance or their decline (with its reason).
struct LecturerOrderEvent {
  Id lecturer_id = 0;
  Id order_id = 0;
  std::string action;  // dispatch | accept | decline
  UnixSeconds at = 0;
  std::string reason;
  std::optional<Date> date;  // the day the order was dispatched for
};

// The unions' own ratings (评单) of the orders a lecturer delivered.
struct LecturerOrderRatings {
  Id lecturer_id = 0;
  std::int64_t ratings = 0;
  std::int64_t rating_sum = 0;
};

// An answer marked as a quote (精彩语录) about one of the lecturer's sessions.
struct ScorecardQuote {
  Id feedback_id = 0;
  Id session_id = 0;
  Date date;
  std::string session_title;
  int rating = 0;
  std::string comment;
  std::string channel;  // qr | staff
  bool verified = false;
};

// A photo of a session (or of one of its branch venues); the bytes are in the FileStore.
struct Photo {
  Id id = 0;
  Id session_id = 0;
  std::optional<Id> branch_id;
  std::string sha256;
  std::string content_type;  // image/jpeg | image/png
  std::int64_t bytes = 0;
  std::optional<Id> created_by;
  UnixSeconds created_at = 0;
};

// A photo of a visit (care_photos): a file of the photo store named by its disbursement.
struct CarePhoto {
  Id id = 0;
  Id disbursement_id = 0;
  std::string sha256;
  std::string content_type;  // image/jpeg | image/png
  std::int64_t bytes = 0;
  std::optional<Id> created_by;
  UnixSeconds created_at = 0;
};

struct AccountFilter {
  std::string scope_path;
  std::string q;
  std::optional<domain::Role> role;
  PageRequest page;
};

struct AuditFilter {
  std::string scope_path;
  // Also the entries no organisation owns: failed logins of names nobody has, and what the
  // command line did without an account. For the admins at the top of the tree.
  bool include_unattributed = false;
  std::string entity;
  std::optional<Id> entity_id;
  std::string action;
  std::string username;
  PageRequest page;
  // Where the count stops (see Page::total_capped).
  std::int64_t count_bound = kCountBound;
};

struct Credentials {
  domain::Account account;
  std::string password_hash;
};

struct LoginSession {
  Id account_id = 0;
  std::string csrf_token;
  UnixSeconds expires_at = 0;
};

// An API token as its owner and the admins above it see it: never the token, nor its hash.
struct ApiToken {
  Id id = 0;
  Id account_id = 0;
  std::string name;
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> expires_at;    // none: until revoked
  std::optional<UnixSeconds> last_used_at;  // to the minute or so (see Auth::authenticate)
};

struct LoginFailures {
  std::int64_t failures = 0;
  UnixSeconds window_start = 0;
  UnixSeconds locked_until = 0;
};

// E-vouchers and corrections (issue 16 point 5, store/vouchers.cpp).
// A voucher as the store keeps it: the shown part, its sealed code, and what scope and the
// ledger need to judge a request.
struct VoucherRecord {
  domain::Voucher shown;
  std::string code_cipher;
  Id programme_id = 0;
  Id organisation_id = 0;         // the batch's organisation
  std::string organisation_path;  // the batch's organisation
  std::string batch_state;        // open | expired
};

// What a redemption needs to judge and book it, read in one statement (Tx::redemption_target).
struct RedemptionTarget {
  Id voucher_id = 0;
  std::string voucher_state;  // issued | redeemed | expired, as of the statement
  std::string code_tail;
  Id batch_id = 0;
  std::string batch_state;  // open | expired, as of the batch's lock
  std::string batch_title;
  Id programme_id = 0;
  Id organisation_id = 0;  // the batch's
  std::int64_t face_value_fen = 0;
  Date valid_from;
  Date valid_to;
  std::optional<Id> merchant_id;  // the till's; none when the account works for no merchant
  std::string merchant_name;
  Id merchant_organisation_id = 0;
  bool accepted = false;  // the batch takes the till's merchant
  bool key_used = false;  // some redemption already carries the request key
  Id batch_account = 0;
  std::optional<Id> merchant_account;  // none before the merchant's first redemption here
};

// What `ledger verify` checks of vouchers and corrections: each row a discrepancy's candidate,
// judged in service/vouchers.cpp.
struct VoucherFacts {
  struct Batch {
    Id id = 0;
    std::int64_t face_value_fen = 0;
    std::int64_t count = 0;
    std::string state;
    std::int64_t redeemed = 0;
    std::int64_t account_sum = 0;  // the batch account's entries
    std::int64_t booked = 0;       // what its creation movement moved into the batch account
  };
  struct Merchant {
    Id account_id = 0;
    Id programme_id = 0;
    Id merchant_id = 0;
    std::int64_t account_sum = 0;
    std::int64_t redeemed_fen = 0;  // face values of its redemptions in the programme
  };
  std::vector<Batch> batches;
  std::vector<Merchant> merchants;
  std::vector<Id> bad_redemptions;  // whose movement is not batch −face, merchant +face
  std::vector<Id> bad_reversals;    // reversal movements that do not undo their original exactly
};

// Care programmes (issue 16, store/care.cpp).
struct ProgrammeFilter {
  // Programmes owned within the subtree or by an ancestor (a programme reaches down the tree).
  std::string scope_path;
  std::string q;
  std::optional<domain::ProgrammeState> state;
  PageRequest page;
};

struct DisbursementFilter {
  std::string scope_path;  // the paying organisation's subtree
  std::optional<Id> programme_id;
  std::optional<Id> beneficiary_id;
  std::string beneficiary_kind;  // person | unit | "" for both
  PageRequest page;
};

// A person's stored secrets, sealed (service/vault.hpp opens them).
struct BeneficiaryRecord {
  domain::CareBeneficiary shown;
  std::string id_hash;
  std::string id_cipher;
  std::string phone_cipher;
};

// One row of sealed personal data as `secrets rotate` re-seals it (sealed.cpp): a beneficiary
// (hash of the ID number, its cipher, the phone's cipher or "") or a voucher (hash of the code,
// its cipher, second_cipher "").
struct SealedRow {
  Id id = 0;
  std::string hash;
  std::string cipher;
  std::string second_cipher;
};

// The facts `ledger verify` judges (service/care.cpp) that stay small at any volume: every
// programme, every account with its kept balance and the sum of its entries, the allocations
// with the legs of their movements, and how many movements there are. What grows with the
// payments (movements, disbursements) is judged by the database, which hands back the first
// discrepancy only (Tx::first_unbalanced_movement, Tx::first_unmatched_payment), so memory
// stays flat at millions of entries.
struct LedgerFacts {
  struct Account {
    Id id = 0;
    Id programme_id = 0;
    std::string kind;
    Id organisation_id = 0;
    std::int64_t balance_fen = 0;
    std::int64_t entries_sum = 0;
  };
  struct Movement {
    Id id = 0;
    Id programme_id = 0;
    std::string kind;
    std::int64_t entries = 0;
    std::int64_t sum = 0;
    std::int64_t foreign_entries = 0;  // entries on accounts of another programme
  };
  struct Programme {
    Id id = 0;
    Id owner_organisation_id = 0;
    std::string state;
    std::int64_t budget_fen = 0;
  };
  struct Allocation {
    Id id = 0;
    Id programme_id = 0;
    std::string kind;
    Id from_organisation_id = 0;
    Id to_organisation_id = 0;
    std::int64_t amount_fen = 0;
    Id movement_id = 0;
    std::optional<Id> to_parent_id;  // the receiving organisation's parent
  };
  // One entry of an allocation's movement, with its account.
  struct Leg {
    Id movement_id = 0;
    std::string account_kind;
    Id organisation_id = 0;
    std::int64_t amount_fen = 0;
  };
  struct Payment {
    Id id = 0;
    Id programme_id = 0;
    Id organisation_id = 0;
    std::int64_t amount_fen = 0;
    Id movement_id = 0;
  };
  std::vector<Programme> programmes;
  std::vector<Account> accounts;
  std::vector<Allocation> allocations;
  std::vector<Leg> legs;  // of every allocation's movement, ordered by movement
  std::int64_t movements = 0;
};

// One payment for Tx::bulk_insert_care_payments (store/care_bulk.cpp): a disbursement as the
// service would record it (its id, movement_id, created_by and created_at are ignored), the
// new beneficiary it pays if the person is not stored yet, and the movement's note.
struct BulkCarePayment {
  domain::CareDisbursement disbursement;
  // When set, this person is written first and paid (disbursement.beneficiary_id is ignored).
  std::optional<BeneficiaryRecord> new_person;
  std::string movement_note;  // who got it, masked, as Care::disburse writes it
};

// A programme's report (store/care_reports.cpp): its ledger accounts with their organisation's
// level, and its payments grouped by paying organisation, beneficiary kind, category, aid kind
// and month. The service folds them into the report's tables.
struct CareReportAccount {
  Id organisation_id = 0;
  std::string organisation_path;
  std::string level;  // the organisation's level name
  std::string kind;   // budget | holding | paid
  std::int64_t balance_fen = 0;
};
// A programme's payments in a subtree summed four ways: the report's lines and breakdowns.
struct CarePaymentTotals {
  struct Sum {
    std::string key;
    std::int64_t count = 0;
    std::int64_t amount_fen = 0;
  };
  std::vector<Sum> payers;         // key: the paying organisation's path
  std::vector<Sum> categories;     // key: the beneficiary category (payments to people)
  std::vector<Sum> aid_kinds;      // key: cash | goods | voucher | subsidy
  std::vector<Sum> months;         // key: "2026-01"
  std::int64_t unit_payments = 0;  // payments to units, which have no category
};

// What `Tx::first_ledger_breaks` finds.
struct LedgerBreaks {
  std::optional<LedgerFacts::Movement> movement;
  std::optional<LedgerFacts::Payment> payment;
};

class Store;

// One table's share of a database copy.
struct TableCopy {
  std::string table;
  std::int64_t rows = 0;
  std::string checksum;   // of the rows in key order, as read back from the destination
  bool verified = false;  // same count and checksum on both sides
};

struct TableCopy;
// Told as a copy goes: the table, its rows copied so far and its rows in all.
using CopyProgress =
    std::function<void(std::string_view table, std::int64_t rows, std::int64_t total)>;
Result<std::vector<TableCopy>> copy_database(Store& from, Store& to, const CopyProgress& progress);

// One table of kept sums against a recount from the records (`xuanjiang tallies verify`).
struct TallyCheck {
  std::string table;
  std::int64_t kept_rows = 0;
  std::int64_t recounted_rows = 0;
  std::int64_t wrong_rows = 0;        // kept rows the recount does not have as they are
  std::int64_t missing_rows = 0;      // recounted rows not kept as they are
  std::vector<std::string> examples;  // a few wrong kept rows, then missing ones, column=value
  bool agrees() const { return wrong_rows == 0 && missing_rows == 0; }
};

// A feedback link or a sign-in, for Tx::bulk_insert_feedback.
struct FeedbackLinkRow {
  Id session_id = 0;
  std::string token;
  UnixSeconds at = 0;
};
struct SessionGroup {
  Id id = 0;
  std::string audience_group;
};
struct SignInRow {
  Id session_id = 0;
  std::string browser;
  std::string address;
  UnixSeconds at = 0;
};

// One database transaction. Commit it, or it rolls back when destroyed. Not thread-safe; one
// request uses it from one thread.
class Tx {
 public:
  Tx(Tx&&) noexcept;
  Tx& operator=(Tx&&) = delete;
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  ~Tx();

  // Flushes the kept sums deferred by defer_tallies(), then commits. A write transaction
  // (Store::write) raises the data version (data_version()) by one in the same commit; a
  // row-locked one (Store::write_row_locked: voucher redemptions) does not, since no page kept
  // by that number shows what it changes.
  void commit();

  // A number that changes with every committed Store::write transaction, in any process on the
  // database, and only then: two reads that see the same number see the same data, except what
  // row-locked writes change (see commit()). Read in
  // this transaction's snapshot (SQLite: its first read; PostgreSQL: this statement's).
  std::int64_t data_version();
  std::string engine() const;

  // For bulk writers (imports) that insert thousands of sessions in one transaction: from now
  // on, each inserted session joins the kept sums (session counts and tallies) at the next
  // flush_tallies(), in one statement per table for a batch of sessions instead of several per
  // session. Every method that reads or writes the kept sums, and commit(), flushes first, so
  // nothing outside this transaction, nor any read inside it, sees them incomplete.
  void defer_tallies();
  void flush_tallies();
  // Folds the sessions queued by insert_session (migration 0034) into the kept sums, after
  // flush_tallies(): every method of this class that reads the kept sums calls it first, so
  // they always hold every committed session. In a write transaction it folds in place; in a
  // read transaction it ends the read, folds in a write transaction of its own on the same
  // connection (without raising the data version: no figure anyone reads changes), and begins
  // a new read — once per transaction, so a read that already folded keeps its snapshot. A
  // row-locked write (Store::write_row_locked) does not fold: it reads the sums as kept.
  void settle_tallies();
  // For a load into empty tables (the demo generator, migrate-data): drops the secondary
  // indexes of those of `tables` that have no rows, and on PostgreSQL their foreign keys, as
  // the catalog lists them (so an index someone adds later is kept too), for each index to be
  // built once, sorted, after the load and each foreign key checked in one pass instead of row
  // by row. Unique indexes stay (ON CONFLICT and duplicate checks need them). flush_tallies()
  // (commit, or any read of the kept sums) puts everything back as it was; a rollback undoes the
  // drop. PostgreSQL keeps the tables locked against readers until commit.
  // REQUIRES: a write transaction; `tables` are the store's own names, never user input.
  void drop_indexes_for_load(std::span<const std::string_view> tables);

  // Regions (shipped data).
  std::vector<domain::Region> regions(const std::string& parent, const std::string& level);
  std::optional<domain::Region> region(const std::string& code);
  bool region_exists(std::string_view code);
  void upsert_region(const domain::Region& region);
  std::int64_t region_count();

  // Dictionaries.
  std::vector<domain::DictionaryEntry> dictionary(std::optional<domain::DictionaryKind> kind,
                                                  bool include_inactive);
  std::optional<domain::DictionaryEntry> dictionary_entry(Id id);
  bool dictionary_has(domain::DictionaryKind kind, std::string_view code);
  Result<Id> insert_dictionary_entry(const domain::DictionaryEntry& entry);
  void update_dictionary_entry(const domain::DictionaryEntry& entry);

  // Organisations. insert/update maintain the materialised paths of the whole subtree.
  std::optional<domain::Organisation> organisation(Id id);
  Page<domain::Organisation> organisations(const OrganisationFilter& filter);
  Id insert_organisation(const domain::Organisation& org);
  void update_organisation(const domain::Organisation& org);

  // Accounts and authentication state.
  std::optional<domain::Account> account(Id id);
  std::optional<Credentials> credentials(const std::string& username);
  Page<domain::Account> accounts(const AccountFilter& filter);
  Result<Id> insert_account(const domain::Account& account, const std::string& password_hash);
  Result<void> update_account(const domain::Account& account);
  void set_password_hash(Id account_id, const std::string& password_hash);
  std::optional<domain::Principal> principal(Id account_id);
  // Who presents a credential, in one statement each (Auth::authenticate runs them outside a
  // transaction): the active account behind an unexpired API token, with the token's id and
  // last use; the active account of an unexpired login session, with its CSRF token.
  struct TokenHolder {
    domain::Principal principal;
    Id token_id = 0;
    std::optional<UnixSeconds> last_used_at;
  };
  std::optional<TokenHolder> token_holder(const std::string& token_hash, UnixSeconds now);
  struct SessionHolder {
    domain::Principal principal;
    std::string csrf_token;
  };
  std::optional<SessionHolder> session_holder(const std::string& token_hash, UnixSeconds now);

  void insert_login_session(const std::string& token_hash, const LoginSession& session);
  std::optional<LoginSession> login_session(const std::string& token_hash, UnixSeconds now);
  void delete_login_session(const std::string& token_hash);
  void delete_login_sessions_of(Id account_id);
  void delete_expired_login_sessions(UnixSeconds now);

  Id insert_api_token(const std::string& token_hash, Id account_id, const std::string& name,
                      std::optional<UnixSeconds> expires_at);
  std::optional<ApiToken> api_token(Id id);
  std::vector<ApiToken> api_tokens(Id account_id);  // newest first, expired ones too
  void touch_api_token(Id id, UnixSeconds at);
  // Revoking: the row goes, so nothing can bring the token back. Return how many went.
  std::int64_t delete_api_token(Id id);
  std::int64_t delete_api_tokens_of(Id account_id);

  LoginFailures login_failures(const std::string& key);
  void set_login_failures(const std::string& key, const LoginFailures& failures);
  void clear_login_failures(const std::string& key);
  // Forgets counters whose window began before `window_start_before` and that hold no lock
  // after `now`: they would start afresh anyway, and made-up names must not pile up.
  void delete_stale_login_failures(UnixSeconds window_start_before, UnixSeconds now);

  // Lecturers.
  std::optional<domain::Lecturer> lecturer(Id id);
  Page<domain::Lecturer> lecturers(const LecturerFilter& filter);
  Id insert_lecturer(const domain::Lecturer& lecturer);
  void update_lecturer(const domain::Lecturer& lecturer);
  std::optional<std::string> lecturer_organisation_path(Id id);

  // Campaigns.
  std::optional<domain::Campaign> campaign(Id id);
  Page<domain::Campaign> campaigns(const CampaignFilter& filter);
  Id insert_campaign(const domain::Campaign& campaign);
  // Saves the campaign and its targets if its stored version is still `campaign.version`, and
  // bumps the version; false (nothing written) when someone changed it meanwhile.
  bool update_campaign(const domain::Campaign& campaign);
  // Closes (closed_by set) or reopens (nullopt) under the same version rule as update_campaign.
  bool set_campaign_closed(Id id, std::int64_t version, std::optional<Id> closed_by);

  // Sessions. host_path is taken from the host organisation, never from the caller.
  std::optional<domain::Session> session(Id id);
  Page<domain::Session> sessions(const SessionFilter& filter);
  Id insert_session(const domain::Session& session, std::optional<Id> created_by);
  // An import's natural key of a session: the first held on `date` by `host` at exactly `venue`
  // with `lecturer` among its lecturers (store/imports.cpp).
  std::optional<Id> session_by_key(Date date, Id host, const std::string& venue, Id lecturer);
  // A report's duplicate (issue 18): the first session on `date` at exactly `venue` with
  // `lecturer` among its lecturers, whoever hosted it.
  std::optional<Id> session_by_lecturer_day(Date date, const std::string& venue, Id lecturer);
  // The text an import of a report read, and the sessions accepted from it (store/imports.cpp).
  Id insert_report_source(const ReportSource& source);
  void link_report_session(Id session_id, Id report_source_id, std::int64_t sentence_begin,
                           std::int64_t sentence_end);
  // The stored texts of a subtree (`scope_path` "" = all), newest first; their text is left
  // empty in the list. One text with it; the sessions accepted from a text; a session's source.
  Page<ReportSource> report_sources(const std::string& scope_path, PageRequest page);
  std::optional<ReportSource> report_source(Id id);
  std::optional<std::string> report_source_path(Id id);
  std::vector<ReportSourceSession> report_source_sessions(Id report_source_id);
  std::optional<ReportSourceSession> session_report_source(Id session_id);
  // Writes only if the stored version is still `session.version`, then bumps it (in `session`
  // too); false means someone else corrected the session first, and nothing was written.
  [[nodiscard]] bool update_session(domain::Session& session);

  // Bulk loading (store/bulk.cpp: the demo generator at a million sessions). Rows go with
  // PostgreSQL's COPY or SQLite's multi-row INSERT; the kept sums (node sums too) are added up in
  // memory as the sessions are written and written at the next flush_tallies(), each kept row
  // once, the same rows as insert_session one by one. The first call of a transaction drops the
  // indexes of the session tables if they are empty (drop_indexes_for_load).
  // Sessions, with their lecturers and branch venues, take the ids after the largest one, in
  // order (as insert_session one by one would give them); returns the first. An empty span
  // writes nothing. REQUIRES: a write transaction; hosts, campaigns, lecturers exist.
  Id bulk_insert_sessions(std::span<const domain::Session> sessions, std::optional<Id> created_by);
  // Feedback links, answers and sign-ins of sessions, in bulk, with no checks of one answer per
  // browser (the caller makes the browsers). Ids in the order given. The kept sums of the
  // sessions answered are counted again (not row by row): no rebuild_tallies() needed. Into
  // empty answer tables, their indexes are dropped for the load (drop_indexes_for_load) and the
  // answers' share of the sums is added up in memory and written once at the next
  // flush_tallies(), for every call since.
  void bulk_insert_feedback(std::span<const FeedbackLinkRow> links,
                            std::span<const FeedbackEntry> answers,
                            std::span<const SignInRow> sign_ins);
  // Every session's id and audience group in the session list's order (newest date first, then
  // the larger id), in one read: for a generator that walks all of them.
  std::vector<SessionGroup> session_groups_newest_first();

  // Orders. update_order writes only if the stored version is still `order.version`, then bumps
  // it (in `order` too); false means someone else changed the order first.
  std::optional<domain::Order> order(Id id);
  Page<domain::Order> orders(const OrderFilter& filter);
  Id insert_order(const domain::Order& order);
  bool update_order(domain::Order& order);
  void append_order_event(const domain::OrderEvent& event);
  std::vector<domain::OrderEvent> order_events(Id order_id);
  // What the lecturer already gives on `date`, except the order `except_order`.
  std::vector<DayBooking> lecturer_day(Id lecturer_id, Date date, Id except_order);
  // Orders waiting since before `before`, not yet reminded about (submitted) or escalated
  // (dispatched); marking them keeps each reminder to one.
  std::vector<domain::Order> orders_waiting(domain::OrderState state, UnixSeconds before);
  void mark_reminded(Id order_id, domain::OrderState state, UnixSeconds at);
  // For the demo: when an order was made (and dispatched), so that its reminders fall due as
  // they would for an order entered days ago.
  void backdate_order(Id order_id, UnixSeconds created_at,
                      std::optional<UnixSeconds> dispatched_at);

  // Per lecturer and day in [from, to]: how many lectures are already booked.
  std::vector<BookedDay> booked_days(Date from, Date to);
  // Per lecturer: how many lectures the campaign already has of them (sessions they gave or
  // co-lectured, and orders dispatched to them or accepted). Lecturers with none are absent.
  std::map<Id, std::int64_t> campaign_lectures(Id campaign_id);

  // Dispatch plans.
  Id insert_dispatch_plan(const DispatchPlanRecord& plan);
  void finish_dispatch_plan(Id id, const std::string& state, const std::string& result,
                            const std::string& error, UnixSeconds at);
  std::optional<DispatchPlanRecord> dispatch_plan(Id id);
  // Marks failed, with `error`, every plan still running `grace` seconds after its time limit
  // ended (counted from its creation): no process is computing it any more. Returns how many.
  std::int64_t fail_stale_dispatch_plans(UnixSeconds now, UnixSeconds grace,
                                         const std::string& error);

  // Agendas and private links.
  std::vector<AgendaItem> lecturer_agenda(Id lecturer_id, Date from, Date to);
  void set_calendar_link(Id lecturer_id, const std::string& token, UnixSeconds at);
  std::optional<std::string> calendar_link(Id lecturer_id);
  std::optional<Id> calendar_lecturer(const std::string& token);
  void set_feedback_link(Id session_id, const std::string& token, UnixSeconds at);
  std::optional<std::string> feedback_link(Id session_id);
  std::optional<Id> feedback_session(const std::string& token);
  std::optional<FeedbackReopening> feedback_reopening(Id session_id);
  // False when the session's form was reopened before (once only).
  bool insert_feedback_reopening(const FeedbackReopening& r);

  // Feedback and attendance. A second answer or sign-in from one browser is a conflict.
  Result<Id> insert_feedback(const FeedbackEntry& entry);
  std::int64_t feedback_since(const std::string& address, UnixSeconds since);
  // Newest first; `quotes_only` keeps the answers marked as quotes.
  Page<FeedbackEntry> feedback(Id session_id, PageRequest page, bool quotes_only = false);
  FeedbackSummary feedback_summary(Id session_id);
  std::optional<FeedbackEntry> feedback_entry(Id id);
  void set_feedback_quote(Id id, bool quote);  // 精彩语录: staff pick the comments worth quoting
  Result<void> insert_attendance(Id session_id, const std::string& browser,
                                 const std::string& address, UnixSeconds at);
  std::int64_t attendance_since(const std::string& address, UnixSeconds since);

  // The figures over what the filter lets through; `top_lecturers` bounds that list. From the
  // kept sums unless the filter names a lecturer (those are counted from their sessions) or
  // `source` asks for a recount.
  CampaignStatistics campaign_statistics(const StatisticsFilter& filter, int top_lecturers,
                                         StatisticsSource source = StatisticsSource::kKept);
  // The kept sums by day, place and audience group, over what the filter lets through.
  // REQUIRES: no `only_lecturer` (the kept sums do not know who lectured).
  std::vector<CoverageTally> coverage_tallies(const StatisticsFilter& filter);
  // For a printed report, over the sessions the filter lets through (as the figures): the
  // answers marked as quotes with a comment, newest lecture first, at most `limit`; and the
  // first photo of each lecture that has one, newest lecture first, at most `limit`.
  std::vector<QuoteHighlight> quote_highlights(const StatisticsFilter& filter, int limit);
  std::vector<PhotoHighlight> photo_highlights(const StatisticsFilter& filter, int limit);
  // The scorecard's figures, grouped by lecturer, year, format and league (in that order):
  // from the kept sums, or (`kRecount`) counted from the sessions, which they must equal.
  std::vector<ScorecardTally> scorecard_tallies(const ScorecardFilter& filter,
                                                StatisticsSource source = StatisticsSource::kKept);
  // The same sums per lecturer only (year, format and league left empty), by lecturer id: the
  // ranking's, from the node sums of the scope (migration 0025), or counted (`kRecount`).
  std::vector<ScorecardTally> ranking_tallies(const ScorecardFilter& filter,
                                              StatisticsSource source = StatisticsSource::kKept);
  // Dispatches, acceptances and declines of orders placed in the filter's scope, of its
  // campaigns and dated in its period, by lecturer, order and time.
  std::vector<LecturerOrderEvent> lecturer_order_events(const ScorecardFilter& filter);
  std::vector<LecturerOrderRatings> lecturer_order_ratings(const ScorecardFilter& filter);
  // The newest `limit` quotes about the filter's lecturer's sessions (REQUIRES: lecturer_id).
  std::vector<ScorecardQuote> scorecard_quotes(const ScorecardFilter& filter, int limit);
  // Empties the kept sums (the tallies and the sessions per host and campaign) and adds up every
  // session again (for a bulk load that wrote sessions by other means, and for repairs).
  void rebuild_tallies();
  // Recounts the kept sums in this transaction and says, table by table, how the kept rows
  // differed from the recount. The tables then hold the recount: commit to repair, or let the
  // transaction roll back to leave them as they were. Other writers of sessions wait until this
  // transaction ends.
  std::vector<TallyCheck> check_tallies();

  // Photos.
  Id insert_photo(const Photo& photo);
  std::optional<Photo> photo(Id id);
  std::vector<Photo> photos(Id session_id);
  void delete_photo(Id id);
  // Rows naming this file (photos, portraits, photos of visits).
  std::int64_t photos_with(const std::string& sha256);
  void set_lecturer_photo(Id id, const std::string& sha256, const std::string& content_type);

  // Inbox.
  void insert_notification(const domain::Notification& n);
  // Marks the order's notifications of these kinds done (those not done yet).
  void settle_notifications(Id order_id, const std::vector<std::string_view>& kinds,
                            UnixSeconds at);
  Page<domain::Notification> notifications(Id account_id, bool unread_only, PageRequest page);
  std::int64_t unread_count(Id account_id);
  // Marks the given notifications (all when `ids` is empty) of the account read; returns how many.
  std::int64_t mark_read(Id account_id, const std::vector<Id>& ids, UnixSeconds at);
  // Who to tell: the active account of a lecturer; active accounts of a role whose organisation
  // is `organisation_path` itself or (with `ancestors`) any organisation above it.
  std::optional<Id> lecturer_account(Id lecturer_id);
  std::vector<Id> accounts_for(domain::Role role, const std::string& organisation_path,
                               bool ancestors);

  // Care programmes, their ledger, allocations, beneficiaries and disbursements (care.cpp).
  std::optional<domain::CareProgramme> care_programme(Id id);
  Page<domain::CareProgramme> care_programmes(const ProgrammeFilter& filter);
  Id insert_care_programme(const domain::CareProgramme& p, std::optional<Id> created_by);
  // Writes title, period, budget, categories, kinds, description and state if the stored
  // version is still `p.version`, then bumps it (in `p` too); false when someone changed it.
  [[nodiscard]] bool update_care_programme(domain::CareProgramme& p);
  // The account (created at balance 0 when missing) of `kind` for `organisation` in a programme.
  Id ledger_account(Id programme_id, std::string_view kind, Id organisation_id);
  // Its kept balance; 0 when it has no account yet.
  std::int64_t ledger_balance(Id programme_id, std::string_view kind, Id organisation_id);
  // Books one movement: its entries (account, amount) and the accounts' kept balances (at
  // once, or at commit after defer_balances()).
  // REQUIRES: the amounts sum to zero, none is zero (std::logic_error otherwise: a bug).
  Id post_movement(Id programme_id, std::string_view kind, std::optional<Id> account_id,
                   const std::string& note, const std::vector<std::pair<Id, std::int64_t>>& legs);
  // From now on post_movement's changes to kept balances are made at commit, as the last
  // writes, in the order of the accounts' ids: an account's row (a busy batch's, a busy
  // merchant's) is then locked only from there to the end of the commit, not while the rest of
  // the transaction runs. REQUIRES: no kept balance is read in this transaction afterwards.
  void defer_balances();
  // The accounts of a programme whose organisation lies in `scope_path` ("" for all).
  std::vector<domain::LedgerAccount> ledger_accounts(Id programme_id,
                                                     const std::string& scope_path);
  std::optional<domain::LedgerAccount> ledger_account_by_id(Id id);
  Page<domain::LedgerEntry> ledger_entries(Id account_id, PageRequest page);
  Id insert_care_allocation(const domain::CareAllocation& a);
  std::optional<domain::CareAllocation> care_allocation(Id id);
  // A programme's allocations touching `scope_path` (either end in it; "" for all), newest first.
  Page<domain::CareAllocation> care_allocations(Id programme_id, const std::string& scope_path,
                                                PageRequest page);
  std::optional<Id> beneficiary_by_hash(const std::string& id_hash);
  Id insert_beneficiary(const BeneficiaryRecord& b);
  std::optional<BeneficiaryRecord> beneficiary(Id id);
  // Sealed rows (secrets rotate, sealed.cpp): up to `limit` with an id above `after`, by id.
  std::vector<SealedRow> sealed_beneficiaries(Id after, int limit);
  std::vector<SealedRow> sealed_vouchers(Id after, int limit);
  void reseal_beneficiary(const SealedRow& row);
  void reseal_voucher(const SealedRow& row);
  Id insert_care_disbursement(const domain::CareDisbursement& d);
  std::optional<domain::CareDisbursement> care_disbursement(Id id);
  Page<domain::CareDisbursement> care_disbursements(const DisbursementFilter& filter);
  // Disbursements to this person in this programme, and in all programmes.
  std::int64_t disbursements_to(Id beneficiary_id, std::optional<Id> programme_id);
  LedgerFacts ledger_facts();
  // The first break of each kind, found in one pass over every movement with its entries and
  // its payment (a million payments are two million entries: the pass is the cost): the
  // movement with the smallest id that has fewer than two entries, entries not summing to
  // zero, or an entry on another programme's account; and the disbursement with the smallest
  // id whose movement is not exactly two entries, the payer's holding −amount and the payer's
  // paid account +amount. Each nullopt when there is none.
  LedgerBreaks first_ledger_breaks();
  // Bulk loading of care payments (care_bulk.cpp, the generator at a million disbursements):
  // the new beneficiaries, one movement of two entries per payment (holding −amount, paid
  // +amount of the paying organisation, as Care::disburse books it), the disbursements, and
  // the kept balances, in few statements (COPY on PostgreSQL) with the rows and ids that
  // one-by-one writes give (the conformance suite compares both). Accounts missing are made
  // first, in the order one-by-one payments would make them. No checks of the service's rules
  // (scope, period, duplicates); REQUIRES: a write transaction, the programme open, the
  // beneficiaries' hashes new, every paying holding covering its payments (a holding left
  // negative throws std::logic_error: a bug in the caller; the transaction must roll back).
  void bulk_insert_care_payments(std::span<const BulkCarePayment> payments,
                                 std::optional<Id> created_by);
  // A programme's report in `scope_path` ("" for all): its accounts, its payments' totals (from
  // the kept sums: a few hundred rows at any number of payments), and the number of different
  // people paid (care_reports.cpp).
  std::vector<CareReportAccount> care_report_accounts(Id programme_id,
                                                      const std::string& scope_path);
  CarePaymentTotals care_payment_totals(Id programme_id, const std::string& scope_path);
  std::int64_t care_people_paid(Id programme_id, const std::string& scope_path);
  // Photos of visits (care_photos.cpp), oldest first.
  Id insert_care_photo(const CarePhoto& p);
  std::optional<CarePhoto> care_photo(Id id);
  std::vector<CarePhoto> care_photos(Id disbursement_id);

  // E-vouchers and corrections (vouchers.cpp).
  Id insert_merchant(const domain::Merchant& m, std::optional<Id> created_by);
  std::optional<domain::Merchant> merchant(Id id);
  // Merchants of organisations in `scope_path` ("" for all), by name.
  Page<domain::Merchant> merchants(const std::string& scope_path, PageRequest page);
  // Ties the account to the merchant (replacing an earlier tie).
  void link_merchant_account(Id account_id, Id merchant_id);
  std::optional<Id> merchant_of_account(Id account_id);
  // The account (created at balance 0 when missing) of `kind` for `ref_id` (a batch, a
  // merchant) of `organisation_id` in a programme.
  Id ledger_ref_account(Id programme_id, std::string_view kind, Id organisation_id, Id ref_id);
  // Inserts the batch and its merchants; its movement is set once booked (set_batch_movement).
  Id insert_voucher_batch(const domain::VoucherBatch& b, std::optional<Id> created_by);
  void set_batch_movement(Id batch_id, Id movement_id);
  std::optional<domain::VoucherBatch> voucher_batch(Id id);
  // Batches of organisations in `scope_path`, optionally of one programme, newest first.
  Page<domain::VoucherBatch> voucher_batches(std::optional<Id> programme_id,
                                             const std::string& scope_path, PageRequest page);
  bool batch_accepts(Id batch_id, Id merchant_id);
  bool voucher_issued_to(Id batch_id, Id beneficiary_id);
  std::int64_t vouchers_in_batch(Id batch_id);
  Id insert_voucher(Id batch_id, Id beneficiary_id, const std::string& code_hash,
                    const std::string& code_cipher, const std::string& code_tail,
                    std::optional<Id> issued_by);
  std::optional<VoucherRecord> voucher(Id id);
  std::optional<VoucherRecord> voucher_by_hash(const std::string& code_hash);
  Page<domain::Voucher> vouchers(Id batch_id, PageRequest page);
  std::optional<domain::VoucherRedemption> redemption_by_key(const std::string& request_key);
  std::optional<domain::VoucherRedemption> redemption_of_voucher(Id voucher_id);
  // The voucher of `code_hash` with its batch, the merchant `account_id` works for, and whether
  // `request_key` is taken, in one statement; none when no voucher has that hash. It locks
  // nothing: what decides is claim_voucher.
  std::optional<RedemptionTarget> redemption_target(const std::string& code_hash, Id account_id,
                                                    const std::string& request_key);
  // Marks the voucher redeemed if it is still issued; false if it is not (redeemed or expired).
  // The row stays locked until the transaction ends, so a concurrent claim of the same voucher,
  // or an expiry of its batch (expire_vouchers), waits for this one's outcome and then reads it.
  [[nodiscard]] bool claim_voucher(Id voucher_id);
  // Books the redemption row (its `at` is r.at, or now when 0). REQUIRES: the voucher claimed.
  // Throws sql::UniqueViolation if the voucher or the request key has a redemption already.
  Id insert_redemption(const domain::VoucherRedemption& r);
  // Redemptions at `merchant_id`, or (none) at merchants of organisations in `scope_path`.
  Page<domain::VoucherRedemption> redemptions(std::optional<Id> merchant_id,
                                              const std::string& scope_path, PageRequest page);
  // Open batches whose last valid day is before `today`.
  std::vector<Id> batches_past(const Date& today);
  // Marks the batch's issued vouchers expired, the first step of an expiry. Each voucher's row
  // locked by a claim in flight (claim_voucher) is waited for and skipped if that claim commits;
  // a claim after it waits for this transaction and then finds the voucher expired. So once it
  // returns, the batch's redemptions counted by a later statement are all it will ever have, and
  // the row locks are taken one voucher at a time: a stream of redemptions cannot starve it.
  void expire_vouchers(Id batch_id);
  // Marks the batch expired with the movement that returned its value (none when nothing was
  // left to return). REQUIRES: expire_vouchers(batch_id) earlier in the transaction.
  void expire_batch(Id batch_id, std::optional<Id> movement_id);
  // The movement that reverses `movement_id`, if one does.
  std::optional<Id> reversal_of(Id movement_id);
  // Books the exact opposite of `movement_id`'s entries as a reversal movement naming it.
  // REQUIRES: the movement exists and is not reversed yet.
  Id post_reversal(Id movement_id, std::optional<Id> account_id, const std::string& note);
  VoucherFacts voucher_facts();

  // Audit log: append-only.
  void append_audit(const domain::AuditEntry& entry);
  Page<domain::AuditEntry> audit(const AuditFilter& filter);

  // Rows per table, for tests, backups and data moves.
  std::int64_t count(std::string_view table);

 private:
  friend class Store;
  friend Result<std::vector<TableCopy>> copy_database(Store& from, Store& to,
                                                      const CopyProgress& progress);
  Tx(Store& store, std::unique_ptr<sql::Connection> conn, sql::TxMode mode);

  std::vector<sql::Row> q(std::string_view sql, std::initializer_list<sql::Value> params = {});
  std::int64_t x(std::string_view sql, std::initializer_list<sql::Value> params = {});
  Id insert_returning_id(std::string_view sql, std::initializer_list<sql::Value> params);
  void load_lecturer_lists(std::vector<domain::Lecturer>& lecturers);
  void load_session_children(std::vector<domain::Session>& sessions);
  void save_lecturer_lists(const domain::Lecturer& lecturer);
  // `fresh`: the session was inserted in this transaction and has no children yet
  // (no DELETE to send).
  void save_session_children(const domain::Session& session, bool fresh = false);
  void save_campaign_targets(const domain::Campaign& campaign);
  void count_session(Id host, std::optional<Id> campaign, std::int64_t delta);
  // The condition that keeps a kept table's rows to a scope (a subtree, narrowed to an
  // organisation's), on `host_column` (an organisation's id), with its values: "" when the scope
  // holds every organisation. See store/statistics.cpp.
  std::pair<std::string, std::vector<sql::Value>> tally_scope(const std::string& scope_path,
                                                              const std::string& organisation_path,
                                                              const std::string& host_column);
  // Adds (sign +1) or takes off (-1) the kept sums of the sessions `which` selects (an SQL
  // condition on sessions `s` with `params`), as they stand in the database now.
  // kNoneYet: REQUIRES that no answer or sign-in names these sessions (just written).
  enum class Answers { kCounted, kNoneYet };
  void tally_sessions(const std::string& which, const std::vector<sql::Value>& params,
                      std::int64_t sign, Answers answers = Answers::kCounted);
  void tally_categories(const std::string& which, const std::vector<sql::Value>& params,
                        std::int64_t sign);
  // Only the answers' and sign-ins' share of the kept sums of the sessions `which` selects (as
  // tally_sessions counts them), and to the node sums unless they wait for a rebuild: what
  // answers written in bulk change.
  void tally_answers(const std::string& which, const std::vector<sql::Value>& params,
                     std::int64_t sign);
  // Adds the answers' share of the sessions whose answers bulk_insert_feedback wrote since the
  // last flush into empty answer tables.
  void tally_bulk_answers();
  // The rows of bulk_insert_feedback, without their kept sums.
  void write_feedback_rows(std::span<const FeedbackLinkRow> links,
                           std::span<const FeedbackEntry> answers,
                           std::span<const SignInRow> sign_ins, UnixSeconds now);
  // The kept sums by node (migration 0025) of the sessions `which` selects: added to every
  // organisation above each session's host, itself included.
  void tally_nodes(const std::string& which, const std::vector<sql::Value>& params,
                   std::int64_t sign, Answers answers);
  // Adds `sign` × the rows of `v` (defined by `with_v`, a WITH clause over `params`, with a
  // column `host` and the sums of the node table) to the node table, summed over every node
  // above each host.
  void add_to_nodes(const std::string& with_v, const std::vector<sql::Value>& params,
                    std::int64_t sign);
  void add_to_lecturer_nodes(const std::string& with_v, const std::vector<sql::Value>& params,
                             std::int64_t sign);
  void add_to_category_nodes(const std::string& with_v, const std::vector<sql::Value>& params,
                             std::int64_t sign);
  // Adds (+1) or takes off (-1) the node sums of the hosts the SQL `organisations` selects (ids,
  // over `params`), from the kept tables of migration 0015: for an organisation that moves in
  // the tree, taken off before and added after.
  void tally_nodes_from_kept(const std::string& organisations,
                             const std::vector<sql::Value>& params, std::int64_t sign);
  // Empties the node sums and adds them up again from the kept tables.
  void rebuild_node_tallies();
  // The kept balances deferred by defer_balances(), one UPDATE an account in the order of ids
  // (two transactions that change the same accounts lock them in the same order).
  void flush_balances();
  // The kept sums deferred by defer_tallies() and of the sessions loaded in bulk, after the
  // indexes dropped for a load are back (flush_tallies() also rebuilds stale node sums).
  void flush_deferred_tallies();
  // Adds the queued sessions' sums and empties the queue. REQUIRES: a write transaction.
  void fold_tally_queue();
  // `which` (a condition on sessions `s`) without the sessions waiting in tally_queue, whose
  // sums the fold adds as they stand then: every change of the kept sums but the fold's.
  std::string not_queued(const std::string& which) const;
  // For drop_indexes_for_load(): a table copied by triggers from `table` (empty) stops being
  // copied row by row, and is filled in one sorted statement with the indexes.
  void suspend_copies_for_load(const std::string& table);
  // Runs the statements drop_indexes_for_load() kept to rebuild what it dropped.
  void restore_indexes_after_load();
  // Adds the kept sums of the sessions bulk_insert_sessions wrote since the last flush.
  void tally_bulk_sessions();
  // Adds the rows `rows` writes (the columns: the kept table's key, `keys` columns, then sums to
  // add) to a kept table: straight in when it is empty, else merged with one upsert.
  void add_kept_rows(const std::string& table, std::span<const std::string_view> columns,
                     std::size_t keys, const std::function<void(sql::BulkWriter&)>& rows);
  // The node ids whose node sums hold exactly the sessions of a scope narrowed to an
  // organisation's subtree: the deeper of the two paths' organisation, none when the two
  // subtrees do not meet, every root when neither is set.
  std::vector<sql::Value> tally_nodes_of(const std::string& scope_path,
                                         const std::string& organisation_path);
  // One answer (rating) or sign-in more for a session; a sign-in may also verify an earlier
  // answer of the same browser (the scorecard counts verified and staff-entered answers apart).
  struct AnswerTally {
    std::int64_t ratings = 0;
    std::int64_t rating_sum = 0;
    std::int64_t signed_in = 0;
    std::int64_t verified = 0;
    std::int64_t verified_sum = 0;
    std::int64_t staff = 0;
    std::int64_t staff_sum = 0;
  };
  void tally_answer(Id session_id, const AnswerTally& answer);
  CampaignStatistics kept_statistics(const StatisticsFilter& filter, int top_lecturers);
  CampaignStatistics counted_statistics(const StatisticsFilter& filter, int top_lecturers);
  void add_orders(const StatisticsFilter& filter, CampaignStatistics& st);
  void put_link(std::string_view table, std::string_view key, Id id, const std::string& token,
                UnixSeconds at);
  std::optional<std::string> link_token(std::string_view table, std::string_view key, Id id);
  std::optional<Id> link_owner(std::string_view table, std::string_view key,
                               const std::string& token);
  std::string path_of(Id organisation_id);
  // Runs `write`, statements that a UNIQUE constraint may refuse: false when one did, with the
  // transaction still usable on both engines (a savepoint on PostgreSQL).
  bool unless_duplicate(const std::function<void()>& write);

  Store* store_;
  std::unique_ptr<sql::Connection> conn_;
  bool done_ = false;
  sql::TxMode mode_;
  bool writes_ = false;   // a write transaction: raises the data version (see the constructor)
  bool folding_ = false;  // settle_tallies() is adding the queued sessions
  bool settled_ = false;  // a read that settle_tallies() folded for: its snapshot stays
  bool defer_tallies_ = false;
  bool defer_balances_ = false;
  std::map<Id, std::int64_t> balance_changes_;  // account → change, deferred to commit
  // The node sums lag behind a bulk load: rebuilt from the kept tables by flush_tallies().
  bool nodes_stale_ = false;
  std::vector<Id> untallied_;  // sessions inserted while the kept sums are deferred
  // The kept sums of the sessions bulk_insert_sessions wrote, not yet added: once for the whole
  // load instead of once per batch.
  std::unique_ptr<detail::BulkSums> bulk_sums_;
  bool bulk_load_started_ = false;               // bulk_insert_sessions looked at the tables once
  std::vector<std::string> restore_after_load_;  // CREATE INDEX, ADD CONSTRAINT
  std::vector<std::string> analyze_after_load_;  // PostgreSQL: tables loaded while empty
  // bulk_insert_feedback found no answer nor sign-in at all when first called: nothing to take
  // off, so the answered sessions' sums are added once, at the next flush.
  std::optional<bool> answers_were_empty_;
  std::unique_ptr<detail::BulkAnswers> bulk_answers_;    // their share of the kept sums
  std::map<std::pair<Id, Id>, std::int64_t> uncounted_;  // (host, campaign or 0) → sessions
};

class Store {
 public:
  // `url` is "postgresql://…" (server mode), or a file path or "sqlite:PATH" (embedded).
  // Applies pending migrations before returning.
  // Throws sql::DatabaseError if the database cannot be opened or migrated.
  static std::unique_ptr<Store> open(const std::string& url, std::size_t pool_size = 8);

  Tx begin(sql::TxMode mode);
  Tx read() { return begin(sql::TxMode::kRead); }
  Tx write() { return begin(sql::TxMode::kWrite); }
  // A write transaction without the global write lock (sql::TxMode::kWriteRowLocked): only for
  // a use case whose every race is closed by row locks and constraints, said where it is used.
  Tx write_row_locked() { return begin(sql::TxMode::kWriteRowLocked); }
  // No transaction (sql::TxMode::kStatement): for a use that reads with one statement, on
  // PostgreSQL without the round trips of BEGIN and ROLLBACK. Never for writes.
  Tx statement() { return begin(sql::TxMode::kStatement); }
  // Folds the sessions queued for the kept sums (Tx::settle_tallies): what the server does every
  // few seconds, so that the queue stays short for the reader that would otherwise fold it.
  void fold_tallies();
  std::string engine() const { return engine_; }
  int schema_version();

  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

 private:
  friend class Tx;
  Store(sql::ConnectionFactory factory, std::string engine, std::size_t pool_size);
  std::unique_ptr<sql::Connection> acquire();
  void release(std::unique_ptr<sql::Connection> conn);
  void migrate();
  // Set once the migrations are applied: from then on the data_version table is there to raise.
  std::atomic<bool> versioned_ = false;

  sql::ConnectionFactory factory_;
  std::string engine_;
  std::size_t pool_size_;
  std::size_t open_ = 0;
  std::vector<std::unique_ptr<sql::Connection>> idle_;
  std::mutex mutex_;
  std::condition_variable available_;
};

// Names compare by pinyin: the sort key is ICU's zh collation key, hex-encoded so that plain
// binary comparison of the text in any engine gives pinyin order.
std::string sort_key(std::string_view name);

// Copies every table of `from` into `to`, which must be freshly initialised (migrated, no
// organisation yet; kConflict otherwise) and at the same schema version. One transaction on
// each side; rows are streamed from the source and written in bulk (COPY into PostgreSQL);
// the copy is then read back and compared table by table. `progress` may be empty.
Result<std::vector<TableCopy>> copy_database(Store& from, Store& to,
                                             const CopyProgress& progress = {});

// Whether `url` names a PostgreSQL database rather than an SQLite file.
bool is_postgres_url(std::string_view url);

// Region code → the prefix shared by it and everything inside it ("150200" → "1502").
std::string region_prefix(std::string_view code);

}  // namespace xj::store
