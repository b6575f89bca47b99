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

// A connection URL split for a client program such as pg_dump, whose command line every user of
// the machine can read (`ps`): the parameters without the password, as a keyword=value string,
// and the password alone ("" when the URL has none). Throws sql::DatabaseError if `url` does not
// parse.
struct ClientParameters {
  std::string conninfo;
  std::string password;
};
ClientParameters client_parameters(const std::string& url);

// The store's `?` placeholders as PostgreSQL's `$1, $2, ...`, leaving quoted text alone.
std::string number_placeholders(std::string_view sql);

}  // namespace xj::store::postgres
