"""The parts of `linkwise demo`: the seeded group, the same server on every run, the wall
clock, the conversation switched between channels, the Linkwise page, the local time zone,
and the message when the demo extra is missing. (The whole demo in a browser is
tests/bot/test_demo_browser.py.)"""

from __future__ import annotations

import socket
import sys
import threading
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
import simcord

from bot import cli, create_bot, demo
from bot.config import Settings
from tests.db import rows

# The wall clock the seed is recorded against: a Monday afternoon, a few days into the world.
WALL = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


def is_tip(message) -> bool:
    return bool(message.embeds) and (message.embeds[0].footer.text or "").endswith("Linkwise tip")


def public(channel):
    return [message for message in channel.history() if not message.flags.ephemeral]


async def seeded(env, zone="Europe/London", wall=WALL):
    group = await demo.open_group(env)
    clock = demo.WallClock(env, wall=lambda: wall)
    await demo.seed(env, group, zone, clock)
    await clock.catch_up()
    return group, clock


async def test_seed_records_the_group_s_last_day_through_the_bot(simcord_env, database_url):
    env = simcord_env
    group, _ = await seeded(env)

    assert not [note for note in group.notes if "could not" in note or "not in this version" in note], group.notes
    basics = env.bot.content.checklist("profile-basics")
    assert set(rows(database_url, "SELECT user_id, checklist_id, item_id FROM checklist_done")) == {
        (group.priya.id, basics.id, item.id) for item in basics.items[:3]
    }
    assert [user for (user,) in rows(database_url, "SELECT user_id FROM tip_tried")] == [group.sam.id]
    assert rows(database_url, "SELECT channel_id, kind, local_time, days, timezone, created_by FROM schedules") == [
        (group.daily_tips.id, "tip", "09:00", "daily", "Europe/London", group.counsellor.id)
    ]
    assert rows(database_url, "SELECT user_id, channel_id FROM prompt_shares") == [
        (group.sam.id, group.general.threads[0].id)
    ]
    # #general: the welcome, yesterday morning; the prompt with its thread; a public tip last.
    general = group.general.history()
    assert general[0].content == demo.WELCOME and general[0].author.id == group.counsellor.id
    assert general[0].created_at == datetime(2026, 1, 4, 8, 40, tzinfo=UTC)
    assert any(m.author.bot and m.embeds and m.embeds[0].title == "Discussion prompt" for m in general)
    assert general[-1].author.bot and is_tip(general[-1]) and not general[-1].flags.ephemeral
    # #daily-tips: the scheduled tip came out at 09:00, yesterday and today, as on Discord.
    posts = public(group.daily_tips)
    assert [post.created_at for post in posts] == [
        datetime(2026, 1, 4, 9, 0, tzinfo=UTC),
        datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
    ]
    assert all(post.author.bot and is_tip(post) for post in posts)
    assert "Linkwise posted the daily tip in #daily-tips twice, at 09:00" in group.notes

    def private(member):
        return [m.content for m in group.general.history(viewer=member) if m.flags.ephemeral]

    assert private(group.counsellor) == private(group.priya) == []
    assert [text.split(" — ")[0] for text in private(group.sam)] == ["Thanks"]
    assert env.now() == WALL


async def test_the_seed_starts_the_day_before_at_08_40_local_time():
    assert demo.seed_start(WALL, "America/Toronto") == datetime(2026, 1, 4, 13, 40, tzinfo=UTC)
    # Just after midnight in Tokyo it is already the 6th there: the day before is the 5th.
    assert demo.seed_start(datetime(2026, 1, 5, 15, 30, tzinfo=UTC), "Asia/Tokyo") == datetime(
        2026, 1, 4, 23, 40, tzinfo=UTC
    )


async def test_seed_leaves_out_what_this_version_does_not_have(simcord_env, database_url):
    env = simcord_env
    env.bot.tree.remove_command("schedule")

    group, _ = await seeded(env, "UTC")

    assert "no daily tip schedule (/schedule is not in this version)" in group.notes
    assert rows(database_url, "SELECT COUNT(*) FROM schedules") == [(0,)]
    assert public(group.daily_tips) == []
    assert is_tip(group.general.last_message)


