#include "cli/app_services.hpp"

#include <utility>

namespace xj::cli {

AppServices::AppServices(store::Store& store, const service::Vault& vault, AppSettings settings)
    : records_(store),
      auth_(store, settings.auth),
      tokens_(store),
      workflow_(store, settings.workflow),
      planner_(store, workflow_, settings.workflow),
      feedback_(store, {}),
      photos_(store, settings.photos),
      statistics_(store),
      scorecards_(store),
      exports_(store, records_, workflow_, feedback_, statistics_, scorecards_),
      imports_(store),
      report_imports_(store, std::move(settings.extract_rules)),
      care_(store, vault),
      vouchers_(store, vault),
      corrections_(store),
      hashes_(settings.hashes) {}

http::Services AppServices::api() {
  return {&records_,    &workflow_, &planner_,     &feedback_,      &photos_,  &auth_,
          &statistics_, &hashes_,   &tokens_,      &exports_,       &imports_, &scorecards_,
          &care_,       &vouchers_, &corrections_, &report_imports_};
}

}  // namespace xj::cli
