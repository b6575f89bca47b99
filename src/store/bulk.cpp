// Bulk loading: many sessions (and the answers about them) in few statements, for the demo
// generator at a million sessions. The kept sums are added once per batch, grouped, with the
// statements that keep them for one session, which gives the same rows as keeping them session
// by session (the conformance suite compares both).
#include <array>
#include <map>
#include <set>
#include <stdexcept>
#include <string_view>

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

Id Tx::bulk_insert_sessions(std::span<const domain::Session> sessions,
                            std::optional<Id> created_by) {
  const Id first = q("SELECT COALESCE(MAX(id), 0) + 1 FROM sessions").at(0).integer(0);
  if (sessions.empty()) return first;
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
  return first;
}

void Tx::bulk_insert_feedback(std::span<const FeedbackLinkRow> links,
                              std::span<const FeedbackEntry> answers,
                              std::span<const SignInRow> sign_ins) {
  if (links.empty() && answers.empty() && sign_ins.empty()) return;
  const UnixSeconds now = now_utc();
  // The kept sums of the sessions answered: taken off as they stand, added again with the new
  // answers and sign-ins (a recount of those sessions only, not of every one).
  std::set<Id> answered;
  for (const auto& f : answers) answered.insert(f.session_id);
  for (const auto& a : sign_ins) answered.insert(a.session_id);
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
  nodes_stale_ = true;  // as for bulk_insert_sessions
  tally_sessions(which, {}, -1);
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
  tally_sessions(which, {}, 1);
  x("DROP TABLE bulk_answered");
}

std::vector<SessionGroup> Tx::session_groups_newest_first() {
  std::vector<SessionGroup> out;
  for (const auto& r : q("SELECT id, audience_group FROM sessions ORDER BY date DESC, id DESC")) {
    out.push_back({r.integer(0), r.text(1)});
  }
  return out;
}

}  // namespace xj::store
