-- A campaign's sessions within one subtree, for the dashboard's figures (统计): without it a
-- league's figures read every session of the campaign to keep its own.
CREATE INDEX sessions_campaign_scope ON sessions (campaign_id, host_path);
