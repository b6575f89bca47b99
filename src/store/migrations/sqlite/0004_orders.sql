-- Orders (宣讲需求) with their history, and the inbox. The order's version is bumped by every
-- change, so two organisers writing the same order at once cannot both win.

CREATE TABLE orders (
  id                    INTEGER PRIMARY KEY,
  organisation_id       INTEGER NOT NULL REFERENCES organisations (id),
  campaign_id           INTEGER NOT NULL REFERENCES campaigns (id),
  window_from           TEXT NOT NULL,
  window_to             TEXT NOT NULL,
  region_code           TEXT NOT NULL REFERENCES regions (code),
  address               TEXT NOT NULL,
  audience_group        TEXT NOT NULL,
  expected_audience     INTEGER NOT NULL,
  preferred_format      TEXT NOT NULL,
  topic                 TEXT NOT NULL DEFAULT '',
  language              TEXT NOT NULL DEFAULT '',
  preferred_lecturer_id INTEGER REFERENCES lecturers (id),
  preferred_category    TEXT NOT NULL DEFAULT '',
  priority              INTEGER NOT NULL DEFAULT 3,
  contact_name          TEXT NOT NULL DEFAULT '',
  contact_phone         TEXT NOT NULL DEFAULT '',
  note                  TEXT NOT NULL DEFAULT '',
  state                 TEXT NOT NULL,
  version               INTEGER NOT NULL DEFAULT 1,
  lecturer_id           INTEGER REFERENCES lecturers (id),
  date                  TEXT,
  start_time            TEXT,
  end_time              TEXT,
  dispatched_by         INTEGER REFERENCES accounts (id),
  dispatched_at         INTEGER,
  session_id            INTEGER REFERENCES sessions (id),
  rating                INTEGER,
  rating_comment        TEXT NOT NULL DEFAULT '',
  reminded_at           INTEGER,
  escalated_at          INTEGER,
  created_by            INTEGER REFERENCES accounts (id),
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
);
CREATE INDEX orders_organisation ON orders (organisation_id, state);
CREATE INDEX orders_campaign ON orders (campaign_id, state);
CREATE INDEX orders_lecturer_date ON orders (lecturer_id, date);
CREATE INDEX orders_state ON orders (state, created_at);

CREATE TABLE order_events (
  id          INTEGER PRIMARY KEY,
  order_id    INTEGER NOT NULL REFERENCES orders (id),
  at          INTEGER NOT NULL,
  account_id  INTEGER REFERENCES accounts (id),
  username    TEXT NOT NULL,
  action      TEXT NOT NULL,
  from_state  TEXT,
  to_state    TEXT NOT NULL,
  reason      TEXT NOT NULL DEFAULT '',
  lecturer_id INTEGER REFERENCES lecturers (id),
  date        TEXT
);
CREATE INDEX order_events_order ON order_events (order_id, id);
CREATE TRIGGER order_events_no_update BEFORE UPDATE ON order_events
BEGIN SELECT RAISE(ABORT, 'order history is append-only'); END;
CREATE TRIGGER order_events_no_delete BEFORE DELETE ON order_events
BEGIN SELECT RAISE(ABORT, 'order history is append-only'); END;

CREATE TABLE notifications (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  at         INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  order_id   INTEGER REFERENCES orders (id),
  detail     TEXT NOT NULL DEFAULT '',
  read_at    INTEGER
);
CREATE INDEX notifications_account ON notifications (account_id, id);
CREATE INDEX notifications_unread ON notifications (account_id, read_at);
