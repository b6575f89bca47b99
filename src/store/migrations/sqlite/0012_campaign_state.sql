-- Issue 14: a campaign can be closed (and reopened) and is edited under optimistic concurrency.

-- When and by whom the campaign was closed (关闭); both NULL while it is open. A closed campaign
-- takes no new orders or sessions, whatever its dates.
ALTER TABLE campaigns ADD COLUMN closed_at INTEGER;
ALTER TABLE campaigns ADD COLUMN closed_by INTEGER REFERENCES accounts (id);
-- Bumped by every edit, close and reopen: an edit made on a stale read is refused (409).
ALTER TABLE campaigns ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- The lists of current, upcoming and past campaigns range over the period.
CREATE INDEX campaigns_period ON campaigns (end_date, start_date);
