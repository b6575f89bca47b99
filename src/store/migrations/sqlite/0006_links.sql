-- Private links: a lecturer's calendar feed (.ics) and a session's public feedback form (the QR
-- code). Each token is at least 128 random bits; whoever holds it may read the feed or answer
-- the form, nothing else. The token is kept so that the link can be shown and printed again;
-- making a new one revokes the old.

CREATE TABLE calendar_links (
  lecturer_id INTEGER PRIMARY KEY REFERENCES lecturers (id),
  token       TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL
);

CREATE TABLE feedback_links (
  session_id INTEGER PRIMARY KEY REFERENCES sessions (id),
  token      TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

-- 评价: a rating from the audience (the QR form) or entered by staff.
CREATE TABLE feedback (
  id             INTEGER PRIMARY KEY,
  session_id     INTEGER NOT NULL REFERENCES sessions (id),
  at             INTEGER NOT NULL,
  rating         INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment        TEXT NOT NULL DEFAULT '',
  audience_group TEXT NOT NULL DEFAULT '',
  channel        TEXT NOT NULL CHECK (channel IN ('qr', 'staff')),
  quote          INTEGER NOT NULL DEFAULT 0,
  browser        TEXT NOT NULL DEFAULT '',
  address        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX feedback_session ON feedback (session_id, id);
-- One answer per browser and session.
CREATE UNIQUE INDEX feedback_browser ON feedback (session_id, browser) WHERE browser <> '';
CREATE INDEX feedback_address ON feedback (address, at);

-- 签到: attendance signed in through the same link; one per browser and session.
CREATE TABLE attendance (
  id         INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions (id),
  at         INTEGER NOT NULL,
  browser    TEXT NOT NULL,
  address    TEXT NOT NULL DEFAULT '',
  UNIQUE (session_id, browser)
);
