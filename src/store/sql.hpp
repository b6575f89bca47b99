// The small SQL driver interface the store is written against. Each engine (sqlite/, later
// postgres/) implements it; the store's queries use `?` placeholders and portable SQL, and a
// driver rewrites placeholders where its engine spells them differently.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace xj::store::sql {

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

// One result row. Column access is by position, in SELECT order.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  bool is_null(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(values_[i]); }
  std::int64_t integer(std::size_t i) const;
  double real(std::size_t i) const;
  std::string text(std::size_t i) const;
  std::optional<std::int64_t> opt_integer(std::size_t i) const;
  std::optional<double> opt_real(std::size_t i) const;
  std::optional<std::string> opt_text(std::size_t i) const;
  std::size_t size() const { return values_.size(); }
  const Value& value(std::size_t i) const { return values_[i]; }

 private:
  std::vector<Value> values_;
};

// Any database failure that is not the caller's fault (I/O, corruption, busy beyond timeout).
class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A UNIQUE constraint refused the write: the store turns it into a conflict.
class UniqueViolation : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

// kWrite serialises every write transaction of every process (PostgreSQL: one advisory lock;
// SQLite: BEGIN IMMEDIATE), so a check-then-write cannot be overtaken. kWriteRowLocked does not
// take PostgreSQL's global lock: only for a use case whose correctness rests on the row locks it
// takes itself (conditional UPDATEs, SELECT … FOR UPDATE) and on constraints, so
// that its commits overlap with others' and PostgreSQL can flush them together. SQLite has one
// writer at a time anyway: BEGIN IMMEDIATE for both. kStatement opens no transaction at all:
// each statement stands alone and sees the data as it starts (on PostgreSQL no BEGIN and
// ROLLBACK round trips), for a use that reads with one statement.
enum class TxMode { kRead, kWrite, kWriteRowLocked, kStatement };

// Appends many rows to one table inside the connection's transaction, much faster than one
// INSERT each: PostgreSQL streams them with COPY … FROM STDIN, SQLite binds them to one
// multi-row INSERT prepared once. Only one writer may be open on a connection at a time, and
// nothing else may run on the connection until it is finished (PostgreSQL's COPY holds it).
class BulkWriter {
 public:
  virtual ~BulkWriter() = default;
  // REQUIRES: one value per column, in the order the columns were given.
  virtual void add(std::span<const Value> row) = 0;
  // Writes what is buffered and ends the writer. A writer destroyed before finish() has not
  // written everything: its transaction must roll back.
  virtual void finish() = 0;
  // Rows added so far.
  virtual std::int64_t rows() const = 0;
};

// One connection, used by one thread at a time (the pool guarantees it).
class Connection {
 public:
  virtual ~Connection() = default;
  // Runs a statement and returns every row. Params bind to `?` in order.
  virtual std::vector<Row> query(std::string_view sql, std::span<const Value> params) = 0;
  // Runs a statement and hands each row to `each` as it comes, without holding them all (a
  // whole table being copied). The default holds them all; SQLite steps through them.
  virtual void query_each(std::string_view sql, std::span<const Value> params,
                          const std::function<void(const Row&)>& each) {
    for (const Row& row : query(sql, params)) each(row);
  }
  // Runs a statement; returns the number of rows changed.
  virtual std::int64_t execute(std::string_view sql, std::span<const Value> params) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual void execute_script(std::string_view script) = 0;
  // Begins a transaction of `mode` and, when `also` is not empty, runs it (statements without
  // parameters) first thing inside, in the same round trip where the engine allows. kStatement
  // begins nothing (and takes no `also`); commit and rollback then do nothing.
  virtual void begin(TxMode mode, std::string_view also) = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  // A point inside the open transaction to return to after a statement that failed, so that
  // the transaction goes on: PostgreSQL refuses every later statement of a transaction with a
  // failed one (and its commit), SQLite undoes the failed statement alone. One at a time.
  virtual void savepoint() {}
  virtual void release_savepoint() {}
  virtual void rollback_to_savepoint() {}
  virtual std::string engine() const = 0;
  // The connection is lost (the database ended it, or restarted): the pool drops it.
  virtual bool broken() const { return false; }
  // After rows were inserted with explicit ids: make the table's id generator continue above
  // them (PostgreSQL identity sequences; nothing to do for SQLite).
  virtual void reset_identity(std::string_view table) { (void)table; }
  // A writer of rows of `columns` into `table` (the store's own names, never user input).
  // REQUIRES: a write transaction is open. A bulk load may tune the engine for the rest of
  // the transaction (SQLite: a larger page cache); commit and rollback restore it.
  virtual std::unique_ptr<BulkWriter> bulk_writer(std::string_view table,
                                                  std::span<const std::string_view> columns) = 0;
};

using ConnectionFactory = std::function<std::unique_ptr<Connection>()>;

}  // namespace xj::store::sql
