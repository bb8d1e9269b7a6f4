"""The shard options: LINKWISE_SHARD_COUNT / LINKWISE_SHARD_IDS and `linkwise run --shard-count
--shard-ids`, parsed (ranges), refused with a message saying what is wrong and what is accepted,
and refused on SQLite when they leave shards to other processes. The bot is an AutoShardedBot
over exactly those shards."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from discord.ext import commands

from bot import create_bot
from bot.config import ConfigError, Settings, format_shards, parse_shard_ids

FAKE_TOKEN = "M" + "A" * 25 + ".GgGgGg." + "z" * 38
SCRIPT = Path(sys.executable).with_name("linkwise")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot.cli"]
PG = "postgresql://linkwise:pw@127.0.0.1:1/linkwise"


def linkwise(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN" and not k.startswith("LINKWISE_")}
    environ.update(env)
    return subprocess.run([*COMMAND, *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("text", "ids"),
    [("0", (0,)), ("0,2-3", (0, 2, 3)), (" 3 , 0-1 ", (0, 1, 3)), ("4-4", (4,)), ("", None), ("  ", None)],
)
def test_shard_ids_are_numbers_and_ranges(text, ids):
    assert parse_shard_ids(text) == ids


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("a", "'a' is not a shard number or a range"),
        ("0,,1", "'' is not a shard number or a range"),
        ("-1", "'-1' is not a shard number or a range"),
        ("3-1", "runs backwards; write it 1-3"),
        ("0,1,1", "shard 1 is listed twice"),
        ("0-2,2", "shard 2 is listed twice"),
        ("1.5", "not a shard number"),
    ],
)
def test_bad_shard_ids_say_what_is_wrong_and_what_is_accepted(text, says):
    with pytest.raises(ConfigError) as caught:
        parse_shard_ids(text)
    assert says in str(caught.value) and "LINKWISE_SHARD_IDS" in str(caught.value)


def test_the_settings_read_the_shards_and_check_them_together():
    settings = Settings.from_env(
        {"LINKWISE_SHARD_COUNT": "4", "LINKWISE_SHARD_IDS": "0,2-3", "LINKWISE_DATABASE_URL": PG}
    )
    assert settings.shard_count == 4 and settings.shard_ids == (0, 2, 3)
    assert settings.owned_shards == (0, 2, 3)
    every = Settings.from_env({"LINKWISE_SHARD_COUNT": "2", "LINKWISE_SHARD_IDS": "1,0"})  # SQLite: all of them
    assert every.shard_ids == (0, 1) and every.owned_shards is None
    assert Settings.from_env({"LINKWISE_SHARD_COUNT": "3"}).owned_shards is None  # a count alone: every shard
    assert Settings.from_env({}).shard_count is None and Settings.from_env({}).shard_ids is None
    assert format_shards((0, 2, 3, 7)) == "0,2-3,7"


@pytest.mark.parametrize(
    ("environ", "says"),
    [
        ({"LINKWISE_SHARD_IDS": "0"}, "LINKWISE_SHARD_IDS is set (0) but LINKWISE_SHARD_COUNT is not"),
        (
            {"LINKWISE_SHARD_COUNT": "2", "LINKWISE_SHARD_IDS": "2"},
            "shard 2 does not exist with LINKWISE_SHARD_COUNT=2",
        ),
        ({"LINKWISE_SHARD_COUNT": "0"}, "LINKWISE_SHARD_COUNT is '0'; use the total number of shards"),
        ({"LINKWISE_SHARD_COUNT": "two"}, "a whole number from 1"),
        ({"LINKWISE_SHARD_COUNT": "-2"}, "a whole number from 1"),
    ],
)
def test_shard_settings_that_do_not_fit_are_refused(environ, says):
    with pytest.raises(ConfigError, match=re.escape(says)):
        Settings.from_env({**environ, "LINKWISE_DATABASE_URL": PG})


def test_on_sqlite_leaving_shards_to_other_processes_is_refused_naming_the_database_url(tmp_path):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"LINKWISE_SHARD_COUNT": "2", "LINKWISE_SHARD_IDS": "0"})
    assert "LINKWISE_DATABASE_URL" in str(caught.value) and "PostgreSQL" in str(caught.value)
    with pytest.raises(ConfigError, match="LINKWISE_DATABASE_URL"):
        create_bot(db_path=tmp_path / "one.db", shard_ids=[1], shard_count=2)
    with pytest.raises(ConfigError, match="LINKWISE_DATABASE_URL"):
        create_bot(database_url=f"sqlite:///{tmp_path / 'one.db'}", shard_ids=[0, 1], shard_count=3)


def test_the_bot_is_an_auto_sharded_bot_over_its_shards(tmp_path):
    some = create_bot(database_url=PG, shard_ids=[2, 0], shard_count=4)
    assert isinstance(some, commands.AutoShardedBot)
    assert some.shard_count == 4 and some.shard_ids == [0, 2] and some.owned_shards == (0, 2)
    alone = create_bot(db_path=tmp_path / "one.db")  # no option: one process, every shard
    assert isinstance(alone, commands.AutoShardedBot)
    assert alone.shard_ids is None and alone.owned_shards is None and alone.settings.shard_count is None
    every = create_bot(db_path=tmp_path / "one.db", shard_ids=[0, 1], shard_count=2)  # SQLite, all of them
    assert every.owned_shards is None and every.shard_count == 2
    with pytest.raises(ConfigError, match="shard 5 does not exist"):
        create_bot(database_url=PG, shard_ids=[5], shard_count=4)
    with pytest.raises(ConfigError, match="but LINKWISE_SHARD_COUNT is not"):
        create_bot(database_url=PG, shard_ids=[0])
    with pytest.raises(ConfigError, match="listed twice"):
        create_bot(database_url=PG, shard_ids=[1, 1], shard_count=2)


# ---------------------------------------------------------------------- linkwise run
@pytest.mark.parametrize(
    ("args", "environ", "says"),
    [
        (("--shard-ids", "0"), {}, "LINKWISE_SHARD_IDS is set (0) but LINKWISE_SHARD_COUNT is not"),
        (("--shard-count", "2", "--shard-ids", "0-2"), {}, "shard 2 does not exist with LINKWISE_SHARD_COUNT=2"),
        (("--shard-count", "x"), {}, "--shard-count is 'x'"),
        (("--shard-count", "2", "--shard-ids", "0,0"), {}, "--shard-ids is '0,0': shard 0 is listed twice"),
        (("--shard-count", "4", "--shard-ids", "1"), {"LINKWISE_DB_PATH": "here.db"}, "LINKWISE_DATABASE_URL"),
        ((), {"LINKWISE_SHARD_COUNT": "2", "LINKWISE_SHARD_IDS": "1"}, "LINKWISE_DATABASE_URL"),
    ],
)
def test_run_refuses_bad_shard_options_before_anything_starts(tmp_path, args, environ, says):
    result = linkwise(tmp_path, "run", *args, DISCORD_TOKEN=FAKE_TOKEN, **environ)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not list(tmp_path.glob("*.db"))  # no database was opened


def test_run_options_win_over_the_settings_and_an_sqlite_process_may_run_every_shard(tmp_path):
    """`--shard-ids 0-1 --shard-count 2` on SQLite is one process with every shard: allowed (it
    gets as far as Discord, which this machine cannot reach), while the environment alone would
    have been refused."""
    result = linkwise(
        tmp_path, "run", "--shard-count", "2", "--shard-ids", "0-1",
        DISCORD_TOKEN=FAKE_TOKEN, LINKWISE_SHARD_COUNT="2", LINKWISE_SHARD_IDS="1",
    )
    assert "LINKWISE_DATABASE_URL" not in result.stderr, result.stderr
    assert result.returncode != 0 and "linkwise:" in result.stderr  # stopped at the connection to Discord
    assert "Traceback" not in result.stdout + result.stderr


def test_run_help_names_the_shard_options(tmp_path):
    result = linkwise(tmp_path, "run", "--help")
    assert "--shard-count N" in result.stdout and "--shard-ids IDS" in result.stdout
