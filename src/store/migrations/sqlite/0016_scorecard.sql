-- The lecturer scorecard (宣讲员档案, issue 15 point 3): a lecturer's sessions by year, format
-- and league/city, and their ratings told apart by where they came from, read from the kept
-- sums rather than from every session the lecturer ever gave.
--
-- lecturer_tallies gains the session's format and region (the league is its first four digits)
-- in its key, and the answers split by source: `verified` are QR answers given by a browser that
-- also signed in to the same session (签到后评价), `staff` are answers entered by staff; the rest
-- of `ratings` are QR answers without a sign-in. Kept by src/store/tallies.cpp in the same
-- transaction as every write of a session, an answer or a sign-in.
-- (SQLite: WITHOUT ROWID, as in 0015.)
DROP TABLE lecturer_tallies;
CREATE TABLE lecturer_tallies (
  lecturer_id         INTEGER NOT NULL REFERENCES lecturers (id),
  campaign_id         INTEGER NOT NULL,
  organisation_id     INTEGER NOT NULL REFERENCES organisations (id),
  day                 TEXT NOT NULL,
  format              TEXT NOT NULL DEFAULT '',
  region_code         TEXT NOT NULL DEFAULT '',
  sessions            INTEGER NOT NULL DEFAULT 0,
  audience            INTEGER NOT NULL DEFAULT 0,
  ratings             INTEGER NOT NULL DEFAULT 0,
  rating_sum          INTEGER NOT NULL DEFAULT 0,
  verified_ratings    INTEGER NOT NULL DEFAULT 0,
  verified_rating_sum INTEGER NOT NULL DEFAULT 0,
  staff_ratings       INTEGER NOT NULL DEFAULT 0,
  staff_rating_sum    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, organisation_id, day, lecturer_id, format, region_code)
) WITHOUT ROWID;
CREATE INDEX lecturer_tallies_empty ON lecturer_tallies (sessions) WHERE sessions = 0;
-- One lecturer's rows, without reading everyone's.
CREATE INDEX lecturer_tallies_lecturer ON lecturer_tallies (lecturer_id, day);
-- A lecturer's dispatches, acceptances and declines (orders are few, their events fewer).
CREATE INDEX order_events_lecturer ON order_events (lecturer_id, order_id);

-- The sums of the sessions recorded so far: the same statement as Tx::tally_sessions.
INSERT INTO lecturer_tallies (lecturer_id, campaign_id, organisation_id, day, format, region_code,
                              sessions, audience, ratings, rating_sum, verified_ratings,
                              verified_rating_sum, staff_ratings, staff_rating_sum)
  SELECT m.lecturer_id, COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, s.format,
         s.region_code, COUNT(*),
         SUM(s.audience_offline + s.online_viewers +
             (SELECT COALESCE(SUM(b.headcount), 0) FROM session_branches b
              WHERE b.session_id = s.id)),
         SUM((SELECT COUNT(*) FROM feedback f WHERE f.session_id = s.id)),
         SUM((SELECT COALESCE(SUM(f.rating), 0) FROM feedback f WHERE f.session_id = s.id)),
         SUM((SELECT COUNT(*) FROM feedback f WHERE f.session_id = s.id AND f.channel = 'qr'
              AND EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = f.session_id
                          AND a.browser = f.browser AND f.browser <> ''))),
         SUM((SELECT COALESCE(SUM(f.rating), 0) FROM feedback f WHERE f.session_id = s.id
              AND f.channel = 'qr'
              AND EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = f.session_id
                          AND a.browser = f.browser AND f.browser <> ''))),
         SUM((SELECT COUNT(*) FROM feedback f WHERE f.session_id = s.id
              AND f.channel = 'staff')),
         SUM((SELECT COALESCE(SUM(f.rating), 0) FROM feedback f WHERE f.session_id = s.id
              AND f.channel = 'staff'))
  FROM session_lecturers m JOIN sessions s ON s.id = m.session_id
  GROUP BY m.lecturer_id, COALESCE(s.campaign_id, 0), s.host_organisation_id, s.date, s.format,
           s.region_code;
