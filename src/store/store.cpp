#include "store/store.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "store/bulk_sums.hpp"
#include "store/migrations.hpp"
#include "store/postgres/postgres_connection.hpp"
#include "store/query.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/text_search.hpp"

namespace xj::store {

using domain::Account;
using domain::AuditEntry;
using domain::Campaign;
using domain::DictionaryEntry;
using domain::Lecturer;
using domain::Organisation;
using domain::Region;
using domain::Session;
using sql::Row;
using sql::Value;

namespace {

using detail::contains_pattern;
using detail::flag;
using detail::opt;
using detail::opt_text;
using detail::placeholders;
using detail::upper_bound_of;
using detail::Where;

constexpr const char* kOrgColumns =
    "o.id, o.name, o.parent_id, o.level, o.region_code, o.industry, o.address, o.lat, o.lon, "
    "o.path";

Organisation org_from(const Row& r) {
  Organisation o;
  o.id = r.integer(0);
  o.name = r.text(1);
  o.parent_id = r.opt_integer(2);
  o.level = domain::parse_level(r.text(3)).value_or(domain::OrganisationLevel::kGrassroots);
  o.region_code = r.text(4);
  o.industry = r.text(5);
  o.address = r.text(6);
  o.lat = r.opt_real(7);
  o.lon = r.opt_real(8);
  o.path = r.text(9);
  return o;
}

// A role this version does not know must never become another one (a silent viewer, or worse):
// reading such an account is a failure of the database, not of the caller.
domain::Role role_from(Id account_id, const std::string& name) {
  if (auto role = domain::parse_role(name)) return *role;
  throw sql::DatabaseError("account " + std::to_string(account_id) + " has the role '" + name +
                           "', which this version does not know");
}

constexpr const char* kAccountColumns =
    "a.id, a.username, a.display_name, a.role, a.organisation_id, a.lecturer_id, a.active";

Account account_from(const Row& r) {
  Account a;
  a.id = r.integer(0);
  a.username = r.text(1);
  a.display_name = r.text(2);
  a.role = role_from(a.id, r.text(3));
  a.organisation_id = r.integer(4);
  a.lecturer_id = r.opt_integer(5);
  a.active = r.integer(6) != 0;
  return a;
}

constexpr const char* kLecturerColumns =
    "l.id, l.organisation_id, l.name, l.gender, l.ethnicity, l.category, l.employer, "
    "l.region_code, l.phone, l.bio, l.active, "
    "(SELECT a.id FROM accounts a WHERE a.lecturer_id = l.id), l.photo_sha256, l.photo_type";

Lecturer lecturer_from(const Row& r) {
  Lecturer l;
  l.id = r.integer(0);
  l.organisation_id = r.integer(1);
  l.name = r.text(2);
  l.gender = r.text(3);
  l.ethnicity = r.text(4);
  l.category = r.text(5);
  l.employer = r.text(6);
  l.region_code = r.opt_text(7).value_or("");
  l.phone = r.text(8);
  l.bio = r.text(9);
  l.active = r.integer(10) != 0;
  l.account_id = r.opt_integer(11);
  l.photo_sha256 = r.text(12);
  l.photo_type = r.text(13);
  return l;
}

constexpr const char* kCampaignColumns =
    "c.id, c.title, c.owner_organisation_id, c.start_date, c.end_date, c.description, o.path, "
    "c.closed_at, c.closed_by, COALESCE(a.display_name, ''), c.version";
constexpr const char* kCampaignFrom =
    " FROM campaigns c JOIN organisations o ON o.id = c.owner_organisation_id "
    "LEFT JOIN accounts a ON a.id = c.closed_by";

Campaign campaign_from(const Row& r) {
  Campaign c;
  c.id = r.integer(0);
  c.title = r.text(1);
  c.owner_organisation_id = r.integer(2);
  c.start_date = Date::parse(r.text(3)).value_or(Date{});
  c.end_date = Date::parse(r.text(4)).value_or(Date{});
  c.description = r.text(5);
  c.owner_path = r.text(6);
  c.closed_at = r.opt_integer(7);
  c.closed_by = r.opt_integer(8);
  c.closed_by_name = r.text(9);
  c.version = r.integer(10);
  return c;
}

constexpr const char* kSessionColumns =
    "s.id, s.campaign_id, s.title, s.date, s.start_time, s.end_time, s.venue, "
    "s.host_organisation_id, s.region_code, s.industry, s.format, s.audience_group, "
    "s.audience_offline, s.online_viewers, s.summary, s.source, s.order_id, s.host_path, "
    "(SELECT o.name FROM organisations o WHERE o.id = s.host_organisation_id), "
    "(SELECT r.name FROM regions r WHERE r.code = s.region_code), s.version";

Session session_from(const Row& r) {
  Session s;
  s.id = r.integer(0);
  s.campaign_id = r.opt_integer(1);
  s.title = r.text(2);
  s.date = Date::parse(r.text(3)).value_or(Date{});
  if (auto t = r.opt_text(4)) s.start_time = TimeOfDay::parse(*t);
  if (auto t = r.opt_text(5)) s.end_time = TimeOfDay::parse(*t);
  s.venue = r.text(6);
  s.host_organisation_id = r.integer(7);
  s.region_code = r.text(8);
  s.industry = r.text(9);
  s.format = domain::parse_format(r.text(10)).value_or(domain::SessionFormat::kOffline);
  s.audience_group = r.text(11);
  s.audience_offline = r.integer(12);
  s.online_viewers = r.integer(13);
  s.summary = r.text(14);
  s.source = domain::parse_source(r.text(15)).value_or(domain::SessionSource::kUnordered);
  s.order_id = r.opt_integer(16);
  s.host_path = r.text(17);
  s.host_organisation_name = r.text(18);
  s.region_name = r.text(19);
  s.version = r.integer(20);
  return s;
}

DictionaryEntry dictionary_from(const Row& r) {
  DictionaryEntry e;
  e.id = r.integer(0);
  e.kind = domain::parse_dictionary_kind(r.text(1)).value_or(domain::DictionaryKind::kTopic);
  e.code = r.text(2);
  e.name = r.text(3);
  e.name_en = r.text(4);
  e.sort_order = static_cast<int>(r.integer(5));
  e.active = r.integer(6) != 0;
  return e;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Store

std::unique_ptr<Store> Store::open(const std::string& url, std::size_t pool_size) {
  std::unique_ptr<Store> store;
  if (is_postgres_url(url)) {
    store.reset(new Store([url] { return postgres::open(url); }, "postgresql", pool_size));
  } else {
    const std::string path = url.starts_with("sqlite:") ? url.substr(7) : url;
    store.reset(new Store([path] { return sqlite::open(path); }, "sqlite", pool_size));
  }
  store->migrate();
  store->versioned_ = true;
  return store;
}

Store::Store(sql::ConnectionFactory factory, std::string engine, std::size_t pool_size)
    : factory_(std::move(factory)),
      engine_(std::move(engine)),
      pool_size_(std::max<std::size_t>(pool_size, 1)) {}

Store::~Store() = default;

std::unique_ptr<sql::Connection> Store::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty() || open_ < pool_size_; });
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return conn;
  }
  ++open_;
  lock.unlock();
  try {
    return factory_();
  } catch (...) {
    lock.lock();
    --open_;
    available_.notify_one();
    throw;
  }
}

void Store::release(std::unique_ptr<sql::Connection> conn) {
  {
    std::lock_guard lock(mutex_);
    if (conn && !conn->broken()) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;  // a broken connection is dropped, a new one opened on demand
    }
  }
  available_.notify_one();
}

Tx Store::begin(sql::TxMode mode) {
  // A pooled connection may have been lost while it waited (the database restarted, or ended
  // it): its BEGIN fails before anything is done, and the failed connection is dropped. Others
  // of the pool may be lost alike: tried in turn, then a new one.
  for (std::size_t tried = 0;; ++tried) {
    try {
      return {*this, acquire(), mode};
    } catch (const sql::DatabaseError&) {
      if (tried >= pool_size_) throw;
    }
  }
}

void Store::fold_tallies() { read().settle_tallies(); }

