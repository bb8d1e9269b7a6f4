"""Settings from the environment (and ``.env``, loaded by the CLI with python-dotenv).

``Settings.from_env()`` fails fast with a :class:`ConfigError` naming the variable and what is
accepted. The token and the database URL (which may hold a password) are kept out of ``repr``
and never printed or logged.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.store.database import DatabaseURL

DEFAULT_DB_PATH = "linkwise.db"
DISCORD_ORIGIN = "https://discord.com"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(ValueError):
    """A setting is missing or invalid; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    db_path: Path = Path(DEFAULT_DB_PATH)
    log_level: str = "INFO"
    dev_guild_id: int | None = None
    # LINKWISE_DATABASE_URL; None means SQLite at db_path. A sqlite:/// URL also sets db_path.
    database_url: str | None = field(default=None, repr=False)
    # LINKWISE_SHARD_COUNT / LINKWISE_SHARD_IDS: the shards this process runs. Both None: every
    # shard, as many as Discord recommends; a count alone: every shard of that count.
    shard_ids: tuple[int, ...] | None = None
    shard_count: int | None = None
    # Where links to messages point (Discord's web address; the demo points them at its own page).
    # Not read from the environment: a real bot's links always open Discord.
    link_origin: str = DISCORD_ORIGIN

    @property
    def database(self) -> DatabaseURL:
        """The database to open: a PostgreSQL LINKWISE_DATABASE_URL, else the SQLite file at
        db_path (which a sqlite:/// URL has set)."""
        from bot.store.database import DatabaseURL

        if self.database_url:
            parsed = DatabaseURL.parse(self.database_url)
            if parsed.engine == "postgresql":
                return parsed
        return DatabaseURL.for_path(self.db_path)

    @property
    def owned_shards(self) -> tuple[int, ...] | None:
        """The shards this process runs when they are not all of them (other processes run the
        rest); None when it runs every shard."""
        if self.shard_ids is None or self.shard_count is None:
            return None
        if set(self.shard_ids) == set(range(self.shard_count)):
            return None
        return self.shard_ids

    def checked_shards(self) -> Settings:
        """These settings, or a :class:`ConfigError` if their shard options do not fit together
        or leave shards to other processes on SQLite (which one process only may use)."""
        ids, count = check_shards(self.shard_ids, self.shard_count)
        checked = self if (ids, count) == (self.shard_ids, self.shard_count) else replace(
            self, shard_ids=ids, shard_count=count
        )
        if checked.owned_shards is not None and self.database.engine != "postgresql":
            raise ConfigError(
                f"{SHARD_IDS} {format_shards(checked.owned_shards)} of {SHARD_COUNT}={count} leaves the other "
                "shards to other Linkwise processes, and several processes need PostgreSQL: set "
                "LINKWISE_DATABASE_URL=postgresql://user:password@host:port/name, or run every shard in this "
                f"process (leave {SHARD_IDS} unset)."
            )
        return checked

    @property
    def log_level_number(self) -> int:
        return int(logging.getLevelName(self.log_level))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, require_token: bool = False) -> Settings:
        env = os.environ if environ is None else environ
        token = (env.get("DISCORD_TOKEN") or "").strip() or None
        if require_token and token is None:
            raise ConfigError(
                "DISCORD_TOKEN is not set. Put your bot token in a .env file (copy .env.example) "
                "or export DISCORD_TOKEN before running `linkwise run`."
            )
        if token is not None and (any(c.isspace() for c in token) or len(token) < 50):
            raise ConfigError(
                "DISCORD_TOKEN does not look like a bot token (it should be one line of about 70 "
                "characters from the Bot page of the Discord Developer Portal)."
            )

        db_path = (env.get("LINKWISE_DB_PATH") or "").strip() or DEFAULT_DB_PATH
        database_url = (env.get("LINKWISE_DATABASE_URL") or "").strip() or None
        if database_url is not None:
            from bot.store.database import DatabaseURL, DatabaseURLError

            try:
                parsed = DatabaseURL.parse(database_url)
            except DatabaseURLError as error:
                raise ConfigError(f"LINKWISE_DATABASE_URL: {error}.") from None
            if parsed.engine != "postgresql" and "://" not in database_url:
                raise ConfigError(
                    "LINKWISE_DATABASE_URL must be a URL: sqlite:///path/to/file.db or "
                    "postgresql://user:password@host:port/name (for a plain file, set LINKWISE_DB_PATH)."
                )
            if parsed.path is not None:
                db_path = str(parsed.path)

        level = (env.get("LINKWISE_LOG_LEVEL") or "INFO").strip().upper()
        if level not in LOG_LEVELS:
            raise ConfigError(f"LINKWISE_LOG_LEVEL is {level!r}; use one of {', '.join(LOG_LEVELS)}.")

        raw_guild = (env.get("LINKWISE_DEV_GUILD_ID") or "").strip()
        dev_guild_id = None
        if raw_guild:
            if not (raw_guild.isascii() and raw_guild.isdigit()) or not 15 <= len(raw_guild) <= 21:
                raise ConfigError(
                    f"LINKWISE_DEV_GUILD_ID is {raw_guild!r}; use a server id (a number of 17-20 digits, "
                    "from Copy Server ID in Discord's developer mode) or leave it empty."
                )
            dev_guild_id = int(raw_guild)
        shard_count = parse_shard_count(env.get(SHARD_COUNT) or "", SHARD_COUNT)
        shard_ids = parse_shard_ids(env.get(SHARD_IDS) or "", SHARD_IDS)
        return cls(
            token=token,
            db_path=Path(db_path),
            log_level=level,
            dev_guild_id=dev_guild_id,
            database_url=database_url,
            shard_ids=shard_ids,
            shard_count=shard_count,
        ).checked_shards()


