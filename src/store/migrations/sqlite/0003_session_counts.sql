-- Sessions per host organisation and campaign (0 = none), kept by every write of a session in
-- the same transaction: the list's total for a whole scope is then a sum over the scope's
-- organisations instead of a count of all its sessions.
CREATE TABLE session_counts (
  organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  campaign_id     INTEGER NOT NULL DEFAULT 0,
  sessions        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (organisation_id, campaign_id)
);
INSERT INTO session_counts (organisation_id, campaign_id, sessions)
  SELECT host_organisation_id, COALESCE(campaign_id, 0), COUNT(*) FROM sessions
  GROUP BY host_organisation_id, COALESCE(campaign_id, 0);