int Store::schema_version() {
  Tx tx = read();
  auto rows = tx.q("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return static_cast<int>(rows.at(0).integer(0));
}

void Store::migrate() {
  auto conn = acquire();
  conn->execute_script(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  release(std::move(conn));
  for (const Migration& m : migrations(engine_)) {
    // SQLite rebuilds a table to change its constraints; while other tables point at it, that
    // needs foreign keys off, which only takes effect outside a transaction (SQLite's "making
    // other kinds of table schema changes"). A migration asks with this marker; the keys are
    // checked before it commits and turned on again after. Migrations run alone, at open, so
    // the pool hands the same connection back each time.
    const bool keys_off =
        engine_ == "sqlite" &&
        std::string_view(m.sql).find("-- xj:foreign-keys-off") != std::string_view::npos;
    if (keys_off) {
      auto c = acquire();
      c->execute_script("PRAGMA foreign_keys=OFF");
      release(std::move(c));
    }
    {
      Tx tx = write();
      // Re-read inside the write transaction: another process may have migrated meanwhile.
      if (tx.q("SELECT 1 FROM schema_migrations WHERE version = ?", {Value(m.version)}).empty()) {
        tx.conn_->execute_script(m.sql);
        if (keys_off && !tx.q("PRAGMA foreign_key_check").empty()) {
          throw std::runtime_error("migration " + std::string(m.name) +
                                   " left a foreign key dangling");
        }
        tx.x("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
             {Value(m.version), Value(std::string(m.name)), Value(now_utc())});
        tx.commit();
      }
    }
    if (keys_off) {
      auto c = acquire();
      c->execute_script("PRAGMA foreign_keys=ON");
      release(std::move(c));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Tx plumbing

Tx::Tx(Store& store, std::unique_ptr<sql::Connection> conn, sql::TxMode mode)
    : store_(&store), conn_(std::move(conn)), mode_(mode), writes_(mode == sql::TxMode::kWrite) {
  try {
    // The data version is raised as the write begins, in the same round trip: its readers see
    // it only once the write commits, and a write that rolls back takes it back.
    conn_->begin(mode, writes_ && store_->versioned_
                           ? "UPDATE data_version SET version = version + 1 WHERE id = 1"
                           : std::string_view());
  } catch (...) {
    store_->release(nullptr);
    conn_.reset();
    throw;
  }
}

Tx::Tx(Tx&& other) noexcept
    : store_(other.store_),
      conn_(std::move(other.conn_)),
      done_(other.done_),
      mode_(other.mode_),
      writes_(other.writes_),
      folding_(other.folding_),
      settled_(other.settled_),
      defer_tallies_(other.defer_tallies_),
      defer_balances_(other.defer_balances_),
      balance_changes_(std::move(other.balance_changes_)),
      nodes_stale_(other.nodes_stale_),
      untallied_(std::move(other.untallied_)),
      bulk_sums_(std::move(other.bulk_sums_)),
      bulk_answers_(std::move(other.bulk_answers_)),
      uncounted_(std::move(other.uncounted_)) {
  other.done_ = true;
}

Tx::~Tx() {
  if (!conn_) return;
  if (!done_) {
    try {
      conn_->rollback();
    } catch (...) {
      conn_.reset();  // unusable: do not return it to the pool
    }
  }
  store_->release(std::move(conn_));
}

void Tx::commit() {
  flush_tallies();
  flush_balances();
  conn_->commit();
  done_ = true;
}

std::string Tx::engine() const { return conn_->engine(); }

bool Tx::unless_duplicate(const std::function<void()>& write) {
  conn_->savepoint();
  try {
    write();
  } catch (const sql::UniqueViolation&) {
    conn_->rollback_to_savepoint();
    return false;
  }
  conn_->release_savepoint();
  return true;
}

std::int64_t Tx::data_version() {
  return q("SELECT version FROM data_version WHERE id = 1").at(0).integer(0);
}

std::vector<Row> Tx::q(std::string_view sql, std::initializer_list<Value> params) {
  const std::span<const Value> values(params.begin(), params.size());
  if (mode_ != sql::TxMode::kStatement) return conn_->query(sql, values);
  // Outside a transaction nothing began that a lost connection could fail: the statement (a
  // read: Store::statement) runs again on another connection, as Store::begin does for BEGIN.
  for (std::size_t tried = 0;; ++tried) {
    try {
      return conn_->query(sql, values);
    } catch (const sql::DatabaseError&) {
      if (!conn_->broken() || tried >= store_->pool_size_) throw;
      store_->release(std::move(conn_));  // dropped: broken
      conn_ = store_->acquire();
    }
  }
}

std::int64_t Tx::x(std::string_view sql, std::initializer_list<Value> params) {
  return conn_->execute(sql, std::span<const Value>(params.begin(), params.size()));
}

Id Tx::insert_returning_id(std::string_view sql, std::initializer_list<Value> params) {
  return q(sql, params).at(0).integer(0);
}

std::int64_t Tx::count(std::string_view table) {
  // One table a line, so that a new table is one line in a diff.
  // clang-format off
  static constexpr auto kTables = std::to_array<std::string_view>({"regions",
                                                                   "organisations",
                                                                   "dictionary_entries",
                                                                   "lecturers",
                                                                   "accounts",
                                                                   "login_sessions",
                                                                   "api_tokens",
                                                                   "campaigns",
                                                                   "sessions",
                                                                   "session_lecturers",
                                                                   "session_branches",
                                                                   "audit_log",
                                                                   "session_counts",
                                                                   "session_tallies",
                                                                   "lecturer_tallies",
                                                                   "category_tallies",
                                                                   "tally_queue",
                                                                   "login_failures",
                                                                   "lecturer_topics",
                                                                   "campaign_targets",
                                                                   "lecturer_unavailability",
                                                                   "orders",
                                                                   "order_events",
                                                                   "notifications",
                                                                   "dispatch_plans",
                                                                   "calendar_links",
                                                                   "feedback_links",
                                                                   "feedback",
                                                                   "attendance",
                                                                   "photos",
                                                                   "care_programmes",
                                                                   "care_beneficiaries",
                                                                   "ledger_accounts",
                                                                   "ledger_movements",
                                                                   "ledger_entries",
                                                                   "care_allocations",
                                                                   "care_disbursements"});
  // clang-format on
  // clang-format on
  for (const std::string_view t : kTables) {
    if (table == t) return q("SELECT COUNT(*) FROM " + std::string(t)).at(0).integer(0);
  }
  throw sql::DatabaseError("count: unknown table " + std::string(table));
}

std::string Tx::path_of(Id organisation_id) {
  auto rows = q("SELECT path FROM organisations WHERE id = ?", {Value(organisation_id)});
  if (rows.empty())
    throw sql::DatabaseError("organisation " + std::to_string(organisation_id) + " does not exist");
  return rows[0].text(0);
}

// ---------------------------------------------------------------------------------------------
// Regions

std::vector<Region> Tx::regions(const std::string& parent, const std::string& level) {
  Where w;
  if (!parent.empty()) w.add("parent = ?", {parent});
  if (!level.empty()) w.add("level = ?", {level});
  const std::string sql =
      "SELECT code, name, parent, level, kind, lat, lon FROM regions" + w.sql() + " ORDER BY code";
  auto params = w.params();
  std::vector<Region> out;
  for (const Row& r : conn_->query(sql, params)) {
    out.push_back(
        {r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.opt_real(5), r.opt_real(6)});
  }
  return out;
}

std::optional<Region> Tx::region(const std::string& code) {
  auto rows =
      q("SELECT code, name, parent, level, kind, lat, lon FROM regions WHERE code = ?", {code});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows[0];
  return Region{r.text(0), r.text(1),     r.text(2),    r.text(3),
                r.text(4), r.opt_real(5), r.opt_real(6)};
}

bool Tx::region_exists(std::string_view code) {
  return !q("SELECT 1 FROM regions WHERE code = ?", {std::string(code)}).empty();
}

void Tx::upsert_region(const Region& r) {
  x("INSERT INTO regions (code, name, parent, level, kind, lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, parent = excluded.parent, "
    "level = excluded.level, kind = excluded.kind, lat = excluded.lat, lon = excluded.lon",
    {r.code, r.name, r.parent, r.level, r.kind, opt(r.lat), opt(r.lon)});
}

std::int64_t Tx::region_count() { return count("regions"); }

// ---------------------------------------------------------------------------------------------
// Dictionaries

std::vector<DictionaryEntry> Tx::dictionary(std::optional<domain::DictionaryKind> kind,
                                            bool include_inactive) {
  Where w;
  if (kind) w.add("kind = ?", {std::string(domain::dictionary_kind_name(*kind))});
  if (!include_inactive) w.add("active = 1");
  const std::string sql =
      "SELECT id, kind, code, name, name_en, sort_order, active FROM dictionary_entries" + w.sql() +
      " ORDER BY kind, sort_order, code";
  auto params = w.params();
  std::vector<DictionaryEntry> out;
  for (const Row& r : conn_->query(sql, params)) out.push_back(dictionary_from(r));
  return out;
}

std::optional<DictionaryEntry> Tx::dictionary_entry(Id id) {
  auto rows =
      q("SELECT id, kind, code, name, name_en, sort_order, active FROM dictionary_entries "
        "WHERE id = ?",
        {id});
  if (rows.empty()) return std::nullopt;
  return dictionary_from(rows[0]);
}

bool Tx::dictionary_has(domain::DictionaryKind kind, std::string_view code) {
  return !q("SELECT 1 FROM dictionary_entries WHERE kind = ? AND code = ? AND active = 1",
            {std::string(domain::dictionary_kind_name(kind)), std::string(code)})
              .empty();
}

Result<Id> Tx::insert_dictionary_entry(const DictionaryEntry& e) {
  Id id = 0;
  if (!unless_duplicate([&] {
        id = insert_returning_id(
            "INSERT INTO dictionary_entries (kind, code, name, name_en, sort_order, active) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            {std::string(domain::dictionary_kind_name(e.kind)), e.code, e.name, e.name_en,
             Value(static_cast<std::int64_t>(e.sort_order)), flag(e.active)});
      })) {
    return Error::conflict({"该字典中已有编码“" + e.code + "”",
                            "the code \"" + e.code + "\" already exists in this dictionary"},
                           "code");
  }
  return id;
}

void Tx::update_dictionary_entry(const DictionaryEntry& e) {
  x("UPDATE dictionary_entries SET name = ?, name_en = ?, sort_order = ?, active = ? WHERE id = ?",
    {e.name, e.name_en, Value(static_cast<std::int64_t>(e.sort_order)), flag(e.active), e.id});
}

// ---------------------------------------------------------------------------------------------
// Organisations

std::optional<Organisation> Tx::organisation(Id id) {
  auto rows =
      q(std::string("SELECT ") + kOrgColumns + " FROM organisations o WHERE o.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return org_from(rows[0]);
}

Page<Organisation> Tx::organisations(const OrganisationFilter& f) {
  Where w;
  w.subtree("o.path", f.scope_path);
  if (f.parent_id) w.add("o.parent_id = ?", {*f.parent_id});
  if (!f.q.empty()) w.add("o.name LIKE ? ESCAPE '\\'", {contains_pattern(f.q)});
  if (f.level) w.add("o.level = ?", {std::string(domain::level_name(*f.level))});
  Page<Organisation> page;
  const auto params = w.params();
  page.total =
      conn_->query("SELECT COUNT(*) FROM organisations o" + w.sql(), params).at(0).integer(0);
  const auto paged = w.params_with_page(f.page);
  for (const Row& r : conn_->query(std::string("SELECT ") + kOrgColumns + " FROM organisations o" +
                                       w.sql() + " ORDER BY o.sort_key, o.id LIMIT ? OFFSET ?",
                                   paged)) {
    page.items.push_back(org_from(r));
  }
  return page;
}

Id Tx::insert_organisation(const Organisation& o) {
  const std::string parent_path = o.parent_id ? path_of(*o.parent_id) : "/";
  const UnixSeconds now = now_utc();
  const Id id = insert_returning_id(
      "INSERT INTO organisations (name, sort_key, parent_id, level, region_code, industry, "
      "address, lat, lon, path, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?) RETURNING id",
      {o.name, sort_key(o.name), opt(o.parent_id), std::string(domain::level_name(o.level)),
       o.region_code, o.industry, o.address, opt(o.lat), opt(o.lon), now, now});
  x("UPDATE organisations SET path = ? WHERE id = ?", {parent_path + std::to_string(id) + "/", id});
  // Its ancestors are its parent's and itself (the node sums of migration 0025 follow them).
  x("INSERT INTO organisation_ancestors (organisation_id, ancestor_id) "
    "SELECT CAST(? AS BIGINT), ancestor_id FROM organisation_ancestors WHERE organisation_id = ? "
    "UNION ALL SELECT CAST(? AS BIGINT), CAST(? AS BIGINT)",
    {id, o.parent_id ? Value(*o.parent_id) : Value(nullptr), id, id});
  return id;
}

void Tx::update_organisation(const Organisation& o) {
  const std::string old_path = path_of(o.id);
  const std::string new_path =
      (o.parent_id ? path_of(*o.parent_id) : std::string("/")) + std::to_string(o.id) + "/";
  x("UPDATE organisations SET name = ?, sort_key = ?, parent_id = ?, level = ?, region_code = ?, "
    "industry = ?, address = ?, lat = ?, lon = ?, updated_at = ? WHERE id = ?",
    {o.name, sort_key(o.name), opt(o.parent_id), std::string(domain::level_name(o.level)),
     o.region_code, o.industry, o.address, opt(o.lat), opt(o.lon), now_utc(), o.id});
  if (new_path != old_path) {
    // Moving a subtree rewrites the prefix of every path below it, and the copies in sessions.
    // Its sessions leave the node sums of the ancestors it leaves and join those it joins.
    const Value len = static_cast<std::int64_t>(old_path.size() + 1);
    const std::string upper = upper_bound_of(old_path);
    const std::string subtree = "SELECT id FROM organisations WHERE path >= ? AND path < ?";
    tally_nodes_from_kept(subtree, {old_path, upper}, -1);
    x("UPDATE organisations SET path = ? || substr(path, ?) WHERE path >= ? AND path < ?",
      {new_path, len, old_path, upper});
    x("UPDATE sessions SET host_path = ? || substr(host_path, ?) "
      "WHERE host_path >= ? AND host_path < ?",
      {new_path, len, old_path, upper});
    const std::string new_upper = upper_bound_of(new_path);
    x("DELETE FROM organisation_ancestors WHERE organisation_id IN "
      "(SELECT id FROM organisations WHERE path >= ? AND path < ?)",
      {new_path, new_upper});
    x("INSERT INTO organisation_ancestors (organisation_id, ancestor_id) "
      "SELECT o.id, a.id FROM organisations o JOIN organisations a "
      "ON substr(o.path, 1, length(a.path)) = a.path WHERE o.path >= ? AND o.path < ?",
      {new_path, new_upper});
    tally_nodes_from_kept(subtree, {new_path, new_upper}, 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Accounts and authentication state

std::optional<Account> Tx::account(Id id) {
  auto rows = q(std::string("SELECT ") + kAccountColumns + " FROM accounts a WHERE a.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return account_from(rows[0]);
}

std::optional<Credentials> Tx::credentials(const std::string& username) {
  auto rows = q(std::string("SELECT ") + kAccountColumns +
                    ", a.password_hash FROM accounts a WHERE a.username = ?",
                {username});
  if (rows.empty()) return std::nullopt;
  return Credentials{account_from(rows[0]), rows[0].text(7)};
}

Page<Account> Tx::accounts(const AccountFilter& f) {
  Where w;
  w.subtree("o.path", f.scope_path);
  if (!f.q.empty()) {
    w.add("(a.username LIKE ? ESCAPE '\\' OR a.display_name LIKE ? ESCAPE '\\')",
          {contains_pattern(f.q), contains_pattern(f.q)});
  }
  if (f.role) w.add("a.role = ?", {std::string(domain::role_name(*f.role))});
  const std::string from = " FROM accounts a JOIN organisations o ON o.id = a.organisation_id";
  Page<Account> page;
  const auto params = w.params();
  page.total = conn_->query("SELECT COUNT(*)" + from + w.sql(), params).at(0).integer(0);
  const auto paged = w.params_with_page(f.page);
  for (const Row& r : conn_->query(std::string("SELECT ") + kAccountColumns + from + w.sql() +
                                       " ORDER BY a.username LIMIT ? OFFSET ?",
                                   paged)) {
    page.items.push_back(account_from(r));
  }
  return page;
}

Result<Id> Tx::insert_account(const Account& a, const std::string& password_hash) {
  const UnixSeconds now = now_utc();
  Id id = 0;
  if (!unless_duplicate([&] {
        id = insert_returning_id(
            "INSERT INTO accounts (username, display_name, role, organisation_id, lecturer_id, "
            "password_hash, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id",
            {a.username, a.display_name, std::string(domain::role_name(a.role)), a.organisation_id,
             opt(a.lecturer_id), password_hash, flag(a.active), now, now});
      })) {
    return Error::conflict({"用户名或宣讲员已被其他账号使用",
                            "the user name or the lecturer is already taken by another account"},
                           "username");
  }
  return id;
}

Result<void> Tx::update_account(const Account& a) {
  if (!unless_duplicate([&] {
        x("UPDATE accounts SET display_name = ?, role = ?, organisation_id = ?, lecturer_id = ?, "
          "active = ?, updated_at = ? WHERE id = ?",
          {a.display_name, std::string(domain::role_name(a.role)), a.organisation_id,
           opt(a.lecturer_id), flag(a.active), now_utc(), a.id});
      })) {
    return Error::conflict({"该宣讲员已关联其他账号", "the lecturer is linked to another account"},
                           "lecturer_id");
  }
  return {};
}

void Tx::set_password_hash(Id account_id, const std::string& password_hash) {
  x("UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?",
    {password_hash, now_utc(), account_id});
}

namespace {

constexpr std::string_view kPrincipalColumns =
    "a.id, a.username, a.role, a.organisation_id, o.path, a.lecturer_id";

// The principal in kPrincipalColumns, from column `at` of `r`.
domain::Principal principal_from(const Row& r, std::size_t at) {
  domain::Principal p;
  p.account_id = r.integer(at);
  p.username = r.text(at + 1);
  p.role = role_from(p.account_id, r.text(at + 2));
  p.organisation_id = r.integer(at + 3);
  p.organisation_path = r.text(at + 4);
  p.lecturer_id = r.opt_integer(at + 5);
  return p;
}

}  // namespace

std::optional<domain::Principal> Tx::principal(Id account_id) {
  auto rows = q(std::string("SELECT ").append(kPrincipalColumns) +
                    " FROM accounts a JOIN organisations o ON o.id = a.organisation_id "
                    "WHERE a.id = ? AND a.active = 1",
                {account_id});
  if (rows.empty()) return std::nullopt;
  return principal_from(rows[0], 0);
}

std::optional<Tx::TokenHolder> Tx::token_holder(const std::string& token_hash, UnixSeconds now) {
  auto rows = q(std::string("SELECT t.id, t.last_used_at, ").append(kPrincipalColumns) +
                    " FROM api_tokens t JOIN accounts a ON a.id = t.account_id "
                    "JOIN organisations o ON o.id = a.organisation_id "
                    "WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?) "
                    "AND a.active = 1",
                {token_hash, now});
  if (rows.empty()) return std::nullopt;
  return TokenHolder{principal_from(rows[0], 2), rows[0].integer(0), rows[0].opt_integer(1)};
}

std::optional<Tx::SessionHolder> Tx::session_holder(const std::string& token_hash,
                                                    UnixSeconds now) {
  auto rows = q(std::string("SELECT l.csrf_token, ").append(kPrincipalColumns) +
                    " FROM login_sessions l JOIN accounts a ON a.id = l.account_id "
                    "JOIN organisations o ON o.id = a.organisation_id "
                    "WHERE l.token_hash = ? AND l.expires_at > ? AND a.active = 1",
                {token_hash, now});
  if (rows.empty()) return std::nullopt;
  return SessionHolder{principal_from(rows[0], 1), rows[0].text(0)};
}

void Tx::insert_login_session(const std::string& token_hash, const LoginSession& s) {
  x("INSERT INTO login_sessions (token_hash, account_id, csrf_token, created_at, expires_at) "
    "VALUES (?, ?, ?, ?, ?)",
    {token_hash, s.account_id, s.csrf_token, now_utc(), s.expires_at});
}

std::optional<LoginSession> Tx::login_session(const std::string& token_hash, UnixSeconds now) {
  auto rows =
      q("SELECT account_id, csrf_token, expires_at FROM login_sessions "
        "WHERE token_hash = ? AND expires_at > ?",
        {token_hash, now});
  if (rows.empty()) return std::nullopt;
  return LoginSession{rows[0].integer(0), rows[0].text(1), rows[0].integer(2)};
}

void Tx::delete_login_session(const std::string& token_hash) {
  x("DELETE FROM login_sessions WHERE token_hash = ?", {token_hash});
}

void Tx::delete_login_sessions_of(Id account_id) {
  x("DELETE FROM login_sessions WHERE account_id = ?", {account_id});
}

void Tx::delete_expired_login_sessions(UnixSeconds now) {
  x("DELETE FROM login_sessions WHERE expires_at <= ?", {now});
}

Id Tx::insert_api_token(const std::string& token_hash, Id account_id, const std::string& name,
                        std::optional<UnixSeconds> expires_at) {
  return insert_returning_id(
      "INSERT INTO api_tokens (token_hash, account_id, name, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?) RETURNING id",
      {token_hash, account_id, name, now_utc(), opt(expires_at)});
}

namespace {
constexpr const char* kApiTokenColumns =
    "id, account_id, name, created_at, expires_at, last_used_at FROM api_tokens";

ApiToken api_token_from(const Row& r) {
  return {r.integer(0), r.integer(1), r.text(2), r.integer(3), r.opt_integer(4), r.opt_integer(5)};
}
}  // namespace

std::optional<ApiToken> Tx::api_token(Id id) {
  auto rows = q(std::string("SELECT ") + kApiTokenColumns + " WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return api_token_from(rows[0]);
}

std::vector<ApiToken> Tx::api_tokens(Id account_id) {
  std::vector<ApiToken> out;
  for (const Row& r : q(std::string("SELECT ") + kApiTokenColumns +
                            " WHERE account_id = ? ORDER BY created_at DESC, id DESC",
                        {account_id})) {
    out.push_back(api_token_from(r));
  }
  return out;
}

void Tx::touch_api_token(Id id, UnixSeconds at) {
  x("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {at, id});
}

std::int64_t Tx::delete_api_token(Id id) { return x("DELETE FROM api_tokens WHERE id = ?", {id}); }

std::int64_t Tx::delete_api_tokens_of(Id account_id) {
  return x("DELETE FROM api_tokens WHERE account_id = ?", {account_id});
}

LoginFailures Tx::login_failures(const std::string& key) {
  auto rows =
      q("SELECT failures, window_start, locked_until FROM login_failures WHERE key = ?", {key});
  if (rows.empty()) return {};
  return {rows[0].integer(0), rows[0].integer(1), rows[0].integer(2)};
}

void Tx::set_login_failures(const std::string& key, const LoginFailures& f) {
  x("INSERT INTO login_failures (key, failures, window_start, locked_until) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
    "window_start = excluded.window_start, locked_until = excluded.locked_until",
    {key, f.failures, f.window_start, f.locked_until});
}

void Tx::clear_login_failures(const std::string& key) {
  x("DELETE FROM login_failures WHERE key = ?", {key});
}

void Tx::delete_stale_login_failures(UnixSeconds window_start_before, UnixSeconds now) {
  x("DELETE FROM login_failures WHERE window_start < ? AND locked_until <= ?",
    {window_start_before, now});
}

// ---------------------------------------------------------------------------------------------
// Lecturers

void Tx::load_lecturer_lists(std::vector<Lecturer>& lecturers) {
  if (lecturers.empty()) return;
  std::map<Id, Lecturer*> by_id;
  std::vector<Value> ids;
  for (auto& l : lecturers) {
    by_id[l.id] = &l;
    ids.emplace_back(l.id);
  }
  const std::string in = " IN (" + placeholders(ids.size()) + ")";
  for (const Row& r : conn_->query("SELECT lecturer_id, honour FROM lecturer_honours "
                                   "WHERE lecturer_id" +
                                       in + " ORDER BY lecturer_id, ordinal",
                                   ids)) {
    by_id[r.integer(0)]->honours.push_back(r.text(1));
  }
  for (const Row& r : conn_->query("SELECT lecturer_id, topic FROM lecturer_topics "
                                   "WHERE lecturer_id" +
                                       in + " ORDER BY lecturer_id, ordinal",
                                   ids)) {
    by_id[r.integer(0)]->topics.push_back(r.text(1));
  }
  for (const Row& r : conn_->query("SELECT lecturer_id, language FROM lecturer_languages "
                                   "WHERE lecturer_id" +
                                       in + " ORDER BY lecturer_id, ordinal",
                                   ids)) {
    by_id[r.integer(0)]->languages.push_back(r.text(1));
  }
  for (const Row& r :
       conn_->query("SELECT lecturer_id, from_date, to_date, reason FROM lecturer_unavailability "
                    "WHERE lecturer_id" +
                        in + " ORDER BY lecturer_id, ordinal",
                    ids)) {
    by_id[r.integer(0)]->unavailable.push_back({Date::parse(r.text(1)).value_or(Date{}),
                                                Date::parse(r.text(2)).value_or(Date{}),
                                                r.text(3)});
  }
}

void Tx::save_lecturer_lists(const Lecturer& l) {
  x("DELETE FROM lecturer_honours WHERE lecturer_id = ?", {l.id});
  x("DELETE FROM lecturer_topics WHERE lecturer_id = ?", {l.id});
  x("DELETE FROM lecturer_languages WHERE lecturer_id = ?", {l.id});
  x("DELETE FROM lecturer_unavailability WHERE lecturer_id = ?", {l.id});
  for (std::size_t i = 0; i < l.honours.size(); ++i) {
    x("INSERT INTO lecturer_honours (lecturer_id, ordinal, honour) VALUES (?, ?, ?)",
      {l.id, static_cast<std::int64_t>(i), l.honours[i]});
  }
  for (std::size_t i = 0; i < l.topics.size(); ++i) {
    x("INSERT INTO lecturer_topics (lecturer_id, ordinal, topic) VALUES (?, ?, ?)",
      {l.id, static_cast<std::int64_t>(i), l.topics[i]});
  }
  for (std::size_t i = 0; i < l.languages.size(); ++i) {
    x("INSERT INTO lecturer_languages (lecturer_id, ordinal, language) VALUES (?, ?, ?)",
      {l.id, static_cast<std::int64_t>(i), l.languages[i]});
  }
  for (std::size_t i = 0; i < l.unavailable.size(); ++i) {
    const auto& u = l.unavailable[i];
    x("INSERT INTO lecturer_unavailability (lecturer_id, ordinal, from_date, to_date, reason) "
      "VALUES (?, ?, ?, ?, ?)",
      {l.id, static_cast<std::int64_t>(i), u.from.iso(), u.to.iso(), u.reason});
  }
}

std::optional<Lecturer> Tx::lecturer(Id id) {
  auto rows =
      q(std::string("SELECT ") + kLecturerColumns + " FROM lecturers l WHERE l.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  std::vector<Lecturer> one{lecturer_from(rows[0])};
  load_lecturer_lists(one);
  return std::move(one[0]);
}

std::optional<std::string> Tx::lecturer_organisation_path(Id id) {
  auto rows =
      q("SELECT o.path FROM lecturers l JOIN organisations o ON o.id = l.organisation_id "
        "WHERE l.id = ?",
        {id});
  if (rows.empty()) return std::nullopt;
  return rows[0].text(0);
}

Page<Lecturer> Tx::lecturers(const LecturerFilter& f) {
  Where w;
  w.subtree("o.path", f.scope_path);
  if (f.only_id) w.add("l.id = ?", {*f.only_id});
  if (!f.q.empty()) {
    w.add("(l.name LIKE ? ESCAPE '\\' OR l.employer LIKE ? ESCAPE '\\')",
          {contains_pattern(f.q), contains_pattern(f.q)});
  }
  if (!f.category.empty()) w.add("l.category = ?", {f.category});
  if (!f.region_prefix.empty()) w.add("l.region_code LIKE ?", {f.region_prefix + "%"});
  if (!f.topic.empty()) {
    w.add("EXISTS (SELECT 1 FROM lecturer_topics t WHERE t.lecturer_id = l.id AND t.topic = ?)",
          {f.topic});
  }
  if (f.active) w.add("l.active = ?", {flag(*f.active)});
  const std::string from = " FROM lecturers l JOIN organisations o ON o.id = l.organisation_id";
  Page<Lecturer> page;
  const auto params = w.params();
  page.total = conn_->query("SELECT COUNT(*)" + from + w.sql(), params).at(0).integer(0);
  const auto paged = w.params_with_page(f.page);
  for (const Row& r : conn_->query(std::string("SELECT ") + kLecturerColumns + from + w.sql() +
                                       " ORDER BY l.sort_key, l.id LIMIT ? OFFSET ?",
                                   paged)) {
    page.items.push_back(lecturer_from(r));
  }
  load_lecturer_lists(page.items);
  return page;
}

Id Tx::insert_lecturer(const Lecturer& l) {
  const UnixSeconds now = now_utc();
  Lecturer saved = l;
  saved.id = insert_returning_id(
      "INSERT INTO lecturers (organisation_id, name, sort_key, gender, ethnicity, category, "
      "employer, region_code, phone, bio, active, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {l.organisation_id, l.name, sort_key(l.name), l.gender, l.ethnicity, l.category, l.employer,
       opt_text(l.region_code), l.phone, l.bio, flag(l.active), now, now});
  save_lecturer_lists(saved);
  return saved.id;
}

void Tx::update_lecturer(const Lecturer& l) {
  // A new category moves the lecturer's sessions from one category's sums to the other's.
  const auto before = q("SELECT category FROM lecturers WHERE id = ?", {l.id});
  const bool recategorised = !before.empty() && before[0].text(0) != l.category;
  const std::string theirs =
      "s.id IN (SELECT session_id FROM session_lecturers WHERE lecturer_id = ?)";
  if (recategorised) tally_categories(theirs, {Value(l.id)}, -1);
  x("UPDATE lecturers SET organisation_id = ?, name = ?, sort_key = ?, gender = ?, ethnicity = ?, "
    "category = ?, employer = ?, region_code = ?, phone = ?, bio = ?, active = ?, updated_at = ? "
    "WHERE id = ?",
    {l.organisation_id, l.name, sort_key(l.name), l.gender, l.ethnicity, l.category, l.employer,
     opt_text(l.region_code), l.phone, l.bio, flag(l.active), now_utc(), l.id});
  save_lecturer_lists(l);
  if (recategorised) tally_categories(theirs, {Value(l.id)}, 1);
}

void Tx::set_lecturer_photo(Id id, const std::string& sha256, const std::string& content_type) {
  x("UPDATE lecturers SET photo_sha256 = ?, photo_type = ?, updated_at = ? WHERE id = ?",
    {sha256, content_type, now_utc(), id});
}

// ---------------------------------------------------------------------------------------------
// Campaigns

std::optional<Campaign> Tx::campaign(Id id) {
  auto rows =
      q(std::string("SELECT ") + kCampaignColumns + kCampaignFrom + " WHERE c.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  Campaign c = campaign_from(rows[0]);
  for (const Row& r : q("SELECT region_code, audience_group, sessions, audience "
                        "FROM campaign_targets WHERE campaign_id = ? ORDER BY ordinal",
                        {id})) {
    c.targets.push_back({r.text(0), r.text(1), r.integer(2), r.integer(3)});
  }
  return c;
}

Page<Campaign> Tx::campaigns(const CampaignFilter& f) {
  Where w;
  if (!f.scope_path.empty()) {
    // Visible: owned within the subtree, or owned by an ancestor (a campaign reaches down).
    w.add("((o.path >= ? AND o.path < ?) OR substr(?, 1, length(o.path)) = o.path)",
          {f.scope_path, upper_bound_of(f.scope_path), f.scope_path});
  }
  if (!f.q.empty()) w.add("c.title LIKE ? ESCAPE '\\'", {contains_pattern(f.q)});
  const std::string today = f.today.iso();
  // Upcoming ones soonest first; current and past ones the latest first.
  const char* order_by = " ORDER BY c.start_date DESC, c.id DESC";
  switch (f.when) {
    case CampaignFilter::When::kAny:
      break;
    case CampaignFilter::When::kCurrent:
      w.add("c.closed_at IS NULL AND c.start_date <= ? AND c.end_date >= ?", {today, today});
      break;
    case CampaignFilter::When::kUpcoming:
      w.add("c.closed_at IS NULL AND c.start_date > ?", {today});
      order_by = " ORDER BY c.start_date, c.id";
      break;
    case CampaignFilter::When::kPast:
      w.add("(c.closed_at IS NOT NULL OR c.end_date < ?)", {today});
      order_by = " ORDER BY c.end_date DESC, c.id DESC";
      break;
  }
  Page<Campaign> page;
  const auto params = w.params();
  page.total = conn_->query(std::string("SELECT COUNT(*)") + kCampaignFrom + w.sql(), params)
                   .at(0)
                   .integer(0);
  const auto paged = w.params_with_page(f.page);
  for (const Row& r : conn_->query(std::string("SELECT ") + kCampaignColumns + kCampaignFrom +
                                       w.sql() + order_by + " LIMIT ? OFFSET ?",
                                   paged)) {
    page.items.push_back(campaign_from(r));
  }
  for (auto& c : page.items) {
    for (const Row& r : q("SELECT region_code, audience_group, sessions, audience "
                          "FROM campaign_targets WHERE campaign_id = ? ORDER BY ordinal",
                          {c.id})) {
      c.targets.push_back({r.text(0), r.text(1), r.integer(2), r.integer(3)});
    }
  }
  return page;
}

void Tx::save_campaign_targets(const Campaign& c) {
  x("DELETE FROM campaign_targets WHERE campaign_id = ?", {c.id});
  for (std::size_t i = 0; i < c.targets.size(); ++i) {
    const auto& t = c.targets[i];
    x("INSERT INTO campaign_targets (campaign_id, ordinal, region_code, audience_group, sessions, "
      "audience) VALUES (?, ?, ?, ?, ?, ?)",
      {c.id, static_cast<std::int64_t>(i), t.region_code, t.audience_group, t.sessions,
       t.audience});
  }
}

Id Tx::insert_campaign(const Campaign& c) {
  const UnixSeconds now = now_utc();
  Campaign saved = c;
  saved.id = insert_returning_id(
      "INSERT INTO campaigns (title, owner_organisation_id, start_date, end_date, description, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {c.title, c.owner_organisation_id, c.start_date.iso(), c.end_date.iso(), c.description, now,
       now});
  save_campaign_targets(saved);
  return saved.id;
}

bool Tx::update_campaign(const Campaign& c) {
  const auto changed =
      x("UPDATE campaigns SET title = ?, owner_organisation_id = ?, start_date = ?, end_date = ?, "
        "description = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
        {c.title, c.owner_organisation_id, c.start_date.iso(), c.end_date.iso(), c.description,
         now_utc(), c.id, c.version});
  if (changed != 1) return false;
  save_campaign_targets(c);
  return true;
}

bool Tx::set_campaign_closed(Id id, std::int64_t version, std::optional<Id> closed_by) {
  const UnixSeconds now = now_utc();
  Value at = nullptr;
  Value by = nullptr;
  if (closed_by) {
    at = now;
    by = *closed_by;
  }
  return x("UPDATE campaigns SET closed_at = ?, closed_by = ?, updated_at = ?, "
           "version = version + 1 WHERE id = ? AND version = ?",
           {at, by, now, id, version}) == 1;
}

// ---------------------------------------------------------------------------------------------
// Sessions

void Tx::load_session_children(std::vector<Session>& sessions) {
  if (sessions.empty()) return;
  std::map<Id, Session*> by_id;
  std::vector<Value> ids;
  for (auto& s : sessions) {
    by_id[s.id] = &s;
    ids.emplace_back(s.id);
  }
  const std::string in = " IN (" + placeholders(ids.size()) + ")";
  for (const Row& r :
       conn_->query("SELECT m.session_id, m.lecturer_id, l.name FROM session_lecturers m "
                    "JOIN lecturers l ON l.id = m.lecturer_id WHERE m.session_id" +
                        in + " ORDER BY m.session_id, m.ordinal",
                    ids)) {
    Session* s = by_id[r.integer(0)];
    s->lecturer_ids.push_back(r.integer(1));
    s->lecturer_names.push_back(r.text(2));
  }
  for (const Row& r : conn_->query(
           "SELECT session_id, id, host_organisation_id, venue, region_code, audience_group, "
           "headcount FROM session_branches WHERE session_id" +
               in + " ORDER BY session_id, ordinal",
           ids)) {
    by_id[r.integer(0)]->branches.push_back(
        {r.integer(1), r.integer(2), r.text(3), r.text(4), r.text(5), r.integer(6)});
  }
}

void Tx::save_session_children(const Session& s, bool fresh) {
  if (!fresh) {
    x("DELETE FROM session_lecturers WHERE session_id = ?", {s.id});
    x("DELETE FROM session_branches WHERE session_id = ?", {s.id});
  }
  for (std::size_t i = 0; i < s.lecturer_ids.size(); ++i) {
    x("INSERT INTO session_lecturers (session_id, lecturer_id, ordinal) VALUES (?, ?, ?)",
      {s.id, s.lecturer_ids[i], static_cast<std::int64_t>(i)});
  }
  for (std::size_t i = 0; i < s.branches.size(); ++i) {
    const auto& b = s.branches[i];
    x("INSERT INTO session_branches (session_id, ordinal, host_organisation_id, venue, "
      "region_code, audience_group, headcount) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {s.id, static_cast<std::int64_t>(i), b.host_organisation_id, b.venue, b.region_code,
       b.audience_group, b.headcount});
  }
}

std::optional<Session> Tx::session(Id id) {
  auto rows = q(std::string("SELECT ") + kSessionColumns + " FROM sessions s WHERE s.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  std::vector<Session> one{session_from(rows[0])};
  load_session_children(one);
  return std::move(one[0]);
}

Page<Session> Tx::sessions(const SessionFilter& f) {
  flush_tallies();
  // `date_ordered` writes the scope so that no index can serve it: the planner then walks the
  // (date, id, host_path) index newest first and stops after one page, instead of collecting and
  // sorting the whole scope. The count keeps the indexable range.
  // SQLite's text index (migration 0028), when the query has a bigram to look up.
  const std::optional<std::string> text_match =
      conn_->engine() == "sqlite" && !f.q.empty() ? detail::bigram_match(f.q) : std::nullopt;
  // `text_joined`: the caller reads FROM session_text JOIN sessions (a count, below).
  auto where = [&](bool date_ordered, bool text_joined = false) {
    Where w;
    for (const std::string* path : {&f.scope_path, &f.host_path}) {
      if (path->empty()) continue;
      if (date_ordered) {
        w.add("s.host_path || '' >= ? AND s.host_path || '' < ?", {*path, upper_bound_of(*path)});
      } else {
        w.subtree("s.host_path", *path);
      }
    }
    // (A lecturer is read from lecturer_sessions instead: `lecturer_where` below.)
    if (f.campaign_id) w.add("s.campaign_id = ?", {*f.campaign_id});
    // On the walk, not the region's index either: PostgreSQL's estimate of a region with other
    // filters is far too low, and it would sort the region's thousands of rows read from the heap.
    if (!f.region_prefix.empty()) {
      w.add(date_ordered ? "s.region_code || '' LIKE ?" : "s.region_code LIKE ?",
            {f.region_prefix + "%"});
    }
    if (f.format) w.add("s.format = ?", {std::string(domain::format_name(*f.format))});
    if (!f.audience_group.empty()) w.add("s.audience_group = ?", {f.audience_group});
    if (f.date_from) w.add("s.date >= ?", {f.date_from->iso()});
    if (f.date_to) w.add("s.date <= ?", {f.date_to->iso()});
    if (!f.q.empty()) {
      // Off the walk, the bigram index of migration 0028 narrows the sessions to those holding
      // every bigram of the query (on the walk, testing the walked sessions is cheaper while
      // matches are dense); the LIKE decides. A query of one character has no bigram: scanned.
      if (text_joined) {
        w.add("session_text MATCH ?", {*text_match});
      } else if (!date_ordered && text_match) {
        w.add("s.id IN (SELECT rowid FROM session_text WHERE session_text MATCH ?)", {*text_match});
      } else if (!date_ordered && conn_->engine() != "sqlite" && detail::has_bigram(f.q)) {
        w.add("xj_bigrams(s.title || E'\\n' || s.venue) @> xj_bigrams(?)", {f.q});
      }
      if (!text_joined || !detail::bigram_exact(f.q)) {
        w.add("(s.title LIKE ? ESCAPE '\\' OR s.venue LIKE ? ESCAPE '\\')",
              {contains_pattern(f.q), contains_pattern(f.q)});
      }
    }
    if (f.after) {
      w.add("(s.date < ? OR (s.date = ? AND s.id < ?))",
            {f.after->date.iso(), f.after->date.iso(), f.after->id});
    }
    return w;
  };
  // A lecturer's sessions are read from lecturer_sessions (migration 0032), that lecturer's rows
  // in the list's order with the filters' columns: the page walks the lecturer's sessions alone
  // and reads the session rows of the page, not the date index testing every session for the
  // lecturer, nor all their sessions sorted. With both a lecturer filter and a lecturer's own
  // list, the filter's lecturer drives and the other is tested per row.
  const std::optional<Id> driving = f.lecturer_id ? f.lecturer_id : f.only_lecturer;
  // `with_session`: the caller joins the session as `s` (its texts are not in the copy).
  auto lecturer_where = [&](bool with_session) {
    Where w;
    w.add("c.lecturer_id = ?", {*driving});
    for (const std::string* path : {&f.scope_path, &f.host_path}) w.subtree("c.host_path", *path);
    if (f.only_lecturer && f.lecturer_id && *f.only_lecturer != *f.lecturer_id) {
      w.add(
          "EXISTS (SELECT 1 FROM session_lecturers k WHERE k.session_id = c.session_id "
          "AND k.lecturer_id = ?)",
          {*f.only_lecturer});
    }
    if (f.campaign_id) w.add("c.campaign_id = ?", {*f.campaign_id});
    if (!f.region_prefix.empty()) w.add("c.region_code LIKE ?", {f.region_prefix + "%"});
    if (f.format) w.add("c.format = ?", {std::string(domain::format_name(*f.format))});
    if (!f.audience_group.empty()) w.add("c.audience_group = ?", {f.audience_group});
    if (f.date_from) w.add("c.date >= ?", {f.date_from->iso()});
    if (f.date_to) w.add("c.date <= ?", {f.date_to->iso()});
    if (f.after) {
      w.add("(c.date < ? OR (c.date = ? AND c.session_id < ?))",
            {f.after->date.iso(), f.after->date.iso(), f.after->id});
    }
    if (with_session) {
      w.add("s.id = c.session_id");
      if (!f.q.empty()) {
        w.add("(s.title LIKE ? ESCAPE '\\' OR s.venue LIKE ? ESCAPE '\\')",
              {contains_pattern(f.q), contains_pattern(f.q)});
      }
    }
    return w;
  };
  // A kept count summed over the scope's organisations, narrowed by the filter's other dimensions.
  auto kept = [&](const char* table, const std::function<void(Where&)>& narrow) {
    Where w;
    w.subtree("o.path", f.scope_path);
    w.subtree("o.path", f.host_path);
    if (f.campaign_id) w.add("t.campaign_id = ?", {*f.campaign_id});
    narrow(w);
    const auto params = w.params();
    return conn_
        ->query(std::string("SELECT COALESCE(SUM(t.sessions), 0) FROM ") + table +
                    " t JOIN organisations o ON o.id = t.organisation_id" + w.sql(),
                params)
        .at(0)
        .integer(0);
  };
  auto dates = [&](Where& w) {
    if (f.date_from) w.add("t.day >= ?", {f.date_from->iso()});
    if (f.date_to) w.add("t.day <= ?", {f.date_to->iso()});
  };
  Page<Session> page;
  const bool only_scope_and_campaign =
      !f.after && !f.only_lecturer && !f.lecturer_id && f.region_prefix.empty() && !f.format &&
      f.audience_group.empty() && !f.date_from && !f.date_to && f.q.empty();
  // Every count but the plain one (session_counts, kept in each write) and the walk's reads the
  // kept sums.
  if (!f.after && !only_scope_and_campaign) settle_tallies();
  std::optional<std::int64_t> in_scope;  // the sessions of the scope and campaign, when counted
  bool exact = false;                    // the total came from kept counts
  if (f.after) {
    // Walking by key: not counted.
  } else if (only_scope_and_campaign) {
    page.total = kept("session_counts", [](Where&) {});
    in_scope = page.total;
    exact = true;
  } else if (!f.only_lecturer && !f.lecturer_id && f.q.empty() &&
             (!f.format || (f.region_prefix.empty() && f.audience_group.empty()))) {
    // A period, a place or a format: one breakdown of the scope's node sums (migration 0025),
    // whose `sessions` count each session once, on its main venue's row (branch venues count 0).
    Where w;
    detail::add_values(w, "t.node_id", tally_nodes_of(f.scope_path, f.host_path));
    if (f.campaign_id) w.add("t.campaign_id = ?", {*f.campaign_id});
    dates(w);
    if (f.format) {
      w.add("t.dim = 'format' AND t.key_a = ?", {std::string(domain::format_name(*f.format))});
    } else {
      w.add("t.dim = 'place'");
      if (!f.region_prefix.empty()) w.add("t.key_a LIKE ?", {f.region_prefix + "%"});
      if (!f.audience_group.empty()) w.add("t.key_b = ?", {f.audience_group});
    }
    page.total =
        conn_
            ->query("SELECT COALESCE(SUM(t.sessions), 0) FROM node_tallies t" + w.sql(), w.params())
            .at(0)
            .integer(0);
    exact = true;
  } else if (!f.only_lecturer && !f.lecturer_id && f.q.empty()) {
    // A format with a place: the kept sums of every host, whose `sessions` count each session
    // once, on the row of its main venue's region and group (branch venues' rows count 0). Read
    // through session_tallies_format (migration 0028): the format's rows of the campaign in the
    // region's range, not every row of the campaign (249,259 at a million generated sessions).
    page.total = kept("session_tallies", [&](Where& w) {
      w.add("t.format = ?", {std::string(domain::format_name(*f.format))});
      if (!f.region_prefix.empty()) w.subtree("t.region_code", f.region_prefix);
      if (!f.audience_group.empty()) w.add("t.audience_group = ?", {f.audience_group});
      dates(w);
    });
    exact = true;
  } else if (driving) {
    // One lecturer's sessions (their own list, or the lecturer filter), with any other filter:
    // counted from their rows of lecturer_sessions (~18,500 narrow rows for a lecturer of the
    // generated million: 2 ms on SQLite). Their kept sums (lecturer_tallies) hold about a row
    // per session at their grain (organisation, day, format, region), read through a secondary
    // index into the table: 19-29 ms. Exact, as a lecturer's sessions are what one person
    // lectures; a text is tested on each session's row, and that count stops at the bound.
    // SQLite must read the copy first (CROSS JOIN): its planner would otherwise start from a
    // session index.
    const Where counting = lecturer_where(!f.q.empty());
    if (f.q.empty()) {
      page.total = conn_
                       ->query("SELECT COUNT(*) FROM lecturer_sessions c" + counting.sql(),
                               counting.params())
                       .at(0)
                       .integer(0);
    } else {
      detail::count_up_to(*conn_,
                          " FROM lecturer_sessions c CROSS JOIN sessions s" + counting.sql(),
                          counting.params(), text_count_bound(f), page);
    }
    exact = !page.total_capped;
  } else {
    // A text search: counted from the sessions, up to a bound.
    // SQLite counts a text search with the index driving (joined, not `IN`): the matches stream
    // from it and the count stops at the bound, instead of all of them (305,045 sessions name
    // 职工 among a million) being collected first.
    // A query of one bigram within a scope alone needs nothing of a session but its host's path:
    // sessions_id_scope holds it, ten thousand lookups there instead of into a gigabyte of rows
    // (SQLite's planner takes the table unless told).
    const bool scope_and_text = text_match && detail::bigram_exact(f.q) && !f.campaign_id &&
                                f.region_prefix.empty() && !f.format && f.audience_group.empty() &&
                                !f.date_from && !f.date_to;
    const Where counting = where(false, text_match.has_value());
    // PostgreSQL plans a prepared count once for every query text alike, and that plan reads the
    // text index's matches into a bitmap before testing one row: 305,045 of them for 职工, 155 ms,
    // where testing the scope's rows in order finds a thousand matches in 10. Planned for this
    // query's words, the estimates of the text index choose between the two; and no parallel
    // workers, whose start costs more than a bounded count.
    const bool plan_for_words = !text_match && conn_->engine() == "postgresql";
    if (plan_for_words) {
      conn_->execute_script(
          "SET LOCAL plan_cache_mode = force_custom_plan; "
          "SET LOCAL max_parallel_workers_per_gather = 0");
    }
    detail::count_up_to(
        *conn_,
        std::string(!text_match      ? " FROM sessions s"
                    : scope_and_text ? " FROM session_text JOIN sessions s INDEXED BY "
                                       "sessions_id_scope ON s.id = session_text.rowid"
                                     : " FROM session_text JOIN sessions s ON s.id = "
                                       "session_text.rowid") +
            counting.sql(),
        counting.params(), text_count_bound(f), page);
    if (plan_for_words) {
      conn_->execute_script(
          "SET LOCAL plan_cache_mode = DEFAULT; SET LOCAL max_parallel_workers_per_gather = "
          "DEFAULT");
    }
    // Under the bound the count is the true total, and it chooses the plan as kept counts do.
    exact = !page.total_capped;
  }
  PageRequest request = f.page;
  if (f.after) request.page = 1;  // the key says where the page starts
  const std::int64_t size = std::max<std::int64_t>(request.page_size, 1);
  if (exact && request.page > (page.total + size - 1) / size) return page;  // past the last match
  if (driving) {
    // The lecturer's rows of the copy newest first, each tested there; the page's sessions read
    // by key. (The copy's key is the list's order, so neither engine sorts the walk.) Without a
    // text the page is chosen in the copy alone and then joined, so that the rows skipped by
    // OFFSET are not read from sessions (100 of them on page 3).
    const Where paging = lecturer_where(!f.q.empty());
    const auto paged = paging.params_with_page(request);
    const std::string sql =
        f.q.empty()
            ? std::string("SELECT ") + kSessionColumns +
                  " FROM (SELECT c.session_id, c.date FROM lecturer_sessions c" + paging.sql() +
                  " ORDER BY c.date DESC, c.session_id DESC LIMIT ? OFFSET ?) p CROSS JOIN "
                  "sessions s WHERE s.id = p.session_id ORDER BY p.date DESC, p.session_id DESC"
            : std::string("SELECT ") + kSessionColumns +
                  " FROM lecturer_sessions c CROSS JOIN sessions s" + paging.sql() +
                  " ORDER BY c.date DESC, c.session_id DESC LIMIT ? OFFSET ?";
    for (const Row& r : conn_->query(sql, paged)) page.items.push_back(session_from(r));
    load_session_children(page.items);
    return page;
  }
  // Newest first, either by walking the date index and testing each session against the scope
  // and filters (cheap while matches are dense: a page is found after a short walk), or through
  // the scope's own index with a sort of its matches (when they are sparse). The kept counts say
  // which: the walk reads about (rows up to the page's end) × all sessions / matches rows.
  bool walk = true;
  if (exact) {
    if (!in_scope) in_scope = kept("session_counts", [](Where&) {});
    const std::int64_t all =
        q("SELECT COALESCE(SUM(sessions), 0) FROM session_counts").at(0).integer(0);
    auto cheap_walk = [&](std::int64_t walked) {
      return static_cast<double>(request.page * size) * static_cast<double>(walked) /
                 static_cast<double>(page.total) <=
             static_cast<double>(*in_scope);
    };
    walk = cheap_walk(all);
    // With a campaign and a group the walk goes through sessions_campaign_group (migration
    // 0032), so it reads that group's sessions of the campaign, not every session: the roots'
    // node sums give how many (asked only when every session would be too many to walk). At
    // 100,000 sessions a league's offline officials took the scope's index and sorted its
    // sessions: 14 ms of CPU; walked, 3 ms.
    if (!walk && f.campaign_id && !f.audience_group.empty()) {
      Where group;
      detail::add_values(group, "t.node_id", tally_nodes_of("", ""));
      group.add("t.campaign_id = ?", {*f.campaign_id});
      group.add("t.dim = 'place' AND t.key_b = ?", {f.audience_group});
      walk = cheap_walk(
          conn_
              ->query("SELECT COALESCE(SUM(t.sessions), 0) FROM node_tallies t" + group.sql(),
                      group.params())
              .at(0)
              .integer(0));
    }
  }
  const Where paging = where(walk);
  const auto paged = paging.params_with_page(request);
  // PostgreSQL estimates a walk's filters together at a few rows (they are correlated, and the
  // scope is written so no index serves it), and then sorts whatever an index on one of them
  // finds, read from the heap: seconds at a million sessions. The walk is asked for instead: no
  // sort (the date or campaign index, whose copies of the filters' columns test them without
  // the heap, migration 0028), and no parallel workers, whose start costs more than a page.
  const bool ask_for_walk = walk && conn_->engine() == "postgresql";
  if (ask_for_walk) {
    conn_->execute_script(
        "SET LOCAL enable_sort = off; SET LOCAL max_parallel_workers_per_gather = 0");
  }
  for (const Row& r :
       conn_->query(std::string("SELECT ") + kSessionColumns + " FROM sessions s" + paging.sql() +
                        " ORDER BY s.date DESC, s.id DESC LIMIT ? OFFSET ?",
                    paged)) {
    page.items.push_back(session_from(r));
  }
  if (ask_for_walk) {
    conn_->execute_script(
        "SET LOCAL enable_sort = DEFAULT; SET LOCAL max_parallel_workers_per_gather = DEFAULT");
  }
  load_session_children(page.items);
  return page;
}

Id Tx::insert_session(const Session& s, std::optional<Id> created_by) {
  const UnixSeconds now = now_utc();
  Session saved = s;
  saved.id = insert_returning_id(
      "INSERT INTO sessions (campaign_id, title, date, start_time, end_time, venue, "
      "host_organisation_id, host_path, region_code, industry, format, audience_group, "
      "audience_offline, online_viewers, summary, source, order_id, created_by, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT path FROM organisations WHERE id = ?), "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {opt(s.campaign_id),
       s.title,
       s.date.iso(),
       s.start_time ? Value(s.start_time->text()) : Value(nullptr),
       s.end_time ? Value(s.end_time->text()) : Value(nullptr),
       s.venue,
       s.host_organisation_id,
       s.host_organisation_id,  // the host's path, read in the same statement
       s.region_code,
       s.industry,
       std::string(domain::format_name(s.format)),
       s.audience_group,
       s.audience_offline,
       s.online_viewers,
       s.summary,
       std::string(domain::source_name(s.source)),
       opt(s.order_id),
       opt(created_by),
       now,
       now});
  save_session_children(saved, /*fresh=*/true);
  if (defer_tallies_) {
    untallied_.push_back(saved.id);
    uncounted_[{s.host_organisation_id, s.campaign_id.value_or(0)}] += 1;
    return saved.id;
  }
  count_session(s.host_organisation_id, s.campaign_id, 1);
  // Its kept sums wait for the next fold (migration 0034): one row here instead of some thirty
  // pages across the kept tables, and the fold adds many sessions' sums to the same rows at once.
  x("INSERT INTO tally_queue (session_id) VALUES (?)", {saved.id});
  return saved.id;
}

void Tx::count_session(Id host, std::optional<Id> campaign, std::int64_t delta) {
  flush_tallies();
  x("INSERT INTO session_counts (organisation_id, campaign_id, sessions) VALUES (?, ?, ?) "
    "ON CONFLICT (organisation_id, campaign_id) "
    "DO UPDATE SET sessions = session_counts.sessions + excluded.sessions",
    {host, campaign.value_or(0), delta});
}

bool Tx::update_session(Session& s) {
  const auto before =
      q("SELECT host_organisation_id, campaign_id FROM sessions WHERE id = ? AND version = ?",
        {s.id, s.version});
  if (before.empty()) return false;
  if (before[0].integer(0) != s.host_organisation_id || before[0].opt_integer(1) != s.campaign_id) {
    count_session(before[0].integer(0), before[0].opt_integer(1), -1);
    count_session(s.host_organisation_id, s.campaign_id, 1);
  }
  tally_sessions("s.id = ?", {Value(s.id)}, -1);
  x("UPDATE sessions SET campaign_id = ?, title = ?, date = ?, start_time = ?, end_time = ?, "
    "venue = ?, host_organisation_id = ?, host_path = ?, region_code = ?, industry = ?, "
    "format = ?, audience_group = ?, audience_offline = ?, online_viewers = ?, summary = ?, "
    "source = ?, order_id = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
    {opt(s.campaign_id),
     s.title,
     s.date.iso(),
     s.start_time ? Value(s.start_time->text()) : Value(nullptr),
     s.end_time ? Value(s.end_time->text()) : Value(nullptr),
     s.venue,
     s.host_organisation_id,
     path_of(s.host_organisation_id),
     s.region_code,
     s.industry,
     std::string(domain::format_name(s.format)),
     s.audience_group,
     s.audience_offline,
     s.online_viewers,
     s.summary,
     std::string(domain::source_name(s.source)),
     opt(s.order_id),
     now_utc(),
     s.id,
     s.version});
  ++s.version;
  save_session_children(s);
  tally_sessions("s.id = ?", {Value(s.id)}, 1);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Audit log

void Tx::append_audit(const AuditEntry& e) {
  x("INSERT INTO audit_log (at, account_id, username, organisation_path, action, entity, "
    "entity_id, address, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    {e.at != 0 ? e.at : now_utc(), opt(e.account_id), e.username, e.organisation_path, e.action,
     e.entity, opt(e.entity_id), e.address, e.detail});
}

Page<AuditEntry> Tx::audit(const AuditFilter& f) {
  Where w;
  if (f.include_unattributed && !f.scope_path.empty()) {
    w.add("(organisation_path = '' OR (organisation_path >= ? AND organisation_path < ?))",
          {f.scope_path, upper_bound_of(f.scope_path)});
  } else {
    w.subtree("organisation_path", f.scope_path);
  }
  if (!f.entity.empty()) w.add("entity = ?", {f.entity});
  if (f.entity_id) w.add("entity_id = ?", {*f.entity_id});
  if (!f.action.empty()) w.add("action = ?", {f.action});
  if (!f.username.empty()) w.add("username = ?", {f.username});
  Page<AuditEntry> page;
  const auto params = w.params();
  // Counted through the filter's index (migration 0023) up to the bound.
  detail::count_up_to(*conn_, " FROM audit_log" + w.sql(), params, f.count_bound, page);
  // More matches than the bound (dense: at least 1% of a million rows) and walking the log newest
  // first finds a page after a short read; fewer, and the filter's index finds them all and they
  // are sorted (at most the bound). SQLite's planner takes the index for both, so the walk is
  // asked for by name there; PostgreSQL's estimates choose well enough on their own.
  const bool walk = page.total_capped && conn_->engine() == "sqlite";
  const auto paged = w.params_with_page(f.page);
  for (const Row& r : conn_->query(
           "SELECT id, at, account_id, username, action, entity, entity_id, address, detail, "
           "organisation_path, (SELECT accounts.display_name FROM accounts "
           "WHERE accounts.id = audit_log.account_id) FROM audit_log" +
               std::string(walk ? " NOT INDEXED" : "") + w.sql() +
               " ORDER BY id DESC LIMIT ? OFFSET ?",
           paged)) {
    AuditEntry e;
    e.id = r.integer(0);
    e.at = r.integer(1);
    e.account_id = r.opt_integer(2);
    e.username = r.text(3);
    e.action = r.text(4);
    e.entity = r.text(5);
    e.entity_id = r.opt_integer(6);
    e.address = r.text(7);
    e.detail = r.text(8);
    e.organisation_path = r.text(9);
    e.display_name = r.opt_text(10).value_or("");
    page.items.push_back(std::move(e));
  }
  return page;
}

bool is_postgres_url(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

std::string region_prefix(std::string_view code) {
  std::string p(code);
  while (p.size() >= 2 && p.ends_with("00")) p.resize(p.size() - 2);
  return p;
}

}  // namespace xj::store
