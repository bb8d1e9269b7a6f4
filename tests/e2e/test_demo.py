"""The parts of `linkwise demo`: the seeded group, the wall clock, the local time zone, and
the message when the demo extra is missing. (The whole demo in a browser is
tests/e2e/test_demo_browser.py.)"""

from __future__ import annotations

import socket
import sqlite3
import sys
import threading
from datetime import timedelta

import pytest

from bot import cli, demo


def rows(db_path, sql, params=()):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


def is_tip(message) -> bool:
    return bool(message.embeds) and (message.embeds[0].footer.text or "").endswith("Linkwise tip")


async def test_seed_records_the_group_s_history_through_the_bot(simcord_env, db_path):
    env = simcord_env
    group = demo.build_group(env)
    started = env.now()

    await demo.seed(env, group, "Europe/London")

    assert not [note for note in group.notes if "could not" in note or "not in this version" in note], group.notes
    basics = env.bot.content.checklist("profile-basics")
    assert set(rows(db_path, "SELECT user_id, checklist_id, item_id FROM checklist_done")) == {
        (group.priya.id, basics.id, item.id) for item in basics.items[:3]
    }
    assert [user for user, in rows(db_path, "SELECT user_id FROM tip_tried")] == [group.sam.id]
    assert rows(db_path, "SELECT channel_id, kind, local_time, days, timezone, created_by FROM schedules") == [
        (group.daily_tips.id, "tip", "09:00", "daily", "Europe/London", group.counsellor.id)
    ]
    assert rows(db_path, "SELECT user_id, channel_id FROM prompt_shares") == [
        (group.sam.id, group.general.threads[0].id)
    ]
    # #general, where the page opens: the welcome, the prompt, and a public tip last. The
    # members' private replies went to #daily-tips, but for Sam's thanks for his practice.
    general = group.general.history()
    assert general[0].content == demo.WELCOME and general[0].author.id == group.counsellor.id
    assert any(m.author.bot and m.embeds and m.embeds[0].title == "Discussion prompt" for m in general)
    assert general[-1].author.bot and is_tip(general[-1]) and not general[-1].flags.ephemeral

    def private(member):
        return [m.content for m in group.general.history(viewer=member) if m.flags.ephemeral]

    assert private(group.counsellor) == private(group.priya) == []
    assert [text.split(" — ")[0] for text in private(group.sam)] == ["Thanks"]
    # The history is spread over the last hour rather than stamped with one instant.
    assert env.now() - started == 5 * demo.SEED_SPACING


async def test_seed_leaves_out_what_this_version_does_not_have(simcord_env, db_path):
    env = simcord_env
    env.bot.tree.remove_command("schedule")
    group = demo.build_group(env)

    await demo.seed(env, group, "UTC")

    assert "no daily tip schedule (/schedule is not in this version)" in group.notes
    assert rows(db_path, "SELECT COUNT(*) FROM schedules") == [(0,)]
    assert is_tip(group.general.last_message)


async def test_wall_clock_keeps_the_world_on_the_wall_clock(group):
    env = group.env
    wall = [env.now() + timedelta(days=3, minutes=5)]
    republished = []

    async def on_activity():
        republished.append(env.now())

    clock = demo.WallClock(env, wall=lambda: wall[0], on_activity=on_activity)
    await clock.catch_up()
    assert env.now() == wall[0]

    # A /prompt cooldown lasts as long as it says, because the world's clock moves.
    first = await group.alice.slash(group.channel, "prompt")
    assert not first.ephemeral
    refused = await group.alice.slash(group.channel, "prompt")
    assert refused.ephemeral
    wall[0] += timedelta(minutes=11)
    await clock.step()
    assert env.now() == wall[0]
    again = await group.alice.slash(group.channel, "prompt")
    assert not again.ephemeral
    assert republished == []  # nothing happened on the bot's own between the steps

    # A scheduled post comes out when the wall clock reaches its slot, and the page is
    # republished so that it shows without a click.
    slot = wall[0] + timedelta(minutes=2)
    await group.counsellor.slash(
        group.channel, "schedule add", channel=group.channel, time=f"{slot:%H:%M}", timezone="UTC", days="daily"
    )
    wall[0] = slot + timedelta(minutes=1)
    await clock.step()
    assert is_tip(group.channel.last_message)
    assert republished == [wall[0]]


async def test_wall_clock_never_moves_the_world_backwards(simcord_env):
    env = simcord_env
    before = env.now()
    clock = demo.WallClock(env, wall=lambda: before - timedelta(hours=1))
    await clock.catch_up()
    await clock.step()
    assert env.now() == before


@pytest.mark.parametrize(
    ("tz", "expected"),
    [("America/Toronto", "America/Toronto"), (":Europe/Paris", "Europe/Paris"), ("Etc/UTC", "UTC")],
)
def test_local_zone_comes_from_tz(monkeypatch, tz, expected):
    monkeypatch.setenv("TZ", tz)
    assert demo.local_zone() == expected


def test_local_zone_ignores_names_it_does_not_know(monkeypatch):
    monkeypatch.setenv("TZ", "Mars/Olympus_Mons")
    assert demo.local_zone() != "Mars/Olympus_Mons"


@pytest.mark.parametrize("module", ["simcord", "PIL", "markdown_it"])
def test_without_the_demo_extra_it_says_how_to_install_it(monkeypatch, capsys, module):
    monkeypatch.delitem(sys.modules, "bot.demo")
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed: importing it fails

    assert cli.main(["demo", "--no-browser"]) == 2

    message = capsys.readouterr().err
    assert f"{module} is missing" in message
    assert 'python -m pip install -e ".[demo]"' in message
    assert "Traceback" not in message


def test_an_import_error_inside_linkwise_is_not_blamed_on_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "bot.demo", None)  # `from bot.demo import ...` fails

    with pytest.raises(ImportError) as raised:
        cli.main(["demo", "--no-browser"])
    assert raised.value.name == "bot.demo"


def test_an_impossible_port_is_refused(capsys):
    assert cli.main(["demo", "--no-browser", "--port", "70000"]) == 2
    assert "--port must be between 0 and 65535" in capsys.readouterr().err


def test_a_taken_port_is_explained_and_db_keeps_the_demo_s_data(tmp_path, capsys):
    db = tmp_path / "demo.db"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        assert demo.run_demo(port=port, open_browser=False, db_path=db) == 1

    err = capsys.readouterr().err
    assert f"could not bind port {port}" in err and "Choose another --port" in err
    assert rows(db, "SELECT COUNT(*) FROM schedules") == [(1,)]  # seeded before the page was served


def test_the_url_comes_first_and_the_browser_is_opened_on_it(monkeypatch, capsys):
    opened = []
    monkeypatch.setattr(demo.webbrowser, "open", lambda url: opened.append(url) or False)
    group = demo.Group(*[None] * 6, notes=["Sam tried a tip"])

    demo.announce("http://127.0.0.1:1234/#capability", group, open_browser=True)
    for thread in threading.enumerate():
        if thread.name == "linkwise-demo-browser":
            thread.join(timeout=5)

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Linkwise demo running at http://127.0.0.1:1234/#capability — press Ctrl+C to stop"
    assert "Already done: Sam tried a tip." in lines
    assert opened == ["http://127.0.0.1:1234/#capability"]
    assert lines[-1] == "No browser could be opened: open the link above yourself."
