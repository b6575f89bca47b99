-- Photos of sessions and of their branch venues. The file lives once under the data folder, by
-- its SHA-256; rows here name it, and a file goes only when no row names it any more.

CREATE TABLE photos (
  id           INTEGER PRIMARY KEY,
  session_id   INTEGER NOT NULL REFERENCES sessions (id),
  branch_id    INTEGER REFERENCES session_branches (id) ON DELETE SET NULL,
  sha256       TEXT NOT NULL,
  content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
  bytes        INTEGER NOT NULL,
  created_by   INTEGER REFERENCES accounts (id),
  created_at   INTEGER NOT NULL
);
CREATE INDEX photos_session ON photos (session_id, id);
CREATE INDEX photos_sha ON photos (sha256);
