"""Both engines for the tests: SQLite on a real file, PostgreSQL on a real server.

``--backend=sqlite|postgres|both`` (default both) chooses which engines the tests parametrized
by the ``backend`` fixture run on (every SimCord test is: its bot is built on ``database_url``).
Each PostgreSQL test gets a FRESH database of its own. ``pg_url``: an empty one, created for the
test and dropped after it. ``database_url``: one at the latest schema holding no rows, cloned
from a template database migrated once per session (``CREATE DATABASE ... TEMPLATE``; the
migrations themselves are tested on empty databases); after the test it is emptied
(every row deleted, its identity sequences restarted, its connections ended) and handed to a later test, unless
the test changed its schema, which gets it dropped instead. Creating and dropping a database
costs about a second on a server that syncs to disk; emptying one, a few milliseconds. Test
databases commit without waiting for the disk (``synchronous_commit = off``: a server crash
could lose the last commits, which no test does). All this happens on the server
at ``LINKWISE_TEST_DATABASE_URL`` (a user who may ``CREATE DATABASE``; the database in the URL is
only used to create the others), else on 127.0.0.1:5432 as user ``postgres`` if one answers
there. Without a server the PostgreSQL tests
are skipped with a line saying how to run them; with ``CI=true`` they fail instead.

The admin work (create, drop) runs on its own event loop in a helper thread, so fixtures stay
synchronous and never touch the test's loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
HOW_TO_RUN = (
    "no PostgreSQL server answered at {where}. To run the PostgreSQL tests, start PostgreSQL on "
    "127.0.0.1:5432 (user postgres, trust authentication), or set LINKWISE_TEST_DATABASE_URL="
    "postgresql://user:password@host:port/postgres (a user who may CREATE DATABASE); .ci/run starts a "
    "throwaway server by itself."
)
PREFIX = "lwt_"  # every database the tests create starts with this

T = TypeVar("T")


def in_thread(work: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to completion on a fresh loop in another thread."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work()).result()  # type: ignore[arg-type]


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


class Server:
    """A PostgreSQL server the tests may create databases on."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._template: str | None = None  # the migrated template's name, once made
        self._fingerprint: str | None = None  # the template's schema, to check a database against
        self._free: list[str] = []  # migrated databases emptied after their test, ready for another
        self._drops = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="lwt-drop")
        self._dropping: list[concurrent.futures.Future[None]] = []

    async def _admin(self, sql: str) -> None:
        conn = await asyncpg.connect(self.url, timeout=10)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    def create(self, label: str = "", *, migrated: bool = False) -> str:
        """A new database, empty or (``migrated``) at the latest schema with no rows; its URL."""
        slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:36]
        name = f"{PREFIX}{slug}_{uuid.uuid4().hex[:10]}"
        template = f' TEMPLATE "{self.template()}"' if migrated else ""
        in_thread(lambda: self._admin(f'CREATE DATABASE "{name}"{template}'))
        in_thread(lambda: self._admin(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        return with_database(self.url, name)

    def migrated(self, label: str = "") -> str:
        """A database at the latest schema holding no rows: an emptied one, or a new clone."""
        return self._free.pop() if self._free else self.create(label, migrated=True)

    def recycle(self, url: str) -> None:
        """Empty the database at ``url`` for another test; drop it if its schema was changed."""
        if in_thread(lambda: self._empty(url)):
            self._free.append(url)
        else:
            self.drop(url)

    async def _empty(self, url: str) -> bool:
        conn = await asyncpg.connect(url, timeout=10)
        try:
            # Whatever the test left connected (a bot never closed) goes, with its locks.
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if await conn.fetchval(_FINGERPRINT) != self._fingerprint:
                return False
            from bot.store.schema import foreign_key_order, quote

            names = [r[0] for r in await conn.fetch(_TABLES_TO_EMPTY)]
            edges = [(r[0], r[1]) for r in await conn.fetch(_FOREIGN_KEYS)]
            used = [r[0] for r in await conn.fetch(_USED_SEQUENCES)]
            # One round trip; DELETE (children first) is far cheaper than TRUNCATE on tables this small.
            script = [f"DELETE FROM {quote(name)}" for name in reversed(foreign_key_order(names, edges))]
            script += [f"ALTER SEQUENCE {sequence} RESTART" for sequence in used]
            await conn.execute("BEGIN; " + "; ".join(script) + "; COMMIT")
            return True
        finally:
            await conn.close()

    def template(self) -> str:
        """The session's migrated template database (made on first use, dropped by ``close``)."""
        if self._template is None:
            from bot.store.postgres import PostgresStore

            name = f"{PREFIX}template_{uuid.uuid4().hex[:10]}"
            in_thread(lambda: self._admin(f'CREATE DATABASE "{name}"'))

            async def migrate() -> str:
                url = with_database(self.url, name)
                store = await PostgresStore.open(url, min_size=1, max_size=1)
                await store.close()  # a template must have no connection when it is cloned
                conn = await asyncpg.connect(url, timeout=10)
                try:
                    return str(await conn.fetchval(_FINGERPRINT))
                finally:
                    await conn.close()

            self._fingerprint = in_thread(migrate)
            self._template = name
        return self._template

    def drop(self, url: str) -> None:
        """Drop the database at ``url`` (in the background: ``close`` waits for every drop)."""
        name = urlsplit(url).path.lstrip("/")
        assert name.startswith(PREFIX), name
        self._dropping.append(
            self._drops.submit(asyncio.run, self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        )

    def close(self) -> None:
        """Drop every database left (the emptied ones, the template) and wait for the drops."""
        while self._free:
            self.drop(self._free.pop())
        if self._template is not None:
            self.drop(with_database(self.url, self._template))
            self._template = None
        self._drops.shutdown(wait=True)
        for dropped in self._dropping:
            dropped.result()  # a drop that failed fails the session here


# The schema of a database (its relations, their columns and types, constraints, schemas and
# applied migrations): what a test must leave as it found for the database to be reused.
_FINGERPRINT = """
SELECT md5(concat_ws('|',
    (SELECT string_agg(c.relname || ':' || c.relkind::text || ':' || COALESCE(a.attname, '') || ':'
                       || COALESCE(format_type(a.atttypid, a.atttypmod), ''), ',' ORDER BY c.relname, a.attnum)
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE n.nspname = current_schema()),
    (SELECT string_agg(conname || ':' || pg_get_constraintdef(oid), ',' ORDER BY conname)
     FROM pg_constraint WHERE connamespace = current_schema()::regnamespace),
    (SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace),
    (SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc WHERE pronamespace = current_schema()::regnamespace),
    (SELECT string_agg(version::text, ',' ORDER BY version) FROM linkwise_migrations)
))
"""
_TABLES_TO_EMPTY = (
    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'linkwise_migrations'"
)
_FOREIGN_KEYS = (
    "SELECT child.relname, parent.relname FROM pg_constraint k "
    "JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid "
    "WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace"
)
_USED_SEQUENCES = (
    "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences "
    "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
)

_probed: dict[str, Any] = {}


def find_server() -> tuple[Server | None, str]:
    """The server to use (once per session), or None and where nothing answered."""
    if "server" not in _probed:
        url = os.environ.get("LINKWISE_TEST_DATABASE_URL", "").strip() or DEFAULT_SERVER

        async def probe() -> None:
            conn = await asyncpg.connect(url, timeout=3)
            await conn.close()

        try:
            in_thread(probe)
            _probed["server"] = Server(url)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            _probed["server"] = None
            _probed["error"] = f"{type(error).__name__}: {error}"
        from bot.store.database import redact

        _probed["where"] = redact(url)
    return _probed["server"], _probed["where"]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require_server() -> Server:
    server, where = find_server()
    if server is None:
        message = HOW_TO_RUN.format(where=where) + f" ({_probed.get('error')})"
        if in_ci():
            pytest.fail("CI=true, so the PostgreSQL tests must run, but " + message, pytrace=False)
        pytest.skip("PostgreSQL tests skipped: " + message)
    return server


BACKENDS = [
    pytest.param("sqlite", marks=pytest.mark.sqlite, id="sqlite"),
    pytest.param("postgres", marks=pytest.mark.postgres, id="postgres"),
]


# ---------------------------------------------------------------------- pytest hooks and fixtures
def add_option(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=("sqlite", "postgres", "both"),
        default="both",
        help="which database engines the store tests run on (default: both; PostgreSQL tests skip without a server)",
    )


def configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: runs on PostgreSQL (needs a server; see tests/backends.py)")
    config.addinivalue_line("markers", "sqlite: the SQLite variant of a test that runs on both engines")
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): the test is about SQLite itself (its file, lock, WAL...); its PostgreSQL "
        "variant is skipped with the reason, which names the PostgreSQL counterpart where there is one",
    )


def deselect(config: pytest.Config, items: list[pytest.Item]) -> None:
    chosen = config.getoption("--backend")
    unwanted = {"sqlite": "postgres", "postgres": "sqlite"}.get(chosen)
    if unwanted is None:
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker(unwanted) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def pg_server():
    """The PostgreSQL server (skips, or fails in CI, without one)."""
    server = require_server()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def pg_url(pg_server: Server, request: pytest.FixtureRequest):
    """The URL of a fresh, empty PostgreSQL database, dropped after the test."""
    url = pg_server.create(request.node.name)
    try:
        yield url
    finally:
        pg_server.drop(url)


def sqlite_only(reason: str) -> pytest.MarkDecorator:
    """Mark a test (or a module, as ``pytestmark``) as about SQLite itself, saying why."""
    return pytest.mark.sqlite_only(reason=reason)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and (only := request.node.get_closest_marker("sqlite_only")) is not None:
        pytest.skip("SQLite only: " + only.kwargs.get("reason", (*only.args, "")[0]))
    return request.param


@pytest.fixture
def database_url(backend: str, tmp_path, request: pytest.FixtureRequest):
    """A fresh database with no rows on the test's engine: ``sqlite:////...`` (a file not yet
    created: the store creates and migrates it) or ``postgresql://...`` (already migrated)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'linkwise.db'}"
        return
    server: Server = request.getfixturevalue("pg_server")
    url = server.migrated(request.node.name)
    try:
        yield url
    finally:
        server.recycle(url)
