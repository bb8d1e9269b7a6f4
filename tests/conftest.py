"""Shared fixtures: the real bot, built by create_bot on a fresh database of each engine the
``--backend`` option selects, inside SimCord; the store alone on the same database; and the
engines' fixtures (``backend``, ``database_url``, ``pg_url``: see backends.py). Tests read and
write that database through ``tests.db``, whichever the engine."""

from __future__ import annotations

from dataclasses import dataclass

import discord
import pytest
import simcord.interactions

from bot import create_bot
from bot.store.database import open_store
from tests import backends, shell
from tests.backends import backend, database_url, pg_server, pg_url  # noqa: F401 - fixtures


def pytest_addoption(parser):
    backends.add_option(parser)


def pytest_configure(config):
    backends.configure(config)


def pytest_collection_modifyitems(config, items):
    backends.deselect(config, items)


@pytest.fixture
def db_path(tmp_path):
    """A SQLite file, for the tests about SQLite itself (the ``database_url`` of the SQLite
    variant is this same file)."""
    return tmp_path / "linkwise.db"


@pytest.fixture
async def store(database_url):  # noqa: F811 - the fixture of that name
    """The real store on the test's fresh database (each engine), for tests that drive it
    without a bot."""
    opened = await open_store(database_url)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def simcord_bot(database_url):  # noqa: F811 - the fixture of that name
    """The bot SimCord runs: built as production builds it, on the test's fresh database."""
    return create_bot(database_url=database_url)


@pytest.fixture
def custom_first(monkeypatch):
    """Rotations take the first unused item of a random order (``rotation.random_order``):
    put a server's own items first, so the item a test adds (or removes) is surely the one
    chosen."""
    from bot.store import rotation

    def order(pool):
        return sorted(rotation.one_per_id(pool), key=lambda item: not str(item.id).startswith("custom"))

    monkeypatch.setattr(rotation, "random_order", order)


@pytest.fixture
def discord_locale(monkeypatch):
    """Members whose Discord client is set to another language (user id -> locale): their
    interactions carry that ``locale``, as Discord sends it (SimCord sends every interaction as
    en-US; this changes only that field of the payload)."""
    locales: dict[int, str] = {}
    built = simcord.interactions.base_payload

    def base_payload(simulated, **kwargs):
        record, payload = built(simulated, **kwargs)
        if kwargs["user_id"] in locales:
            payload["locale"] = locales[kwargs["user_id"]]
        return record, payload

    monkeypatch.setattr(simcord.interactions, "base_payload", base_payload)
    return locales


@pytest.fixture
def fake_token() -> str:
    """Shaped like a bot token, so it passes the format check; Discord never issued it."""
    return shell.FAKE_TOKEN


@pytest.fixture
def linkwise():
    """Run `linkwise ARGS` in a directory with a clean environment (no token, no settings
    but those given); returns the finished process, its output captured."""
    return shell.linkwise


@dataclass
class Group:
    """A counselling group: a server with #general, a counsellor and two members."""

    env: object
    guild: object
    channel: object
    counsellor: object
    alice: object
    bob: object


@pytest.fixture
def group(simcord_env) -> Group:
    env = simcord_env
    guild = env.create_guild(name="Career Circle")
    channel = guild.create_text_channel("general")
    staff = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
    counsellor = guild.add_member(env.create_user("morgan", global_name="Morgan"), roles=[staff])
    alice = guild.add_member(env.create_user("alice", global_name="Alice"))
    bob = guild.add_member(env.create_user("bob", global_name="Bob"))
    return Group(env, guild, channel, counsellor, alice, bob)
