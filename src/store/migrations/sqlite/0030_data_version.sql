-- Issue 17, cheap pages: a number that every committed write transaction raises by one, in the
-- same transaction as its changes (store.cpp, Tx::commit). A server keeps the bodies of the most
-- read pages under the number they were built at (http/response_cache.hpp); a page is answered
-- from there while the number has not moved, in any process on the database.
CREATE TABLE data_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 0);
