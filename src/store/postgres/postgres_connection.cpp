#include "store/postgres/postgres_connection.hpp"

#include <libpq-fe.h>

#include <array>
#include <memory>
#include <pqxx/pqxx>
#include <unordered_map>
#include <utility>

namespace xj::store::postgres {

ClientParameters client_parameters(const std::string& url) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(url.c_str(), &error), &PQconninfoFree);
  if (!options) {
    std::string why = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    throw sql::DatabaseError("cannot read the database URL: " + why);
  }
  ClientParameters out;
  for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    const std::string_view keyword = o->keyword;
    if (keyword == "password") {
      out.password = o->val;
      continue;
    }
    // keyword='value', a backslash before each \ and ', as libpq's connection strings take them.
    if (!out.conninfo.empty()) out.conninfo += ' ';
    out.conninfo += o->keyword;
    out.conninfo += "='";
    for (const char* c = o->val; *c != '\0'; ++c) {
      if (*c == '\\' || *c == '\'') out.conninfo += '\\';
      out.conninfo += *c;
    }
    out.conninfo += '\'';
  }
  return out;
}

std::string number_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool quoted = false;
  for (const char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// Any key works as long as every process uses the same one: "xj" in ASCII.
constexpr const char* kWriteLock = "SELECT pg_advisory_xact_lock(30826)";

// libpqxx 6.4's stream_to writes a tuple-like row (std::get and std::tuple_size), not a
// vector: a row of N fields goes as a std::array of N C strings (nullptr is NULL), with N
// chosen from the column count through this table of writers.
constexpr std::size_t kMaxBulkColumns = 48;
using RowWriter = void (*)(pqxx::stream_to&, const std::vector<const char*>&);

template <std::size_t N>
void write_row(pqxx::stream_to& stream, const std::vector<const char*>& fields) {
  std::array<const char*, N> row{};
  std::copy_n(fields.begin(), N, row.begin());
  stream << row;
}

template <std::size_t... I>
constexpr std::array<RowWriter, sizeof...(I)> row_writers(std::index_sequence<I...>) {
  return {&write_row<I + 1>...};
}

constexpr auto kRowWriters = row_writers(std::make_index_sequence<kMaxBulkColumns>());

// COPY … FROM STDIN through stream_to, in one stream per writer.
class BulkWriter final : public sql::BulkWriter {
 public:
  BulkWriter(pqxx::transaction_base& tx, std::string_view table,
             std::span<const std::string_view> columns)
      : columns_(columns.size()) {
    if (columns_ == 0 || columns_ > kMaxBulkColumns) {
      throw sql::DatabaseError("bulk insert: unsupported number of columns");
    }
    std::vector<std::string> names(columns.begin(), columns.end());
    try {
      stream_ = std::make_unique<pqxx::stream_to>(tx, std::string(table), names);
    } catch (const std::exception& e) {
      throw sql::DatabaseError(std::string("postgresql: ") + e.what());
    }
    write_ = kRowWriters[columns_ - 1];
    texts_.resize(columns_);
    fields_.resize(columns_);
  }

  ~BulkWriter() override {
    // Unfinished (an exception on the way): end the COPY so that the connection can roll back.
    if (stream_) {
      try {
        stream_->complete();
      } catch (...) {
      }
    }
  }

  BulkWriter(const BulkWriter&) = delete;
  BulkWriter& operator=(const BulkWriter&) = delete;

  void add(std::span<const sql::Value> row) override {
    if (row.size() != columns_) throw sql::DatabaseError("bulk insert: wrong number of values");
    for (std::size_t i = 0; i < columns_; ++i) {
      const sql::Value& v = row[i];
      if (std::holds_alternative<std::nullptr_t>(v)) {
        fields_[i] = nullptr;
        continue;
      }
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        texts_[i] = std::to_string(*n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        texts_[i] = pqxx::to_string(*d);
      } else {
        texts_[i] = std::get<std::string>(v);
      }
      fields_[i] = texts_[i].c_str();
    }
    try {
      write_(*stream_, fields_);
    } catch (const std::exception& e) {
      throw sql::DatabaseError(std::string("postgresql: ") + e.what());
    }
    ++rows_;
  }

  void finish() override {
    if (!stream_) return;
    auto stream = std::move(stream_);
    try {
      stream->complete();
    } catch (const pqxx::unique_violation& e) {
      throw sql::UniqueViolation(std::string("postgresql: ") + e.what());
    } catch (const std::exception& e) {
      throw sql::DatabaseError(std::string("postgresql: ") + e.what());
    }
  }

  std::int64_t rows() const override { return rows_; }

 private:
  std::size_t columns_;
  std::unique_ptr<pqxx::stream_to> stream_;
  RowWriter write_ = nullptr;
  std::vector<std::string> texts_;
  std::vector<const char*> fields_;
  std::int64_t rows_ = 0;
};

class Connection final : public sql::Connection {
 public:
  // libpqxx would quietly reconnect a broken connection on its next use, even inside our own
  // transaction (it does not know of it: see begin()), and the rest of the transaction would run
  // outside it. Never: a broken connection stays broken, and the store's pool drops it.
  explicit Connection(const std::string& url) try : conn_(url) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"  // libpqxx 7 dropped reconnecting
    conn_.inhibit_reactivation(true);
#pragma GCC diagnostic pop
  } catch (const std::exception& e) {
    throw sql::DatabaseError(std::string("cannot connect to PostgreSQL: ") + e.what());
  }

  std::vector<sql::Row> query(std::string_view sql, std::span<const sql::Value> params) override {
    const pqxx::result r = run(sql, params);
    std::vector<sql::Row> rows;
    rows.reserve(r.size());
    const auto columns = static_cast<std::size_t>(r.columns());
    for (const auto& row : r) {
      std::vector<sql::Value> values;
      values.reserve(columns);
      for (const auto& f : row) {
        if (f.is_null()) {
          values.emplace_back(nullptr);
          continue;
        }
        switch (f.type()) {
          case 20:
          case 21:
          case 23:  // int8, int2, int4
            values.emplace_back(f.as<std::int64_t>());
            break;
          case 700:
          case 701:
          case 1700:  // float4, float8, numeric
            values.emplace_back(f.as<double>());
            break;
          default:
            values.emplace_back(std::string(f.c_str(), f.size()));
        }
      }
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  std::int64_t execute(std::string_view sql, std::span<const sql::Value> params) override {
    return static_cast<std::int64_t>(run(sql, params).affected_rows());
  }

  void execute_script(std::string_view script) override {
    guard([&] {
      if (tx_) {
        tx_->exec(std::string(script));
      } else {
        pqxx::nontransaction once(conn_);
        once.exec(std::string(script));
      }
    });
  }

  // The transaction is begun and ended by statements of our own on a pqxx::nontransaction, not
  // by a pqxx::work: that way BEGIN, the write lock and `also` go in one round trip (a work
  // sends its BEGIN alone).
  void begin(sql::TxMode mode, std::string_view also) override {
    if (mode == sql::TxMode::kStatement) return;
    std::string start = mode == sql::TxMode::kRead ? "BEGIN READ ONLY" : "BEGIN";
    if (mode == sql::TxMode::kWrite) start.append("; ").append(kWriteLock);
    if (!also.empty()) start.append("; ").append(also);
    guard([&] {
      tx_ = std::make_unique<pqxx::nontransaction>(conn_);
      tx_->exec(start);
    });
  }

  // PostgreSQL answers COMMIT in an aborted transaction by rolling back, without an error: a
  // caller that went on after a failed statement (a unique violation it caught) would take its
  // writes for done. Refused instead, as a pqxx::work refuses to commit after an error.
  void commit() override {
    if (!tx_) return;
    if (failed_) {
      throw sql::DatabaseError(
          "postgresql: a statement of this transaction failed: it is rolled back, not committed");
    }
    guard([&] { tx_->exec("COMMIT"); });
    end_transaction();
  }

  void savepoint() override {
    guard([&] { tx_->exec("SAVEPOINT xj_try"); });
  }

  void release_savepoint() override {
    guard([&] { tx_->exec("RELEASE SAVEPOINT xj_try"); });
  }

  void rollback_to_savepoint() override {
    guard([&] { tx_->exec("ROLLBACK TO SAVEPOINT xj_try"); });
    failed_ = false;
  }

  void rollback() override {
    if (!tx_) return;
    try {
      tx_->exec("ROLLBACK");
    } catch (...) {
    }
    end_transaction();
  }

  std::string engine() const override { return "postgresql"; }

  bool broken() const override { return !conn_.is_open(); }

  void reset_identity(std::string_view table) override {
    const std::string t(table);  // one of the store's own table names, never user input
    execute_script("SELECT setval(pg_get_serial_sequence('" + t +
                   "', 'id'), "
                   "COALESCE((SELECT MAX(id) FROM " +
                   t + "), 0) + 1, false)");
  }

  std::unique_ptr<sql::BulkWriter> bulk_writer(std::string_view table,
                                               std::span<const std::string_view> columns) override {
    if (!tx_) throw sql::DatabaseError("bulk insert outside a transaction");
    return std::make_unique<BulkWriter>(*tx_, table, columns);
  }

 private:
  pqxx::result run(std::string_view sql, std::span<const sql::Value> params) {
    std::string key(sql);
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
      const std::string name = "s" + std::to_string(prepared_.size());
      guard([&] { conn_.prepare(name, number_placeholders(sql)); });
      it = prepared_.emplace(std::move(key), name).first;
    }
    std::vector<std::string> storage;
    storage.reserve(params.size());
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
      if (std::holds_alternative<std::nullptr_t>(p)) {
        storage.emplace_back();
      } else if (const auto* i = std::get_if<std::int64_t>(&p)) {
        storage.push_back(std::to_string(*i));
      } else if (const auto* d = std::get_if<double>(&p)) {
        storage.push_back(pqxx::to_string(*d));
      } else {
        storage.push_back(std::get<std::string>(p));
      }
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      values.push_back(std::holds_alternative<std::nullptr_t>(params[i]) ? nullptr
                                                                         : storage[i].c_str());
    }
    pqxx::result r;
    guard([&] {
      if (tx_) {
        r = tx_->exec_prepared(it->second, pqxx::prepare::make_dynamic_params(values));
      } else {
        pqxx::nontransaction once(conn_);
        r = once.exec_prepared(it->second, pqxx::prepare::make_dynamic_params(values));
      }
    });
    return r;
  }

  void end_transaction() {
    tx_.reset();
    failed_ = false;
  }

  // Runs `f`, turning libpqxx's errors into the store's. A statement that fails inside a
  // transaction leaves PostgreSQL's transaction aborted: commit() then refuses (see there).
  template <class F>
  void guard(F&& f) {
    try {
      f();
    } catch (...) {
      if (tx_) failed_ = true;
      translate();
    }
  }

  [[noreturn]] static void translate() {
    try {
      throw;
    } catch (const pqxx::unique_violation& e) {
      throw sql::UniqueViolation(std::string("postgresql: ") + e.what());
    } catch (const sql::DatabaseError&) {
      throw;
    } catch (const std::exception& e) {
      throw sql::DatabaseError(std::string("postgresql: ") + e.what());
    }
  }

  pqxx::connection conn_;
  std::unique_ptr<pqxx::nontransaction> tx_;  // while a transaction is open
  bool failed_ = false;                       // a statement of the open transaction failed
  std::unordered_map<std::string, std::string> prepared_;
};

}  // namespace

std::unique_ptr<sql::Connection> open(const std::string& url) {
  return std::make_unique<Connection>(url);
}

}  // namespace xj::store::postgres
