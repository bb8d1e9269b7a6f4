"""The ``linkwise`` command: run | demo | check | backup | forget | migrate."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Mapping, Sequence
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
    settings = Settings.from_env(_with_shard_options(os.environ, args), require_token=require_token)
    db = getattr(args, "db", None)
    if db:
        settings = _with_database(settings, db)
    return settings


def _with_database(settings: Settings, db: str) -> Settings:
    """``--db``: a SQLite file, or a database URL (sqlite:///... or postgresql://...)."""
    from bot.store.database import DatabaseURL, DatabaseURLError

    if "://" not in db:
        return dataclasses.replace(settings, db_path=Path(db), database_url=None)
    try:
        parsed = DatabaseURL.parse(db)
    except DatabaseURLError as error:
        raise ConfigError(f"--db: {error}.") from None
    return dataclasses.replace(settings, database_url=db, db_path=parsed.path or settings.db_path)


# ---------------------------------------------------------------------- run
def cmd_run(args: argparse.Namespace) -> int:
    from bot.app import ShardsHeld, create_bot
    from bot.content import ContentError
    from bot.store import InstanceLock, StoreError

    try:
        settings = _settings(args, require_token=True)
    except ConfigError as error:
        return _fail(f"{error} See .env.example for every setting.", 2)
    if settings.database.engine == "postgresql":
        guard: _PostgresGuard | None = _PostgresGuard(settings)
        lock = None
    else:
        guard = None
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
        if guard is not None:
            await guard.check()
        async with bot:
            # On PostgreSQL, start() holds this process's shards before logging in.
            await bot.start(settings.token or "")

    try:
        asyncio.run(main())
        if bot.shards_lost:
            return _fail(
                f"the connection holding the instance lock on {settings.database.display} was lost, so Linkwise "
                "stopped (another instance may have started meanwhile). Start it again.",
                1,
            )
    except _Refused as refused:
        return _fail(refused.message, refused.code)
    except ShardsHeld as held:
        return _fail(str(held), 3)
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
        if lock is not None:
            lock.release()
    return 0


def _with_shard_options(environ: Mapping[str, str], args: argparse.Namespace) -> Mapping[str, str]:
    """``--shard-count`` and ``--shard-ids`` (`linkwise run`): they win over LINKWISE_SHARD_COUNT
    and LINKWISE_SHARD_IDS, and are then checked with the rest of the settings."""
    from bot.config import SHARD_COUNT, SHARD_IDS, format_shards, parse_shard_count, parse_shard_ids

    count, ids = getattr(args, "shard_count", None), getattr(args, "shard_ids", None)
    if count is None and ids is None:
        return environ
    out = dict(environ)
    if count is not None:
        out[SHARD_COUNT] = str(parse_shard_count(count, "--shard-count") or "")
    if ids is not None:
        parsed = parse_shard_ids(ids, "--shard-ids")
        out[SHARD_IDS] = format_shards(parsed) if parsed else ""
    return out


class _Refused(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.message, self.code = message, code


class _PostgresGuard:
    """``linkwise run`` on PostgreSQL, before connecting to Discord: refuse a database from a
    newer Linkwise (the bot's ``start`` then holds its shards before logging in)."""

    def __init__(self, settings: Settings) -> None:
        self.db = settings.database

    async def check(self) -> None:
        from bot.store import StoreError, newer_version_message
        from bot.store.database import scrub
        from bot.store.postgres import connect, latest_version, schema_version

        try:
            conn = await connect(self.db.url, self.db.display)
            try:
                version = await schema_version(conn)
            finally:
                await conn.close()
        except StoreError as error:
            raise _Refused(scrub(str(error), self.db.password), 2) from None
        if version > latest_version():
            raise _Refused(
                newer_version_message(self.db.display, version, latest_version(), setting="LINKWISE_DATABASE_URL"),
                2,
            )


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
    from bot.app import feature_checks

    for feature_check in feature_checks():  # each feature's own data files (the review rules)
        try:
            print(feature_check())
        except ValueError as error:
            print(error)
            problems += 1
    if settings.database.engine == "postgresql":
        return 1 if problems + _check_postgres(settings) else 0
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


def _check_postgres(settings: Settings) -> int:
    """The database part of `linkwise check` on PostgreSQL: connect, read the schema version,
    query every table. Returns the number of problems (0 or 1)."""
    from bot.store import StoreError, newer_version_message
    from bot.store.database import scrub
    from bot.store.postgres import connect, inspect, latest_version, lock_holders

    db = settings.database
    known = latest_version()

    async def look() -> tuple[int, list[str], int]:
        version, tables = await inspect(db.url, db.display)
        conn = await connect(db.url, db.display)
        try:
            running = len(await lock_holders(conn))
        finally:
            await conn.close()
        return version, tables, running

    try:
        version, tables, running = asyncio.run(look())
    except StoreError as error:
        print(f"database: {scrub(str(error), db.password)}")
        return 1
    except Exception as error:  # noqa: BLE001 - reported, not raised
        print(f"database: {db.display} cannot be read: {scrub(f'{type(error).__name__}: {error}', db.password)}")
        return 1
    if version > known:
        print(f"database: {newer_version_message(db.display, version, known, setting='LINKWISE_DATABASE_URL')}")
        return 1
    if version == 0:
        print(f"database: ok ({db.display}, PostgreSQL, empty: Linkwise creates its tables on first run)")
        return 0
    pending = f", {known - version} migration(s) to apply on next start" if version < known else ""
    bot = f", {running} Linkwise process(es) connected" if running else ""
    print(f"database: ok ({db.display}, PostgreSQL, schema {version}, {len(tables)} tables{pending}{bot})")
    return 0


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
    if settings.database.engine == "postgresql":
        return _backup_postgres(settings, target, force=args.force)
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


def _backup_postgres(settings: Settings, target: Path, *, force: bool) -> int:
    """`linkwise backup` on PostgreSQL: pg_dump in its custom format (restored with
    pg_restore), the password handed over in PGPASSWORD, never on the command line."""
    from bot.store.database import scrub

    db = settings.database
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        return _fail(
            "pg_dump is not installed here, so no backup was made. PostgreSQL databases are backed up "
            "with pg_dump: install the PostgreSQL client tools (Debian: apt install postgresql-client, "
            "the same major version as the server or newer) and run `linkwise backup PATH` again, or run "
            f"it yourself:\n  PGPASSWORD=... pg_dump --format=custom --file {target} '{db.without_password()}'\n"
            f"and restore with:\n  pg_restore --clean --if-exists --dbname '{db.without_password()}' {target}"
        )
    if target.exists() and not force:
        return _fail(f"{target} already exists; choose a new path or pass --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    environ = dict(os.environ)
    if db.password:
        environ["PGPASSWORD"] = db.password
    result = subprocess.run(
        [pg_dump, "--format=custom", "--file", str(target), "--dbname", db.without_password()],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return _fail(f"pg_dump could not back up {db.display}: {scrub(result.stderr.strip(), db.password)}")
    detail = ""
    pg_restore = shutil.which("pg_restore")
    if pg_restore is not None:
        listing = subprocess.run([pg_restore, "--list", str(target)], capture_output=True, text=True, check=False)
        if listing.returncode != 0:
            return _fail(f"the backup at {target} cannot be read back by pg_restore: {listing.stderr.strip()}")
        tables = sum(1 for line in listing.stdout.splitlines() if " TABLE DATA " in line)
        detail = f", {tables} tables, readable by pg_restore"
    print(
        f"backed up {db.display} to {target} with pg_dump (custom format{detail}); restore it into an empty "
        f"database with: pg_restore --dbname URL {target}"
    )
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
    from bot.store import StoreError, userdata
    from bot.store.database import open_store

    user_id = parse_user_id(args.user_id)
    if isinstance(user_id, str):
        return _fail(user_id)
    settings = _settings(args)
    database = settings.database
    if database.engine == "sqlite" and database.path is not None:
        path = database.path
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
        store = await open_store(database)
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


# ---------------------------------------------------------------------- migrate
def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.store.database import DatabaseURL, DatabaseURLError, scrub
    from bot.store.transfer import Progress, TransferError, copy_database

    try:
        source, target = DatabaseURL.parse(args.source), DatabaseURL.parse(args.target)
    except DatabaseURLError as error:
        return _fail(str(error), 2)
    if args.batch < 1:
        return _fail(f"--batch must be at least 1, not {args.batch}", 2)
    print(f"copying {source.display} to {target.display}", flush=True)
    try:
        copied = asyncio.run(copy_database(source, target, batch=args.batch, progress=Progress))
    except TransferError as error:
        return _fail(scrub(str(error), source.password, target.password))
    width = max((len(c.table) for c in copied), default=0)
    for table in copied:
        print(f"  {table.table:<{width}}  {table.rows:>12,} row(s)")
    total = sum(c.rows for c in copied)
    print(f"copied {total:,} row(s) in {len(copied)} tables; every count matches the source")
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
    run.add_argument(
        "--shard-count",
        metavar="N",
        default=None,
        help="the bot's total number of shards, the same in every process (default: LINKWISE_SHARD_COUNT, "
        "else as many as Discord recommends)",
    )
    run.add_argument(
        "--shard-ids",
        metavar="IDS",
        default=None,
        help="the shards this process runs, e.g. 0,2-3 (default: LINKWISE_SHARD_IDS, else every shard); "
        "several processes need PostgreSQL (LINKWISE_DATABASE_URL)",
    )
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

    db_help = "database file or URL (default: LINKWISE_DATABASE_URL, else LINKWISE_DB_PATH)"
    check = sub.add_parser("check", help="validate settings, content files and the database")
    check.add_argument("--db", default=None, help=db_help)
    check.set_defaults(handler=cmd_check)

    backup = sub.add_parser(
        "backup", help="copy the database (SQLite: its online backup API; PostgreSQL: pg_dump)"
    )
    backup.add_argument("path", metavar="PATH", help="where to write the copy")
    backup.add_argument("--db", default=None, help=db_help)
    backup.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    backup.set_defaults(handler=cmd_backup)

    forget = sub.add_parser("forget", help="delete everything stored about a user, in every server")
    forget.add_argument("user_id", metavar="USER_ID", help="the Discord user id to forget")
    forget.add_argument("--db", default=None, help=db_help)
    forget.set_defaults(handler=cmd_forget)

    migrate = sub.add_parser(
        "migrate",
        help="copy every row from one database to another (SQLite to PostgreSQL and back)",
        description=(
            "Copy every table of one Linkwise database into an empty one, in one transaction, and verify "
            "the counts. Stop the bot first: a database a running Linkwise holds is refused, and so is a "
            "target that already holds data. URLs: sqlite:///file.db, sqlite:////absolute/file.db, "
            "postgresql://user:password@host:port/name (a plain path is a SQLite file)."
        ),
    )
    migrate.add_argument("--from", dest="source", required=True, metavar="URL", help="the database to copy")
    migrate.add_argument("--to", dest="target", required=True, metavar="URL", help="the empty database to fill")
    migrate.add_argument("--batch", type=int, default=2000, help="rows read and written at a time (default 2000)")
    migrate.set_defaults(handler=cmd_migrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except ConfigError as error:
        return _fail(str(error), 2)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
