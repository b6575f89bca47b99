-- The sessions list reads newest first and filters by scope: walking (date, id) backwards with
-- host_path in the same index finds a page without sorting the whole scope.
DROP INDEX sessions_date;
CREATE INDEX sessions_date_scope ON sessions (date, id, host_path);
