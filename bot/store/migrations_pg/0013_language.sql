-- 0012 (PostgreSQL twin of migrations/0012_language.sql): the language Linkwise speaks in a
-- server (/settings language). 'en' or 'fr'; NULL is "auto", the default.

ALTER TABLE guild_settings ADD COLUMN language text CHECK (language IN ('en', 'fr'));
