// The kept sums of sessions loaded in bulk (store/bulk.cpp), added up in memory as the sessions
// are written: at a million sessions, grouping them again in SQL took most of a load (18 s of
// SQLite's 93, half a minute of PostgreSQL's), and the loader holds every session in hand.
// The rows are the ones Tx::tally_sessions adds for the same sessions with no answers yet
// (store/tallies.cpp); the conformance test of bulk against one-by-one writes compares them.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "domain/entities.hpp"
#include "store/store.hpp"

namespace xj::store::detail {

// Text as numbers, for keys that hash and compare fast: each string once.
class Texts {
 public:
  std::int64_t id(const std::string& s) {
    const auto [it, added] = ids_.emplace(s, static_cast<std::int64_t>(strings_.size()));
    if (added) strings_.push_back(s);
    return it->second;
  }
  const std::string& at(std::int64_t id) const { return strings_[static_cast<std::size_t>(id)]; }
  // Each id's place among the strings in byte order.
  std::vector<std::int64_t> ranks() const {
    std::vector<std::int64_t> order(strings_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int64_t>(i);
    std::sort(order.begin(), order.end(),
              [&](std::int64_t a, std::int64_t b) { return at(a) < at(b); });
    std::vector<std::int64_t> rank(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      rank[static_cast<std::size_t>(order[i])] = static_cast<std::int64_t>(i);
    }
    return rank;
  }

 private:
  std::unordered_map<std::string, std::int64_t> ids_;
  std::vector<std::string> strings_;
};

// A kept row's key as numbers: ids as they are, text as its Texts id, in the order of the
// table's primary key.
template <std::size_t N>
using Key = std::array<std::int64_t, N>;
struct KeyHash {
  template <std::size_t N>
  std::size_t operator()(const Key<N>& key) const {
    std::size_t h = 0;
    for (const std::int64_t field : key) {
      h = (h ^ std::hash<std::int64_t>{}(field)) * 0x9E3779B97F4A7C15ULL;
    }
    return h;
  }
};
template <std::size_t N, typename V>
using KeptTable = std::unordered_map<Key<N>, V, KeyHash>;

// Which fields of each kept table's key are text (see each table's Key below).
inline constexpr std::array<bool, 7> kSessionKey{false, false, true, true, true, true, true};
inline constexpr std::array<bool, 6> kLecturerKey{false, false, true, false, true, true};
inline constexpr std::array<bool, 4> kCategoryKey{false, false, true, true};
inline constexpr std::array<bool, 2> kCountKey{false, false};
inline constexpr std::array<bool, 6> kNodeKey{false, false, true, true, true, true};
inline constexpr std::array<bool, 4> kNodeLecturerKey{false, false, true, false};
inline constexpr std::array<bool, 4> kNodeCategoryKey{false, false, true, true};

// A row for a bulk writer: the key's fields (text as the string it stands for), then `sums`.
template <std::size_t N, std::size_t M>
std::array<sql::Value, N + M> kept_row(const Key<N>& key, const std::array<bool, N>& is_text,
                                       const Texts& texts,
                                       const std::array<std::int64_t, M>& sums) {
  std::array<sql::Value, N + M> row;
  for (std::size_t i = 0; i < N; ++i) {
    row[i] = is_text[i] ? sql::Value(texts.at(key[i])) : sql::Value(key[i]);
  }
  for (std::size_t i = 0; i < M; ++i) row[N + i] = sums[i];
  return row;
}

// The rows in the order of the table's primary key (`is_text`: which fields are text, compared
// in byte order): written in order, they go to the end of the table's B-tree, not all over it.
template <std::size_t N, typename V>
std::vector<std::pair<Key<N>, V>> in_key_order(const KeptTable<N, V>& table,
                                               const std::array<bool, N>& is_text,
                                               const Texts& texts) {
  const std::vector<std::int64_t> rank = texts.ranks();
  std::vector<std::pair<Key<N>, V>> rows(table.begin(), table.end());
  std::vector<std::pair<Key<N>, std::size_t>> order(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Key<N> ranked = rows[i].first;
    for (std::size_t f = 0; f < N; ++f) {
      if (is_text[f]) ranked[f] = rank[static_cast<std::size_t>(ranked[f])];
    }
    order[i] = {ranked, i};
  }
  std::sort(order.begin(), order.end());
  std::vector<std::pair<Key<N>, V>> out;
  out.reserve(rows.size());
  for (const auto& [ranked, i] : order) out.push_back(std::move(rows[i]));
  return out;
}

// node_tallies' rows for one session_tallies row (Key<7>) at one node above its host: by place
// and audience group, by industry, by format (migration 0025's three dimensions).
class NodeDimensions {
 public:
  explicit NodeDimensions(Texts& texts)
      : place_(texts.id("place")),
        industry_(texts.id("industry")),
        format_(texts.id("format")),
        none_(texts.id("")) {}
  std::array<Key<6>, 3> keys(const Key<7>& k, Id node) const {
    return {Key<6>{k[0], node, k[2], place_, k[3], k[4]},
            Key<6>{k[0], node, k[2], industry_, k[5], none_},
            Key<6>{k[0], node, k[2], format_, k[6], none_}};
  }

