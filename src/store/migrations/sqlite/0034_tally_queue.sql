-- Issue 17 (the write cost): a session recorded one at a time no longer adds to the kept sums of
-- 0015, 0016 and 0025 in its own transaction; it is queued here, in the same transaction, and
-- folded into them, many at once, before anything reads them (and every few seconds by the
-- server). The kept sums hold every session but the queued ones, and every other change of the
-- kept sums passes the queued sessions by (store/tallies.cpp): whatever happens to a session
-- while it waits, the fold adds it as it then stands. An append here is one page; the sums it
-- replaces dirtied some thirty across their tables and indexes.
CREATE TABLE tally_queue (
  session_id INTEGER PRIMARY KEY
);
