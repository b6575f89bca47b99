-- API tokens: when each was last used (its owner and admins see it in the list, never the token
-- or its hash), and an index to list and end an account's tokens (password change, disabling).
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
CREATE INDEX api_tokens_account ON api_tokens (account_id);
