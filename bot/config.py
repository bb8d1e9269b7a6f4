"""Settings from the environment (and ``.env``, loaded by the CLI with python-dotenv).

``Settings.from_env()`` fails fast with a :class:`ConfigError` naming the variable and what is
accepted. The token and the database URL (which may hold a password) are kept out of ``repr``
and never printed or logged.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    # The shards this process runs (None: every shard), for the sharding work to come.
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
        return cls(
            token=token, db_path=Path(db_path), log_level=level, dev_guild_id=dev_guild_id, database_url=database_url
        )
