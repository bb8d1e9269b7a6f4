"""Per-server settings: the counsellor role and the default time zone for new schedules."""

from __future__ import annotations

from dataclasses import dataclass

from . import Store


@dataclass(frozen=True)
class GuildSettings:
    counsellor_role_id: int | None = None
    timezone: str | None = None


async def get(store: Store, guild_id: int) -> GuildSettings:
    row = await store.fetchone(
        "SELECT counsellor_role_id, timezone FROM guild_settings WHERE guild_id = ?", (guild_id,)
    )
    return GuildSettings() if row is None else GuildSettings(row[0], row[1])


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
