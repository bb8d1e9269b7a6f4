"""Settings from the environment (and ``.env``, loaded by the CLI with python-dotenv).

``Settings.from_env()`` fails fast with a :class:`ConfigError` naming the variable and what is
accepted. The token is kept out of ``repr`` and never printed or logged.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DB_PATH = "linkwise.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(ValueError):
    """A setting is missing or invalid; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    db_path: Path = Path(DEFAULT_DB_PATH)
    log_level: str = "INFO"
    dev_guild_id: int | None = None

    @property
    def log_level_number(self) -> int:
        return logging.getLevelName(self.log_level)

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
        return cls(token=token, db_path=Path(db_path), log_level=level, dev_guild_id=dev_guild_id)
