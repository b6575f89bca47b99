-- API tokens: when each was last used (its owner and admins see it in the list, never the token
-- or its hash), and an index to list and end an account's tokens (password change, disabling).
-- Revoking deletes the row; without AUTOINCREMENT SQLite would give the next token the id of
-- the newest one revoked, so the audit log's "api_token #5" could name two tokens. The table is
-- rebuilt with it (PostgreSQL's identity never reuses an id).
CREATE TABLE api_tokens_0010 (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  token_hash   TEXT NOT NULL UNIQUE,
  account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,
  last_used_at INTEGER
);
INSERT INTO api_tokens_0010 (id, token_hash, account_id, name, created_at, expires_at)
  SELECT id, token_hash, account_id, name, created_at, expires_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_0010 RENAME TO api_tokens;
CREATE INDEX api_tokens_account ON api_tokens (account_id);
