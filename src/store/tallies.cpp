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

std::vector<Value> with_signs(std::size_t signs, std::int64_t sign,
                              const std::vector<Value>& params) {
  std::vector<Value> all(signs, Value(sign));
  all.insert(all.end(), params.begin(), params.end());
  return all;
}

}  // namespace

void Tx::defer_tallies() { defer_tallies_ = true; }

void Tx::flush_tallies() {
  if (untallied_.empty() && uncounted_.empty()) return;
  // Taken out first: the statements below flush again on entry, and find nothing to do.
  const std::vector<Id> ids = std::exchange(untallied_, {});
  const auto counts = std::exchange(uncounted_, {});
  for (const auto& [key, sessions] : counts) {
    count_session(key.first, key.second == 0 ? std::nullopt : std::optional<Id>(key.second),
                  sessions);
  }
  // A few hundred ids a statement keeps every engine far from its limit on parameters.
  constexpr std::size_t kBatch = 500;
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

void Tx::tally_sessions(const std::string& which, const std::vector<Value>& params,
                        std::int64_t sign, Answers answers) {
  flush_tallies();
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
  tally_categories(which, params, sign);
  if (sign < 0) {
    x("DELETE FROM session_tallies WHERE records = 0");
    x("DELETE FROM lecturer_tallies WHERE sessions = 0");
  }
}

void Tx::tally_categories(const std::string& which, const std::vector<Value>& params,
                          std::int64_t sign) {
  flush_tallies();
  // A session counts once per category: on the row of the first of its lecturers (by id) of
  // that category.
  const std::string s = kSign;
  conn_->execute(
      "INSERT INTO category_tallies (category, campaign_id, organisation_id, day, sessions, "
      "audience) SELECT l.category, COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, "
      "COUNT(*) * " +
          s + ", SUM(" + kReached + ") * " + s +
          " FROM session_lecturers m JOIN lecturers l ON l.id = m.lecturer_id "
          "JOIN sessions s ON s.id = m.session_id WHERE " +
          which +
          " AND NOT EXISTS (SELECT 1 FROM session_lecturers m2 JOIN lecturers l2 "
          "ON l2.id = m2.lecturer_id WHERE m2.session_id = m.session_id "
          "AND l2.category = l.category AND m2.lecturer_id < m.lecturer_id) "
          "GROUP BY l.category, COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date "
          "ON CONFLICT (category, campaign_id, organisation_id, day) DO UPDATE SET "
          "sessions = category_tallies.sessions + excluded.sessions, "
          "audience = category_tallies.audience + excluded.audience",
      with_signs(2, sign, params));
  if (sign < 0) x("DELETE FROM category_tallies WHERE sessions = 0");
}

void Tx::tally_answer(Id session_id, const AnswerTally& a) {
  flush_tallies();
  x("UPDATE session_tallies SET ratings = ratings + ?, rating_sum = rating_sum + ?, "
    "signed_in = signed_in + ? WHERE (campaign_id, organisation_id, day, region_code, "
    "audience_group, industry, format) = (SELECT COALESCE(campaign_id, 0), "
    "host_organisation_id, date, region_code, audience_group, industry, format "
    "FROM sessions WHERE id = ?)",
    {a.ratings, a.rating_sum, a.signed_in, session_id});
  if (a.ratings == 0 && a.verified == 0 && a.staff == 0) return;
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
  flush_tallies();
  x("DELETE FROM session_tallies");
  x("DELETE FROM lecturer_tallies");
  x("DELETE FROM category_tallies");
  tally_sessions("true", {}, 1);
  x("DELETE FROM session_counts");
  x("INSERT INTO session_counts (organisation_id, campaign_id, sessions) "
    "SELECT host_organisation_id, COALESCE(campaign_id, 0), COUNT(*) FROM sessions "
    "GROUP BY host_organisation_id, COALESCE(campaign_id, 0)");
}

std::vector<TallyCheck> Tx::check_tallies() {
  flush_tallies();
  static constexpr std::array<const char*, 4> kTables{"session_tallies", "lecturer_tallies",
                                                      "category_tallies", "session_counts"};
  if (conn_->engine() == "postgresql") {
    // Writers of sessions keep the sums inside their own transactions: they wait, and add their
    // own figures after the recount, which did not see them.
    x("LOCK TABLE session_tallies, lecturer_tallies, category_tallies, session_counts IN "
      "EXCLUSIVE MODE");
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