async def test_the_server_has_the_same_ids_on_every_run_so_a_kept_database_shows_its_progress(tmp_path):
    db = tmp_path / "demo.db"

    async def one_run(first: bool):
        bot = create_bot(db_path=db, force_sync=True)  # as the demo: every world is new
        try:
            async with simcord.run(bot) as env:
                if first:
                    group, _ = await seeded(env)
                else:
                    group = await demo.open_group(env)
                ids = [group.guild.id, group.general.id, group.daily_tips.id, *(m.id for m in group.viewers)]
                progress = await group.priya.slash(group.general, "progress")
                listed = await group.counsellor.slash(group.general, "schedule list")
                return ids, progress.response, listed.response
        finally:
            await bot.close()

    first_ids, first_progress, _ = await one_run(first=True)
    second_ids, progress, listed = await one_run(first=False)

    assert second_ids == first_ids

    # Priya's ticks and the daily tip in #daily-tips belong to the server the second run shows.
    def fields(embed):
        return {field.name: field.value for field in embed.fields}

    basics = fields(progress.embeds[0])["Profile basics"]
    assert basics == fields(first_progress.embeds[0])["Profile basics"] and basics.endswith(" 3/13")
    assert fields(progress.embeds[0])["Last active"] == fields(first_progress.embeds[0])["Last active"]
    assert listed.embeds[0].fields[0].value.startswith(f"<#{second_ids[2]}> · 09:00 Europe/London · daily")


async def test_open_group_builds_the_server_at_its_fixed_instant(simcord_env):
    env = simcord_env
    await env.advance_time(120)

    with pytest.raises(simcord.SetupError, match="already past"):
        await demo.open_group(env)


async def test_wall_clock_keeps_the_world_on_the_wall_clock(group):
    env = group.env
    wall = [env.now() + timedelta(days=3, minutes=5)]
    steps = []

    async def on_step():
        steps.append(env.now())

    clock = demo.WallClock(env, wall=lambda: wall[0], on_step=on_step)
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
    assert steps == [wall[0]]  # the page is republished after every move

    # A scheduled post comes out when the wall clock reaches its slot.
    slot = wall[0] + timedelta(minutes=2)
    await group.counsellor.slash(
        group.channel, "schedule add", channel=group.channel, time=f"{slot:%H:%M}", timezone="UTC", days="daily"
    )
    wall[0] = slot + timedelta(minutes=1)
    await clock.step()
    assert is_tip(group.channel.last_message)
    assert steps[-1] == wall[0]


async def test_the_clock_moves_after_an_action_or_once_a_minute(group):
    env = group.env
    start = env.now()
    wall = [start + timedelta(seconds=30)]
    steps = []

    async def on_step():
        steps.append(env.now())

    clock = demo.WallClock(env, wall=lambda: wall[0], on_step=on_step)
    env.bot.add_listener(clock.nudge, "on_interaction")

    await clock.tick(nudged=False)  # nobody acted, and the world lags less than a minute
    assert env.now() == start and steps == []

    await group.alice.slash(group.channel, "tip")
    assert clock._nudged.is_set()  # the member's action nudged the clock
    await clock.tick(nudged=True)
    assert env.now() == wall[0] and steps == [wall[0]]

    wall[0] += timedelta(seconds=demo.MAX_LAG)
    await clock.tick(nudged=False)
    assert env.now() == wall[0] and steps[-1] == wall[0]


async def test_wall_clock_never_moves_the_world_backwards(simcord_env):
    env = simcord_env
    before = env.now()
    stepped = []

    async def on_step():
        stepped.append(True)

    clock = demo.WallClock(env, wall=lambda: before - timedelta(hours=1), on_step=on_step)
    await clock.catch_up()
    await clock.step()
    assert env.now() == before
    assert stepped == []


