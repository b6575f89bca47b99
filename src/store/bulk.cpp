// Bulk loading: many sessions (and the answers about them) in few statements, for the demo
// generator at a million sessions. The kept sums are added once for the whole load, grouped,
// with the statements that keep them for one session, which gives the same rows as keeping them
// session by session (the conformance suite compares both).
#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "store/bulk_sums.hpp"
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

using Ancestors = detail::BulkSums::Ancestors;

// Every organisation's ancestors, itself included (organisation_ancestors): where the node sums
// of a session's host go.
Ancestors ancestors_of_every_organisation(sql::Connection& conn) {
  Ancestors ancestors;
  for (const sql::Row& r :
       conn.query("SELECT organisation_id, ancestor_id FROM organisation_ancestors", {})) {
    ancestors[r.integer(0)].push_back(r.integer(1));
  }
  return ancestors;
}

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
    suspend_copies_for_load(table);
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

void Tx::suspend_copies_for_load(const std::string& table) {
  // lecturer_sessions (migration 0032), a copy of session_lecturers kept by triggers: row by row
  // (SQLite) or batch by batch (PostgreSQL) its key's index takes each link at its own place, a
  // third of a million-session load on PostgreSQL. Its table is empty when the links are.
  if (table != "session_lecturers") return;
  const std::string fill =
      "INSERT INTO lecturer_sessions (lecturer_id, date, session_id, campaign_id, host_path, "
      "region_code, format, audience_group) SELECT m.lecturer_id, s.date, s.id, s.campaign_id, "
      "s.host_path, s.region_code, s.format, s.audience_group FROM session_lecturers m "
      "JOIN sessions s ON s.id = m.session_id ORDER BY m.lecturer_id, s.date, s.id";
  // Emptied first: the triggers still on (a link changed, a session moved) may have copied a
  // link meanwhile, which the fill copies again.
  const std::string empty = "DELETE FROM lecturer_sessions";
  if (conn_->engine() == "postgresql") {
    x("ALTER TABLE session_lecturers DISABLE TRIGGER lecturer_sessions_links_added");
    restore_after_load_.push_back(empty);
    restore_after_load_.push_back(fill);
    restore_after_load_.emplace_back(
        "ALTER TABLE session_lecturers ENABLE TRIGGER lecturer_sessions_links_added");
    analyze_after_load_.emplace_back("lecturer_sessions");
    return;
  }
  const auto trigger =
      q("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
        "AND name = 'lecturer_sessions_link_insert'");
  if (trigger.empty()) return;
  x("DROP TRIGGER lecturer_sessions_link_insert");
  restore_after_load_.push_back(trigger.front().text(0));
  restore_after_load_.push_back(empty);
  restore_after_load_.push_back(fill);
}

