-- The walking skeleton's schema. Booleans are INTEGER 0/1 and instants are Unix seconds (UTC)
-- in every engine, so the store's SQL stays the same across engines.

CREATE TABLE regions (
  code   TEXT PRIMARY KEY,
  name   TEXT NOT NULL,
  parent TEXT NOT NULL DEFAULT '',
  level  TEXT NOT NULL CHECK (level IN ('province', 'city', 'county')),
  kind   TEXT NOT NULL CHECK (kind IN ('division', 'development_zone')),
  lat    REAL,
  lon    REAL
);
CREATE INDEX regions_parent ON regions (parent, code);

CREATE TABLE organisations (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  sort_key    TEXT NOT NULL,
  parent_id   INTEGER REFERENCES organisations (id),
  level       TEXT NOT NULL,
  region_code TEXT NOT NULL REFERENCES regions (code),
  industry    TEXT NOT NULL DEFAULT '',
  address     TEXT NOT NULL DEFAULT '',
  lat         REAL,
  lon         REAL,
  path        TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX organisations_path ON organisations (path);
CREATE INDEX organisations_parent ON organisations (parent_id);
CREATE INDEX organisations_sort ON organisations (sort_key);

CREATE TABLE dictionary_entries (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,
  code       TEXT NOT NULL,
  name       TEXT NOT NULL,
  name_en    TEXT NOT NULL DEFAULT '',
  sort_order INTEGER NOT NULL DEFAULT 0,
  active     INTEGER NOT NULL DEFAULT 1,
  UNIQUE (kind, code)
);

CREATE TABLE lecturers (
  id              INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  name            TEXT NOT NULL,
  sort_key        TEXT NOT NULL,
  gender          TEXT NOT NULL DEFAULT '',
  ethnicity       TEXT NOT NULL DEFAULT '',
  category        TEXT NOT NULL,
  employer        TEXT NOT NULL DEFAULT '',
  region_code     TEXT REFERENCES regions (code),
  phone           TEXT NOT NULL DEFAULT '',
  bio             TEXT NOT NULL DEFAULT '',
  active          INTEGER NOT NULL DEFAULT 1,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX lecturers_org ON lecturers (organisation_id);
CREATE INDEX lecturers_sort ON lecturers (sort_key);
CREATE INDEX lecturers_category ON lecturers (category);

CREATE TABLE lecturer_honours (
  lecturer_id INTEGER NOT NULL REFERENCES lecturers (id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL,
  honour      TEXT NOT NULL,
  PRIMARY KEY (lecturer_id, ordinal)
);
CREATE TABLE lecturer_topics (
  lecturer_id INTEGER NOT NULL REFERENCES lecturers (id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL,
  topic       TEXT NOT NULL,
  PRIMARY KEY (lecturer_id, ordinal)
);
CREATE INDEX lecturer_topics_topic ON lecturer_topics (topic);
CREATE TABLE lecturer_languages (
  lecturer_id INTEGER NOT NULL REFERENCES lecturers (id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL,
  language    TEXT NOT NULL,
  PRIMARY KEY (lecturer_id, ordinal)
);
CREATE TABLE lecturer_unavailability (
  lecturer_id INTEGER NOT NULL REFERENCES lecturers (id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL,
  from_date   TEXT NOT NULL,
  to_date     TEXT NOT NULL,
  reason      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (lecturer_id, ordinal)
);
CREATE INDEX lecturer_unavailability_dates ON lecturer_unavailability (from_date, to_date);

CREATE TABLE accounts (
  id              INTEGER PRIMARY KEY,
  username        TEXT NOT NULL UNIQUE,
  display_name    TEXT NOT NULL,
  role            TEXT NOT NULL,
  organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  lecturer_id     INTEGER UNIQUE REFERENCES lecturers (id),
  password_hash   TEXT NOT NULL,
  active          INTEGER NOT NULL DEFAULT 1,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX accounts_org ON accounts (organisation_id);

-- Login sessions, API tokens and failure counters live here, not in memory, so any server
-- process can serve any request.
CREATE TABLE login_sessions (
  token_hash   TEXT PRIMARY KEY,
  account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  csrf_token   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX login_sessions_account ON login_sessions (account_id);
CREATE INDEX login_sessions_expiry ON login_sessions (expires_at);

CREATE TABLE api_tokens (
  id         INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER
);

CREATE TABLE login_failures (
  key          TEXT PRIMARY KEY,
  failures     INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  locked_until INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE campaigns (
  id                    INTEGER PRIMARY KEY,
  title                 TEXT NOT NULL,
  owner_organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  start_date            TEXT NOT NULL,
  end_date              TEXT NOT NULL,
  description           TEXT NOT NULL DEFAULT '',
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
);
CREATE INDEX campaigns_owner ON campaigns (owner_organisation_id);

CREATE TABLE campaign_targets (
  campaign_id    INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  ordinal        INTEGER NOT NULL,
  region_code    TEXT NOT NULL DEFAULT '',
  audience_group TEXT NOT NULL DEFAULT '',
  sessions       INTEGER NOT NULL DEFAULT 0,
  audience       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, ordinal)
);

CREATE TABLE sessions (
  id                   INTEGER PRIMARY KEY,
  campaign_id          INTEGER REFERENCES campaigns (id),
  title                TEXT NOT NULL,
  date                 TEXT NOT NULL,
  start_time           TEXT,
  end_time             TEXT,
  venue                TEXT NOT NULL,
  host_organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  host_path            TEXT NOT NULL,
  region_code          TEXT NOT NULL REFERENCES regions (code),
  industry             TEXT NOT NULL DEFAULT '',
  format               TEXT NOT NULL,
  audience_group       TEXT NOT NULL,
  audience_offline     INTEGER NOT NULL DEFAULT 0,
  online_viewers       INTEGER NOT NULL DEFAULT 0,
  summary              TEXT NOT NULL DEFAULT '',
  source               TEXT NOT NULL,
  order_id             INTEGER,
  created_by           INTEGER REFERENCES accounts (id),
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);
-- The list is newest first within the caller's subtree: (host_path, date) serves both.
CREATE INDEX sessions_scope_date ON sessions (host_path, date, id);
CREATE INDEX sessions_date ON sessions (date, id);
CREATE INDEX sessions_campaign ON sessions (campaign_id, date);
CREATE INDEX sessions_region ON sessions (region_code);

CREATE TABLE session_lecturers (
  session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  lecturer_id INTEGER NOT NULL REFERENCES lecturers (id),
  ordinal     INTEGER NOT NULL,
  PRIMARY KEY (session_id, lecturer_id)
);
CREATE INDEX session_lecturers_lecturer ON session_lecturers (lecturer_id);

CREATE TABLE session_branches (
  id                   INTEGER PRIMARY KEY,
  session_id           INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  ordinal              INTEGER NOT NULL,
  host_organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  venue                TEXT NOT NULL,
  region_code          TEXT NOT NULL REFERENCES regions (code),
  audience_group       TEXT NOT NULL,
  headcount            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX session_branches_session ON session_branches (session_id, ordinal);

CREATE TABLE audit_log (
  id                INTEGER PRIMARY KEY,
  at                INTEGER NOT NULL,
  account_id        INTEGER,
  username          TEXT NOT NULL DEFAULT '',
  organisation_path TEXT NOT NULL DEFAULT '',
  action            TEXT NOT NULL,
  entity            TEXT NOT NULL DEFAULT '',
  entity_id         INTEGER,
  address           TEXT NOT NULL DEFAULT '',
  detail            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
