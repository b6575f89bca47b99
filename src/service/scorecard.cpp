#include "service/scorecard.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "domain/labels.hpp"
#include "domain/scorecard.hpp"
#include "service/rules.hpp"

namespace xj::service {

using namespace detail;  // NOLINT(google-build-using-namespace): the service's own rules

namespace {

constexpr std::array<std::pair<RankingSort, std::string_view>, 5> kSorts{{
    {RankingSort::kScore, "score"},
    {RankingSort::kSessions, "sessions"},
    {RankingSort::kAudience, "audience"},
    {RankingSort::kRating, "rating"},
    {RankingSort::kAcceptance, "acceptance"},
}};

RatingFigures rating(std::int64_t count, std::int64_t sum) {
  RatingFigures r;
  r.count = count;
  if (count > 0) r.average = static_cast<double>(sum) / static_cast<double>(count);
  return r;
}

// Sums of one lecturer's kept rows.
struct Sums {
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
  std::int64_t ratings = 0;
  std::int64_t rating_sum = 0;
  std::int64_t verified = 0;
  std::int64_t verified_sum = 0;
  std::int64_t staff = 0;
  std::int64_t staff_sum = 0;

  void add(const store::ScorecardTally& t) {
    sessions += t.sessions;
    audience += t.audience;
    ratings += t.ratings;
    rating_sum += t.rating_sum;
    verified += t.verified_ratings;
    verified_sum += t.verified_rating_sum;
    staff += t.staff_ratings;
    staff_sum += t.staff_rating_sum;
  }
};

// One lecturer's orders from their events (in order, event by event): each acceptance is timed
// from the dispatch before it on the same order.
OrderFigures order_figures(const std::vector<const store::LecturerOrderEvent*>& events) {
  OrderFigures o;
  std::map<Id, UnixSeconds> dispatched_at;
  std::vector<std::int64_t> waits;
  for (const store::LecturerOrderEvent* e : events) {
    if (e->action == "dispatch") {
      ++o.dispatched;
      dispatched_at[e->order_id] = e->at;
    } else if (e->action == "accept") {
      ++o.accepted;
      if (const auto it = dispatched_at.find(e->order_id); it != dispatched_at.end()) {
        waits.push_back(std::max<std::int64_t>(e->at - it->second, 0));
        dispatched_at.erase(it);
      }
    } else if (e->action == "decline") {
      ++o.declined;
      o.declines.push_back(DeclineFigure{e->order_id, e->at, e->reason, e->date});
      dispatched_at.erase(e->order_id);
    }
  }
  std::sort(o.declines.begin(), o.declines.end(), [](const auto& a, const auto& b) {
    return std::tie(b.at, b.order_id) < std::tie(a.at, a.order_id);
  });
  if (!waits.empty()) {
    std::sort(waits.begin(), waits.end());
    const std::size_t n = waits.size();
    o.median_acceptance_seconds = n % 2 == 1 ? waits[n / 2] : (waits[n / 2 - 1] + waits[n / 2]) / 2;
    std::int64_t total = 0;
    for (const std::int64_t w : waits) total += w;
    o.mean_acceptance_seconds = total / static_cast<std::int64_t>(n);
  }
  return o;
}

ScorecardFigures figures_of(const domain::Lecturer& l, const Sums& s,
                            const std::vector<const store::LecturerOrderEvent*>& events,
                            const store::LecturerOrderRatings* unions) {
  ScorecardFigures f;
  f.lecturer_id = l.id;
  f.name = l.name;
  f.category = l.category;
  f.active = l.active;
  f.sessions = s.sessions;
  f.audience = s.audience;
  f.verified = rating(s.verified, s.verified_sum);
  f.staff = rating(s.staff, s.staff_sum);
  f.unverified =
      rating(s.ratings - s.verified - s.staff, s.rating_sum - s.verified_sum - s.staff_sum);
  f.unions = unions != nullptr ? rating(unions->ratings, unions->rating_sum) : RatingFigures{};
  f.orders = order_figures(events);
  f.score = domain::lecturer_score({.sessions = s.sessions,
                                    .audience = s.audience,
                                    .verified_ratings = s.verified,
                                    .verified_rating_sum = s.verified_sum,
                                    .dispatched = f.orders.dispatched,
                                    .accepted = f.orders.accepted});
  return f;
}

// What a caller's figures count: their subtree, or a lecturer's own everything.
store::ScorecardFilter filter_for(const Principal& who) {
  store::ScorecardFilter f;
  if (who.role != domain::Role::kLecturer) f.scope_path = who.organisation_path;
  return f;
}

void add_count(std::map<std::string, ScorecardCount>& m, const std::string& code,
               const store::ScorecardTally& t) {
  ScorecardCount& c = m[code];
  c.code = code;
  c.sessions += t.sessions;
  c.audience += t.audience;
}

double acceptance_rate(const ScorecardFigures& f) {
  return f.orders.dispatched == 0
             ? -1.0
             : static_cast<double>(f.orders.accepted) / static_cast<double>(f.orders.dispatched);
}

}  // namespace

std::optional<RankingSort> parse_ranking_sort(std::string_view name) {
  for (const auto& [sort, text] : kSorts) {
    if (text == name) return sort;
  }
  return std::nullopt;
}

std::string_view ranking_sort_name(RankingSort sort) {
  for (const auto& [s, text] : kSorts) {
    if (s == sort) return text;
  }
  return "score";
}

Result<Scorecard> Scorecards::lecturer(const Principal& who, Id lecturer_id) {
  if (auto s = require(who, Permission::kLecturersRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  const auto path = tx.lecturer_organisation_path(lecturer_id);
  if (!path || !lecturer_visible(who, lecturer_id, *path)) return Error::not_found();
  const auto lecturer = tx.lecturer(lecturer_id);
  if (!lecturer) return Error::not_found();

  store::ScorecardFilter filter = filter_for(who);
  filter.lecturer_id = lecturer_id;
  Scorecard card;
  Sums sums;
  std::map<std::string, ScorecardCount> years;
  std::map<std::string, ScorecardCount> formats;
  std::map<std::string, ScorecardCount> leagues;
  for (const store::ScorecardTally& t : tx.scorecard_tallies(filter)) {
    sums.add(t);
    add_count(years, t.year, t);
    add_count(formats, t.format, t);
    add_count(leagues, t.league, t);
  }
  const auto events = tx.lecturer_order_events(filter);
  std::vector<const store::LecturerOrderEvent*> mine;
  mine.reserve(events.size());
  for (const auto& e : events) mine.push_back(&e);
  const auto unions = tx.lecturer_order_ratings(filter);
  card.figures = figures_of(*lecturer, sums, mine, unions.empty() ? nullptr : &unions.front());

  for (auto& [code, c] : years) card.by_year.push_back(std::move(c));
  for (const domain::SessionFormat format :
       {domain::SessionFormat::kOffline, domain::SessionFormat::kOnline,
        domain::SessionFormat::kHybrid}) {
    const std::string code(domain::format_name(format));
    ScorecardCount c = formats[code];
    c.code = code;
    const domain::Label label = domain::format_label(format);
    c.name = label.zh;
    c.name_en = label.en;
    card.by_format.push_back(std::move(c));
  }
  for (auto& [code, c] : leagues) {
    if (const auto region = tx.region(code)) c.name = region->name;
    card.by_league.push_back(std::move(c));
  }
  std::stable_sort(card.by_league.begin(), card.by_league.end(), [](const auto& a, const auto& b) {
    return std::tie(b.sessions, b.audience) < std::tie(a.sessions, a.audience);
  });
  card.quotes = tx.scorecard_quotes(filter, kScorecardQuotes);
  card.formula = domain::score_formula();
  return card;
}

Result<Ranking> Scorecards::ranking(const Principal& who, const RankingQuery& query) {
  if (auto s = require(who, Permission::kLecturersRead); !s) return std::move(s).error();
  if (query.from && query.to && *query.to < *query.from) {
    return Error::invalid({{"to", {"结束日期不能早于开始日期", "must not be before from"}}});
  }
  if (query.campaign_ids.size() > 100) {
    return Error::bad_request({"一次最多选择 100 个宣讲活动", "at most 100 campaigns at a time"},
                              "campaign_ids");
  }
  store::Tx tx = store_.read();
  Ranking out;
  out.query = query;
  out.query.campaign_ids.clear();
  for (const Id id : query.campaign_ids) {
    const auto campaign = tx.campaign(id);
    if (!campaign || !campaign_visible(who, *campaign)) return Error::not_found();
    if (std::find(out.query.campaign_ids.begin(), out.query.campaign_ids.end(), id) ==
        out.query.campaign_ids.end()) {
      out.query.campaign_ids.push_back(id);
    }
  }
  store::ScorecardFilter filter = filter_for(who);
  if (!out.query.campaign_ids.empty()) filter.campaigns = out.query.campaign_ids;
  filter.date_from = query.from;
  filter.date_to = query.to;
  if (query.organisation_id) {
    // A narrower subtree of the caller's; one outside it counts nothing rather than revealing
    // that it exists.
    const auto org = tx.organisation(*query.organisation_id);
    const bool visible =
        org && (who.role == domain::Role::kLecturer || domain::in_scope(who, org->path));
    filter.scope_path = visible ? org->path : "/none/";
  }
  if (who.role == domain::Role::kLecturer) filter.lecturer_id = who.lecturer_id.value_or(-1);

  // The lecturers the caller may read, as the lecturer list shows them.
  std::vector<domain::Lecturer> lecturers;
  store::LecturerFilter lf;
  lf.scope_path = who.organisation_path;
  if (who.role == domain::Role::kLecturer) lf.only_id = who.lecturer_id.value_or(-1);
  lf.page.page_size = 500;
  for (lf.page.page = 1;; ++lf.page.page) {
    auto page = tx.lecturers(lf);
    const std::size_t got = page.items.size();
    for (auto& l : page.items) lecturers.push_back(std::move(l));
    if (got < static_cast<std::size_t>(lf.page.page_size) ||
        static_cast<std::int64_t>(lecturers.size()) >= page.total) {
      break;
    }
  }

  std::map<Id, Sums> sums;
  for (const auto& t : tx.ranking_tallies(filter)) sums[t.lecturer_id].add(t);
  const auto events = tx.lecturer_order_events(filter);
  std::map<Id, std::vector<const store::LecturerOrderEvent*>> events_of;
  for (const auto& e : events) events_of[e.lecturer_id].push_back(&e);
  const auto ratings = tx.lecturer_order_ratings(filter);
  std::map<Id, const store::LecturerOrderRatings*> ratings_of;
  for (const auto& r : ratings) ratings_of[r.lecturer_id] = &r;

  struct Ranked {
    ScorecardFigures figures;
    std::string sort_key;
  };
  std::vector<Ranked> ranked;
  ranked.reserve(lecturers.size());
  for (const domain::Lecturer& l : lecturers) {
    const auto r = ratings_of.find(l.id);
    ranked.push_back(Ranked{
        figures_of(l, sums[l.id], events_of[l.id], r == ratings_of.end() ? nullptr : r->second),
        store::sort_key(l.name)});
  }
  auto value = [&](const ScorecardFigures& f) -> double {
    switch (query.sort) {
      case RankingSort::kSessions:
        return static_cast<double>(f.sessions);
      case RankingSort::kAudience:
        return static_cast<double>(f.audience);
      case RankingSort::kRating:
        return f.verified.average.value_or(-1.0);
      case RankingSort::kAcceptance:
        return acceptance_rate(f);
      case RankingSort::kScore:
        break;
    }
    return f.score;
  };
  std::sort(ranked.begin(), ranked.end(), [&](const Ranked& a, const Ranked& b) {
    const double va = value(a.figures);
    const double vb = value(b.figures);
    if (va != vb) return va > vb;
    return std::tie(a.sort_key, a.figures.lecturer_id) <
           std::tie(b.sort_key, b.figures.lecturer_id);
  });
  int rank = 0;
  for (Ranked& r : ranked) out.items.push_back(RankingEntry{++rank, std::move(r.figures)});
  out.formula = domain::score_formula();
  return out;
}

}  // namespace xj::service
