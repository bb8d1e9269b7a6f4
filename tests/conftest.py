"""Shared fixtures: the real bot, built by create_bot on a real SQLite file, inside SimCord;
and both engines (``--backend``, ``backend``, ``database_url``, ``pg_url``: see backends.py)."""

from __future__ import annotations

from dataclasses import dataclass

import backends
import discord
import pytest
from backends import backend, database_url, pg_server, pg_url  # noqa: F401 - fixtures

from bot import create_bot
from bot.store import Store


def pytest_addoption(parser):
    backends.add_option(parser)


def pytest_configure(config):
    backends.configure(config)


def pytest_collection_modifyitems(config, items):
    backends.deselect(config, items)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "linkwise.db"


@pytest.fixture
async def store(db_path):
    """The real store on a real SQLite file, for tests that drive it without a bot."""
    opened = await Store.open(db_path)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def simcord_bot(db_path):
    return create_bot(db_path=db_path)


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