async def test_the_stage_shows_one_channel_at_a_time_as_the_chosen_member(simcord_env):
    env = simcord_env
    group, clock = await seeded(env)
    thread = group.general.threads[0]
    stage = demo.Stage(env, group, "Europe/London", lock=clock.lock, assets=demo.offline_avatars())
    try:
        url = await stage.show(group.general, group.counsellor)
        assert url.startswith("http://127.0.0.1:") and stage.shown == (group.general.id, group.counsellor.id)
        assert await stage.show(group.general, group.counsellor) == url  # already shown: same page

        first = stage.preview
        await stage.show(thread, group.priya)
        snapshot = await stage.preview.snapshot()
        assert first is not stage.preview and stage.shown == (thread.id, group.priya.id)
        assert snapshot["channel"]["name"] == thread.name and snapshot["viewerId"] == str(group.priya.id)
        # Sam's practice, attributed with his avatar, which the page can show offline.
        (practice,) = snapshot["messages"].values()
        assert practice["embeds"][0]["description"] == demo.PRACTICE
        assert practice["embeds"][0]["author"]["name"] == "Sam"
        assert practice["embeds"][0]["author"]["icon_available"] is True
        assert not stage.ended.is_set()  # switching is not ending

        # A message link focuses that message.
        tip = public(group.daily_tips)[0]
        await stage.show(group.daily_tips, group.counsellor, tip)
        assert (await stage.preview.snapshot())["targetId"] == str(tip.id)
    finally:
        await stage.close()


async def test_relative_times_are_counted_from_the_world_s_clock(simcord_env):
    env = simcord_env
    group, _ = await seeded(env)
    wall = [WALL]
    stage = demo.Stage(env, group, "UTC")
    clock = demo.WallClock(env, wall=lambda: wall[0], on_step=stage.refresh)
    stage.lock = clock.lock
    try:
        await stage.show(group.general, group.priya)
        wall[0] += timedelta(minutes=3)
        await clock.step()

        await group.priya.slash(group.general, "progress")
        snapshot = await stage.preview.snapshot()
        # "Last active: now", not "in 3 minutes": the page counts from the world's time.
        assert datetime.fromisoformat(snapshot["profile"]["presentationTime"]) == env.now() == wall[0]
    finally:
        await stage.close()


async def test_ending_the_preview_from_its_page_ends_the_demo(simcord_env):
    env = simcord_env
    group = await demo.open_group(env)
    stage = demo.Stage(env, group, "UTC")
    await stage.show(group.general, group.counsellor)

    await stage.preview.close()  # what More, then End preview session does

    await stage.ended.wait()
    assert stage.preview is None


@pytest.fixture
async def site(simcord_env):
    env = simcord_env
    group, clock = await seeded(env)
    stage = demo.Stage(env, group, "Europe/London", lock=clock.lock)
    served = demo.Site(stage)
    await served.start()
    try:
        yield served
    finally:
        await served.close()
        await stage.close()


