// The kept sums behind every statistics figure (migration 0015): each write of a session takes
// its old figures off (sign -1) before it changes anything and adds its new ones (sign +1)
// after, in the same transaction, with the statements that filled the tables in the migration.
// They work on a set of sessions, so one lecturer's change of category is two statements
// however many sessions that lecturer gave.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "store/query.hpp"
#include "store/store.hpp"

namespace xj::store {

using detail::answers_of;
using detail::kAnswers;
using detail::kRatingSum;
using detail::kReached;
using detail::kSignedIn;
using detail::kStaffAnswer;
using detail::kVerifiedAnswer;
using sql::Value;

namespace {

constexpr const char* kSign = "CAST(? AS BIGINT)";

// A session counts once per category: on the row of the first of its lecturers (by id) of
// that category (`m`, `l`: the lecturer's row and record).
constexpr const char* kFirstOfCategory =
    "NOT EXISTS (SELECT 1 FROM session_lecturers m2 JOIN lecturers l2 ON l2.id = m2.lecturer_id "
    "WHERE m2.session_id = m.session_id AND l2.category = l.category "
    "AND m2.lecturer_id < m.lecturer_id)";

std::vector<Value> with_signs(std::size_t signs, std::int64_t sign,
                              const std::vector<Value>& params) {
  std::vector<Value> all(signs, Value(sign));
  all.insert(all.end(), params.begin(), params.end());
  return all;
}

std::vector<Value> with_signs_after(const std::vector<Value>& params, std::size_t signs,
                                    std::int64_t sign) {
  std::vector<Value> all = params;
  all.insert(all.end(), signs, Value(sign));
  return all;
}

}  // namespace

void Tx::defer_tallies() { defer_tallies_ = true; }

void Tx::flush_tallies() {
  flush_deferred_tallies();
  if (nodes_stale_) rebuild_node_tallies();
}

void Tx::settle_tallies() {
  flush_tallies();
  if (folding_ || settled_) return;
  if (q("SELECT 1 FROM tally_queue LIMIT 1").empty()) return;
  if (writes_) {
    fold_tally_queue();
    return;
  }
  // A row-locked write holds no write lock to fold under, and ending it would undo its own
  // writes: it reads the sums without the queue's sessions (none of its uses reads them).
  if (mode_ != sql::TxMode::kRead) return;
  // A read: ended here, and begun again after the fold's own commit.
  settled_ = true;
  conn_->rollback();
  conn_->begin(sql::TxMode::kWrite, {});  // without raising the data version: no figure changes
  fold_tally_queue();
  conn_->commit();
  conn_->begin(mode_, {});
}

void Tx::fold_tally_queue() {
  // Answers written in bulk wait in memory: added first, while the queue still tells which
  // sessions they pass by.
  flush_deferred_tallies();
  // Writes take the write lock (SQLite's, or PostgreSQL's advisory one), and row-locked ones
  // never queue: nothing joins the queue while this transaction holds it.
  std::vector<Id> ids;
  for (const sql::Row& r : q("SELECT session_id FROM tally_queue ORDER BY session_id")) {
    ids.push_back(r.integer(0));
  }
  x("DELETE FROM tally_queue");
  folding_ = true;
  // Ids in the statement, a batch at a time, rather than a join with the queue: PostgreSQL's
  // figures of a table that fills and empties all day may be far off, and a wrong guess walks
  // every session.
  constexpr std::size_t kBatch = 500;
  for (std::size_t from = 0; from < ids.size(); from += kBatch) {
    const std::size_t n = std::min(kBatch, ids.size() - from);
    std::string which = "s.id IN (?";
    for (std::size_t i = 1; i < n; ++i) which += ", ?";
    which += ")";
    std::vector<Value> params(ids.begin() + static_cast<std::ptrdiff_t>(from),
                              ids.begin() + static_cast<std::ptrdiff_t>(from + n));
    tally_sessions(which, params, 1);
  }
  folding_ = false;
}

std::string Tx::not_queued(const std::string& which) const {
  if (folding_) return which;
  return "(" + which + ") AND NOT EXISTS (SELECT 1 FROM tally_queue k WHERE k.session_id = s.id)";
}

void Tx::flush_deferred_tallies() {
  // The kept sums' statements read sessions by their indexes.
  restore_indexes_after_load();
  tally_bulk_sessions();
  tally_bulk_answers();
  if (untallied_.empty() && uncounted_.empty()) return;
  // Taken out first: the statements below flush again on entry, and find nothing to do.
  std::vector<Id> ids = std::exchange(untallied_, {});
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  const auto counts = std::exchange(uncounted_, {});
  for (const auto& [key, sessions] : counts) {
    count_session(key.first, key.second == 0 ? std::nullopt : std::optional<Id>(key.second),
                  sessions);
  }
  // A few hundred ids a statement keeps every engine far from its limit on parameters. Beyond
  // that, the ids go to a table and each kept table takes one statement for all of them: the
  // sums of many sessions share rows (the nodes' above all), added once instead of once a batch.
  constexpr std::size_t kBatch = 500;
  if (ids.size() > kBatch) {
    x("CREATE TEMPORARY TABLE tally_pending (id BIGINT PRIMARY KEY)");
    {
      static constexpr auto kIdColumn = std::to_array<std::string_view>({"id"});
      auto writer = conn_->bulk_writer("tally_pending", kIdColumn);
      for (const Id id : ids) {
        const std::array<Value, 1> row{id};
        writer->add(row);
      }
      writer->finish();
    }
    // PostgreSQL plans with no figures for a new table (it would walk every session).
    if (conn_->engine() == "postgresql") x("ANALYZE tally_pending");
    tally_sessions("s.id IN (SELECT id FROM tally_pending)", {}, 1, Answers::kNoneYet);
    x("DROP TABLE tally_pending");
    return;
  }
  for (std::size_t from = 0; from < ids.size(); from += kBatch) {
    const std::size_t n = std::min(kBatch, ids.size() - from);
    std::string which = "s.id IN (?";
    for (std::size_t i = 1; i < n; ++i) which += ", ?";
    which += ")";
    std::vector<Value> params;
    params.reserve(n);
    for (std::size_t i = 0; i < n; ++i) params.emplace_back(ids[from + i]);
    // Their answers and sign-ins are not counted here: an answer to one of them, written in this
    // transaction, flushes these sums before tally_answer adds its own.
    tally_sessions(which, params, 1, Answers::kNoneYet);
  }
}

void Tx::tally_sessions(const std::string& all, const std::vector<Value>& params, std::int64_t sign,
                        Answers answers) {
  flush_deferred_tallies();
  const std::string which = not_queued(all);
  const std::string s = kSign;
  // Sessions written a moment ago have no answers or sign-ins yet: 0 instead of the subqueries
  // that would look for them, session by session.
  const bool none = answers == Answers::kNoneYet;
  const std::string answered = none ? "0" : kAnswers;
  const std::string rating_sum = none ? "0" : kRatingSum;
  const std::string signed_in = none ? "0" : kSignedIn;
  auto answers_by = [none](const char* what, const char* which_answers) {
    return none ? std::string("0") : answers_of(what, which_answers);
  };
  const std::string session_key =
      "ON CONFLICT (campaign_id, organisation_id, day, region_code, audience_group, industry, "
      "format) DO UPDATE SET records = session_tallies.records + excluded.records, "
      "sessions = session_tallies.sessions + excluded.sessions, "
      "audience_offline = session_tallies.audience_offline + excluded.audience_offline, "
      "online_viewers = session_tallies.online_viewers + excluded.online_viewers, "
      "branch_headcount = session_tallies.branch_headcount + excluded.branch_headcount, "
      "ratings = session_tallies.ratings + excluded.ratings, "
      "rating_sum = session_tallies.rating_sum + excluded.rating_sum, "
      "signed_in = session_tallies.signed_in + excluded.signed_in";
  const std::string columns =
      "INSERT INTO session_tallies (campaign_id, organisation_id, day, region_code, "
      "audience_group, industry, format, records, sessions, audience_offline, online_viewers, "
      "branch_headcount, ratings, rating_sum, signed_in) ";
  conn_->execute(columns + "SELECT COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, " +
                     "s.region_code, s.audience_group, s.industry, s.format, COUNT(*) * " + s +
                     ", COUNT(*) * " + s + ", SUM(s.audience_offline) * " + s +
                     ", SUM(s.online_viewers) * " + s + ", 0, SUM(" + answered + ") * " + s +
                     ", SUM(" + rating_sum + ") * " + s + ", SUM(" + signed_in + ") * " + s +
                     " FROM sessions s WHERE " + which +
                     " GROUP BY COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, "
                     "s.region_code, s.audience_group, s.industry, s.format " +
                     session_key,
                 with_signs(7, sign, params));
  conn_->execute(columns + "SELECT COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, " +
                     "b.region_code, b.audience_group, s.industry, s.format, COUNT(*) * " + s +
                     ", 0, 0, 0, SUM(b.headcount) * " + s +
                     ", 0, 0, 0 FROM session_branches b JOIN sessions s ON s.id = b.session_id "
                     "WHERE " +
                     which +
                     " GROUP BY COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, "
                     "b.region_code, b.audience_group, s.industry, s.format " +
                     session_key,
                 with_signs(2, sign, params));
  conn_->execute(
      "INSERT INTO lecturer_tallies (lecturer_id, campaign_id, organisation_id, day, format, "
      "region_code, sessions, audience, ratings, rating_sum, verified_ratings, "
      "verified_rating_sum, staff_ratings, staff_rating_sum) SELECT m.lecturer_id, "
      "COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, s.format, s.region_code, "
      "COUNT(*) * " +
          s + ", SUM(" + kReached + ") * " + s + ", SUM(" + answered + ") * " + s + ", SUM(" +
          rating_sum + ") * " + s + ", SUM(" + answers_by("COUNT(*)", kVerifiedAnswer) + ") * " +
          s + ", SUM(" + answers_by("COALESCE(SUM(f.rating), 0)", kVerifiedAnswer) + ") * " + s +
          ", SUM(" + answers_by("COUNT(*)", kStaffAnswer) + ") * " + s + ", SUM(" +
          answers_by("COALESCE(SUM(f.rating), 0)", kStaffAnswer) + ") * " + s +
          " FROM session_lecturers m JOIN sessions s ON s.id = m.session_id WHERE " + which +
          " GROUP BY m.lecturer_id, COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, "
          "s.format, s.region_code "
          "ON CONFLICT (campaign_id, organisation_id, day, lecturer_id, format, region_code) "
          "DO UPDATE SET sessions = lecturer_tallies.sessions + excluded.sessions, "
          "audience = lecturer_tallies.audience + excluded.audience, "
          "ratings = lecturer_tallies.ratings + excluded.ratings, "
          "rating_sum = lecturer_tallies.rating_sum + excluded.rating_sum, "
          "verified_ratings = lecturer_tallies.verified_ratings + excluded.verified_ratings, "
          "verified_rating_sum = lecturer_tallies.verified_rating_sum + "
          "excluded.verified_rating_sum, "
          "staff_ratings = lecturer_tallies.staff_ratings + excluded.staff_ratings, "
          "staff_rating_sum = lecturer_tallies.staff_rating_sum + excluded.staff_rating_sum",
      with_signs(8, sign, params));
  if (!nodes_stale_) tally_nodes(which, params, sign, answers);
  tally_categories(all, params, sign);
  if (sign < 0) {
    x("DELETE FROM session_tallies WHERE records = 0");
    x("DELETE FROM lecturer_tallies WHERE sessions = 0");
  }
}

void Tx::tally_answers(const std::string& all, const std::vector<Value>& params,
                       std::int64_t sign) {
  const std::string which = not_queued(all);
  const std::string s = kSign;
  // Rows of sessions with no answer add nothing: the sessions' rows are there, the branch
  // venues' rows carry no answers.
  conn_->execute(
      "INSERT INTO session_tallies (campaign_id, organisation_id, day, region_code, "
      "audience_group, industry, format, records, sessions, audience_offline, online_viewers, "
      "branch_headcount, ratings, rating_sum, signed_in) SELECT COALESCE(s.campaign_id, 0), "
      "s.host_organisation_id, s.date, s.region_code, s.audience_group, s.industry, s.format, "
      "0, 0, 0, 0, 0, SUM(" +
          std::string(kAnswers) + ") * " + s + ", SUM(" + kRatingSum + ") * " + s + ", SUM(" +
          kSignedIn + ") * " + s + " FROM sessions s WHERE " + which +
          " GROUP BY COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, "
          "s.region_code, s.audience_group, s.industry, s.format "
          "ON CONFLICT (campaign_id, organisation_id, day, region_code, audience_group, "
          "industry, format) DO UPDATE SET ratings = session_tallies.ratings + excluded.ratings, "
          "rating_sum = session_tallies.rating_sum + excluded.rating_sum, "
          "signed_in = session_tallies.signed_in + excluded.signed_in",
      with_signs(3, sign, params));
  conn_->execute(
      "INSERT INTO lecturer_tallies (lecturer_id, campaign_id, organisation_id, day, format, "
      "region_code, sessions, audience, ratings, rating_sum, verified_ratings, "
      "verified_rating_sum, staff_ratings, staff_rating_sum) SELECT m.lecturer_id, "
      "COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, s.format, s.region_code, "
      "0, 0, SUM(" +
          std::string(kAnswers) + ") * " + s + ", SUM(" + kRatingSum + ") * " + s + ", SUM(" +
          answers_of("COUNT(*)", kVerifiedAnswer) + ") * " + s + ", SUM(" +
          answers_of("COALESCE(SUM(f.rating), 0)", kVerifiedAnswer) + ") * " + s + ", SUM(" +
          answers_of("COUNT(*)", kStaffAnswer) + ") * " + s + ", SUM(" +
          answers_of("COALESCE(SUM(f.rating), 0)", kStaffAnswer) + ") * " + s +
          " FROM session_lecturers m JOIN sessions s ON s.id = m.session_id WHERE " + which +
          " GROUP BY m.lecturer_id, COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, "
          "s.format, s.region_code "
          "ON CONFLICT (campaign_id, organisation_id, day, lecturer_id, format, region_code) "
          "DO UPDATE SET ratings = lecturer_tallies.ratings + excluded.ratings, "
          "rating_sum = lecturer_tallies.rating_sum + excluded.rating_sum, "
          "verified_ratings = lecturer_tallies.verified_ratings + excluded.verified_ratings, "
          "verified_rating_sum = lecturer_tallies.verified_rating_sum + "
          "excluded.verified_rating_sum, "
          "staff_ratings = lecturer_tallies.staff_ratings + excluded.staff_ratings, "
          "staff_rating_sum = lecturer_tallies.staff_rating_sum + excluded.staff_rating_sum",
      with_signs(6, sign, params));
  if (nodes_stale_) return;  // rebuilt from the kept tables at the next flush
  // The same shares added to the nodes above each host: a tenth of the sessions answered costs
  // a tenth of adding every node sum up again from the kept tables.
  add_to_nodes(
      "WITH v AS MATERIALIZED (SELECT COALESCE(s.campaign_id, 0) AS campaign_id, "
      "s.host_organisation_id AS host, s.date AS day, s.region_code AS region_code, "
      "s.audience_group AS audience_group, s.industry AS industry, s.format AS format, "
      "0 AS records, 0 AS sessions, 0 AS audience_offline, 0 AS online_viewers, "
      "0 AS branch_headcount, SUM(" +
          std::string(kAnswers) + ") AS ratings, SUM(" + kRatingSum + ") AS rating_sum, SUM(" +
          kSignedIn + ") AS signed_in FROM sessions s WHERE " + which +
          " GROUP BY 1, 2, 3, 4, 5, 6, 7) ",
      params, sign);
  add_to_lecturer_nodes(
      "WITH v AS MATERIALIZED (SELECT COALESCE(s.campaign_id, 0) AS campaign_id, "
      "s.host_organisation_id AS host, s.date AS day, m.lecturer_id AS lecturer_id, "
      "0 AS sessions, 0 AS audience, SUM(" +
          std::string(kAnswers) + ") AS ratings, SUM(" + kRatingSum + ") AS rating_sum, SUM(" +
          answers_of("COUNT(*)", kVerifiedAnswer) + ") AS verified_ratings, SUM(" +
          answers_of("COALESCE(SUM(f.rating), 0)", kVerifiedAnswer) +
          ") AS verified_rating_sum, SUM(" + answers_of("COUNT(*)", kStaffAnswer) +
          ") AS staff_ratings, SUM(" + answers_of("COALESCE(SUM(f.rating), 0)", kStaffAnswer) +
          ") AS staff_rating_sum FROM session_lecturers m JOIN sessions s ON s.id = m.session_id "
          "WHERE " +
          which + " GROUP BY 1, 2, 3, 4) ",
      params, sign);
}

void Tx::tally_nodes(const std::string& which, const std::vector<Value>& params, std::int64_t sign,
                     Answers answers) {
  const bool none = answers == Answers::kNoneYet;
  auto counted = [none](const char* expression) { return none ? std::string("0") : expression; };
  auto answers_by = [none](const char* what, const char* which_answers) {
    return none ? std::string("0") : answers_of(what, which_answers);
  };
  // The sessions and branch venues summed by host, day and the breakdowns' keys first (one row
  // for many sessions, and a session's answers counted once, not once per node and breakdown),
  // then added to every node above each host.
  std::vector<Value> twice = params;
  twice.insert(twice.end(), params.begin(), params.end());
  add_to_nodes(
      "WITH v AS MATERIALIZED (SELECT COALESCE(s.campaign_id, 0) AS campaign_id, "
      "s.host_organisation_id AS host, s.date AS day, s.region_code AS region_code, "
      "s.audience_group AS audience_group, s.industry AS industry, s.format AS format, "
      "COUNT(*) AS records, COUNT(*) AS sessions, SUM(s.audience_offline) AS audience_offline, "
      "SUM(s.online_viewers) AS online_viewers, 0 AS branch_headcount, SUM(" +
          counted(kAnswers) + ") AS ratings, SUM(" + counted(kRatingSum) + ") AS rating_sum, SUM(" +
          counted(kSignedIn) + ") AS signed_in FROM sessions s WHERE " + which +
          " GROUP BY 1, 2, 3, 4, 5, 6, 7 UNION ALL SELECT COALESCE(s.campaign_id, 0), "
          "s.host_organisation_id, s.date, b.region_code, b.audience_group, s.industry, s.format, "
          "COUNT(*), 0, 0, 0, SUM(b.headcount), 0, 0, 0 FROM session_branches b "
          "JOIN sessions s ON s.id = b.session_id WHERE " +
          which + " GROUP BY 1, 2, 3, 4, 5, 6, 7) ",
      twice, sign);
  add_to_lecturer_nodes(
      "WITH v AS MATERIALIZED (SELECT COALESCE(s.campaign_id, 0) AS campaign_id, "
      "s.host_organisation_id AS host, s.date AS day, m.lecturer_id AS lecturer_id, "
      "COUNT(*) AS sessions, SUM(" +
          std::string(kReached) + ") AS audience, SUM(" + counted(kAnswers) + ") AS ratings, SUM(" +
          counted(kRatingSum) + ") AS rating_sum, SUM(" + answers_by("COUNT(*)", kVerifiedAnswer) +
          ") AS verified_ratings, SUM(" +
          answers_by("COALESCE(SUM(f.rating), 0)", kVerifiedAnswer) +
          ") AS verified_rating_sum, SUM(" + answers_by("COUNT(*)", kStaffAnswer) +
          ") AS staff_ratings, SUM(" + answers_by("COALESCE(SUM(f.rating), 0)", kStaffAnswer) +
          ") AS staff_rating_sum FROM session_lecturers m JOIN sessions s ON s.id = m.session_id "
          "WHERE " +
          which + " GROUP BY 1, 2, 3, 4) ",
      params, sign);
}

void Tx::add_to_nodes(const std::string& with_v, const std::vector<Value>& params,
                      std::int64_t sign) {
  const std::string s = kSign;
  std::string sums;
  for (const char* column : {"records", "sessions", "audience_offline", "online_viewers",
                             "branch_headcount", "ratings", "rating_sum", "signed_in"}) {
    sums += std::string(sums.empty() ? "" : ", ") + "SUM(v." + column + ") * " + s;
  }
  conn_->execute(
      with_v +
          "INSERT INTO node_tallies (campaign_id, node_id, day, dim, key_a, key_b, records, "
          "sessions, audience_offline, online_viewers, branch_headcount, ratings, rating_sum, "
          "signed_in) SELECT v.campaign_id, a.ancestor_id, v.day, d.dim, CASE d.dim WHEN 'place' "
          "THEN v.region_code WHEN 'industry' THEN v.industry ELSE v.format END, "
          "CASE d.dim WHEN 'place' THEN v.audience_group ELSE '' END, " +
          sums +
          " FROM v JOIN organisation_ancestors a ON a.organisation_id = v.host "
          "CROSS JOIN (SELECT 'place' AS dim UNION ALL SELECT 'industry' UNION ALL "
          "SELECT 'format') d WHERE true GROUP BY 1, 2, 3, 4, 5, 6 "
          "ON CONFLICT (campaign_id, node_id, day, dim, key_a, key_b) DO UPDATE SET "
          "records = node_tallies.records + excluded.records, "
          "sessions = node_tallies.sessions + excluded.sessions, "
          "audience_offline = node_tallies.audience_offline + excluded.audience_offline, "
          "online_viewers = node_tallies.online_viewers + excluded.online_viewers, "
          "branch_headcount = node_tallies.branch_headcount + excluded.branch_headcount, "
          "ratings = node_tallies.ratings + excluded.ratings, "
          "rating_sum = node_tallies.rating_sum + excluded.rating_sum, "
          "signed_in = node_tallies.signed_in + excluded.signed_in",
      with_signs_after(params, 8, sign));
  if (sign < 0) x("DELETE FROM node_tallies WHERE records = 0");
}

void Tx::add_to_lecturer_nodes(const std::string& with_v, const std::vector<Value>& params,
                               std::int64_t sign) {
  const std::string s = kSign;
  std::string sums;
  std::string updates;
  for (const char* column : {"sessions", "audience", "ratings", "rating_sum", "verified_ratings",
                             "verified_rating_sum", "staff_ratings", "staff_rating_sum"}) {
    sums += std::string(sums.empty() ? "" : ", ") + "SUM(v." + column + ") * " + s;
    updates += std::string(updates.empty() ? "" : ", ") + column + " = node_lecturer_tallies." +
               column + " + excluded." + column;
  }
  conn_->execute(with_v +
                     "INSERT INTO node_lecturer_tallies (campaign_id, node_id, day, lecturer_id, "
                     "sessions, audience, ratings, rating_sum, verified_ratings, "
                     "verified_rating_sum, staff_ratings, staff_rating_sum) "
                     "SELECT v.campaign_id, a.ancestor_id, v.day, v.lecturer_id, " +
                     sums +
                     " FROM v JOIN organisation_ancestors a ON a.organisation_id = v.host "
                     "WHERE true GROUP BY 1, 2, 3, 4 "
                     "ON CONFLICT (campaign_id, node_id, day, lecturer_id) DO UPDATE SET " +
                     updates,
                 with_signs_after(params, 8, sign));
  if (sign < 0) x("DELETE FROM node_lecturer_tallies WHERE sessions = 0");
}

void Tx::add_to_category_nodes(const std::string& with_v, const std::vector<Value>& params,
                               std::int64_t sign) {
  const std::string s = kSign;
  conn_->execute(with_v +
                     "INSERT INTO node_category_tallies (campaign_id, node_id, day, category, "
                     "sessions, audience) SELECT v.campaign_id, a.ancestor_id, v.day, "
                     "v.category, SUM(v.sessions) * " +
                     s + ", SUM(v.audience) * " + s +
                     " FROM v JOIN organisation_ancestors a ON a.organisation_id = v.host "
                     "WHERE true GROUP BY 1, 2, 3, 4 "
                     "ON CONFLICT (campaign_id, node_id, day, category) DO UPDATE SET "
                     "sessions = node_category_tallies.sessions + excluded.sessions, "
                     "audience = node_category_tallies.audience + excluded.audience",
                 with_signs_after(params, 2, sign));
  if (sign < 0) x("DELETE FROM node_category_tallies WHERE sessions = 0");
}

void Tx::tally_nodes_from_kept(const std::string& organisations, const std::vector<Value>& params,
                               std::int64_t sign) {
  flush_deferred_tallies();
  if (nodes_stale_) return;  // rebuilt from the kept tables at the next flush
  const std::string where = " WHERE t.organisation_id IN (" + organisations + ")) ";
  add_to_nodes("WITH v AS (SELECT t.*, t.organisation_id AS host FROM session_tallies t" + where,
               params, sign);
  add_to_lecturer_nodes(
      "WITH v AS (SELECT t.*, t.organisation_id AS host FROM lecturer_tallies t" + where, params,
      sign);
  add_to_category_nodes(
      "WITH v AS (SELECT t.*, t.organisation_id AS host FROM category_tallies t" + where, params,
      sign);
}

void Tx::rebuild_node_tallies() {
  nodes_stale_ = false;
  x("DELETE FROM node_tallies");
  x("DELETE FROM node_lecturer_tallies");
  x("DELETE FROM node_category_tallies");
  tally_nodes_from_kept("SELECT id FROM organisations", {}, 1);
}

void Tx::tally_categories(const std::string& all, const std::vector<Value>& params,
                          std::int64_t sign) {
  flush_deferred_tallies();
  const std::string which = not_queued(all);
  const std::string s = kSign;
  conn_->execute(
      "INSERT INTO category_tallies (category, campaign_id, organisation_id, day, sessions, "
      "audience) SELECT l.category, COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, "
      "COUNT(*) * " +
          s + ", SUM(" + kReached + ") * " + s +
          " FROM session_lecturers m JOIN lecturers l ON l.id = m.lecturer_id "
          "JOIN sessions s ON s.id = m.session_id WHERE " +
          which + " AND " + kFirstOfCategory +
          " "
          "GROUP BY l.category, COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date "
          "ON CONFLICT (category, campaign_id, organisation_id, day) DO UPDATE SET "
          "sessions = category_tallies.sessions + excluded.sessions, "
          "audience = category_tallies.audience + excluded.audience",
      with_signs(2, sign, params));
  if (sign < 0) x("DELETE FROM category_tallies WHERE sessions = 0");
  if (!nodes_stale_) {
    add_to_category_nodes(
        "WITH v AS MATERIALIZED (SELECT l.category AS category, COALESCE(s.campaign_id, 0) AS "
        "campaign_id, s.host_organisation_id AS host, s.date AS day, 1 AS sessions, " +
            std::string(kReached) +
            " AS audience FROM session_lecturers m JOIN lecturers l ON l.id = m.lecturer_id "
            "JOIN sessions s ON s.id = m.session_id WHERE " +
            which + " AND " + kFirstOfCategory + ") ",
        params, sign);
  }
}

void Tx::tally_answer(Id session_id, const AnswerTally& a) {
  flush_deferred_tallies();
  // A queued session's answers are counted when it is folded.
  if (!q("SELECT 1 FROM tally_queue WHERE session_id = ?", {session_id}).empty()) return;
  x("UPDATE session_tallies SET ratings = ratings + ?, rating_sum = rating_sum + ?, "
    "signed_in = signed_in + ? WHERE (campaign_id, organisation_id, day, region_code, "
    "audience_group, industry, format) = (SELECT COALESCE(campaign_id, 0), "
    "host_organisation_id, date, region_code, audience_group, industry, format "
    "FROM sessions WHERE id = ?)",
    {a.ratings, a.rating_sum, a.signed_in, session_id});
  const bool answered = a.ratings != 0 || a.verified != 0 || a.staff != 0;
  if (!nodes_stale_) {
    const auto key =
        q("SELECT COALESCE(campaign_id, 0), host_organisation_id, date, region_code, "
          "audience_group, industry, format FROM sessions WHERE id = ?",
          {session_id});
    if (!key.empty()) {
      const sql::Row& k = key.front();
      const Value campaign = k.integer(0);
      const Value host = k.integer(1);
      const Value day = k.text(2);
      // The session's row in each breakdown of every node above its host.
      x("UPDATE node_tallies SET ratings = ratings + ?, rating_sum = rating_sum + ?, "
        "signed_in = signed_in + ? WHERE campaign_id = ? AND day = ? AND node_id IN "
        "(SELECT ancestor_id FROM organisation_ancestors WHERE organisation_id = ?) AND "
        "((dim = 'place' AND key_a = ? AND key_b = ?) OR (dim = 'industry' AND key_a = ? AND "
        "key_b = '') OR (dim = 'format' AND key_a = ? AND key_b = ''))",
        {a.ratings, a.rating_sum, a.signed_in, campaign, day, host, k.text(3), k.text(4), k.text(5),
         k.text(6)});
      if (answered) {
        x("UPDATE node_lecturer_tallies SET ratings = ratings + ?, rating_sum = rating_sum + ?, "
          "verified_ratings = verified_ratings + ?, "
          "verified_rating_sum = verified_rating_sum + ?, staff_ratings = staff_ratings + ?, "
          "staff_rating_sum = staff_rating_sum + ? WHERE campaign_id = ? AND day = ? AND "
          "node_id IN (SELECT ancestor_id FROM organisation_ancestors WHERE organisation_id = ?) "
          "AND lecturer_id IN (SELECT lecturer_id FROM session_lecturers WHERE session_id = ?)",
          {a.ratings, a.rating_sum, a.verified, a.verified_sum, a.staff, a.staff_sum, campaign, day,
           host, session_id});
      }
    }
  }
  if (!answered) return;
  x("UPDATE lecturer_tallies SET ratings = ratings + ?, rating_sum = rating_sum + ?, "
    "verified_ratings = verified_ratings + ?, verified_rating_sum = verified_rating_sum + ?, "
    "staff_ratings = staff_ratings + ?, staff_rating_sum = staff_rating_sum + ? "
    "WHERE lecturer_id IN (SELECT lecturer_id FROM session_lecturers WHERE session_id = ?) "
    "AND (campaign_id, organisation_id, day, format, region_code) = (SELECT "
    "COALESCE(campaign_id, 0), host_organisation_id, date, format, region_code FROM sessions "
    "WHERE id = ?)",
    {a.ratings, a.rating_sum, a.verified, a.verified_sum, a.staff, a.staff_sum, session_id,
     session_id});
}

void Tx::rebuild_tallies() {
  settle_tallies();
  x("DELETE FROM session_tallies");
  x("DELETE FROM lecturer_tallies");
  x("DELETE FROM category_tallies");
  x("DELETE FROM organisation_ancestors");
  x("INSERT INTO organisation_ancestors (organisation_id, ancestor_id) "
    "SELECT o.id, a.id FROM organisations o JOIN organisations a "
    "ON substr(o.path, 1, length(a.path)) = a.path");
  // The nodes' sums are added up from the kept tables at the end, far cheaper than session by
  // session.
  nodes_stale_ = true;
  tally_sessions("true", {}, 1);
  rebuild_node_tallies();
  x("DELETE FROM session_counts");
  x("INSERT INTO session_counts (organisation_id, campaign_id, sessions) "
    "SELECT host_organisation_id, COALESCE(campaign_id, 0), COUNT(*) FROM sessions "
    "GROUP BY host_organisation_id, COALESCE(campaign_id, 0)");
  x("DELETE FROM care_payment_sums");
  x(std::string(detail::kAddPaymentSums) + detail::kRecountPaymentSums + "WHERE true" +
    detail::kPaymentSumsGroups);
}

std::vector<TallyCheck> Tx::check_tallies() {
  settle_tallies();
  static constexpr std::array<const char*, 9> kTables{
      "session_tallies",       "lecturer_tallies",       "category_tallies",
      "session_counts",        "organisation_ancestors", "node_tallies",
      "node_lecturer_tallies", "node_category_tallies",  "care_payment_sums"};
  if (conn_->engine() == "postgresql") {
    // Writers of sessions keep the sums inside their own transactions: they wait, and add their
    // own figures after the recount, which did not see them.
    x("LOCK TABLE session_tallies, lecturer_tallies, category_tallies, session_counts, "
      "organisation_ancestors, node_tallies, node_lecturer_tallies, node_category_tallies, "
      "care_payment_sums IN EXCLUSIVE MODE");
  }
  for (const char* table : kTables) {
    x(std::string("CREATE TEMPORARY TABLE kept_") + table + " AS SELECT * FROM " + table);
  }
  // A host's count left at 0 by a moved session is no count (the other tables drop such rows).
  x("DELETE FROM kept_session_counts WHERE sessions = 0");
  rebuild_tallies();
  std::vector<TallyCheck> checks;
  for (const char* table : kTables) {
    TallyCheck c;
    c.table = table;
    const std::string kept = std::string("kept_") + table;
    c.kept_rows = q("SELECT COUNT(*) FROM " + kept)[0].integer(0);
    c.recounted_rows = q(std::string("SELECT COUNT(*) FROM ") + table)[0].integer(0);
    const std::string wrong =
        "SELECT * FROM " + kept + " EXCEPT SELECT * FROM " + std::string(table);
    const std::string missing =
        std::string("SELECT * FROM ") + table + " EXCEPT SELECT * FROM " + kept;
    c.wrong_rows = q("SELECT COUNT(*) FROM (" + wrong + ") w")[0].integer(0);
    c.missing_rows = q("SELECT COUNT(*) FROM (" + missing + ") m")[0].integer(0);
    std::vector<std::string> names;
    const bool postgres = conn_->engine() == "postgresql";
    for (const auto& row :
         postgres
             ? q("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                 "ORDER BY ordinal_position",
                 {std::string(table)})
             : q(std::string("SELECT name FROM pragma_table_info('") + table + "') ORDER BY cid")) {
      names.push_back(row.text(0));
    }
    auto describe = [&](const std::string& query, const char* what) {
      for (const auto& row : q(query + " LIMIT 5")) {
        std::string line = what;
        for (std::size_t i = 0; i < row.size() && i < names.size(); ++i) {
          line += (i == 0 ? " " : ", ") + names[i] + "=";
          std::visit(
              [&line](const auto& v) {
                using V = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<V, std::nullptr_t>) {
                  line += "NULL";
                } else if constexpr (std::is_same_v<V, std::string>) {
                  line += v;
                } else {
                  line += std::to_string(v);
                }
              },
              row.value(i));
        }
        c.examples.push_back(std::move(line));
      }
    };
    describe(wrong, "kept:");
    describe(missing, "recounted:");
    x("DROP TABLE " + kept);
    checks.push_back(std::move(c));
  }
  return checks;
}

}  // namespace xj::store