# ---------------------------------------------------------------------- shards
SHARD_COUNT = "LINKWISE_SHARD_COUNT"
SHARD_IDS = "LINKWISE_SHARD_IDS"
MAX_SHARDS = 100_000  # far beyond any bot's need (Discord: about one shard per 1,000 servers)


def parse_shard_count(text: str, name: str = SHARD_COUNT) -> int | None:
    """``LINKWISE_SHARD_COUNT`` (or ``--shard-count``): a whole number from 1; empty is None."""
    raw = text.strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_SHARDS:
        raise ConfigError(
            f"{name} is {raw!r}; use the total number of shards of the bot, a whole number from 1 "
            f"(the same in every process), or leave it empty to run every shard Discord recommends."
        )
    return int(raw)


def parse_shard_ids(text: str, name: str = SHARD_IDS) -> tuple[int, ...] | None:
    """``LINKWISE_SHARD_IDS`` (or ``--shard-ids``): shard numbers and ranges, ``0,2-3``, in
    order, without duplicates; empty is None. Whether they fit the count is :func:`check_shards`."""
    raw = text.strip()
    if not raw:
        return None
    accepted = "write shard numbers and ranges separated by commas, e.g. 0,2-3 (shards count from 0)"
    ids: list[int] = []
    for part in raw.split(","):
        piece = part.strip()
        low, dash, high = piece.partition("-")
        low, high = low.strip(), high.strip()
        if not _whole(low) or (dash and not _whole(high)):
            raise ConfigError(f"{name} is {raw!r}: {piece!r} is not a shard number or a range; {accepted}.")
        first, last = int(low), int(high) if dash else int(low)
        if last < first:
            raise ConfigError(f"{name} is {raw!r}: the range {piece!r} runs backwards; write it {last}-{first}.")
        if last - first >= MAX_SHARDS:
            raise ConfigError(f"{name} is {raw!r}: the range {piece!r} is larger than any shard count.")
        for shard in range(first, last + 1):
            if shard in ids:
                raise ConfigError(f"{name} is {raw!r}: shard {shard} is listed twice; list each shard once.")
            ids.append(shard)
    return tuple(sorted(ids))


def _whole(text: str) -> bool:
    return text.isascii() and text.isdigit()


def check_shards(ids: Sequence[int] | None, count: int | None) -> tuple[tuple[int, ...] | None, int | None]:
    """The shard options as a process runs them, or a :class:`ConfigError` saying what is wrong."""
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_SHARDS):
        raise ConfigError(f"{SHARD_COUNT} is {count!r}; use a whole number from 1.")
    if ids is None:
        return None, count
    listed = tuple(ids)
    if any(isinstance(i, bool) or not isinstance(i, int) or i < 0 for i in listed):
        raise ConfigError(f"{SHARD_IDS} {list(listed)} holds something that is not a shard number (0, 1, 2...).")
    if not listed:
        raise ConfigError(f"{SHARD_IDS} is empty; list this process's shards, e.g. 0,2-3, or leave it unset.")
    duplicates = sorted({i for i in listed if listed.count(i) > 1})
    if duplicates:
        raise ConfigError(f"{SHARD_IDS}: shard {duplicates[0]} is listed twice; list each shard once.")
    if count is None:
        raise ConfigError(
            f"{SHARD_IDS} is set ({format_shards(listed)}) but {SHARD_COUNT} is not: shard numbers only mean "
            f"something with the total, so set {SHARD_COUNT} (or --shard-count; the same in every process) too."
        )
    outside = [i for i in listed if i >= count]
    if outside:
        raise ConfigError(
            f"{SHARD_IDS}: shard {outside[0]} does not exist with {SHARD_COUNT}={count}; "
            f"shards count from 0, so use numbers from 0 to {count - 1}."
        )
    return tuple(sorted(listed)), count


def format_shards(ids: Sequence[int]) -> str:
    """``(0, 2, 3)`` as ``0,2-3``: how the options write them."""
    out: list[str] = []
    ordered = sorted(ids)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        out.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return ",".join(out)
