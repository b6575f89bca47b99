-- Issue 13 (hardening).

-- 签到 is limited per address as answers are: the count looks up one address's recent rows.
CREATE INDEX attendance_address ON attendance (address, at);

-- A calendar feed is now the lecturer's own (only they may make or renew its link): it shows
-- their whole agenda, which reaches beyond any one organiser's subtree. Links made before could
-- have been made by an organiser and handed out: they end here; a lecturer makes a new one on
-- 我的日程 in one click.
DELETE FROM calendar_links;
