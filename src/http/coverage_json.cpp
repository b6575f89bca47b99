#include "http/coverage_json.hpp"

namespace xj::http {

namespace {

json::value date_or_null(const std::optional<Date>& d) {
  return d ? json::value(d->iso()) : json::value(nullptr);
}

json::object cell_json(const service::CoverageCell& c) {
  return {{"sessions", c.sessions},
          {"audience", c.audience},
          {"expected_sessions", c.expected_sessions},
          {"expected_audience", c.expected_audience},
          {"targeted", c.targeted},
          {"mark", domain::mark_name(c.mark)}};
}

json::object matrix_json(const service::CoverageMatrix& m) {
  json::array columns;
  for (const auto& h : m.columns) {
    columns.push_back({{"key", h.key},
                       {"name", h.name},
                       {"name_en", h.name_en},
                       {"first", date_or_null(h.first)},
                       {"last", date_or_null(h.last)},
                       {"total", cell_json(h.total)}});
  }
  json::array rows;
  for (const auto& r : m.rows) {
    json::array cells;
    for (const auto& c : r.cells) cells.push_back(cell_json(c));
    rows.push_back({{"code", r.code},
                    {"name", r.name},
                    {"parent", r.parent},
                    {"level", r.level},
                    {"cells", std::move(cells)},
                    {"total", cell_json(r.total)}});
  }
  return {
      {"columns", std::move(columns)}, {"rows", std::move(rows)}, {"total", cell_json(m.total)}};
}

}  // namespace

json::value to_json(const service::Coverage& c) {
  json::array campaigns;
  for (const Id id : c.campaign_ids) campaigns.push_back(id);
  json::array targets;
  for (const auto& t : c.targets) {
    targets.push_back({{"campaign_id", t.campaign_id},
                       {"campaign_title", t.campaign_title},
                       {"region_code", t.target.region_code},
                       {"region_name", t.region_name},
                       {"audience_group", t.target.audience_group},
                       {"sessions", t.target.sessions},
                       {"audience", t.target.audience},
                       {"expected_sessions", t.expected_sessions},
                       {"expected_audience", t.expected_audience}});
  }
  return {{"from", c.from.iso()},
          {"to", c.to.iso()},
          {"today", c.today.iso()},
          {"campaign_ids", std::move(campaigns)},
          {"organisation_id",
           c.organisation_id ? json::value(*c.organisation_id) : json::value(nullptr)},
          {"grain", domain::grain_name(c.grain)},
          {"level", c.level},
          {"by_period", matrix_json(c.by_period)},
          {"by_group", matrix_json(c.by_group)},
          {"targets", std::move(targets)},
          {"elsewhere", {{"sessions", c.elsewhere_sessions}, {"audience", c.elsewhere_audience}}}};
}

json::value to_json(const service::CoverageFill& f) {
  json::array orders;
  for (const auto& o : f.orders) orders.push_back(to_json(o));
  json::array lecturers;
  for (const auto& l : f.lecturers) {
    lecturers.push_back({{"id", l.facts.lecturer_id},
                         {"name", l.facts.name},
                         {"category", l.category},
                         {"region_code", l.region_code},
                         {"region_name", l.region_name},
                         {"distance_km", l.facts.distance_km ? json::value(*l.facts.distance_km)
                                                             : json::value(nullptr)},
                         {"free_days", l.free_days},
                         {"lectures", l.facts.same_day_lectures}});
  }
  return {{"region_code", f.region_code},
          {"region_name", f.region_name},
          {"audience_group", f.audience_group},
          {"from", f.from.iso()},
          {"to", f.to.iso()},
          {"orders", std::move(orders)},
          {"lecturers", std::move(lecturers)},
          {"available", f.available}};
}

}  // namespace xj::http
