"""Settings.from_env: fails fast with messages naming the variable; never shows the token."""

from __future__ import annotations

import dataclasses
import logging
import string
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.config import DEFAULT_DB_PATH, LOG_LEVELS, ConfigError, Settings

# Shaped like a bot token (three dot-separated parts, about 70 characters) but not a real one.
FAKE_TOKEN = "M" + "A" * 25 + ".GgGgGg." + "z" * 38
GUILD_ID = "123456789012345678"


def test_defaults_without_any_variable():
    settings = Settings.from_env({})
    assert settings.token is None
    assert settings.db_path == Path(DEFAULT_DB_PATH) == Path("linkwise.db")
    assert settings.log_level == "INFO"
    assert settings.log_level_number == logging.INFO
    assert settings.dev_guild_id is None


def test_every_setting_is_read():
    settings = Settings.from_env(
        {
            "DISCORD_TOKEN": FAKE_TOKEN,
            "LINKWISE_DB_PATH": "data/group.db",
            "LINKWISE_LOG_LEVEL": "debug",
            "LINKWISE_DEV_GUILD_ID": GUILD_ID,
        },
        require_token=True,
    )
    assert settings.token == FAKE_TOKEN
    assert settings.db_path == Path("data/group.db")
    assert settings.log_level == "DEBUG"
    assert settings.log_level_number == logging.DEBUG
    assert settings.dev_guild_id == int(GUILD_ID)


def test_empty_values_mean_the_defaults():
    settings = Settings.from_env(
        {"DISCORD_TOKEN": "", "LINKWISE_DB_PATH": " ", "LINKWISE_LOG_LEVEL": "", "LINKWISE_DEV_GUILD_ID": ""}
    )
    assert settings == Settings.from_env({})


def test_reads_the_process_environment_by_default(monkeypatch):
    monkeypatch.setenv("LINKWISE_DB_PATH", "from-env.db")
    monkeypatch.setenv("LINKWISE_LOG_LEVEL", "warning")
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.delenv("LINKWISE_DEV_GUILD_ID", raising=False)
    settings = Settings.from_env()
    assert settings.db_path == Path("from-env.db")
    assert settings.log_level == "WARNING"


def test_settings_are_frozen():
    settings = Settings.from_env({})
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.token = FAKE_TOKEN  # type: ignore[misc]


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_token_names_the_variable_when_required(value):
    env = {} if value is None else {"DISCORD_TOKEN": value}
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(env, require_token=True)
    message = str(caught.value)
    assert "DISCORD_TOKEN" in message
    assert ".env" in message
    assert "not set" in message


def test_token_is_optional_unless_required():
    assert Settings.from_env({}, require_token=False).token is None


@pytest.mark.parametrize(
    "token",
    [
        "short-secret-value",  # far too short
        FAKE_TOKEN[:30] + " " + FAKE_TOKEN[30:],  # whitespace inside
        FAKE_TOKEN[:35] + "\n" + FAKE_TOKEN[35:],  # two lines pasted
    ],
)
def test_malformed_token_is_rejected_without_echoing_it(token):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"DISCORD_TOKEN": token}, require_token=True)
    message = str(caught.value)
    assert "DISCORD_TOKEN" in message
    assert "does not look like" in message
    for part in token.split():
        assert part not in message
    assert token not in repr(caught.value)


def test_surrounding_whitespace_is_trimmed_from_the_token():
    assert Settings.from_env({"DISCORD_TOKEN": f"  {FAKE_TOKEN}\n"}).token == FAKE_TOKEN


def test_repr_and_str_never_contain_the_token():
    settings = Settings.from_env({"DISCORD_TOKEN": FAKE_TOKEN})
    assert settings.token == FAKE_TOKEN
    assert FAKE_TOKEN not in repr(settings)
    assert FAKE_TOKEN not in str(settings)
    assert FAKE_TOKEN not in f"{settings!r} {settings}"
    assert "token" not in repr(settings)


@given(
    st.text(alphabet=string.ascii_letters + string.digits + "._-", min_size=50, max_size=90),
    st.sampled_from(["DEBUG", "info", "Warning"]),
)
def test_no_valid_token_ever_appears_in_repr(token, level):
    settings = Settings.from_env({"DISCORD_TOKEN": token, "LINKWISE_LOG_LEVEL": level})
    assert settings.token == token
    assert token not in repr(settings)


@given(st.text(alphabet=string.ascii_letters + string.digits + "._- ", min_size=8, max_size=49))
def test_no_rejected_token_ever_appears_in_the_error(token):
    assume(token.strip())
    visible = max(token.split(), key=len)
    assume(len(visible) >= 8)
    # A "token" that is a piece of the explanation itself (say "DISCORD_") proves nothing.
    with pytest.raises(ConfigError) as plain:
        Settings.from_env({"DISCORD_TOKEN": "x" * 8})
    assume(visible not in str(plain.value))
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"DISCORD_TOKEN": token})
    assert visible not in str(caught.value)


@pytest.mark.parametrize("value", ["verbose", "5", "trace", "INFO,DEBUG"])
def test_bad_log_level_names_the_variable_and_the_choices(value):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"LINKWISE_LOG_LEVEL": value})
    message = str(caught.value)
    assert "LINKWISE_LOG_LEVEL" in message
    assert value.upper() in message
    for level in LOG_LEVELS:
        assert level in message


@pytest.mark.parametrize("value", ["debug", "Info", "WARNING", " error ", "critical"])
def test_log_level_is_case_insensitive(value):
    settings = Settings.from_env({"LINKWISE_LOG_LEVEL": value})
    assert settings.log_level == value.strip().upper()
    assert settings.log_level_number == getattr(logging, value.strip().upper())


@pytest.mark.parametrize(
    "value",
    [
        "my-server",
        "12345",  # too short to be a snowflake
        "1" * 30,  # too long
        "-123456789012345678",
        "1234567890.12345678",
        "²" * 18,  # Unicode digits that int() cannot read
    ],
)
def test_bad_dev_guild_id_names_the_variable_and_what_is_accepted(value):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"LINKWISE_DEV_GUILD_ID": value})
    message = str(caught.value)
    assert "LINKWISE_DEV_GUILD_ID" in message
    assert "server id" in message
    assert "digits" in message
    assert "leave it empty" in message


def test_config_error_is_a_value_error():
    assert issubclass(ConfigError, ValueError)
