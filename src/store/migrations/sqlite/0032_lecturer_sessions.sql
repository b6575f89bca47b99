-- Issue 17 point 2: a lecturer's sessions with other filters (`lecturer_id` with a format, a
-- campaign, a region or an audience group) under 50 ms at a million sessions.
--
-- The list walked the date index testing each session for the lecturer (a lecturer gives one
-- session in ~50: a page read ~2,500 rows and ~2,500 link lookups, more when the other filters
-- are sparse), or read the lecturer's ~18,500 sessions through session_lecturers and sorted
-- them: 110–520 ms of CPU. lecturer_sessions is a narrow copy of the session–lecturer link with
-- the session's date (the list's order) and the columns the list filters on, so a lecturer's page
-- walks that lecturer's rows newest first, tests the filters there, and reads the session rows
-- of the page alone; a count the kept sums cannot give (an audience group) reads the same rows.
-- Derived: kept by the triggers below in the same statement as each write to session_lecturers
-- or sessions, whatever writes them (one by one, the bulk loader, migrate-data), and not copied
-- by migrate-data (the triggers rebuild it from the copied links).
CREATE TABLE lecturer_sessions (
  lecturer_id    INTEGER NOT NULL,
  date           TEXT NOT NULL,
  session_id     INTEGER NOT NULL,
  campaign_id    INTEGER,
  host_path      TEXT NOT NULL,
  region_code    TEXT NOT NULL,
  format         TEXT NOT NULL,
  audience_group TEXT NOT NULL,
  PRIMARY KEY (lecturer_id, date, session_id)
) WITHOUT ROWID;

CREATE TRIGGER lecturer_sessions_link_insert AFTER INSERT ON session_lecturers BEGIN
  INSERT INTO lecturer_sessions (lecturer_id, date, session_id, campaign_id, host_path,
                                 region_code, format, audience_group)
    SELECT new.lecturer_id, s.date, s.id, s.campaign_id, s.host_path, s.region_code, s.format,
           s.audience_group
      FROM sessions s WHERE s.id = new.session_id;
END;

-- The copy's key holds the date; the session's row gives it (the session's own update trigger
-- below has already moved the copy to the session's current date). A session deleted with its
-- links (ON DELETE CASCADE) has taken its copy with it first (lecturer_sessions_session_delete).
CREATE TRIGGER lecturer_sessions_link_delete AFTER DELETE ON session_lecturers BEGIN
  DELETE FROM lecturer_sessions
    WHERE lecturer_id = old.lecturer_id AND session_id = old.session_id
      AND date = (SELECT date FROM sessions WHERE id = old.session_id);
END;

CREATE TRIGGER lecturer_sessions_link_update AFTER UPDATE OF session_id, lecturer_id
  ON session_lecturers WHEN old.session_id IS NOT new.session_id
                         OR old.lecturer_id IS NOT new.lecturer_id BEGIN
  DELETE FROM lecturer_sessions
    WHERE lecturer_id = old.lecturer_id AND session_id = old.session_id
      AND date = (SELECT date FROM sessions WHERE id = old.session_id);
  INSERT INTO lecturer_sessions (lecturer_id, date, session_id, campaign_id, host_path,
                                 region_code, format, audience_group)
    SELECT new.lecturer_id, s.date, s.id, s.campaign_id, s.host_path, s.region_code, s.format,
           s.audience_group
      FROM sessions s WHERE s.id = new.session_id;
END;

CREATE TRIGGER lecturer_sessions_session_update
  AFTER UPDATE OF date, campaign_id, host_path, region_code, format, audience_group ON sessions
  WHEN old.date IS NOT new.date OR old.campaign_id IS NOT new.campaign_id
    OR old.host_path IS NOT new.host_path OR old.region_code IS NOT new.region_code
    OR old.format IS NOT new.format OR old.audience_group IS NOT new.audience_group BEGIN
  UPDATE lecturer_sessions
    SET date = new.date, campaign_id = new.campaign_id, host_path = new.host_path,
        region_code = new.region_code, format = new.format, audience_group = new.audience_group
    WHERE lecturer_id IN (SELECT lecturer_id FROM session_lecturers WHERE session_id = old.id)
      AND date = old.date AND session_id = old.id;
END;

-- Before the row goes: the links that cascade after it can no longer give the date.
CREATE TRIGGER lecturer_sessions_session_delete BEFORE DELETE ON sessions BEGIN
  DELETE FROM lecturer_sessions
    WHERE lecturer_id IN (SELECT lecturer_id FROM session_lecturers WHERE session_id = old.id)
      AND date = old.date AND session_id = old.id;
END;

INSERT INTO lecturer_sessions (lecturer_id, date, session_id, campaign_id, host_path, region_code,
                               format, audience_group)
  SELECT m.lecturer_id, s.date, s.id, s.campaign_id, s.host_path, s.region_code, s.format,
         s.audience_group
    FROM session_lecturers m JOIN sessions s ON s.id = m.session_id
    ORDER BY 1, 2, 3;

-- A league's campaign and audience group (`campaign_id` with `audience_group`, and a format
-- beside them): the page walked the campaign's index newest first and read each session's row
-- to test its group and host (~9,000 rows for a league's page of 50 at a million sessions,
-- 16–25 ms of CPU). This index walks the campaign's sessions of that group alone, and tests the
-- host and the format from the index: ~1,000 index entries and the page's 50 rows.
CREATE INDEX sessions_campaign_group
  ON sessions (campaign_id, audience_group, date, id, host_path, format);
