-- Issue 17 (the write cost): two b-trees fewer written by every recorded session.
--
-- Nothing reads the audit log by time: its lists go newest first by id (the table's own order,
-- or the filters' indexes of 0023, which end with the id).
DROP INDEX audit_log_at;

-- The text index (0028) kept each session's number of words (session_text_docsize), which only
-- ranking reads; the lists only filter by it. Built again without them (columnsize = 0).
DROP TABLE session_text;
CREATE VIRTUAL TABLE session_text USING fts5 (words, content = '', detail = none,
                                              columnsize = 0, tokenize = 'ascii');
INSERT INTO session_text (rowid, words) SELECT id, xj_bigrams(title, venue) FROM sessions;
