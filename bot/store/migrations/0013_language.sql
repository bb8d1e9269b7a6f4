-- 0012: the language Linkwise speaks in a server (/settings language).

-- 'en' or 'fr'; NULL is "auto", the default: each member is answered in their Discord language
-- where Linkwise has it, else the server's preferred locale, else English.
ALTER TABLE guild_settings ADD COLUMN language TEXT CHECK (language IN ('en', 'fr'));
