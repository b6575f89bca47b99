// Bulk loading: many sessions (and the answers about them) in few statements, for the demo
// generator at a million sessions. The kept sums are added once for the whole load, grouped,
// with the statements that keep them for one session, which gives the same rows as keeping them
// session by session (the conformance suite compares both).
#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "store/query.hpp"
#include "store/store.hpp"

namespace xj::store {

using sql::Value;

namespace {

constexpr auto kSessionColumns = std::to_array<std::string_view>({"id",
                                                                  "campaign_id",
                                                                  "title",
                                                                  "date",
                                                                  "start_time",
                                                                  "end_time",
                                                                  "venue",
                                                                  "host_organisation_id",
                                                                  "host_path",
                                                                  "region_code",
                                                                  "industry",
                                                                  "format",
                                                                  "audience_group",
                                                                  "audience_offline",
                                                                  "online_viewers",
                                                                  "summary",
                                                                  "source",
                                                                  "order_id",
                                                                  "created_by",
                                                                  "created_at",
                                                                  "updated_at"});
constexpr auto kLecturerColumns =
    std::to_array<std::string_view>({"session_id", "lecturer_id", "ordinal"});
constexpr auto kBranchColumns =
    std::to_array<std::string_view>({"id", "session_id", "ordinal", "host_organisation_id", "venue",
                                     "region_code", "audience_group", "headcount"});
constexpr auto kLinkColumns =
    std::to_array<std::string_view>({"session_id", "token", "created_at"});
constexpr auto kFeedbackColumns =
    std::to_array<std::string_view>({"session_id", "at", "rating", "comment", "audience_group",
                                     "channel", "quote", "browser", "address"});
constexpr auto kSignInColumns =
    std::to_array<std::string_view>({"session_id", "at", "browser", "address"});

Value time_or_null(const std::optional<TimeOfDay>& t) {
  return t ? Value(t->text()) : Value(nullptr);
}

}  // namespace

void Tx::drop_indexes_for_load(std::span<const std::string_view> tables) {
  const bool postgres = conn_->engine() == "postgresql";
  for (const std::string_view name : tables) {
    const std::string table(name);
    if (!q("SELECT 1 FROM " + table + " LIMIT 1").empty()) continue;
    // Secondary indexes: not the primary key, not unique, not one behind a constraint.
    const auto indexes =
        postgres ? q("SELECT quote_ident(i.relname), pg_get_indexdef(i.oid) FROM pg_index x "
                     "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = to_regclass(?) "
                     "AND NOT x.indisunique AND NOT x.indisprimary AND NOT EXISTS (SELECT 1 "
                     "FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY 1",
                     {table})
                 : q("SELECT '\"' || name || '\"', sql FROM sqlite_master WHERE type = 'index' "
                     "AND tbl_name = ? AND sql IS NOT NULL AND upper(sql) NOT LIKE "
                     "'CREATE UNIQUE%' ORDER BY 1",
                     {table});
    if (postgres) analyze_after_load_.push_back(table);
    for (const auto& index : indexes) {
      x("DROP INDEX " + index.text(0));
      restore_after_load_.push_back(index.text(1));
    }
    // SQLite checks its foreign keys row by row whatever one does inside a transaction;
    // PostgreSQL validates a constraint added back in one join.
    if (!postgres) continue;
    for (const auto& fk :
         q("SELECT quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint "
           "WHERE conrelid = to_regclass(?) AND contype = 'f' ORDER BY 1",
           {table})) {
      x("ALTER TABLE " + table + " DROP CONSTRAINT " + fk.text(0));
      restore_after_load_.push_back("ALTER TABLE " + table + " ADD CONSTRAINT " + fk.text(0) + " " +
                                    fk.text(1));
    }
  }
}

void Tx::restore_indexes_after_load() {
  const auto statements = std::exchange(restore_after_load_, {});
  const auto analyze = std::exchange(analyze_after_load_, {});
  // Index builds sort in memory up to this much (the default 64 MB spills a million rows).
  if (!statements.empty() && conn_->engine() == "postgresql") {
    x("SET LOCAL maintenance_work_mem = '256MB'");
  }
  // Indexes first: ADD CONSTRAINT lists no index of its own table, but the statements after
  // the load (the kept sums) read by them.
  for (const auto& statement : statements) {
    if (statement.starts_with("CREATE")) x(statement);
  }
  for (const auto& statement : statements) {
    if (!statement.starts_with("CREATE")) x(statement);
  }
  // The planner's figures were taken on empty tables: the kept sums' statements that follow
  // would walk every row for each session.
  for (const auto& table : analyze) x("ANALYZE " + table);
}

Id Tx::bulk_insert_sessions(std::span<const domain::Session> sessions,
                            std::optional<Id> created_by) {
  const Id first = q("SELECT COALESCE(MAX(id), 0) + 1 FROM sessions").at(0).integer(0);
  if (sessions.empty()) return first;
  if (!bulk_load_started_) {
    bulk_load_started_ = true;
    static constexpr auto kLoaded =
        std::to_array<std::string_view>({"sessions", "session_lecturers", "session_branches"});
    drop_indexes_for_load(kLoaded);
  }
  const UnixSeconds now = now_utc();
  std::map<Id, std::string> paths;  // a few hundred hosts for a million sessions
  auto path = [&](Id host) -> const std::string& {
    auto it = paths.find(host);
    if (it == paths.end()) it = paths.emplace(host, path_of(host)).first;
    return it->second;
  };
  for (const auto& s : sessions) path(s.host_organisation_id);  // no query while a COPY runs
  {
    auto writer = conn_->bulk_writer("sessions", kSessionColumns);
    Id id = first;
    for (const auto& s : sessions) {
      const std::array<Value, kSessionColumns.size()> row{
          id++,
          detail::opt(s.campaign_id),
          s.title,
          s.date.iso(),
          time_or_null(s.start_time),
          time_or_null(s.end_time),
          s.venue,
          s.host_organisation_id,
          path(s.host_organisation_id),
          s.region_code,
          s.industry,
          std::string(domain::format_name(s.format)),
          s.audience_group,
          s.audience_offline,
          s.online_viewers,
          s.summary,
          std::string(domain::source_name(s.source)),
          detail::opt(s.order_id),
          detail::opt(created_by),
          now,
          now};
      writer->add(row);
    }
    writer->finish();
  }
  {
    auto writer = conn_->bulk_writer("session_lecturers", kLecturerColumns);
    Id id = first;
    for (const auto& s : sessions) {
      for (std::size_t i = 0; i < s.lecturer_ids.size(); ++i) {
        const std::array<Value, 3> row{id, s.lecturer_ids[i], static_cast<std::int64_t>(i)};
        writer->add(row);
      }
      ++id;
    }
    writer->finish();
  }
  const Id first_branch =
      q("SELECT COALESCE(MAX(id), 0) + 1 FROM session_branches").at(0).integer(0);
  bool branches = false;
  {
    auto writer = conn_->bulk_writer("session_branches", kBranchColumns);
    Id id = first;
    Id branch_id = first_branch;
    for (const auto& s : sessions) {
      for (std::size_t i = 0; i < s.branches.size(); ++i) {
        const auto& b = s.branches[i];
        const std::array<Value, kBranchColumns.size()> row{branch_id++,
                                                           id,
                                                           static_cast<std::int64_t>(i),
                                                           b.host_organisation_id,
                                                           b.venue,
                                                           b.region_code,
                                                           b.audience_group,
                                                           b.headcount};
        writer->add(row);
        branches = true;
      }
      ++id;
    }
    writer->finish();
  }
  conn_->reset_identity("sessions");
  if (branches) conn_->reset_identity("session_branches");
  const Id end = first + static_cast<Id>(sessions.size());
  // The kept sums of the whole load are added at the next flush (commit, or any read or write
  // of them), in one grouped statement per table: batch by batch, the same rows of the kept
  // tables were met and updated again and again. The ids follow on from the last batch's.
  if (bulk_untallied_ && bulk_untallied_->second != first) flush_deferred_tallies();
  if (bulk_untallied_) {
    bulk_untallied_->second = end;
  } else {
    bulk_untallied_ = std::make_pair(first, end);
  }
  return first;
}

void Tx::tally_bulk_sessions() {
  if (!bulk_untallied_) return;
  const auto [first, end] = *std::exchange(bulk_untallied_, std::nullopt);
  // The nodes' sums of a bulk load are added up once, from the kept tables, at the next flush
  // (commit, or any read of them): session by session, they would cost the load a third more.
  nodes_stale_ = true;
  tally_sessions("s.id >= ? AND s.id < ?", {Value(first), Value(end)}, 1, Answers::kNoneYet);
  x("INSERT INTO session_counts (organisation_id, campaign_id, sessions) "
    "SELECT host_organisation_id, COALESCE(campaign_id, 0), COUNT(*) FROM sessions "
    "WHERE id >= ? AND id < ? GROUP BY host_organisation_id, COALESCE(campaign_id, 0) "
    "ON CONFLICT (organisation_id, campaign_id) "
    "DO UPDATE SET sessions = session_counts.sessions + excluded.sessions",
    {first, end});
}

void Tx::bulk_insert_feedback(std::span<const FeedbackLinkRow> links,
                              std::span<const FeedbackEntry> answers,
                              std::span<const SignInRow> sign_ins) {
  if (links.empty() && answers.empty() && sign_ins.empty()) return;
  const UnixSeconds now = now_utc();
  // Sessions loaded in bulk are counted with no answers: before any is written.
  if (bulk_untallied_) flush_deferred_tallies();
  if (!answers_were_empty_) {
    answers_were_empty_ = q("SELECT 1 FROM feedback LIMIT 1").empty() &&
                          q("SELECT 1 FROM attendance LIMIT 1").empty();
    if (*answers_were_empty_) {
      static constexpr auto kLoaded =
          std::to_array<std::string_view>({"feedback_links", "feedback", "attendance"});
      drop_indexes_for_load(kLoaded);
    }
  }
  if (*answers_were_empty_) {
    // Nothing to take off: the sums of these sessions hold no answer yet.
    for (const auto& f : answers) answers_untallied_.push_back(f.session_id);
    for (const auto& a : sign_ins) answers_untallied_.push_back(a.session_id);
    write_feedback_rows(links, answers, sign_ins, now);
    return;
  }
  // The answers' share of the kept sums of the sessions answered: taken off as it stands, added
  // again with the new answers and sign-ins (a recount of those sessions only, not of every
  // one). A sign-in may verify an answer given before.
  std::set<Id> answered;
  for (const auto& f : answers) answered.insert(f.session_id);
  for (const auto& a : sign_ins) answered.insert(a.session_id);
  flush_deferred_tallies();  // the sums to take off from must be there
  x("CREATE TEMPORARY TABLE bulk_answered (id BIGINT PRIMARY KEY)");
  {
    static constexpr auto kIdColumn = std::to_array<std::string_view>({"id"});
    auto writer = conn_->bulk_writer("bulk_answered", kIdColumn);
    for (const Id id : answered) {
      const std::array<Value, 1> row{id};
      writer->add(row);
    }
    writer->finish();
  }
  // PostgreSQL plans with no figures for a new table (it would walk every session).
  if (conn_->engine() == "postgresql") x("ANALYZE bulk_answered");
  const std::string which = "s.id IN (SELECT id FROM bulk_answered)";
  tally_answers(which, {}, -1);
  write_feedback_rows(links, answers, sign_ins, now);
  tally_answers(which, {}, 1);
  x("DROP TABLE bulk_answered");
}

void Tx::tally_bulk_answers() {
  // Once these sums are in, later answers to the same sessions must be added to them: the next
  // bulk_insert_feedback looks at the tables again.
  answers_were_empty_.reset();
  if (answers_untallied_.empty()) return;
  std::vector<Id> ids = std::exchange(answers_untallied_, {});
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  x("CREATE TEMPORARY TABLE tally_answered (id BIGINT PRIMARY KEY)");
  {
    static constexpr auto kIdColumn = std::to_array<std::string_view>({"id"});
    auto writer = conn_->bulk_writer("tally_answered", kIdColumn);
    for (const Id id : ids) {
      const std::array<Value, 1> row{id};
      writer->add(row);
    }
    writer->finish();
  }
  if (conn_->engine() == "postgresql") x("ANALYZE tally_answered");
  tally_answers("s.id IN (SELECT id FROM tally_answered)", {}, 1);
  x("DROP TABLE tally_answered");
}

void Tx::write_feedback_rows(std::span<const FeedbackLinkRow> links,
                             std::span<const FeedbackEntry> answers,
                             std::span<const SignInRow> sign_ins, UnixSeconds now) {
  {
    auto writer = conn_->bulk_writer("feedback_links", kLinkColumns);
    for (const auto& l : links) {
      const std::array<Value, kLinkColumns.size()> row{l.session_id, l.token, l.at};
      writer->add(row);
    }
    writer->finish();
  }
  {
    auto writer = conn_->bulk_writer("feedback", kFeedbackColumns);
    for (const auto& f : answers) {
      const std::array<Value, kFeedbackColumns.size()> row{f.session_id,
                                                           f.at != 0 ? f.at : now,
                                                           static_cast<std::int64_t>(f.rating),
                                                           f.comment,
                                                           f.audience_group,
                                                           f.channel,
                                                           detail::flag(f.quote),
                                                           f.browser,
                                                           f.address};
      writer->add(row);
    }
    writer->finish();
  }
  {
    auto writer = conn_->bulk_writer("attendance", kSignInColumns);
    for (const auto& a : sign_ins) {
      const std::array<Value, kSignInColumns.size()> row{a.session_id, a.at != 0 ? a.at : now,
                                                         a.browser, a.address};
      writer->add(row);
    }
    writer->finish();
  }
}

std::vector<SessionGroup> Tx::session_groups_newest_first() {
  std::vector<SessionGroup> out;
  for (const auto& r : q("SELECT id, audience_group FROM sessions ORDER BY date DESC, id DESC")) {
    out.push_back({r.integer(0), r.text(1)});
  }
  return out;
}

}  // namespace xj::store
