"""Both engines for the tests: SQLite on a real file, PostgreSQL on a real server.

``--backend=sqlite|postgres|both`` (default both) chooses which engines the tests parametrized
by the ``backend`` fixture run on. Each PostgreSQL test gets a FRESH database, created for it
and dropped after it, on the server at ``LINKWISE_TEST_DATABASE_URL`` (a user who may
``CREATE DATABASE``; the database in the URL is only used to create the others), else on
127.0.0.1:5432 as user ``postgres`` if one answers there. Without a server the PostgreSQL tests
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

    async def _admin(self, sql: str) -> None:
        conn = await asyncpg.connect(self.url, timeout=10)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    def create(self, label: str = "") -> str:
        """A new, empty database; its URL."""
        slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:36]
        name = f"{PREFIX}{slug}_{uuid.uuid4().hex[:10]}"
        in_thread(lambda: self._admin(f'CREATE DATABASE "{name}"'))
        return with_database(self.url, name)

    def drop(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        assert name.startswith(PREFIX), name
        in_thread(lambda: self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


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
def pg_server() -> Server:
    """The PostgreSQL server (skips, or fails in CI, without one)."""
    return require_server()


@pytest.fixture
def pg_url(pg_server: Server, request: pytest.FixtureRequest):
    """The URL of a fresh, empty PostgreSQL database, dropped after the test."""
    url = pg_server.create(request.node.name)
    try:
        yield url
    finally:
        pg_server.drop(url)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database_url(backend: str, tmp_path, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database on the test's engine: ``sqlite:////...`` or ``postgresql://...``."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'linkwise.db'}"
    return request.getfixturevalue("pg_url")
