-- (SQLite: WITHOUT ROWID, so that a campaign's rows are read in key order without a lookup
-- per row.)
-- Kept sums (台账汇总) for every statistics figure, kept by each write of a session, a branch
-- venue, a lecturer's category, an answer or a sign-in in the same transaction
-- (src/store/tallies.cpp): the dashboard then sums a few thousand rows, however many sessions
-- a province records. Keyed by the host organisation's id, never its path, so that moving an
-- organisation in the tree changes nothing here; campaign 0 is "no campaign".
--
-- session_tallies: a session counts on its main venue's row (sessions, offline audience, online
-- viewers, answers and sign-ins); each branch venue counts its headcount on the row of its own
-- region and audience group, with the session's date, industry and format. `records` is how
-- many sessions and branch venues a row holds: a row at 0 is removed.
CREATE TABLE session_tallies (
  campaign_id      INTEGER NOT NULL,
  organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
  day              TEXT NOT NULL,
  region_code      TEXT NOT NULL,
  audience_group   TEXT NOT NULL,
  industry         TEXT NOT NULL,
  format           TEXT NOT NULL,
  records          INTEGER NOT NULL DEFAULT 0,
  sessions         INTEGER NOT NULL DEFAULT 0,
  audience_offline INTEGER NOT NULL DEFAULT 0,
  online_viewers   INTEGER NOT NULL DEFAULT 0,
  branch_headcount INTEGER NOT NULL DEFAULT 0,
  ratings          INTEGER NOT NULL DEFAULT 0,
  rating_sum       INTEGER NOT NULL DEFAULT 0,
  signed_in        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, organisation_id, day, region_code, audience_group, industry, format)
) WITHOUT ROWID;
CREATE INDEX session_tallies_day ON session_tallies (day);
CREATE INDEX session_tallies_organisation ON session_tallies (organisation_id);
CREATE INDEX session_tallies_empty ON session_tallies (records) WHERE records = 0;

-- Per lecturer: the sessions they gave or co-lectured and everyone those reached, and the
-- answers about those sessions.
CREATE TABLE lecturer_tallies (
  lecturer_id     INTEGER NOT NULL REFERENCES lecturers (id),
  campaign_id     INTEGER NOT NULL,
  organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  day             TEXT NOT NULL,
  sessions        INTEGER NOT NULL DEFAULT 0,
  audience        INTEGER NOT NULL DEFAULT 0,
  ratings         INTEGER NOT NULL DEFAULT 0,
  rating_sum      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, organisation_id, day, lecturer_id)
) WITHOUT ROWID;
CREATE INDEX lecturer_tallies_empty ON lecturer_tallies (sessions) WHERE sessions = 0;

-- Per lecturer category: a session counts once for each category among its lecturers.
CREATE TABLE category_tallies (
  category        TEXT NOT NULL,
  campaign_id     INTEGER NOT NULL,
  organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  day             TEXT NOT NULL,
  sessions        INTEGER NOT NULL DEFAULT 0,
  audience        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, organisation_id, day, category)
) WITHOUT ROWID;
CREATE INDEX category_tallies_empty ON category_tallies (sessions) WHERE sessions = 0;

-- The sums of the sessions recorded so far: the same statements as Tx::tally_sessions.
INSERT INTO session_tallies (campaign_id, organisation_id, day, region_code, audience_group,
                             industry, format, records, sessions, audience_offline, online_viewers,
                             branch_headcount, ratings, rating_sum, signed_in)
  SELECT COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, s.region_code,
         s.audience_group, s.industry, s.format, COUNT(*), COUNT(*), SUM(s.audience_offline),
         SUM(s.online_viewers), 0,
         SUM((SELECT COUNT(*) FROM feedback f WHERE f.session_id = s.id)),
         SUM((SELECT COALESCE(SUM(f.rating), 0) FROM feedback f WHERE f.session_id = s.id)),
         SUM((SELECT COUNT(*) FROM attendance a WHERE a.session_id = s.id))
  FROM sessions s WHERE true
  GROUP BY COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, s.region_code,
           s.audience_group, s.industry, s.format;
INSERT INTO session_tallies (campaign_id, organisation_id, day, region_code, audience_group,
                             industry, format, records, branch_headcount)
  SELECT COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, b.region_code,
         b.audience_group, s.industry, s.format, COUNT(*), SUM(b.headcount)
  FROM session_branches b JOIN sessions s ON s.id = b.session_id WHERE true
  GROUP BY COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, b.region_code,
           b.audience_group, s.industry, s.format
  ON CONFLICT (campaign_id, organisation_id, day, region_code, audience_group, industry, format)
  DO UPDATE SET records = session_tallies.records + excluded.records,
                branch_headcount = session_tallies.branch_headcount + excluded.branch_headcount;
INSERT INTO lecturer_tallies (lecturer_id, campaign_id, organisation_id, day, sessions, audience,
                              ratings, rating_sum)
  SELECT m.lecturer_id, COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, COUNT(*),
         SUM(s.audience_offline + s.online_viewers +
             (SELECT COALESCE(SUM(b.headcount), 0) FROM session_branches b
              WHERE b.session_id = s.id)),
         SUM((SELECT COUNT(*) FROM feedback f WHERE f.session_id = s.id)),
         SUM((SELECT COALESCE(SUM(f.rating), 0) FROM feedback f WHERE f.session_id = s.id))
  FROM session_lecturers m JOIN sessions s ON s.id = m.session_id
  GROUP BY m.lecturer_id, COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date;
INSERT INTO category_tallies (category, campaign_id, organisation_id, day, sessions, audience)
  SELECT l.category, COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, COUNT(*),
         SUM(s.audience_offline + s.online_viewers +
             (SELECT COALESCE(SUM(b.headcount), 0) FROM session_branches b
              WHERE b.session_id = s.id))
  FROM session_lecturers m JOIN lecturers l ON l.id = m.lecturer_id
  JOIN sessions s ON s.id = m.session_id
  WHERE NOT EXISTS (SELECT 1 FROM session_lecturers m2 JOIN lecturers l2 ON l2.id = m2.lecturer_id
                    WHERE m2.session_id = m.session_id AND l2.category = l.category
                    AND m2.lecturer_id < m.lecturer_id)
  GROUP BY l.category, COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date;
