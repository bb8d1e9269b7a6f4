-- 0010: who took each rotation row. A post chooses its item and records it in one step, before
-- it is sent (so two posts at the same instant never choose the same item); if the post then
-- does not go out, its own row is given back. `claim` is the token of the post that took the
-- row, so giving back never removes a row a later post took for the same item. NULL on rows
-- written before this version (they are never given back).
ALTER TABLE rotation ADD COLUMN claim TEXT;
