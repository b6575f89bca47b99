// Creating a database: the shipped regions, the standard dictionaries, the root organisation and
// its first administrator; and the demo campaign that `make demo` serves.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

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

// Adds the demo: 12 league federations, grassroots unions, 60 invented lecturers, one account
// per role (organiser, baotou, lecturer, requester, viewer), and two campaigns: a past one
// (学习宣传贯彻党的二十大精神, 2022-11-01 to 2023-01-31, campaign 1, about `sessions` sessions
// and 36 orders) and one running around `today` (Beijing's today by default): six weeks of
// sessions behind, orders in every state around today, today's lectures on the demo
// lecturer's agenda, open feedback forms, reminders due. Deterministic but for the random
// passwords and the current campaign's dates. REQUIRES: initialise() ran on this store.
// Returns user name → password. `sessions` other than 400 makes a larger or smaller demo (the
// API benchmark uses 100,000; the current campaign keeps at most 240 of its own).
// `photos`: the folder the demo's photos go to (none when empty).
Result<std::map<std::string, std::string>> seed_demo(store::Store& store, int sessions = 400,
                                                     const std::filesystem::path& photos = {},
                                                     std::optional<Date> today = {});

// How the demo writes its generated sessions (those of the 2022 campaign), their lecturers and
// branch venues, and the answers and sign-ins about every tenth session: one by one through
// the store, as a user's writes go, or in bulk (Tx::bulk_insert_sessions, COPY on
// PostgreSQL), with the kept sums rebuilt once. Both give the same rows and the same figures.
enum class DemoLoading { kAuto, kOneByOne, kBulk };
// From this many sessions `kAuto` loads in bulk.
inline constexpr int kBulkDemoSessions = 5000;

struct DemoOptions {
  int sessions = 400;
  std::filesystem::path photos;
  std::optional<Date> today;
  DemoLoading loading = DemoLoading::kAuto;
  // Told now and then how far the generated part has come: what ("sessions", "answers"), how
  // many of them are written, and of how many (0 when not known in advance).
  std::function<void(std::string_view what, std::int64_t done, std::int64_t total)> progress;
};
Result<std::map<std::string, std::string>> seed_demo(store::Store& store,
                                                     const DemoOptions& options);

}  // namespace xj::service