 private:
  std::int64_t place_;
  std::int64_t industry_;
  std::int64_t format_;
  std::int64_t none_;
};

class BulkSums {
 public:
  // Keys (see Key): session_tallies (campaign, organisation, day, region, audience group,
  // industry, format), lecturer_tallies (campaign, organisation, day, lecturer, format, region),
  // category_tallies (campaign, organisation, day, category), session_counts (organisation,
  // campaign). Campaign 0: none.
  struct SessionSums {
    std::int64_t records = 0;
    std::int64_t sessions = 0;
    std::int64_t audience_offline = 0;
    std::int64_t online_viewers = 0;
    std::int64_t branch_headcount = 0;
  };
  struct Reach {
    std::int64_t sessions = 0;
    std::int64_t audience = 0;
  };

  // `categories`: every lecturer's category (a session counts once per category among its
  // lecturers).
  explicit BulkSums(const std::unordered_map<Id, std::string>& categories) : dimensions_(texts_) {
    for (const auto& [lecturer, category] : categories) {
      categories_.emplace(lecturer, texts_.id(category));
    }
  }

  // REQUIRES: every lecturer of `s` is among the categories given.
  void add(const domain::Session& s) {
    const Id campaign = s.campaign_id.value_or(0);
    const Id host = s.host_organisation_id;
    const std::int64_t day = texts_.id(s.date.iso());
    const std::int64_t format = texts_.id(std::string(domain::format_name(s.format)));
    const std::int64_t region = texts_.id(s.region_code);
    const std::int64_t industry = texts_.id(s.industry);
    SessionSums& main =
        sessions_[{campaign, host, day, region, texts_.id(s.audience_group), industry, format}];
    main.records += 1;
    main.sessions += 1;
    main.audience_offline += s.audience_offline;
    main.online_viewers += s.online_viewers;
    // A branch venue is a record of its own place and group, under the main venue's host.
    for (const auto& b : s.branches) {
      SessionSums& branch = sessions_[{campaign, host, day, texts_.id(b.region_code),
                                       texts_.id(b.audience_group), industry, format}];
      branch.records += 1;
      branch.branch_headcount += b.headcount;
    }
    const std::int64_t reached = domain::total_audience(s);
    std::vector<std::int64_t> counted;  // the session's categories met so far
    for (const Id lecturer : s.lecturer_ids) {
      add(lecturers_[{campaign, host, day, lecturer, format, region}], {1, reached});
      const std::int64_t category = categories_.at(lecturer);
      if (std::find(counted.begin(), counted.end(), category) != counted.end()) continue;
      counted.push_back(category);
      add(by_category_[{campaign, host, day, category}], {1, reached});
    }
    counts_[{host, campaign}] += 1;
  }

  const Texts& texts() const { return texts_; }
  std::vector<std::pair<Key<7>, SessionSums>> sessions() const {
    return in_key_order(sessions_, kSessionKey, texts_);
  }
  std::vector<std::pair<Key<6>, Reach>> lecturers() const {
    return in_key_order(lecturers_, kLecturerKey, texts_);
  }
  std::vector<std::pair<Key<4>, Reach>> categories() const {
    return in_key_order(by_category_, kCategoryKey, texts_);
  }
  std::vector<std::pair<Key<2>, std::int64_t>> counts() const {
    return in_key_order(counts_, kCountKey, texts_);
  }