void Tx::restore_indexes_after_load() {
  const auto statements = std::exchange(restore_after_load_, {});
  const auto analyze = std::exchange(analyze_after_load_, {});
  // Index builds sort in memory up to this much (the default 64 MB spills a million rows).
  if (!statements.empty() && conn_->engine() == "postgresql") {
    x("SET LOCAL maintenance_work_mem = '1GB'");
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
  // The kept sums of the whole load are added up here and written at the next flush (commit, or
  // any read or write of them), each kept row once.
  if (!bulk_sums_) {
    std::unordered_map<Id, std::string> categories;
    for (const sql::Row& r : q("SELECT id, category FROM lecturers")) {
      categories.emplace(r.integer(0), r.text(1));
    }
    bulk_sums_ = std::make_unique<detail::BulkSums>(categories);
  }
  for (const auto& s : sessions) bulk_sums_->add(s);
  return first;
}

void Tx::add_kept_rows(const std::string& table, std::span<const std::string_view> columns,
                       std::size_t keys, const std::function<void(sql::BulkWriter&)>& rows) {
  if (q("SELECT 1 FROM " + table + " LIMIT 1").empty()) {
    // Into an empty table the rows go in key order, and its other indexes and foreign keys are
    // built and checked once after them: row by row they cost more than the rows themselves.
    const std::array<std::string_view, 1> loaded{table};
    drop_indexes_for_load(loaded);
    {
      auto writer = conn_->bulk_writer(table, columns);
      rows(*writer);
      writer->finish();
    }
    restore_indexes_after_load();
    return;
  }
  std::string list;
  std::string key_list;
  std::string sums;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const std::string column(columns[i]);
    list += (i == 0 ? "" : ", ") + column;
    if (i < keys) {
      key_list += (i == 0 ? "" : ", ") + column;
    } else {
      sums.append(sums.empty() ? "" : ", ")
          .append(column)
          .append(" = ")
          .append(table)
          .append(".")
          .append(column)
          .append(" + excluded.")
          .append(column);
    }
  }
  x("CREATE TEMPORARY TABLE bulk_kept AS SELECT " + list + " FROM " + table + " WHERE 1 = 0");
  {
    auto writer = conn_->bulk_writer("bulk_kept", columns);
    rows(*writer);
    writer->finish();
  }
  // (WHERE true: SQLite would read ON as a join's.)
  x("INSERT INTO " + table + " (" + list + ") SELECT " + list +
    " FROM bulk_kept WHERE true ON CONFLICT (" + key_list + ") DO UPDATE SET " + sums);
  x("DROP TABLE bulk_kept");
}

void Tx::tally_bulk_sessions() {
  if (!bulk_sums_) return;
  using detail::kept_row;
  const auto sums = std::exchange(bulk_sums_, nullptr);
  const detail::Texts& texts = sums->texts();
  // The answers' columns are left to their default, 0: these sessions have none yet.
  static constexpr auto kSessionTallies = std::to_array<std::string_view>(
      {"campaign_id", "organisation_id", "day", "region_code", "audience_group", "industry",
       "format", "records", "sessions", "audience_offline", "online_viewers", "branch_headcount"});
  auto session_sums = [](const detail::BulkSums::SessionSums& v) {
    return std::to_array<std::int64_t>(
        {v.records, v.sessions, v.audience_offline, v.online_viewers, v.branch_headcount});
  };
  add_kept_rows("session_tallies", kSessionTallies, 7, [&](sql::BulkWriter& writer) {
    for (const auto& [k, v] : sums->sessions()) {
      writer.add(kept_row(k, detail::kSessionKey, texts, session_sums(v)));
    }
  });
  static constexpr auto kLecturerTallies =
      std::to_array<std::string_view>({"campaign_id", "organisation_id", "day", "lecturer_id",
                                       "format", "region_code", "sessions", "audience"});
  add_kept_rows("lecturer_tallies", kLecturerTallies, 6, [&](sql::BulkWriter& writer) {
    for (const auto& [k, v] : sums->lecturers()) {
      writer.add(kept_row(k, detail::kLecturerKey, texts, std::to_array({v.sessions, v.audience})));
    }
  });
  static constexpr auto kCategoryTallies = std::to_array<std::string_view>(
      {"campaign_id", "organisation_id", "day", "category", "sessions", "audience"});
  add_kept_rows("category_tallies", kCategoryTallies, 4, [&](sql::BulkWriter& writer) {
    for (const auto& [k, v] : sums->categories()) {
      writer.add(kept_row(k, detail::kCategoryKey, texts, std::to_array({v.sessions, v.audience})));
    }
  });
  static constexpr auto kSessionCounts =
      std::to_array<std::string_view>({"organisation_id", "campaign_id", "sessions"});
  add_kept_rows("session_counts", kSessionCounts, 2, [&](sql::BulkWriter& writer) {
    for (const auto& [k, n] : sums->counts()) {
      writer.add(kept_row(k, detail::kCountKey, texts, std::to_array({n})));
    }
  });
  const Ancestors ancestors = ancestors_of_every_organisation(*conn_);
  static constexpr auto kNodeTallies = std::to_array<std::string_view>(
      {"campaign_id", "node_id", "day", "dim", "key_a", "key_b", "records", "sessions",
       "audience_offline", "online_viewers", "branch_headcount"});
  add_kept_rows("node_tallies", kNodeTallies, 6, [&](sql::BulkWriter& writer) {
    for (const auto& [k, v] : sums->node_sessions(ancestors)) {
      writer.add(kept_row(k, detail::kNodeKey, texts, session_sums(v)));
    }
  });
  static constexpr auto kNodeLecturerTallies = std::to_array<std::string_view>(
      {"campaign_id", "node_id", "day", "lecturer_id", "sessions", "audience"});
  add_kept_rows("node_lecturer_tallies", kNodeLecturerTallies, 4, [&](sql::BulkWriter& writer) {
    for (const auto& [k, v] : sums->node_lecturers(ancestors)) {
      writer.add(
          kept_row(k, detail::kNodeLecturerKey, texts, std::to_array({v.sessions, v.audience})));
    }
  });
  static constexpr auto kNodeCategoryTallies = std::to_array<std::string_view>(
      {"campaign_id", "node_id", "day", "category", "sessions", "audience"});
  add_kept_rows("node_category_tallies", kNodeCategoryTallies, 4, [&](sql::BulkWriter& writer) {
    for (const auto& [k, v] : sums->node_categories(ancestors)) {
      writer.add(
          kept_row(k, detail::kNodeCategoryKey, texts, std::to_array({v.sessions, v.audience})));
    }
  });
}

