// The SQLite driver: a file in WAL mode with foreign keys on and full synchronous commits, so a
// crash of the process or the machine loses no acknowledged write.
#pragma once

#include <memory>
#include <string>

#include "store/sql.hpp"

namespace xj::store::sqlite {

// Opens (creating if needed) the database file at `path`. Throws sql::DatabaseError.
std::unique_ptr<sql::Connection> open(const std::string& path);

// An online, consistent copy of the database at `from` into the new file `to` (SQLite's backup
// API: readers and writers may go on meanwhile). Throws sql::DatabaseError.
void backup(const std::string& from, const std::string& to);

}  // namespace xj::store::sqlite
