#include "store/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "store/text_search.hpp"

namespace xj::store::sqlite {
namespace {

// xj_bigrams(title, venue): the words of the session text index (migration 0028), called by the
// triggers that keep it. Registered on every connection the store opens; a tool without it (the
// sqlite3 shell) can read the database but not write a session's title or venue.
void bigrams_function(sqlite3_context* context, int argc, sqlite3_value** argv) {
  std::string text;
  for (int i = 0; i < argc; ++i) {
    const auto* part = reinterpret_cast<const char*>(sqlite3_value_text(argv[i]));
    if (i > 0) text += '\n';
    if (part != nullptr) text.append(part, static_cast<std::size_t>(sqlite3_value_bytes(argv[i])));
  }
  const std::string words = detail::bigram_words(text);
  sqlite3_result_text64(context, words.data(), words.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

class Connection final : public sql::Connection {
 public:
  explicit Connection(const std::string& path) {
    const int rc =
        sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      db_ = nullptr;
      throw sql::DatabaseError("cannot open " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_create_function_v2(db_, "xj_bigrams", 2,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                               bigrams_function, nullptr, nullptr, nullptr);
    execute_script(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456; PRAGMA cache_size=-65536;");
  }

  ~Connection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  std::vector<sql::Row> query(std::string_view sql, std::span<const sql::Value> params) override {
    std::vector<sql::Row> rows;
    step_rows(prepare(sql, params), [&rows](sql::Row&& row) { rows.push_back(std::move(row)); });
    return rows;
  }

  void query_each(std::string_view sql, std::span<const sql::Value> params,
                  const std::function<void(const sql::Row&)>& each) override {
    step_rows(prepare(sql, params), [&each](sql::Row&& row) { each(row); });
  }

  std::int64_t execute(std::string_view sql, std::span<const sql::Value> params) override {
    sqlite3_stmt* stmt = prepare(sql, params);
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) fail(stmt, rc);
    sqlite3_reset(stmt);
    return sqlite3_changes64(db_);
  }

  void execute_script(std::string_view script) override {
    char* err = nullptr;
    const std::string s(script);
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err != nullptr ? err : "unknown error";
      sqlite3_free(err);
      throw sql::DatabaseError("sqlite: " + msg);
    }
  }

  // Write transactions take the write lock up front: a deferred one that reads and then writes
  // could fail with SQLITE_BUSY halfway, after the service has checked its invariants.
  void begin(sql::TxMode mode, std::string_view also) override {
    statement_only_ = mode == sql::TxMode::kStatement;
    if (statement_only_) return;
    std::string start = mode == sql::TxMode::kRead ? "BEGIN" : "BEGIN IMMEDIATE";
    if (!also.empty()) start.append("; ").append(also);
    execute_script(start);
  }
  // COMMIT even when SQLite already ended the transaction (an I/O error rolls it back): its
  // error then says the write did not happen.
  void commit() override {
    if (statement_only_) return;  // nothing begun
    execute_script("COMMIT");
    end_bulk();
  }
  void rollback() override {
    if (sqlite3_get_autocommit(db_) == 0) execute_script("ROLLBACK");
    end_bulk();
  }
  std::string engine() const override { return "sqlite"; }

  std::unique_ptr<sql::BulkWriter> bulk_writer(std::string_view table,
                                               std::span<const std::string_view> columns) override;

  // For the bulk writer below.
  // A bulk load's index updates touch pages all over each index, and its commit sums and
  // indexes what it wrote: with a cache smaller than what the load writes (a million sessions
  // are 700 MB), pages spill to the log and are read back through the kernel again and again.
  // 1 GiB keeps them in memory until the commit (pages are taken as needed, and given back when
  // the connection's own size comes back after it); two sorter threads build each index.
  void begin_bulk() {
    if (saved_cache_size_) return;
    saved_cache_size_ = query("PRAGMA cache_size", {}).at(0).integer(0);
    execute_script("PRAGMA cache_size=-1048576; PRAGMA threads=2");
  }

 private:
  bool statement_only_ = false;  // begun as sql::TxMode::kStatement: no transaction to end

  void end_bulk() {
    if (!saved_cache_size_) return;
    execute_script("PRAGMA cache_size=" + std::to_string(*saved_cache_size_) +
                   "; PRAGMA threads=0");
    saved_cache_size_.reset();
  }

 public:
  // Binds `params` to the statement (prepared once per connection) and returns it. With
  // `params_outlive_run`, texts are bound where they lie instead of copied: the caller keeps
  // `params` unchanged until run() returns (the next prepare rebinds before any step).
  sqlite3_stmt* prepare(std::string_view sql, std::span<const sql::Value> params,
                        bool params_outlive_run = false) {
    auto it = cache_.find(std::string(sql));
    sqlite3_stmt* stmt = nullptr;
    if (it != cache_.end()) {
      stmt = it->second;
    } else {
      const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) {
        throw sql::DatabaseError("sqlite prepare: " + std::string(sqlite3_errmsg(db_)) + " in " +
                                 std::string(sql));
      }
      cache_.emplace(std::string(sql), stmt);
    }
    sqlite3_clear_bindings(stmt);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              rc = sqlite3_bind_null(stmt, index);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              rc = sqlite3_bind_int64(stmt, index, v);
            } else if constexpr (std::is_same_v<T, double>) {
              rc = sqlite3_bind_double(stmt, index, v);
            } else {
              rc = sqlite3_bind_text64(stmt, index, v.data(), v.size(),
                                       params_outlive_run ? SQLITE_STATIC : SQLITE_TRANSIENT,
                                       SQLITE_UTF8);
            }
          },
          params[i]);
      if (rc != SQLITE_OK) fail(stmt, rc);
    }
    return stmt;
  }

  // Steps through the rows of a bound statement, handing each to `f`, then resets it.
  template <class F>
  void step_rows(sqlite3_stmt* stmt, F&& f) {
    const int columns = sqlite3_column_count(stmt);
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(stmt, rc);
      std::vector<sql::Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int i = 0; i < columns; ++i) {
        switch (sqlite3_column_type(stmt, i)) {
          case SQLITE_INTEGER:
            values.emplace_back(sqlite3_column_int64(stmt, i));
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(stmt, i));
            break;
          case SQLITE_NULL:
            values.emplace_back(nullptr);
            break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
            const int n = sqlite3_column_bytes(stmt, i);
            values.emplace_back(std::string(text, static_cast<std::size_t>(n)));
          }
        }
      }
      try {
        f(sql::Row(std::move(values)));
      } catch (...) {
        sqlite3_reset(stmt);
        throw;
      }
    }
    sqlite3_reset(stmt);
  }

  // Steps a statement that returns no rows, then makes it ready for the next bindings.
  void run(sqlite3_stmt* stmt) {
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) fail(stmt, rc);
    sqlite3_reset(stmt);
  }

 private:
  [[noreturn]] void fail(sqlite3_stmt* stmt, int rc) {
    std::string msg = sqlite3_errmsg(db_);
    sqlite3_reset(stmt);
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
      throw sql::UniqueViolation("sqlite: " + msg);
    }
    throw sql::DatabaseError("sqlite: " + msg);
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  std::optional<std::int64_t> saved_cache_size_;
};

