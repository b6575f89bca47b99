-- Issue 18: the original text of an imported report (a news item, a brief, a PDF page) and the
-- sessions accepted from it. The text is kept as the extractor read it, so that the sentence a
-- session came from can be shown again; organisation_path scopes it like everything else.
CREATE TABLE report_sources (
  id                INTEGER PRIMARY KEY,
  organisation_id   INTEGER NOT NULL REFERENCES organisations (id),
  organisation_path TEXT NOT NULL,
  file_name         TEXT NOT NULL DEFAULT '',
  year              INTEGER NOT NULL,
  campaign_id       INTEGER REFERENCES campaigns (id),
  text              TEXT NOT NULL,
  created_by        INTEGER REFERENCES accounts (id),
  created_at        INTEGER NOT NULL
);
CREATE INDEX report_sources_scope ON report_sources (organisation_path, id);

-- Which session came from which report, and from where in its text (code points).
CREATE TABLE report_source_sessions (
  session_id       INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
  report_source_id INTEGER NOT NULL REFERENCES report_sources (id),
  sentence_begin   INTEGER NOT NULL,
  sentence_end     INTEGER NOT NULL
);
CREATE INDEX report_source_sessions_source ON report_source_sessions (report_source_id);
