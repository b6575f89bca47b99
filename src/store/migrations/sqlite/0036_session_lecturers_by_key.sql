-- Issue 17 (the write cost): session_lecturers was a rowid table beside the b-tree of its primary
-- key, two b-trees written for every link; without a rowid the key is the table. Built again
-- under the same name (not renamed: the triggers of 0032 on sessions name it), its rows taken
-- through a copy, and the triggers of 0032 on it made again after the rows are back (else
-- lecturer_sessions would get every link a second time).
CREATE TABLE session_lecturers_copy AS SELECT session_id, lecturer_id, ordinal FROM session_lecturers;
DROP TABLE session_lecturers;
CREATE TABLE session_lecturers (
  session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  lecturer_id INTEGER NOT NULL REFERENCES lecturers (id),
  ordinal     INTEGER NOT NULL,
  PRIMARY KEY (session_id, lecturer_id)
) WITHOUT ROWID;
INSERT INTO session_lecturers (session_id, lecturer_id, ordinal)
  SELECT session_id, lecturer_id, ordinal FROM session_lecturers_copy ORDER BY session_id, lecturer_id;
DROP TABLE session_lecturers_copy;
CREATE INDEX session_lecturers_lecturer ON session_lecturers (lecturer_id);

CREATE TRIGGER lecturer_sessions_link_insert AFTER INSERT ON session_lecturers BEGIN
  INSERT INTO lecturer_sessions (lecturer_id, date, session_id, campaign_id, host_path,
                                 region_code, format, audience_group)
    SELECT new.lecturer_id, s.date, s.id, s.campaign_id, s.host_path, s.region_code, s.format,
           s.audience_group
      FROM sessions s WHERE s.id = new.session_id;
END;

-- As in 0032: the copy's key holds the date, the session's row gives it.
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
