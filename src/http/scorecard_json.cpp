#include "http/scorecard_json.hpp"

#include <cmath>

#include "domain/scorecard.hpp"

namespace xj::http {
namespace {

json::value maybe(const std::optional<double>& v) {
  // Two decimals are what a person reads; the sums behind them are exact.
  return v ? json::value(std::round(*v * 100.0) / 100.0) : json::value(nullptr);
}
json::value maybe(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object rating_json(const service::RatingFigures& r) {
  return {{"count", r.count}, {"average", maybe(r.average)}};
}

json::object figures_json(const service::ScorecardFigures& f, bool with_declines) {
  const auto& o = f.orders;
  json::object orders{
      {"dispatched", o.dispatched},
      {"accepted", o.accepted},
      {"declined", o.declined},
      {"acceptance_rate", o.dispatched == 0
                              ? json::value(nullptr)
                              : json::value(std::round(static_cast<double>(o.accepted) /
                                                       static_cast<double>(o.dispatched) * 1000.0) /
                                            1000.0)},
      {"median_acceptance_seconds", maybe(o.median_acceptance_seconds)},
      {"mean_acceptance_seconds", maybe(o.mean_acceptance_seconds)}};
  if (with_declines) {
    json::array declines;
    for (const auto& d : o.declines) {
      declines.push_back({{"order_id", d.order_id},
                          {"at", iso_instant(d.at)},
                          {"reason", d.reason},
                          {"date", d.date ? json::value(d.date->iso()) : json::value(nullptr)}});
    }
    orders["declines"] = std::move(declines);
  }
  return {{"lecturer_id", f.lecturer_id},
          {"name", f.name},
          {"category", f.category},
          {"active", f.active},
          {"sessions", f.sessions},
          {"audience", f.audience},
          {"ratings",
           {{"verified", rating_json(f.verified)},
            {"unverified", rating_json(f.unverified)},
            {"staff", rating_json(f.staff)},
            {"unions", rating_json(f.unions)}}},
          {"orders", std::move(orders)},
          {"score", f.score}};
}

json::array counts_json(const std::vector<service::ScorecardCount>& counts) {
  json::array out;
  for (const auto& c : counts) {
    out.push_back({{"code", c.code},
                   {"name", c.name},
                   {"name_en", c.name_en},
                   {"sessions", c.sessions},
                   {"audience", c.audience}});
  }
  return out;
}

json::object weights_json() {
  const domain::ScoreWeights& w = domain::kScoreWeights;
  return {{"per_session", w.per_session},
          {"audience_divisor", w.audience_divisor},
          {"per_rating_point", w.per_rating_point},
          {"min_verified_answers", w.min_verified_answers},
          {"per_acceptance_rate", w.per_acceptance_rate}};
}

}  // namespace

json::object scorecard_json(const service::Scorecard& card, Lang lang) {
  json::object out = figures_json(card.figures, true);
  out["by_year"] = counts_json(card.by_year);
  out["by_format"] = counts_json(card.by_format);
  out["by_league"] = counts_json(card.by_league);
  json::array quotes;
  for (const auto& q : card.quotes) {
    quotes.push_back({{"feedback_id", q.feedback_id},
                      {"session_id", q.session_id},
                      {"date", q.date.iso()},
                      {"session_title", q.session_title},
                      {"rating", q.rating},
                      {"comment", q.comment},
                      {"channel", q.channel},
                      {"verified", q.verified}});
  }
  out["quotes"] = std::move(quotes);
  out["formula"] = text_in(card.formula, lang);
  out["weights"] = weights_json();
  return out;
}

json::object ranking_json(const service::Ranking& ranking, Lang lang) {
  const auto& q = ranking.query;
  json::array campaigns;
  for (const Id id : q.campaign_ids) campaigns.push_back(id);
  json::array items;
  for (const auto& e : ranking.items) {
    json::object item = figures_json(e.figures, false);
    item["rank"] = e.rank;
    items.push_back(std::move(item));
  }
  return {{"from", q.from ? json::value(q.from->iso()) : json::value(nullptr)},
          {"to", q.to ? json::value(q.to->iso()) : json::value(nullptr)},
          {"campaign_ids", std::move(campaigns)},
          {"organisation_id",
           q.organisation_id ? json::value(*q.organisation_id) : json::value(nullptr)},
          {"sort", service::ranking_sort_name(q.sort)},
          {"formula", text_in(ranking.formula, lang)},
          {"weights", weights_json()},
          {"total", static_cast<std::int64_t>(ranking.items.size())},
          {"items", std::move(items)}};
}

}  // namespace xj::http
