// Moving a whole database between engines (xuanjiang migrate-data).
#include <array>
#include <cstdio>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace xj::store {
namespace {

struct TableSpec {
  const char* name;
  const char* columns;
  const char* order;  // parents before children; a stable order for the checksum
  bool has_id;
};

// Every table, in an order that satisfies the foreign keys.
constexpr auto kTables = std::to_array<TableSpec>({
    {"regions", "code, name, parent, level, kind, lat, lon", "code", false},
    {"organisations",
     "id, name, sort_key, parent_id, level, region_code, industry, address, lat, lon, path, "
     "created_at, updated_at",
     "path", true},
    {"dictionary_entries", "id, kind, code, name, name_en, sort_order, active", "id", true},
    {"lecturers",
     "id, organisation_id, name, sort_key, gender, ethnicity, category, employer, region_code, "
     "phone, bio, active, created_at, updated_at, photo_sha256, photo_type",
     "id", true},
    {"lecturer_honours", "lecturer_id, ordinal, honour", "lecturer_id, ordinal", false},
    {"lecturer_topics", "lecturer_id, ordinal, topic", "lecturer_id, ordinal", false},
    {"lecturer_languages", "lecturer_id, ordinal, language", "lecturer_id, ordinal", false},
    {"lecturer_unavailability", "lecturer_id, ordinal, from_date, to_date, reason",
     "lecturer_id, ordinal", false},
    {"accounts",
     "id, username, display_name, role, organisation_id, lecturer_id, password_hash, active, "
     "created_at, updated_at",
     "id", true},
    {"login_sessions", "token_hash, account_id, csrf_token, created_at, expires_at", "token_hash",
     false},
    {"api_tokens", "id, token_hash, account_id, name, created_at, expires_at, last_used_at", "id",
     true},
    {"login_failures", "key, failures, window_start, locked_until", "key", false},
    {"campaigns",
     "id, title, owner_organisation_id, start_date, end_date, description, created_at, "
     "updated_at, closed_at, closed_by, version",
     "id", true},
    {"campaign_targets", "campaign_id, ordinal, region_code, audience_group, sessions, audience",
     "campaign_id, ordinal", false},
    {"sessions",
     "id, campaign_id, title, date, start_time, end_time, venue, host_organisation_id, "
     "host_path, region_code, industry, format, audience_group, audience_offline, "
     "online_viewers, summary, source, order_id, created_by, created_at, updated_at, version",
     "id", true},
    {"session_lecturers", "session_id, lecturer_id, ordinal", "session_id, lecturer_id", false},
    {"session_counts", "organisation_id, campaign_id, sessions", "organisation_id, campaign_id",
     false},
    {"session_branches",
     "id, session_id, ordinal, host_organisation_id, venue, region_code, audience_group, "
     "headcount",
     "id", true},
    {"tally_queue", "session_id", "session_id", false},
    {"session_tallies",
     "campaign_id, organisation_id, day, region_code, audience_group, industry, format, "
     "records, sessions, audience_offline, online_viewers, branch_headcount, ratings, "
     "rating_sum, signed_in",
     "campaign_id, organisation_id, day, region_code, audience_group, industry, format", false},
    {"lecturer_tallies",
     "lecturer_id, campaign_id, organisation_id, day, format, region_code, sessions, audience, "
     "ratings, rating_sum, verified_ratings, verified_rating_sum, staff_ratings, "
     "staff_rating_sum",
     "lecturer_id, campaign_id, organisation_id, day, format, region_code", false},
    {"category_tallies", "category, campaign_id, organisation_id, day, sessions, audience",
     "category, campaign_id, organisation_id, day", false},
    {"organisation_ancestors", "organisation_id, ancestor_id", "organisation_id, ancestor_id",
     false},
    {"node_tallies",
     "campaign_id, node_id, day, dim, key_a, key_b, records, sessions, audience_offline, "
     "online_viewers, branch_headcount, ratings, rating_sum, signed_in",
     "campaign_id, node_id, day, dim, key_a, key_b", false},
    {"node_lecturer_tallies",
     "campaign_id, node_id, day, lecturer_id, sessions, audience, ratings, rating_sum, "
     "verified_ratings, verified_rating_sum, staff_ratings, staff_rating_sum",
     "campaign_id, node_id, day, lecturer_id", false},
    {"node_category_tallies", "campaign_id, node_id, day, category, sessions, audience",
     "campaign_id, node_id, day, category", false},
    {"orders",
     "id, organisation_id, campaign_id, window_from, window_to, region_code, address, "
     "audience_group, expected_audience, preferred_format, topic, language, "
     "preferred_lecturer_id, preferred_category, priority, contact_name, contact_phone, note, "
     "state, version, lecturer_id, date, start_time, end_time, dispatched_by, dispatched_at, "
     "session_id, rating, rating_comment, reminded_at, escalated_at, created_by, created_at, "
     "updated_at",
     "id", true},
    {"order_events",
     "id, order_id, at, account_id, username, action, from_state, to_state, reason, lecturer_id, "
     "date",
     "id", true},
    {"notifications", "id, account_id, at, kind, order_id, detail, read_at, done_at", "id", true},
    {"feedback_reopenings", "session_id, at, account_id, reason, open_until", "session_id", false},
    {"dispatch_plans",
     "id, campaign_id, scope_path, created_by, created_at, state, time_limit, seed, orders, "
     "lecturers, result, error, finished_at",
     "id", true},
    {"calendar_links", "lecturer_id, token, created_at", "lecturer_id", false},
    {"feedback_links", "session_id, token, created_at", "session_id", false},
    {"feedback",
     "id, session_id, at, rating, comment, audience_group, channel, quote, browser, address", "id",
     true},
    {"attendance", "id, session_id, at, browser, address", "id", true},
    {"photos", "id, session_id, branch_id, sha256, content_type, bytes, created_by, created_at",
     "id", true},
    {"care_programmes",
     "id, owner_organisation_id, title, start_date, end_date, budget_fen, kinds, description, "
     "state, version, created_by, created_at, updated_at",
     "id", true},
    {"care_programme_categories", "programme_id, ordinal, category", "programme_id, ordinal",
     false},
    {"care_beneficiaries",
     "id, organisation_id, name, id_hash, id_cipher, id_mask, phone_cipher, phone_mask, "
     "employer, category, created_at",
     "id", true},
    {"ledger_accounts", "id, programme_id, kind, organisation_id, balance_fen, ref_id", "id", true},
    {"ledger_movements", "id, programme_id, kind, at, account_id, note, reverses_id", "id", true},
    {"ledger_entries", "id, movement_id, account_id, amount_fen", "id", true},
    {"care_allocations",
     "id, programme_id, kind, from_organisation_id, to_organisation_id, amount_fen, note, "
     "movement_id, created_by, created_at",
     "id", true},
    {"care_disbursements",
     "id, programme_id, organisation_id, beneficiary_kind, beneficiary_id, category, unit_name, "
     "document_no, bank_name, bank_account, amount_fen, aid_kind, date, officials, note, "
     "duplicate_reason, movement_id, created_by, created_at",
     "id", true},
    {"care_payment_sums",
     "programme_id, organisation_id, beneficiary_kind, category, aid_kind, month, payments, "
     "amount_fen, first_payments",
     "programme_id, organisation_id, beneficiary_kind, category, aid_kind, month", false},
    {"care_merchants", "id, organisation_id, name, credit_code, contact, created_by, created_at",
     "id", true},
    {"care_merchant_accounts", "account_id, merchant_id", "account_id", false},
    {"care_voucher_batches",
     "id, programme_id, organisation_id, title, face_value_fen, count, valid_from, valid_to, "
     "state, movement_id, expiry_movement_id, created_by, created_at, expired_at",
     "id", true},
    {"care_voucher_batch_merchants", "batch_id, merchant_id", "batch_id, merchant_id", false},
    {"care_vouchers",
     "id, batch_id, beneficiary_id, code_hash, code_cipher, code_tail, state, issued_by, "
     "issued_at",
     "id", true},
    {"care_voucher_redemptions",
     "id, voucher_id, merchant_id, account_id, request_key, movement_id, at", "id", true},
    {"care_photos", "id, disbursement_id, sha256, content_type, bytes, created_by, created_at",
     "id", true},
    {"report_sources",
     "id, organisation_id, organisation_path, file_name, year, campaign_id, text, created_by, "
     "created_at",
     "id", true},
    {"report_source_sessions", "session_id, report_source_id, sentence_begin, sentence_end",
     "session_id", false},
    {"audit_log",
     "id, at, account_id, username, organisation_path, action, entity, entity_id, address, "
     "detail",
     "id", true},
});

// FNV-1a over a canonical text of each value: the same rows give the same sum in any engine.
class Checksum {
 public:
  void add(const sql::Row& row) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      const sql::Value& v = row.value(i);
      if (std::holds_alternative<std::nullptr_t>(v)) {
        feed("\x01N");
      } else if (const auto* d = std::get_if<double>(&v)) {
        std::array<char, 40> buf{};
        std::snprintf(buf.data(), buf.size(), "%.12g", *d);
        feed(buf.data());
      } else {
        feed(row.text(i));
      }
      feed("\x1f");
    }
    feed("\x1e");
  }
  std::string hex() const {
    std::array<char, 20> buf{};
    std::snprintf(buf.data(), buf.size(), "%016llx", static_cast<unsigned long long>(h_));
    return buf.data();
  }

 private:
  void feed(std::string_view s) {
    for (const char c : s) {
      h_ ^= static_cast<unsigned char>(c);
      h_ *= 1099511628211ULL;
    }
  }
  std::uint64_t h_ = 14695981039346656037ULL;
};

