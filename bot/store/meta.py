"""Small key/value facts about the bot itself (the synced command tree's hash)."""

from __future__ import annotations

from . import Store


async def get(store: Store, key: str) -> str | None:
    value = await store.fetchval("SELECT value FROM meta WHERE key = ?", (key,))
    return None if value is None else str(value)


async def put(store: Store, key: str, value: str) -> None:
    await store.write(
        (
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
    )
