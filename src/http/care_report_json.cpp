#include "http/care_report_json.hpp"

namespace xj::http {
namespace {

json::array breakdown_json(const std::vector<service::CareBreakdown>& lines, Lang lang) {
  json::array out;
  for (const auto& b : lines) {
    const std::string& name = lang == Lang::kEn && !b.name_en.empty() ? b.name_en : b.name;
    out.push_back(json::object{
        {"code", b.code}, {"name", name}, {"count", b.count}, {"amount_fen", b.amount_fen}});
  }
  return out;
}

}  // namespace

json::object care_report_json(const service::CareReport& r, Lang lang) {
  json::array organisations;
  for (const auto& o : r.organisations) {
    organisations.push_back(json::object{{"organisation_id", o.organisation_id},
                                         {"name", o.name},
                                         {"level", o.level},
                                         {"own", o.own},
                                         {"received_fen", o.received_fen},
                                         {"disbursed_fen", o.disbursed_fen},
                                         {"held_fen", o.held_fen},
                                         {"count", o.count}});
  }
  json::array levels;
  for (const auto& l : r.levels) {
    levels.push_back(json::object{
        {"level", l.level}, {"organisations", l.organisations}, {"held_fen", l.held_fen}});
  }
  return json::object{{"programme", to_json(r.programme)},
                      {"organisation_id", r.organisation_id},
                      {"organisation_name", r.organisation_name},
                      {"budget_fen", r.budget_fen},
                      {"received_fen", r.received_fen},
                      {"disbursed_fen", r.disbursed_fen},
                      {"held_fen", r.held_fen},
                      {"count", r.count},
                      {"people", r.people},
                      {"units", r.units},
                      {"organisations", std::move(organisations)},
                      {"categories", breakdown_json(r.categories, lang)},
                      {"kinds", breakdown_json(r.kinds, lang)},
                      {"months", breakdown_json(r.months, lang)},
                      {"levels", std::move(levels)}};
}

}  // namespace xj::http
