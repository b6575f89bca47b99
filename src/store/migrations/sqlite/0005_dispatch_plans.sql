-- Dispatch plans proposed by the optimiser (智能派单). A plan is computed by the server process
-- that accepted the request and stored here, so any process can show it; the organiser applies
-- its assignments one by one through the ordinary dispatch.

CREATE TABLE dispatch_plans (
  id          INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
  scope_path  TEXT NOT NULL,
  created_by  INTEGER REFERENCES accounts (id),
  created_at  INTEGER NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
  time_limit  REAL NOT NULL,
  seed        INTEGER NOT NULL,
  orders      INTEGER NOT NULL DEFAULT 0,
  lecturers   INTEGER NOT NULL DEFAULT 0,
  result      TEXT NOT NULL DEFAULT '',
  error       TEXT NOT NULL DEFAULT '',
  finished_at INTEGER
);
CREATE INDEX dispatch_plans_campaign ON dispatch_plans (campaign_id, id);
