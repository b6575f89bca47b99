// The use cases the API serves, built on one store: what `serve` runs, and what `report` starts
// a private server with to print its page. One place, so the two cannot drift apart.
#pragma once

#include <filesystem>

#include "extract/extract.hpp"
#include "http/api.hpp"
#include "service/report_imports.hpp"

namespace xj::cli {

struct AppSettings {
  service::AuthOptions auth;
  service::WorkflowOptions workflow;
  std::filesystem::path photos;
  extract::Rules extract_rules;
  service::HashPoolOptions hashes;
};

// Every service, each built once in the order they refer to each other. They refer to `store`
// and `vault`, which must outlive them; build this before the server that serves them, so the
// server is gone first, and stop() the hash pool as soon as it has stopped.
class AppServices {
 public:
  AppServices(store::Store& store, const service::Vault& vault, AppSettings settings);
  AppServices(const AppServices&) = delete;
  AppServices& operator=(const AppServices&) = delete;

  // Pointers to every service, for http::make_api.
  http::Services api();
  service::Workflow& workflow() { return workflow_; }
  service::Tokens& tokens() { return tokens_; }
  service::HashPool& hashes() { return hashes_; }

 private:
  service::Records records_;
  service::Auth auth_;
  service::Tokens tokens_;
  service::Workflow workflow_;
  service::Planner planner_;
  service::Feedback feedback_;
  service::Photos photos_;
  service::Statistics statistics_;
  service::Scorecards scorecards_;
  service::Exports exports_;
  service::Imports imports_;
  service::ReportImports report_imports_;
  service::Care care_;
  service::Vouchers vouchers_;
  service::Corrections corrections_;
  service::HashPool hashes_;
};

}  // namespace xj::cli
