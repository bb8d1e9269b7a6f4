-- 0010 (PostgreSQL twin of migrations/0010_rotation_claims.sql): who took each rotation row
-- (the token of the post that took it), so giving a row back never removes a later post's row.
ALTER TABLE rotation ADD COLUMN claim text;