std::size_t column_count(const char* columns) {
  std::size_t n = 1;
  for (const char* c = columns; *c != '\0'; ++c) n += *c == ',' ? 1 : 0;
  return n;
}

// "a, b, c" → {"a", "b", "c"}.
std::vector<std::string_view> column_names(std::string_view columns) {
  std::vector<std::string_view> out;
  while (!columns.empty()) {
    const auto comma = columns.find(',');
    out.push_back(columns.substr(0, comma));
    if (comma == std::string_view::npos) break;
    columns.remove_prefix(comma + 1);
    while (!columns.empty() && columns.front() == ' ') columns.remove_prefix(1);
  }
  return out;
}

}  // namespace

Result<std::vector<TableCopy>> copy_database(Store& from, Store& to, const CopyProgress& progress) {
  if (from.schema_version() != to.schema_version()) {
    return Error::conflict({"两个数据库的结构版本不同", "the databases' schema versions differ"});
  }
  std::vector<TableCopy> report;
  {
    Tx src = from.read();
    Tx dst = to.write();
    if (dst.count("organisations") > 0) {
      return Error::conflict({"目标数据库不是空的", "the destination database is not empty"});
    }
    // A freshly initialised destination may hold regions; they are replaced by the source's.
    dst.x("DELETE FROM regions");
    // Each index built once, sorted, and each foreign key checked in one pass, at commit.
    std::vector<std::string_view> names;
    names.reserve(kTables.size());
    for (const auto& t : kTables) names.emplace_back(t.name);
    dst.drop_indexes_for_load(names);
    // Every table in this one transaction: a copy that fails halfway leaves the destination as
    // empty as it was, so that it can be run again (a destination with rows is refused).
    for (const auto& t : kTables) {
      // A column added by a migration but missing here would be dropped without a word: a row
      // of the source must have exactly the columns copied.
      const auto sample = src.q(std::string("SELECT * FROM ") + t.name + " LIMIT 1");
      if (!sample.empty() && sample[0].size() != column_count(t.columns)) {
        return Error{ErrorCode::kInternal,
                     {std::string("迁移程序不认识表 ") + t.name + " 的全部列，未做任何改动",
                      std::string("the copy does not know every column of table ") + t.name +
                          ": nothing was changed"},
                     {},
                     {}};
      }
      const std::int64_t total =
          src.q(std::string("SELECT COUNT(*) FROM ") + t.name).at(0).integer(0);
      const std::string select =
          std::string("SELECT ") + t.columns + " FROM " + t.name + " ORDER BY " + t.order;
      const auto columns = column_names(t.columns);
      TableCopy copy;
      copy.table = t.name;
      Checksum sum;
      // COPY on PostgreSQL, batched INSERTs on SQLite, streamed from the source.
      auto writer = dst.conn_->bulk_writer(t.name, columns);
      std::vector<sql::Value> values(columns.size());
      src.conn_->query_each(select, {}, [&](const sql::Row& row) {
        for (std::size_t i = 0; i < row.size(); ++i) {
          // Numbers go as text: both engines convert them back to the column's type.
          values[i] = row.is_null(i) ? sql::Value(nullptr) : sql::Value(row.text(i));
        }
        writer->add(values);
        sum.add(row);
        if (++copy.rows % 10'000 == 0 && progress) progress(t.name, copy.rows, total);
      });
      writer->finish();
      if (progress) progress(t.name, copy.rows, total);
      if (t.has_id) dst.conn_->reset_identity(t.name);
      copy.checksum = sum.hex();
      report.push_back(std::move(copy));
    }
    // The indexes and foreign keys dropped for the copy are built and checked at commit.
    if (progress) progress("indexes, foreign keys, commit", 0, 0);
    dst.commit();
  }
  if (progress) progress("verify", 0, 0);
  // Read the copy back and compare.
  Tx check = to.read();
  for (std::size_t k = 0; k < kTables.size(); ++k) {
    const auto& t = kTables[k];
    Checksum sum;
    std::int64_t rows = 0;
    check.conn_->query_each(
        std::string("SELECT ") + t.columns + " FROM " + t.name + " ORDER BY " + t.order, {},
        [&](const sql::Row& row) {
          sum.add(row);
          ++rows;
        });
    report[k].verified = rows == report[k].rows && sum.hex() == report[k].checksum;
  }
  return report;
}

}  // namespace xj::store
