-- Issue 14 (the office's day).

-- The inbox stays true: a notification that asks someone to act (accept, dispatch, rate) is
-- done once its order has moved on, and no longer counts as waiting. Earlier ones whose order
-- has already moved on are done as of when they were sent.
ALTER TABLE notifications ADD COLUMN done_at INTEGER;
UPDATE notifications SET done_at = at
WHERE order_id IS NOT NULL AND (
  (kind IN ('dispatched', 'not_accepted')
   AND (SELECT o.state FROM orders o WHERE o.id = notifications.order_id) <> 'dispatched')
  OR (kind IN ('not_dispatched', 'declined')
   AND (SELECT o.state FROM orders o WHERE o.id = notifications.order_id) <> 'submitted')
  OR (kind = 'delivered'
   AND (SELECT o.state FROM orders o WHERE o.id = notifications.order_id) <> 'delivered'));

-- A session's feedback form closes some days after the lecture; an organiser may open it again
-- once, for a reason, until a given day. The primary key is the "once".
CREATE TABLE feedback_reopenings (
  session_id  INTEGER PRIMARY KEY REFERENCES sessions (id),
  at          INTEGER NOT NULL,
  account_id  INTEGER NOT NULL REFERENCES accounts (id),
  reason      TEXT NOT NULL,
  open_until  TEXT NOT NULL
);
