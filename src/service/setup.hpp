// Creating a database: the shipped regions, the standard dictionaries, the root organisation and
// its first administrator; and the demo campaign that `make demo` serves.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/result.hpp"
#include "store/store.hpp"

namespace xj::service {

struct InitOptions {
  std::string root_name = "内蒙古自治区总工会";
  std::string root_region = "150000";
  std::string admin_username = "admin";
  std::string admin_password;  // empty: a random one is generated and returned
};

// Loads regions (CSV: code,name,parent,level,kind,lat,lon with a header line) into the store,
// replacing rows with the same code. Returns the number of rows, or kInvalid on a bad line.
Result<std::size_t> load_regions(store::Store& store, std::string_view csv);

// The regions compiled into the binary from data/regions.csv.
std::string_view shipped_regions();

// Sets up an empty database: regions, dictionaries, the root organisation and the admin account.
// REQUIRES: the database holds no organisation yet (kConflict otherwise).
// Returns user name → password of the accounts created.
Result<std::map<std::string, std::string>> initialise(store::Store& store,
                                                      const InitOptions& options);

// Adds the demo campaign (学习宣传贯彻党的二十大精神, 2022-11-01 to 2023-01-31) with its 12
// league federations, grassroots unions, 60 invented lecturers, about 400 sessions and one
// account per role (organiser, baotou, lecturer, requester, viewer). Deterministic but for the
// random passwords. REQUIRES: initialise() ran on this store. Returns user name → password.
// `sessions` other than 400 makes a larger or smaller demo (the API benchmark uses 100,000).
// `photos`: the folder the demo's photos go to (none when empty).
Result<std::map<std::string, std::string>> seed_demo(store::Store& store, int sessions = 400,
                                                     const std::filesystem::path& photos = {});

}  // namespace xj::service
