"""The ``linkwise`` command: run | demo | check | backup | forget."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

import discord
from dotenv import find_dotenv, load_dotenv

from bot import __version__
from bot.config import ConfigError, Settings

log = logging.getLogger("linkwise")


def _fail(message: str, code: int = 1) -> int:
    print(f"linkwise: {message}", file=sys.stderr)
    return code


def _settings(args: argparse.Namespace, *, require_token: bool = False) -> Settings:
    # The .env of the directory the operator runs from (find_dotenv's default looks beside
    # this module instead, i.e. inside the installed package).
    load_dotenv(find_dotenv(usecwd=True), override=False)
    settings = Settings.from_env(require_token=require_token)
    db = getattr(args, "db", None)
    if db:
        import dataclasses

        settings = dataclasses.replace(settings, db_path=Path(db))
    return settings


# ---------------------------------------------------------------------- run
def cmd_run(args: argparse.Namespace) -> int:
    from bot.app import create_bot
    from bot.content import ContentError
    from bot.store import InstanceLock, StoreError

    try:
        settings = _settings(args, require_token=True)
    except ConfigError as error:
        return _fail(f"{error} See .env.example for every setting.", 2)
    lock = InstanceLock(settings.db_path)
    if not lock.acquire():
        return _fail(
            f"another Linkwise is already running on {settings.db_path} (lock file {lock.path}). "
            "Stop it first, or set LINKWISE_DB_PATH to a different database.",
            3,
        )
    problem = _database_problem(settings.db_path)
    if problem:
        lock.release()
        return _fail(problem, 2)
    discord.utils.setup_logging(level=settings.log_level_number, root=True)
    bot = create_bot(settings=settings, force_sync=args.sync)

    async def main() -> None:
        async with bot:
            await bot.start(settings.token or "")

    try:
        asyncio.run(main())
    except discord.LoginFailure:
        return _fail("Discord rejected DISCORD_TOKEN. Reset the token on the Bot page and update .env.", 2)
    except discord.PrivilegedIntentsRequired:
        return _fail("Discord refused the connection's intents; Linkwise needs no privileged intents.", 2)
    except (discord.HTTPException, discord.GatewayNotFound, OSError) as error:
        # The message names the failure, never the token (discord.py does not echo it either).
        return _fail(f"could not connect to Discord: {type(error).__name__}: {error}", 1)
    except (StoreError, ContentError) as error:
        # Raised from setup_hook (after login): e.g. a database from a newer Linkwise.
        return _fail(str(error), 2)
    except KeyboardInterrupt:
        pass
    finally:
        lock.release()
    return 0


def _database_problem(path: Path) -> str | None:
    """Why Linkwise must not start on ``path``, found before connecting to Discord (the store
    would find it too, but only after logging in): a file that is not a database, or one
    written by a newer Linkwise. None when the database is usable or does not exist yet."""
    from bot.store import inspect_database, latest_version, newer_version_message

    if not path.exists():
        return None
    try:
        version, _ = inspect_database(path, check=False)
    except sqlite3.DatabaseError as error:
        return f"{path} cannot be read as a Linkwise database ({error}). Check LINKWISE_DB_PATH."
    if version > latest_version():
        return newer_version_message(path, version, latest_version())
    return None


# ---------------------------------------------------------------------- check
def cmd_check(args: argparse.Namespace) -> int:
    from bot.content import ContentError, load_content
    from bot.store import StoreError, inspect_database, latest_version, newer_version_message

    problems = 0
    try:
        settings = _settings(args)
        print("settings: ok" + ("" if settings.token else " (DISCORD_TOKEN is not set: `linkwise run` needs it)"))
    except ConfigError as error:
        print(f"settings: {error}")
        return 1
    try:
        content = load_content()  # English and every translation, each entry against its English one
        print(
            f"content: ok ({len(content.tips)} tips, {len(content.checklists)} checklists with "
            f"{sum(len(c.items) for c in content.checklists)} items, {len(content.prompts)} prompts)"
        )
        for locale in content.locales[1:]:
            print(f"content ({locale}): {_translation_state(content.localized(locale).untranslated)}")
    except ContentError as error:
        print(f"content: {error}")
        problems += 1
    try:
        from bot.review import load_rules

        rules = load_rules()
        print(f"review rules: ok ({len(rules.rules)} rules)")
    except ValueError as error:
        print(f"review rules: {error}")
        problems += 1
    known = latest_version()
    if not settings.db_path.exists():
        print(f"database: {settings.db_path} does not exist yet; it is created on first run")
    else:
        try:
            version, check = inspect_database(settings.db_path)
        except (OSError, StoreError, Exception) as error:  # noqa: BLE001 - reported, not raised
            print(f"database: {settings.db_path} cannot be read: {error}")
            return 1
        if version > known:
            print(f"database: {newer_version_message(settings.db_path, version, known)}")
            problems += 1
        elif check != "ok":
            print(f"database: integrity check failed: {check}")
            problems += 1
        else:
            pending = f", {known - version} migration(s) to apply on next start" if version < known else ""
            print(f"database: ok ({settings.db_path}, schema {version}{pending})")
    return 1 if problems else 0


def _translation_state(untranslated: tuple[str, ...]) -> str:
    """``ok`` or, per file, how many entries still lack their translation (they are shown in English)."""
    if not untranslated:
        return "ok, every entry translated"
    per_file: dict[str, int] = {}
    for entry in untranslated:
        name = entry.split(": ", 1)[0]
        per_file[name] = per_file.get(name, 0) + 1
    files = ", ".join(f"{name} ({count})" for name, count in per_file.items())
    return f"{len(untranslated)} entries not translated yet, shown in English: {files}"


# ---------------------------------------------------------------------- backup
def cmd_backup(args: argparse.Namespace) -> int:
    from bot.store import backup_database

    settings = _settings(args)
    target = Path(args.path)
    if not settings.db_path.exists():
        return _fail(f"there is no database at {settings.db_path} to back up")
    if target.exists() and not args.force:
        return _fail(f"{target} already exists; choose a new path or pass --force to overwrite it")
    if target.exists():
        target.unlink()
    result = backup_database(settings.db_path, target)
    if result != "ok":
        return _fail(f"the backup at {target} failed its integrity check: {result}")
    print(f"backed up {settings.db_path} to {target} (integrity check: ok)")
    return 0


# ---------------------------------------------------------------------- forget
# The largest id a Discord user can have that SQLite stores (a signed 64-bit INTEGER); Discord's
# ids (snowflakes) stay below it until the 2080s.
MAX_USER_ID = 2**63 - 1


def parse_user_id(text: str) -> int | str:
    """The user id in ``text``, or why it cannot be one (a one-line message naming USER_ID)."""
    accepted = f"a whole number from 1 to {MAX_USER_ID}, digits only (copy it with Discord's Copy User ID)"
    if not (text.isascii() and text.isdigit()):
        return f"USER_ID must be a Discord user id: {accepted}; {text[:40]!r} is not."
    value = int(text)
    if not 1 <= value <= MAX_USER_ID:
        shown = text if len(text) <= 25 else f"{text[:22]}..."
        return f"USER_ID {shown} cannot be a Discord user id: it must be {accepted}."
    return value


def cmd_forget(args: argparse.Namespace) -> int:
    from bot.store import Store, StoreError, userdata

    user_id = parse_user_id(args.user_id)
    if isinstance(user_id, str):
        return _fail(user_id)
    settings = _settings(args)
    path = settings.db_path
    if not path.exists():
        # Opening it would create an empty database and report that nothing was stored: an
        # operator who mistyped the path would believe the deletion was done.
        return _fail(
            f"the database {path} does not exist, so nothing was deleted. Point --db or "
            "LINKWISE_DB_PATH at the database your bot uses."
        )
    problem = _database_problem(path)
    if problem:
        return _fail(f"{problem} Nothing was deleted.")

    async def forget() -> userdata.Deletion:
        store = await Store.open(path)
        try:
            return await userdata.delete_user(store, user_id, guild_id=None)
        finally:
            await store.close()

    try:
        done = asyncio.run(forget())
    except (StoreError, sqlite3.DatabaseError) as error:
        return _fail(f"{error} Nothing was deleted.")
    detail = ", ".join(f"{table}: {n}" for table, n in done.removed.items() if n) or "nothing was stored"
    print(f"removed {done.total_removed} row(s) about user {user_id} in every server ({detail})")
    if done.total_unnamed:
        kept = ", ".join(f"{table}: {n}" for table, n in done.unnamed.items() if n)
        print(f"took their id off {done.total_unnamed} row(s) the servers keep ({kept})")
    return 0


# ---------------------------------------------------------------------- demo
# The top-level modules of the demo extra, simcord[preview], that bot/demo.py imports by name.
DEMO_EXTRA_MODULES = frozenset({"simcord", "aiohttp", "markdown_it", "linkify_it", "regex", "PIL"})


def cmd_demo(args: argparse.Namespace) -> int:
    try:
        from bot.demo import run_demo
    except ImportError as error:
        missing = (error.name or "").partition(".")[0]
        if missing not in DEMO_EXTRA_MODULES:
            raise  # a bug in Linkwise, not a missing extra: show it as one
        return _fail(
            f"the demo needs SimCord's preview ({missing} is missing or out of date). Install it with:\n"
            '  python -m pip install -e ".[demo]"',
            2,
        )
    if args.port is not None and not 0 <= args.port <= 65535:
        return _fail(f"--port must be between 0 and 65535 (0 picks a free port), not {args.port}", 2)
    return run_demo(port=args.port, open_browser=not args.no_browser, db_path=args.db)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="linkwise",
        description="Linkwise: a Discord bot that teaches LinkedIn etiquette and profile craft to job seekers.",
    )
    parser.add_argument("--version", action="version", version=f"linkwise {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = sub.add_parser("run", help="connect to Discord with DISCORD_TOKEN and serve the group")
    run.add_argument("--sync", action="store_true", help="sync slash commands even if they did not change")
    run.set_defaults(handler=cmd_run)

    demo = sub.add_parser("demo", help="run the real bot offline in a simulated Discord, in your browser")
    demo.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default: any free port)")
    demo.add_argument("--no-browser", action="store_true", help="print the URL but do not open a browser")
    demo.add_argument(
        "--db",
        default=None,
        help="keep the demo's data in this file, not your live bot's database (default: a temporary one)",
    )
    demo.set_defaults(handler=cmd_demo)

    check = sub.add_parser("check", help="validate settings, content files and the database")
    check.add_argument("--db", default=None, help="database file (default: LINKWISE_DB_PATH)")
    check.set_defaults(handler=cmd_check)

    backup = sub.add_parser("backup", help="copy the database with SQLite's online backup API")
    backup.add_argument("path", metavar="PATH", help="where to write the copy")
    backup.add_argument("--db", default=None, help="database file (default: LINKWISE_DB_PATH)")
    backup.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    backup.set_defaults(handler=cmd_backup)

    forget = sub.add_parser("forget", help="delete everything stored about a user, in every server")
    forget.add_argument("user_id", metavar="USER_ID", help="the Discord user id to forget")
    forget.add_argument("--db", default=None, help="database file (default: LINKWISE_DB_PATH)")
    forget.set_defaults(handler=cmd_forget)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ConfigError as error:
        return _fail(str(error), 2)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
