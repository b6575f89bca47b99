// The PostgreSQL driver (server mode). Write transactions are serialised by a transaction-level
// advisory lock, which gives the service the same guarantee as SQLite's BEGIN IMMEDIATE: a
// check-then-write inside one transaction cannot be overtaken by another writer, in any process.
// Reads run at READ COMMITTED (a consistent snapshot per statement) without blocking writers.
#pragma once

#include <memory>
#include <string>

#include "store/sql.hpp"

namespace xj::store::postgres {

// Connects to `url` ("postgresql://user:pass@host:port/db"). Throws sql::DatabaseError.
std::unique_ptr<sql::Connection> open(const std::string& url);

// The store's `?` placeholders as PostgreSQL's `$1, $2, ...`, leaving quoted text alone.
std::string number_placeholders(std::string_view sql);

}  // namespace xj::store::postgres