def cookie_keeping_client():
    """An HTTP client that keeps cookies as a browser does, also for an IP address."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def test_the_linkwise_page_lists_the_server_s_channels_and_threads(site):
    group = site.group
    thread = group.general.threads[0]
    async with cookie_keeping_client() as browser:
        async with browser.get(f"{site.origin}/") as refused:
            assert refused.status == 403
            assert "Open the link the terminal printed" in await refused.text()

        async with browser.get(site.url) as joined:  # follows the redirect to the page, with its cookie
            page = await joined.text()
        assert joined.status == 200 and str(joined.url) == f"{site.origin}/"
        assert "<title>Career Circle · Linkwise demo</title>" in page
        for href in (
            f"/channels/{group.guild.id}/{group.general.id}",
            f"/channels/{group.guild.id}/{thread.id}",
            f"/channels/{group.guild.id}/{group.daily_tips.id}",
        ):
            assert f"formaction='{href}'" in page
        assert ">general<" in page and ">daily-tips<" in page and "Thread in #general" in page
        assert "2 messages" in page  # the two daily tips
        assert f"<option value='{group.priya.id}'>Priya</option>" in page

        opened = await browser.get(
            f"{site.origin}/channels/{group.guild.id}/{thread.id}?as={group.priya.id}", allow_redirects=False
        )
        assert opened.status == 303 and opened.headers["Location"] == site.stage.preview.url
        assert site.stage.shown == (thread.id, group.priya.id)

        async with browser.get(f"{site.origin}/channels/{group.guild.id}/1") as missing:
            assert missing.status == 404 and "That channel is not in this demo" in await missing.text()


async def test_the_linkwise_page_answers_only_its_own_address_and_secret(site):
    async with cookie_keeping_client() as browser:
        async with browser.get(f"{site.origin}/join/not-the-secret") as wrong:
            assert wrong.status == 403
        async with browser.get(site.url, headers={"Host": "attacker.example:80"}) as elsewhere:
            assert elsewhere.status == 403
        async with browser.get(site.url) as joined:
            assert joined.headers["X-Frame-Options"] == "DENY"
            assert "frame-ancestors 'none'" in joined.headers["Content-Security-Policy"]


async def test_links_in_linkwise_s_replies_open_the_message_in_the_demo_s_page(tmp_path):
    sock = demo.bind_page(None)
    origin = demo.page_origin(sock)
    bot = create_bot(db_path=tmp_path / "demo.db", force_sync=True, settings=Settings(link_origin=origin))
    try:
        async with simcord.run(bot) as env:
            group, clock = await seeded(env)  # the origin was set before the seed
            thread = group.general.threads[0]
            (practice,) = thread.history()
            (thanks,) = [m for m in group.general.history(viewer=group.sam) if (m.content or "").startswith("Thanks")]
            link = f"{origin}/channels/{group.guild.id}/{thread.id}/{practice.id}"
            assert link in thanks.content and "discord.com" not in thanks.content

            stage = demo.Stage(env, group, "Europe/London", lock=clock.lock)
            site = demo.Site(stage, sock=sock)
            await site.start()
            try:
                assert site.origin == origin
                async with cookie_keeping_client() as browser:
                    async with browser.get(site.url):
                        pass
                    opened = await browser.get(link, allow_redirects=False)
                    assert opened.status == 303 and opened.headers["Location"] == stage.preview.url
                    assert stage.shown is not None and stage.shown[0] == thread.id
                    assert (await stage.preview.snapshot())["targetId"] == str(practice.id)
            finally:
                await site.close()
                await stage.close()
    finally:
        await bot.close()
        sock.close()


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


def test_a_taken_port_is_explained_before_anything_is_written_so_a_later_run_seeds_the_db(tmp_path, capsys):
    db = tmp_path / "demo.db"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        assert demo.run_demo(port=port, open_browser=False, db_path=db) == 1
        err = capsys.readouterr().err
        assert f"could not bind port {port}" in err and "Choose another --port" in err
        # The page's address is bound before the bot opens the database: nothing half-made is
        # kept, so the next run still finds a new database and seeds it.
        assert not db.exists() or db.stat().st_size == 0


def test_the_url_comes_first_and_the_browser_is_opened_on_it(monkeypatch, capsys):
    opened = []
    monkeypatch.setattr(demo.webbrowser, "open", lambda url: opened.append(url) or False)
    group = demo.Group(*[None] * 6, notes=["Sam tried a tip"])

    demo.announce("http://127.0.0.1:1234/join/secret", group, open_browser=True, reopened=True)
    for thread in threading.enumerate():
        if thread.name == "linkwise-demo-browser":
            thread.join(timeout=5)

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Linkwise demo running at http://127.0.0.1:1234/join/secret — press Ctrl+C to stop"
    assert "Already done: Sam tried a tip." in lines
    assert any(line.startswith("Reopened the database") for line in lines)
    assert opened == ["http://127.0.0.1:1234/join/secret"]
    assert lines[-1] == "No browser could be opened: open the link above yourself."
