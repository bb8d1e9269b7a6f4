"""LINKWISE_DATABASE_URL: parsed, shown without its password, and the engine it selects."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot import create_bot
from bot.config import ConfigError, Settings
from bot.store.database import DatabaseURL, DatabaseURLError, redact, scrub

SECRET = "pa:ss@w/rd%?"  # every character that needs care in a URL
URL = "postgresql://linkwise:pa%3Ass%40w%2Frd%25%3F@db.example.org:5433/linkwise?sslmode=require"


def test_a_postgresql_url_is_shown_without_its_password():
    db = DatabaseURL.parse(URL)
    assert db.engine == "postgresql"
    assert db.password == SECRET
    assert db.display == "postgresql://linkwise:***@db.example.org:5433/linkwise?sslmode=require"
    for shown in (str(db), repr(db), db.display, db.without_password()):
        assert "pa%3A" not in shown and SECRET not in shown and "rd%25" not in shown
    assert db.without_password() == "postgresql://linkwise@db.example.org:5433/linkwise?sslmode=require"


def test_a_password_given_as_a_query_parameter_is_hidden_too():
    url = "postgres://linkwise@localhost/linkwise?password=hunter2&application_name=x"
    db = DatabaseURL.parse(url)
    assert db.password == "hunter2"
    assert "hunter2" not in db.display and "hunter2" not in db.without_password()
    assert "application_name=x" in db.display


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("sqlite:///linkwise.db", Path("linkwise.db")),
        ("sqlite:///data/group.db", Path("data/group.db")),
        ("sqlite:////srv/linkwise/group.db", Path("/srv/linkwise/group.db")),
        ("group.db", Path("group.db")),
        ("/srv/group.db", Path("/srv/group.db")),
    ],
)
def test_sqlite_urls_and_plain_paths_name_a_file(text, path):
    db = DatabaseURL.parse(text)
    assert db.engine == "sqlite" and db.path == path and db.display == str(path)


@pytest.mark.parametrize(
    "text",
    ["mysql://u:pw@h/db", "sqlite://", "sqlite:///", "postgresql://u:pw@h:notaport/db", "postgresql://u:pw@h:5432"],
)
def test_unknown_or_incomplete_urls_are_refused_without_the_password(text):
    with pytest.raises(DatabaseURLError) as caught:
        DatabaseURL.parse(text)
    assert ":pw@" not in str(caught.value)
    assert "sqlite:///" in str(caught.value) or "postgresql://" in str(caught.value)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=4, max_size=30))
def test_no_password_ever_survives_redaction(password):
    from urllib.parse import quote

    url = f"postgresql://linkwise:{quote(password, safe='')}@db:5432/linkwise"
    # A password that is a piece of the rest of the URL itself (say "post") proves nothing.
    assume(quote(password, safe="") not in "postgresql://linkwise:***@db:5432/linkwise")
    db = DatabaseURL.parse(url)
    assert db.password == password
    assert quote(password, safe="") not in redact(url).replace("***", "")
    message = f"could not connect with {url} (password {password!r} refused: {password})"
    assert password not in scrub(message, password)


def test_scrub_hides_passwords_of_urls_inside_any_text():
    text = "pg_dump: error: connection to postgresql://lw:topsecret@db:5432/lw failed"
    assert scrub(text) == "pg_dump: error: connection to postgresql://lw:***@db:5432/lw failed"
    assert redact("not a url") == "not a url"


# ---------------------------------------------------------------------- settings
def test_the_url_setting_selects_postgresql_and_is_never_in_repr():
    settings = Settings.from_env({"LINKWISE_DATABASE_URL": URL})
    assert settings.database.engine == "postgresql"
    assert settings.database.url == URL
    assert SECRET not in repr(settings) and "pa%3Ass" not in repr(settings) and "database_url" not in repr(settings)


def test_a_sqlite_url_sets_the_file_and_wins_over_the_path_setting():
    settings = Settings.from_env({"LINKWISE_DATABASE_URL": "sqlite:///data/x.db", "LINKWISE_DB_PATH": "other.db"})
    assert settings.db_path == Path("data/x.db")
    assert settings.database.engine == "sqlite" and settings.database.path == Path("data/x.db")


def test_without_the_url_sqlite_at_the_path_setting_as_before():
    settings = Settings.from_env({"LINKWISE_DB_PATH": "group.db"})
    assert settings.database_url is None
    assert settings.database == DatabaseURL.for_path("group.db")


@pytest.mark.parametrize("value", ["mysql://u:secretpw@h/db", "group.db", "postgresql://u:secretpw@h"])
def test_a_bad_url_names_the_variable_and_what_is_accepted_without_the_password(value):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"LINKWISE_DATABASE_URL": value})
    message = str(caught.value)
    assert "LINKWISE_DATABASE_URL" in message
    assert "secretpw" not in message
    assert "postgresql://" in message


def test_create_bot_takes_a_database_url_and_the_shard_options():
    bot = create_bot(database_url=URL, shard_ids=[0, 2], shard_count=4)
    assert bot.settings.database.engine == "postgresql"
    assert bot.settings.shard_ids == (0, 2) and bot.settings.shard_count == 4
    assert SECRET not in repr(bot.settings)
    file_bot = create_bot(database_url="sqlite:///some/file.db")
    assert file_bot.settings.database.path == Path("some/file.db") == file_bot.db_path
    path_bot = create_bot(db_path="a.db", settings=dataclasses.replace(Settings(), database_url=URL))
    assert path_bot.settings.database.engine == "sqlite"  # an explicit file is SQLite there
