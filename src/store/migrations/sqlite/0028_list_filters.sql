-- Issue 17 point 2: every filtered session list under 50 ms at 1,000,000 sessions.
--
-- A format with a place (`format` with `region_code` or `audience_group`) is counted from
-- session_tallies (store.cpp, Tx::sessions). Its primary key leads with the campaign and the
-- host, so the count read every row of the campaign (249,259 at a million generated sessions);
-- this index reads only the format's rows of the campaign in the region's range, and holds the
-- count itself (the table's key columns ride along in a WITHOUT ROWID index).
CREATE INDEX session_tallies_format
  ON session_tallies (format, campaign_id, region_code, audience_group, day, sessions);

-- The text search (`q`: a substring of title or venue, LIKE '%…%'): an FTS5 index of each
-- session's character bigrams (src/store/text_search.hpp), since Chinese queries are mostly two
-- characters, too short for a trigram index. Contentless and without positions: it only narrows
-- the sessions the LIKE then tests, from every session to those holding all of the query's
-- bigrams. Kept by the triggers below in the same statement as the session's write, whatever
-- writes it (one by one, the bulk loader, migrate-data); xj_bigrams is registered by the store
-- on every connection it opens.
CREATE VIRTUAL TABLE session_text USING fts5 (words, content = '', detail = none,
                                              tokenize = 'ascii');

CREATE TRIGGER session_text_insert AFTER INSERT ON sessions BEGIN
  INSERT INTO session_text (rowid, words) VALUES (new.id, xj_bigrams(new.title, new.venue));
END;

-- A contentless table forgets its texts: a row is taken out by giving the words it was indexed
-- with, which the old title and venue give again.
CREATE TRIGGER session_text_update AFTER UPDATE OF title, venue ON sessions
  WHEN old.title IS NOT new.title OR old.venue IS NOT new.venue BEGIN
  INSERT INTO session_text (session_text, rowid, words)
    VALUES ('delete', old.id, xj_bigrams(old.title, old.venue));
  INSERT INTO session_text (rowid, words) VALUES (new.id, xj_bigrams(new.title, new.venue));
END;

CREATE TRIGGER session_text_delete AFTER DELETE ON sessions BEGIN
  INSERT INTO session_text (session_text, rowid, words)
    VALUES ('delete', old.id, xj_bigrams(old.title, old.venue));
END;

INSERT INTO session_text (rowid, words) SELECT id, xj_bigrams(title, venue) FROM sessions;

-- A query of one bigram (two characters, the usual Chinese query) matches exactly what the index
-- matches: counting it within a scope needs only each match's host path, read here rather than
-- from the session's row (Tx::sessions names this index).
CREATE INDEX sessions_id_scope ON sessions (id, host_path);
