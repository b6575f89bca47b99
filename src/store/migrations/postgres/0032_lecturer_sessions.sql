-- Issue 17 point 2: a lecturer's sessions with other filters (`lecturer_id` with a format, a
-- campaign, a region or an audience group) under 50 ms at a million sessions.
--
-- The list walked the date index testing each session for the lecturer, or read the
-- lecturer's ~18,500 sessions through session_lecturers and sorted them: 1.7–3 s p50 at 8
-- connections. lecturer_sessions is a narrow copy of the session–lecturer link with the
-- session's date (the list's order) and the columns the list filters on, so a lecturer's page
-- walks that lecturer's rows newest first (the key, with the filters' columns beside it for an
-- index-only scan once vacuumed), and reads the session rows of the page alone; a count the kept
-- sums cannot give (an audience group) reads the same rows.
-- Derived: kept by the triggers below in the same statement as each write to session_lecturers
-- or sessions, whatever writes them (one by one, the bulk loader's COPY, migrate-data), and not
-- copied by migrate-data (the triggers rebuild it from the copied links). The triggers are per
-- statement with transition tables, so a COPY of a million links adds its copy in one join.
CREATE TABLE lecturer_sessions (
  lecturer_id    BIGINT NOT NULL,
  date           TEXT NOT NULL,
  session_id     BIGINT NOT NULL,
  campaign_id    BIGINT,
  host_path      TEXT COLLATE "C" NOT NULL,
  region_code    TEXT NOT NULL,
  format         TEXT NOT NULL,
  audience_group TEXT NOT NULL,
  PRIMARY KEY (lecturer_id, date, session_id)
    INCLUDE (campaign_id, host_path, region_code, format, audience_group)
);

CREATE FUNCTION lecturer_sessions_links_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lecturer_sessions (lecturer_id, date, session_id, campaign_id, host_path,
                                 region_code, format, audience_group)
    SELECT a.lecturer_id, s.date, s.id, s.campaign_id, s.host_path, s.region_code, s.format,
           s.audience_group
      FROM added a JOIN sessions s ON s.id = a.session_id;
  RETURN NULL;
END $$;
CREATE TRIGGER lecturer_sessions_links_added AFTER INSERT ON session_lecturers
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT
  EXECUTE FUNCTION lecturer_sessions_links_added();

-- The copy's key holds the date; the session's row gives it (the session's own trigger below
-- has already moved the copy to the session's current date). A session deleted with its links
-- (ON DELETE CASCADE) has taken its copy with it first (lecturer_sessions_session_deleted).
CREATE FUNCTION lecturer_sessions_links_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM lecturer_sessions c USING removed r, sessions s
    WHERE s.id = r.session_id AND c.lecturer_id = r.lecturer_id AND c.date = s.date
      AND c.session_id = r.session_id;
  RETURN NULL;
END $$;
CREATE TRIGGER lecturer_sessions_links_removed AFTER DELETE ON session_lecturers
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
  EXECUTE FUNCTION lecturer_sessions_links_removed();

-- (A trigger with transition tables takes no column list: it runs on every update of a link,
-- and changes the copy only where the link's session or lecturer changed.)
CREATE FUNCTION lecturer_sessions_links_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM lecturer_sessions c USING removed r, sessions s
    WHERE s.id = r.session_id AND c.lecturer_id = r.lecturer_id AND c.date = s.date
      AND c.session_id = r.session_id
      AND NOT EXISTS (SELECT 1 FROM added a
                      WHERE a.session_id = r.session_id AND a.lecturer_id = r.lecturer_id);
  INSERT INTO lecturer_sessions (lecturer_id, date, session_id, campaign_id, host_path,
                                 region_code, format, audience_group)
    SELECT a.lecturer_id, s.date, s.id, s.campaign_id, s.host_path, s.region_code, s.format,
           s.audience_group
      FROM added a JOIN sessions s ON s.id = a.session_id
      WHERE NOT EXISTS (SELECT 1 FROM removed r
                        WHERE r.session_id = a.session_id AND r.lecturer_id = a.lecturer_id);
  RETURN NULL;
END $$;
CREATE TRIGGER lecturer_sessions_links_changed AFTER UPDATE ON session_lecturers
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT
  EXECUTE FUNCTION lecturer_sessions_links_changed();

CREATE FUNCTION lecturer_sessions_sessions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE lecturer_sessions c
    SET date = n.date, campaign_id = n.campaign_id, host_path = n.host_path,
        region_code = n.region_code, format = n.format, audience_group = n.audience_group
    FROM before_rows o JOIN after_rows n ON n.id = o.id
      JOIN session_lecturers m ON m.session_id = o.id
    WHERE (o.date, o.campaign_id, o.host_path, o.region_code, o.format, o.audience_group)
            IS DISTINCT FROM
          (n.date, n.campaign_id, n.host_path, n.region_code, n.format, n.audience_group)
      AND c.lecturer_id = m.lecturer_id AND c.date = o.date AND c.session_id = o.id;
  RETURN NULL;
END $$;
CREATE TRIGGER lecturer_sessions_sessions_changed AFTER UPDATE ON sessions
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows FOR EACH STATEMENT
  EXECUTE FUNCTION lecturer_sessions_sessions_changed();

-- Before the row goes: the links that cascade after it can no longer give the date.
CREATE FUNCTION lecturer_sessions_session_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM lecturer_sessions
    WHERE lecturer_id IN (SELECT lecturer_id FROM session_lecturers WHERE session_id = OLD.id)
      AND date = OLD.date AND session_id = OLD.id;
  RETURN OLD;
END $$;
CREATE TRIGGER lecturer_sessions_session_deleted BEFORE DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION lecturer_sessions_session_deleted();

INSERT INTO lecturer_sessions (lecturer_id, date, session_id, campaign_id, host_path, region_code,
                               format, audience_group)
  SELECT m.lecturer_id, s.date, s.id, s.campaign_id, s.host_path, s.region_code, s.format,
         s.audience_group
    FROM session_lecturers m JOIN sessions s ON s.id = m.session_id;

-- A league's campaign and audience group (`campaign_id` with `audience_group`, and a format
-- beside them): the page walked the campaign's index newest first testing each session's group
-- (~9,000 index entries for a league's page of 50 at a million sessions). This index walks the
-- campaign's sessions of that group alone, testing the host and the format in an index-only scan.
CREATE INDEX sessions_campaign_group ON sessions (campaign_id, audience_group, date, id)
  INCLUDE (host_path, format, region_code);
