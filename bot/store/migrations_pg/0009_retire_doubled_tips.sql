-- 0009 (PostgreSQL twin of migrations/0009_retire_doubled_tips.sql, the same portable SQL): three built-in tips that said the same thing as another were merged into it and retired.
-- Members keep their progress: a tip they tried, saw or had posted under a retired id now counts
-- for the tip it was merged into (where they already have that tip, the row they had is kept).
-- Seen rows move only for selections that contain the surviving tip ('all' and its topic); the
-- others are dropped, as the retired tip is no longer in those selections.
-- Retired ids never come back (bot/content RETIRED_TIPS maps them for buttons on old posts).
-- Portable SQL: INSERT ... SELECT ... WHERE ... ON CONFLICT DO NOTHING works on SQLite and PostgreSQL.

-- companies-engage-with-posts -> contributing-comment-with-substance
INSERT INTO tip_tried (guild_id, user_id, tip_id, tried_at)
SELECT guild_id, user_id, 'contributing-comment-with-substance', tried_at FROM tip_tried
WHERE tip_id = 'companies-engage-with-posts'
ON CONFLICT DO NOTHING;
DELETE FROM tip_tried WHERE tip_id = 'companies-engage-with-posts';

INSERT INTO tip_seen (guild_id, user_id, selection, tip_id, seen_at)
SELECT guild_id, user_id, selection, 'contributing-comment-with-substance', seen_at FROM tip_seen
WHERE tip_id = 'companies-engage-with-posts' AND selection IN ('all', 'contributing')
ON CONFLICT DO NOTHING;
DELETE FROM tip_seen WHERE tip_id = 'companies-engage-with-posts';

INSERT INTO rotation (guild_id, kind, item_id, used_at)
SELECT guild_id, kind, 'contributing-comment-with-substance', used_at FROM rotation
WHERE kind = 'tip' AND item_id = 'companies-engage-with-posts'
ON CONFLICT DO NOTHING;
DELETE FROM rotation WHERE kind = 'tip' AND item_id = 'companies-engage-with-posts';

-- contributing-share-resource-weekly -> contributing-share-what-you-learned
INSERT INTO tip_tried (guild_id, user_id, tip_id, tried_at)
SELECT guild_id, user_id, 'contributing-share-what-you-learned', tried_at FROM tip_tried
WHERE tip_id = 'contributing-share-resource-weekly'
ON CONFLICT DO NOTHING;
DELETE FROM tip_tried WHERE tip_id = 'contributing-share-resource-weekly';

INSERT INTO tip_seen (guild_id, user_id, selection, tip_id, seen_at)
SELECT guild_id, user_id, selection, 'contributing-share-what-you-learned', seen_at FROM tip_seen
WHERE tip_id = 'contributing-share-resource-weekly' AND selection IN ('all', 'contributing')
ON CONFLICT DO NOTHING;
DELETE FROM tip_seen WHERE tip_id = 'contributing-share-resource-weekly';

INSERT INTO rotation (guild_id, kind, item_id, used_at)
SELECT guild_id, kind, 'contributing-share-what-you-learned', used_at FROM rotation
WHERE kind = 'tip' AND item_id = 'contributing-share-resource-weekly'
ON CONFLICT DO NOTHING;
DELETE FROM rotation WHERE kind = 'tip' AND item_id = 'contributing-share-resource-weekly';

-- recruiters-headline-and-note-not-cv -> recruiters-connect-with-a-note
INSERT INTO tip_tried (guild_id, user_id, tip_id, tried_at)
SELECT guild_id, user_id, 'recruiters-connect-with-a-note', tried_at FROM tip_tried
WHERE tip_id = 'recruiters-headline-and-note-not-cv'
ON CONFLICT DO NOTHING;
DELETE FROM tip_tried WHERE tip_id = 'recruiters-headline-and-note-not-cv';

INSERT INTO tip_seen (guild_id, user_id, selection, tip_id, seen_at)
SELECT guild_id, user_id, selection, 'recruiters-connect-with-a-note', seen_at FROM tip_seen
WHERE tip_id = 'recruiters-headline-and-note-not-cv' AND selection IN ('all', 'recruiters')
ON CONFLICT DO NOTHING;
DELETE FROM tip_seen WHERE tip_id = 'recruiters-headline-and-note-not-cv';

INSERT INTO rotation (guild_id, kind, item_id, used_at)
SELECT guild_id, kind, 'recruiters-connect-with-a-note', used_at FROM rotation
WHERE kind = 'tip' AND item_id = 'recruiters-headline-and-note-not-cv'
ON CONFLICT DO NOTHING;
DELETE FROM rotation WHERE kind = 'tip' AND item_id = 'recruiters-headline-and-note-not-cv';
