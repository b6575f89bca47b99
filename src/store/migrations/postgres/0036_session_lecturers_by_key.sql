-- Issue 17: SQLite's session_lecturers loses its rowid (sqlite/0036); PostgreSQL's tables have
-- none to lose. The number keeps both engines' schema versions equal, which migrate-data
-- requires.
SELECT 1;