void Tx::bulk_insert_feedback(std::span<const FeedbackLinkRow> links,
                              std::span<const FeedbackEntry> answers,
                              std::span<const SignInRow> sign_ins) {
  if (links.empty() && answers.empty() && sign_ins.empty()) return;
  const UnixSeconds now = now_utc();
  // Sessions loaded in bulk are counted with no answers: before any is written.
  if (bulk_sums_) flush_deferred_tallies();
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
    if (!bulk_answers_) bulk_answers_ = std::make_unique<detail::BulkAnswers>();
    bulk_answers_->add(answers, sign_ins);
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
  if (!bulk_answers_) return;
  using detail::BulkAnswers;
  using detail::in_key_order;
  using detail::KeptTable;
  using detail::Key;
  const auto by_session = std::move(*std::exchange(bulk_answers_, nullptr)).by_session();
  std::vector<Id> ids;
  ids.reserve(by_session.size());
  for (const auto& [id, sums] : by_session) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
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
  // The answered sessions' keys, and the rows of the kept tables they add to (the node sums too,
  // unless they wait for a rebuild from the kept tables).
  const bool nodes = !nodes_stale_;
  const Ancestors ancestors = nodes ? ancestors_of_every_organisation(*conn_) : Ancestors{};
  detail::Texts texts;
  const detail::NodeDimensions dimensions(texts);
  std::unordered_map<Id, Key<7>> keys;  // session → its session_tallies key
  KeptTable<7, BulkAnswers::Sums> session_rows;
  KeptTable<6, BulkAnswers::Sums> node_rows;
  for (const sql::Row& r :
       q("SELECT s.id, COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, s.region_code, "
         "s.audience_group, s.industry, s.format FROM tally_answered t "
         "JOIN sessions s ON s.id = t.id WHERE " +
         not_queued("true"))) {
    const Key<7> k{r.integer(1),        r.integer(2),        texts.id(r.text(3)),
                   texts.id(r.text(4)), texts.id(r.text(5)), texts.id(r.text(6)),
                   texts.id(r.text(7))};
    const BulkAnswers::Sums& sums = by_session.at(r.integer(0));
    keys.emplace(r.integer(0), k);
    BulkAnswers::add(session_rows[k], sums);
    if (!nodes) continue;
    for (const Id node : ancestors.at(k[1])) {
      for (const Key<6>& key : dimensions.keys(k, node)) {
        BulkAnswers::add(node_rows[key], sums);
      }
    }
  }
  KeptTable<6, BulkAnswers::Sums> lecturer_rows;
  KeptTable<4, BulkAnswers::Sums> node_lecturer_rows;
  for (const sql::Row& r : q("SELECT m.session_id, m.lecturer_id FROM tally_answered t "
                             "JOIN session_lecturers m ON m.session_id = t.id")) {
    const auto key = keys.find(r.integer(0));
    if (key == keys.end()) continue;  // queued: the fold counts its answers
    const Key<7>& k = key->second;
    const BulkAnswers::Sums& sums = by_session.at(r.integer(0));
    const Id lecturer = r.integer(1);
    BulkAnswers::add(lecturer_rows[{k[0], k[1], k[2], lecturer, k[6], k[3]}], sums);
    if (!nodes) continue;
    for (const Id node : ancestors.at(k[1])) {
      BulkAnswers::add(node_lecturer_rows[{k[0], node, k[2], lecturer}], sums);
    }
  }
  x("DROP TABLE tally_answered");
  using detail::kept_row;
  auto session_sums = [](const BulkAnswers::Sums& v) {
    return std::to_array({v.ratings, v.rating_sum, v.signed_in});
  };
  auto lecturer_sums = [](const BulkAnswers::Sums& v) {
    return std::to_array(
        {v.ratings, v.rating_sum, v.verified, v.verified_sum, v.staff, v.staff_sum});
  };
  static constexpr auto kSessionColumns = std::to_array<std::string_view>(
      {"campaign_id", "organisation_id", "day", "region_code", "audience_group", "industry",
       "format", "ratings", "rating_sum", "signed_in"});
  add_kept_rows("session_tallies", kSessionColumns, 7, [&](sql::BulkWriter& writer) {
    for (const auto& [k, v] : in_key_order(session_rows, detail::kSessionKey, texts)) {
      writer.add(kept_row(k, detail::kSessionKey, texts, session_sums(v)));
    }
  });
  static constexpr auto kLecturerColumns = std::to_array<std::string_view>(
      {"campaign_id", "organisation_id", "day", "lecturer_id", "format", "region_code", "ratings",
       "rating_sum", "verified_ratings", "verified_rating_sum", "staff_ratings",
       "staff_rating_sum"});
  add_kept_rows("lecturer_tallies", kLecturerColumns, 6, [&](sql::BulkWriter& writer) {
    for (const auto& [k, v] : in_key_order(lecturer_rows, detail::kLecturerKey, texts)) {
      writer.add(kept_row(k, detail::kLecturerKey, texts, lecturer_sums(v)));
    }
  });
  if (!nodes) return;
  static constexpr auto kNodeColumns =
      std::to_array<std::string_view>({"campaign_id", "node_id", "day", "dim", "key_a", "key_b",
                                       "ratings", "rating_sum", "signed_in"});
  add_kept_rows("node_tallies", kNodeColumns, 6, [&](sql::BulkWriter& writer) {
    for (const auto& [k, v] : in_key_order(node_rows, detail::kNodeKey, texts)) {
      writer.add(kept_row(k, detail::kNodeKey, texts, session_sums(v)));
    }
  });
  static constexpr auto kNodeLecturerColumns = std::to_array<std::string_view>(
      {"campaign_id", "node_id", "day", "lecturer_id", "ratings", "rating_sum", "verified_ratings",
       "verified_rating_sum", "staff_ratings", "staff_rating_sum"});
  add_kept_rows("node_lecturer_tallies", kNodeLecturerColumns, 4, [&](sql::BulkWriter& writer) {
    for (const auto& [k, v] : in_key_order(node_lecturer_rows, detail::kNodeLecturerKey, texts)) {
      writer.add(kept_row(k, detail::kNodeLecturerKey, texts, lecturer_sums(v)));
    }
  });
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