  // The node sums (migration 0025) of the same sessions: each kept row added to every
  // organisation above its host, itself included (`ancestors`: each host's). node_tallies
  // (campaign, node, day, dim, key a, key b) holds each session row three times: by place and
  // group, by industry, by format; node_lecturer_tallies (campaign, node, day, lecturer);
  // node_category_tallies (campaign, node, day, category).
  using Ancestors = std::unordered_map<Id, std::vector<Id>>;
  std::vector<std::pair<Key<6>, SessionSums>> node_sessions(const Ancestors& ancestors) const {
    KeptTable<6, SessionSums> nodes;
    for (const auto& [k, v] : sessions_) {
      for (const Id node : ancestors.at(k[1])) {
        for (const Key<6>& key : dimensions_.keys(k, node)) {
          SessionSums& sums = nodes[key];
          sums.records += v.records;
          sums.sessions += v.sessions;
          sums.audience_offline += v.audience_offline;
          sums.online_viewers += v.online_viewers;
          sums.branch_headcount += v.branch_headcount;
        }
      }
    }
    return in_key_order(nodes, kNodeKey, texts_);
  }
  std::vector<std::pair<Key<4>, Reach>> node_lecturers(const Ancestors& ancestors) const {
    KeptTable<4, Reach> nodes;
    for (const auto& [k, v] : lecturers_) {
      for (const Id node : ancestors.at(k[1])) add(nodes[{k[0], node, k[2], k[3]}], v);
    }
    return in_key_order(nodes, kNodeLecturerKey, texts_);
  }
  std::vector<std::pair<Key<4>, Reach>> node_categories(const Ancestors& ancestors) const {
    KeptTable<4, Reach> nodes;
    for (const auto& [k, v] : by_category_) {
      for (const Id node : ancestors.at(k[1])) add(nodes[{k[0], node, k[2], k[3]}], v);
    }
    return in_key_order(nodes, kNodeCategoryKey, texts_);
  }

 private:
  static void add(Reach& to, const Reach& more) {
    to.sessions += more.sessions;
    to.audience += more.audience;
  }

  Texts texts_;
  NodeDimensions dimensions_;
  std::unordered_map<Id, std::int64_t> categories_;  // lecturer → text
  KeptTable<7, SessionSums> sessions_;
  KeptTable<6, Reach> lecturers_;
  KeptTable<4, Reach> by_category_;
  KeptTable<2, std::int64_t> counts_;
};

// The answers' and sign-ins' share of the kept sums (what Tx::tally_answers adds for the sessions
// answered), for answers loaded in bulk into tables that held none: the loader holds every answer
// and sign-in in hand, so nothing is counted again in SQL.
class BulkAnswers {
 public:
  struct Sums {
    std::int64_t ratings = 0;
    std::int64_t rating_sum = 0;
    std::int64_t signed_in = 0;
    std::int64_t verified = 0;  // QR answers from a browser that signed in to the same session
    std::int64_t verified_sum = 0;
    std::int64_t staff = 0;  // answers entered by staff
    std::int64_t staff_sum = 0;
  };

  void add(std::span<const FeedbackEntry> answers, std::span<const SignInRow> sign_ins) {
    for (const auto& f : answers) {
      Sums& sums = sessions_[f.session_id];
      sums.ratings += 1;
      sums.rating_sum += f.rating;
      if (f.channel == "staff") {
        sums.staff += 1;
        sums.staff_sum += f.rating;
      } else if (f.channel == "qr" && !f.browser.empty()) {
        unverified_.push_back({f.session_id, f.browser, f.rating});
      }
    }
    for (const auto& a : sign_ins) {
      sessions_[a.session_id].signed_in += 1;
      signed_in_.insert(browser_key(a.session_id, a.browser));
    }
  }

  // Each session answered or signed in to, with its sums: a QR answer is verified by a sign-in of
  // its browser to the same session, whichever came first.
  std::unordered_map<Id, Sums> by_session() && {
    for (const auto& q : unverified_) {
      if (!signed_in_.contains(browser_key(q.session_id, q.browser))) continue;
      Sums& sums = sessions_[q.session_id];
      sums.verified += 1;
      sums.verified_sum += q.rating;
    }
    return std::move(sessions_);
  }

  static void add(Sums& to, const Sums& more) {
    to.ratings += more.ratings;
    to.rating_sum += more.rating_sum;
    to.signed_in += more.signed_in;
    to.verified += more.verified;
    to.verified_sum += more.verified_sum;
    to.staff += more.staff;
    to.staff_sum += more.staff_sum;
  }

 private:
  struct QrAnswer {
    Id session_id;
    std::string browser;
    std::int64_t rating;
  };
  static std::string browser_key(Id session_id, const std::string& browser) {
    return std::to_string(session_id) + '\n' + browser;
  }

  std::unordered_map<Id, Sums> sessions_;
  std::vector<QrAnswer> unverified_;
  std::unordered_set<std::string> signed_in_;  // session id and browser of each sign-in
};

}  // namespace xj::store::detail
