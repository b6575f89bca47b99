-- Issue 17 point 3: PostgreSQL's xj_bigrams, the words of its text index, is rewritten for speed
-- (postgres/0033). SQLite's is a C++ function the store registers on each connection
-- (store/text_search.cpp): nothing to change here. The number keeps both engines' schema
-- versions equal, which migrate-data requires.
SELECT 1;
