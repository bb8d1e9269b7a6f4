"""Per-server settings: the counsellor role, the default time zone for new schedules, and the
language Linkwise speaks there."""

from __future__ import annotations

from dataclasses import dataclass

from . import Store


@dataclass(frozen=True)
class GuildSettings:
    counsellor_role_id: int | None = None
    timezone: str | None = None
    language: str = "auto"  # "auto", "en" or "fr" (/settings language)


async def get(store: Store, guild_id: int) -> GuildSettings:
    row = await store.fetchone(
        "SELECT counsellor_role_id, timezone, language FROM guild_settings WHERE guild_id = ?", (guild_id,), small=True
    )
    return GuildSettings() if row is None else GuildSettings(row[0], row[1], row[2] or "auto")


async def language(store: Store, guild_id: int) -> str:
    """The server's language setting: "auto" (the default), "en" or "fr"."""
    row = await store.fetchone("SELECT language FROM guild_settings WHERE guild_id = ?", (guild_id,), small=True)
    return (row[0] if row is not None else None) or "auto"


async def set_language(store: Store, guild_id: int, language: str) -> None:
    """Set the server's language: "auto" (stored as NULL), "en" or "fr"."""
    stored = None if language == "auto" else language
    await store.write(
        (
            "INSERT INTO guild_settings (guild_id, language) VALUES (?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET language = excluded.language",
            (guild_id, stored),
        )
    )


async def set_counsellor_role(store: Store, guild_id: int, role_id: int | None) -> None:
    await store.write(
        (
            "INSERT INTO guild_settings (guild_id, counsellor_role_id) VALUES (?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET counsellor_role_id = excluded.counsellor_role_id",
            (guild_id, role_id),
        )
    )


async def set_timezone(store: Store, guild_id: int, timezone: str | None) -> None:
    await store.write(
        (
            "INSERT INTO guild_settings (guild_id, timezone) VALUES (?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET timezone = excluded.timezone",
            (guild_id, timezone),
        )
    )
