"""Small reads (``small=True``: a few rows through an index) on SQLite, on a real file: answered
on the event loop's thread, they see every committed write, this process's or another's."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.store import Store, settings


async def test_a_small_read_sees_each_write_as_soon_as_it_returns(tmp_path: Path):
    store = await Store.open(tmp_path / "linkwise.db")
    try:
        for language in ("fr", "en", "auto"):
            await settings.set_language(store, 7, language)
            assert await settings.language(store, 7) == language
        # Writes from another process too: the last commit, whoever made it.
        with sqlite3.connect(tmp_path / "linkwise.db") as other:
            other.execute("UPDATE guild_settings SET language = 'fr' WHERE guild_id = 7")
        other.close()
        assert await settings.language(store, 7) == "fr"
    finally:
        await store.close()
