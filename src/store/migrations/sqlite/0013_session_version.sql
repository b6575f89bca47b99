-- Issue 14: a recorded session is corrected through a form, by several people over time.
-- Each correction names the version it read and bumps it; a stale one is refused (409), so
-- nobody overwrites a correction they never saw.
ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
