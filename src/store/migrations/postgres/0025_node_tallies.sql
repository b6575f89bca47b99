-- Kept sums by node (汇总到各级工会): the sums of migration 0015, added up for every organisation
-- over its whole subtree, one breakdown at a time. A subtree's figures are then the rows of one
-- organisation, however many units lie below it and however many sessions they hold: the
-- province's dashboard at 1,000,000 sessions reads some 20,000 rows here against the 250,000
-- of session_tallies (where a day × place × industry × format of every host is a row of its
-- own). Kept by the same writes as the tables of 0015 (src/store/tallies.cpp); derived from
-- them when rebuilt, and when an organisation moves in the tree.

-- Every organisation with each of its ancestors and itself: which nodes a host's sums go to.
CREATE TABLE organisation_ancestors (
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  ancestor_id     BIGINT NOT NULL REFERENCES organisations (id),
  PRIMARY KEY (organisation_id, ancestor_id)
);

-- One row per (campaign, node, day) and breakdown: `dim` 'place' keys by (region, audience
-- group), 'industry' and 'format' by key_a alone (key_b ''). Each breakdown holds every
-- session and branch venue of the node's subtree once, so any one of them gives the totals.
CREATE TABLE node_tallies (
  campaign_id      BIGINT NOT NULL,
  node_id          BIGINT NOT NULL,
  day              TEXT NOT NULL,
  dim              TEXT NOT NULL,
  key_a            TEXT NOT NULL,
  key_b            TEXT NOT NULL,
  records          BIGINT NOT NULL DEFAULT 0,
  sessions         BIGINT NOT NULL DEFAULT 0,
  audience_offline BIGINT NOT NULL DEFAULT 0,
  online_viewers   BIGINT NOT NULL DEFAULT 0,
  branch_headcount BIGINT NOT NULL DEFAULT 0,
  ratings          BIGINT NOT NULL DEFAULT 0,
  rating_sum       BIGINT NOT NULL DEFAULT 0,
  signed_in        BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, node_id, day, dim, key_a, key_b)
);
CREATE INDEX node_tallies_node ON node_tallies (node_id, day);
CREATE INDEX node_tallies_empty ON node_tallies (records) WHERE records = 0;

CREATE TABLE node_lecturer_tallies (
  campaign_id         BIGINT NOT NULL,
  node_id             BIGINT NOT NULL,
  day                 TEXT NOT NULL,
  lecturer_id         BIGINT NOT NULL,
  sessions            BIGINT NOT NULL DEFAULT 0,
  audience            BIGINT NOT NULL DEFAULT 0,
  ratings             BIGINT NOT NULL DEFAULT 0,
  rating_sum          BIGINT NOT NULL DEFAULT 0,
  verified_ratings    BIGINT NOT NULL DEFAULT 0,
  verified_rating_sum BIGINT NOT NULL DEFAULT 0,
  staff_ratings       BIGINT NOT NULL DEFAULT 0,
  staff_rating_sum    BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, node_id, day, lecturer_id)
);
CREATE INDEX node_lecturer_tallies_node ON node_lecturer_tallies (node_id, day);
CREATE INDEX node_lecturer_tallies_empty ON node_lecturer_tallies (sessions) WHERE sessions = 0;

CREATE TABLE node_category_tallies (
  campaign_id BIGINT NOT NULL,
  node_id     BIGINT NOT NULL,
  day         TEXT NOT NULL,
  category    TEXT NOT NULL,
  sessions    BIGINT NOT NULL DEFAULT 0,
  audience    BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, node_id, day, category)
);
CREATE INDEX node_category_tallies_node ON node_category_tallies (node_id, day);
CREATE INDEX node_category_tallies_empty ON node_category_tallies (sessions) WHERE sessions = 0;

-- An organisation's ancestors are the organisations whose path begins its own.
INSERT INTO organisation_ancestors (organisation_id, ancestor_id)
  SELECT o.id, a.id FROM organisations o JOIN organisations a
    ON substr(o.path, 1, length(a.path)) = a.path;

-- The same statements as Tx::tally_nodes_from_kept.
INSERT INTO node_tallies (campaign_id, node_id, day, dim, key_a, key_b, records, sessions,
                          audience_offline, online_viewers, branch_headcount, ratings,
                          rating_sum, signed_in)
  SELECT t.campaign_id, a.ancestor_id, t.day, d.dim,
         CASE d.dim WHEN 'place' THEN t.region_code WHEN 'industry' THEN t.industry
                    ELSE t.format END,
         CASE d.dim WHEN 'place' THEN t.audience_group ELSE '' END,
         SUM(t.records), SUM(t.sessions), SUM(t.audience_offline), SUM(t.online_viewers),
         SUM(t.branch_headcount), SUM(t.ratings), SUM(t.rating_sum), SUM(t.signed_in)
  FROM session_tallies t
  JOIN organisation_ancestors a ON a.organisation_id = t.organisation_id
  CROSS JOIN (SELECT 'place' AS dim UNION ALL SELECT 'industry' UNION ALL SELECT 'format') d
  GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO node_lecturer_tallies (campaign_id, node_id, day, lecturer_id, sessions, audience,
                                   ratings, rating_sum, verified_ratings, verified_rating_sum,
                                   staff_ratings, staff_rating_sum)
  SELECT t.campaign_id, a.ancestor_id, t.day, t.lecturer_id, SUM(t.sessions), SUM(t.audience),
         SUM(t.ratings), SUM(t.rating_sum), SUM(t.verified_ratings), SUM(t.verified_rating_sum),
         SUM(t.staff_ratings), SUM(t.staff_rating_sum)
  FROM lecturer_tallies t
  JOIN organisation_ancestors a ON a.organisation_id = t.organisation_id
  GROUP BY 1, 2, 3, 4;
INSERT INTO node_category_tallies (campaign_id, node_id, day, category, sessions, audience)
  SELECT t.campaign_id, a.ancestor_id, t.day, t.category, SUM(t.sessions), SUM(t.audience)
  FROM category_tallies t
  JOIN organisation_ancestors a ON a.organisation_id = t.organisation_id
  GROUP BY 1, 2, 3, 4;