// Rows are gathered until they fill one INSERT of many rows (SQLite binds at most 32,766
// values to a statement), which is prepared once and run again for each batch.
class BulkWriter final : public sql::BulkWriter {
 public:
  BulkWriter(Connection& conn, std::string_view table, std::span<const std::string_view> columns)
      : conn_(conn), table_(table), columns_(columns.size()) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      column_list_ += (i == 0 ? "" : ", ") + std::string(columns[i]);
    }
    batch_rows_ = std::max<std::size_t>(1, std::min<std::size_t>(500, 32766 / columns_));
    values_.reserve(batch_rows_ * columns_);
    conn_.begin_bulk();
  }

  void add(std::span<const sql::Value> row) override {
    if (row.size() != columns_) throw sql::DatabaseError("bulk insert: wrong number of values");
    values_.insert(values_.end(), row.begin(), row.end());
    ++rows_;
    if (values_.size() == batch_rows_ * columns_) flush();
  }

  void finish() override { flush(); }
  std::int64_t rows() const override { return rows_; }

 private:
  std::string insert_of(std::size_t n) const {
    std::string row = "(?";
    for (std::size_t i = 1; i < columns_; ++i) row += ", ?";
    row += ")";
    std::string sql = "INSERT INTO " + table_ + " (" + column_list_ + ") VALUES " + row;
    for (std::size_t i = 1; i < n; ++i) sql += ", " + row;
    return sql;
  }

  // A full batch goes in one statement; a last, shorter one in pieces of 256, 128, … rows, so
  // that the connection keeps at most a few statements per table, whatever the row counts.
  void flush() {
    const std::size_t n = values_.size() / columns_;
    if (n == batch_rows_) {
      if (full_batch_.empty()) full_batch_ = insert_of(n);
      conn_.run(conn_.prepare(full_batch_, values_, true));
    } else {
      std::size_t at = 0;
      for (std::size_t piece = 256; piece > 0; piece /= 2) {
        for (; n - at >= piece; at += piece) {
          const std::span<const sql::Value> part(values_.data() + at * columns_, piece * columns_);
          conn_.run(conn_.prepare(insert_of(piece), part, true));
        }
      }
    }
    values_.clear();
  }

  Connection& conn_;
  std::string table_;
  std::size_t columns_;
  std::string column_list_;
  std::size_t batch_rows_ = 1;
  std::string full_batch_;  // the INSERT of batch_rows_ rows
  std::vector<sql::Value> values_;
  std::int64_t rows_ = 0;
};

std::unique_ptr<sql::BulkWriter> Connection::bulk_writer(
    std::string_view table, std::span<const std::string_view> columns) {
  return std::make_unique<BulkWriter>(*this, table, columns);
}

}  // namespace

std::unique_ptr<sql::Connection> open(const std::string& path) {
  return std::make_unique<Connection>(path);
}

void backup(const std::string& from, const std::string& to) {
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  auto close_both = [&] {
    sqlite3_close(src);
    sqlite3_close(dst);
  };
  if (sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
      sqlite3_open_v2(to.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
          SQLITE_OK) {
    std::string msg = dst != nullptr ? sqlite3_errmsg(dst) : (src ? sqlite3_errmsg(src) : "");
    close_both();
    throw sql::DatabaseError("backup: cannot open: " + msg);
  }
  sqlite3_busy_timeout(src, 10000);
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (b == nullptr) {
    std::string msg = sqlite3_errmsg(dst);
    close_both();
    throw sql::DatabaseError("backup: " + msg);
  }
  int rc = 0;
  // Copy in steps so writers are not blocked for the whole copy; a write between steps
  // restarts the copy, which the loop absorbs.
  while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY ||
         rc == SQLITE_LOCKED) {
    if (rc != SQLITE_OK) sqlite3_sleep(50);
  }
  sqlite3_backup_finish(b);
  std::string msg = sqlite3_errmsg(dst);
  close_both();
  if (rc != SQLITE_DONE) throw sql::DatabaseError("backup: " + msg);
}

}  // namespace xj::store::sqlite
