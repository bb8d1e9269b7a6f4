"""Oversize and odd input in every string option and modal (issue 10, case 11).

Each (command, option) pair gets the same dozen hostile strings in one SimCord session: every
interaction is answered, no error reaches the error handler (SimCord fails the test on one),
and everything Linkwise sent stays within Discord's limits (checked on the REST payloads, see
``tests.payloads.limit_problems``). One more test lets hypothesis generate text for the same
options, a small number of examples in a single session.

A string Discord itself would refuse before it reaches the bot (longer than the option's or
the input's ``max_length``, or empty for a required one) is cut or skipped as Discord's client
would: the bot is checked on what it can actually receive.
"""

from __future__ import annotations

import discord
import pytest
import simcord
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import create_bot
from tests.db import counts, one
from tests.payloads import limit_problems, message_payloads

HOSTILE = [
    "",
    " \t \n ",
    "x" * 6000,
    "\x00\x01\x07\x1b[31mred\x7f\x9f",
    "\u202eeliam\u202c \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u2067isolate\u2069",
    "**bold** __under__ ~~gone~~ `code` ```py\nblock\n``` > quote [link](https://evil.example) ||spoiler||",
    "@everyone @here <@123456789012345678> <@&123456789012345678> <#123456789012345678>",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466\U0001f3f3\ufe0f\u200d\U0001f308" * 300,
    "Z\u0337\u0327\u031b\u0361a\u0338l\u0336g\u0335o\u0337" * 400,
    "\n" * 300 + "end",
    "'); DROP TABLE members; -- </script><img src=x onerror=alert(1)>",
    "\u200b\u200c\u200d\ufeff",
    "a" * 2100,
]

STRING_OPTIONS = [
    # (command, the hostile option, the other options it needs, counsellor?)
    ("checklist", "name", {}, False),
    ("review headline", "text", {}, False),
    ("review invite", "text", {}, False),
    ("content add-tip", "title", {"topic": "profile", "body": "A perfectly ordinary tip body for the group."}, True),
    ("content add-tip", "body", {"topic": "profile", "title": "Ordinary title"}, True),
    ("content add-prompt", "text", {}, True),
    ("content remove", "id", {}, True),
    ("schedule add", "time", {}, True),
    ("schedule add", "timezone", {"time": "09:00"}, True),
    ("schedule add", "days", {"time": "09:00"}, True),
    ("settings timezone", "timezone", {}, True),
]

MODALS = [
    # (how to open it, the input's custom_id)
    ("prompt", "practice"),
    ("review about", "text"),
]


def option_max_length(bot, command: str, option: str) -> int:
    names = command.split()
    found = bot.tree.get_command(names[0])
    for name in names[1:]:
        found = found.get_command(name)
    return next(p for p in found.parameters if p.name == option).max_value or 6000


def as_discord_sends(text: str, max_length: int, required: bool = True) -> str | None:
    """What Discord's client would let through: trimmed to the option's maximum; None if empty."""
    text = text[:max_length]
    if required and not text.strip():
        return None
    return text


def answered(result) -> bool:
    return result.response is not None or bool(result.followups)


def row_counts(database_url) -> dict[str, int]:
    return counts(database_url)


def actor_for(group, counsellor: bool):
    return group.counsellor if counsellor else group.alice


@pytest.mark.parametrize(("command", "option", "others", "counsellor"), STRING_OPTIONS, ids=lambda v: str(v))
async def test_hostile_strings_in_every_string_option(group, database_url, command, option, others, counsellor):
    limit = option_max_length(group.env.bot, command, option)
    actor = actor_for(group, counsellor)
    if command == "schedule add":
        others = {"channel": group.channel, **others}
    sent = 0
    for hostile in HOSTILE:
        text = as_discord_sends(hostile, limit)
        if text is None:
            continue
        result = await actor.slash(group.channel, command, **{**others, option: text})
        assert answered(result), (command, option, hostile[:40])
        sent += 1
    assert sent >= 10
    assert len(message_payloads(group.env.http_requests)) >= sent
    assert limit_problems(group.env.http_requests) == []
    # Nothing hostile became a schedule or a setting (valid input would; none of these is valid).
    counts = row_counts(database_url)
    assert counts.get("schedules", 0) == 0
    if command == "settings timezone":
        assert one(database_url, "SELECT COUNT(*) FROM guild_settings WHERE timezone IS NOT NULL") == (0,)


def modal_max_length(result, custom_id: str) -> tuple[int, int]:
    for row in result.modal["components"]:
        for item in row.get("components") or [row.get("component") or row]:
            if item.get("custom_id") == custom_id:
                return item.get("min_length") or 0, item.get("max_length") or 4000
    raise AssertionError(f"no input {custom_id}")


@pytest.mark.parametrize(("how", "custom_id"), MODALS)
async def test_hostile_strings_in_every_modal(group, database_url, how, custom_id):
    prompt = await group.counsellor.slash(group.channel, "prompt") if how == "prompt" else None
    for i, hostile in enumerate(HOSTILE):
        # A fresh member each time: sharing has a per-member cooldown.
        actor = group.guild.add_member(group.env.create_user(f"member{i}"))
        if prompt is not None:
            shown = await actor.click(prompt.response.message, label="Share your practice")
        else:
            shown = await actor.slash(group.channel, how)
        assert shown.modal is not None
        low, high = modal_max_length(shown, custom_id)
        text = hostile[:high]
        if len(text) < low:
            text = text.ljust(low, ".")
        if not text.strip():
            continue
        result = await actor.submit_modal(shown, {custom_id: text})
        assert answered(result), (how, hostile[:40])
    assert limit_problems(group.env.http_requests) == []


def test_the_limit_checker_catches_what_discord_would_refuse():
    from simcord.types import HttpLogEntry

    def callback(data, kind=4):
        return HttpLogEntry("POST", "/interactions/1/t/callback", {}, {"type": kind, "data": data}, None)

    too_big = [
        callback({"content": "x" * 2001}),
        callback({"embeds": [{"title": "t" * 257}]}),
        callback({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}),
        callback({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}),
        callback({"title": "m" * 46, "custom_id": "x", "components": []}, kind=9),
        HttpLogEntry("POST", "/channels/1/messages", {}, {"embeds": [{"fields": [{}] * 26}]}, None),
    ]
    assert [bool(limit_problems([request])) for request in too_big] == [True] * len(too_big)
    assert limit_problems([callback({"content": "fine", "embeds": [{"title": "ok", "description": "ok"}]})]) == []


# --------------------------------------------------------------------------- hypothesis
TEXT = st.one_of(
    st.text(min_size=1, max_size=300),
    st.text(alphabet=st.characters(categories=("Cc", "Cf", "Mn", "So", "Zs")), min_size=1, max_size=200),
    st.text(alphabet=st.characters(categories=("Cs", "Ll")), min_size=1, max_size=200),  # broken characters
    st.builds(
        lambda s, n: s * n,
        st.sampled_from(["@everyone ", "**", "\u202e", "\U0001f469\u200d", "<@&1>"]),
        st.integers(1, 1200),
    ),
)
CASES = st.tuples(st.sampled_from([(c, o, others, cn) for c, o, others, cn in STRING_OPTIONS]), TEXT)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(CASES, min_size=1, max_size=4))
async def test_generated_text_in_string_options(tmp_path, cases):
    """Generated text, four commands at most per example, each example in a fresh session."""
    database_url = tmp_path / f"h{len(list(tmp_path.iterdir()))}.db"
    async with simcord.run(create_bot(database_url=database_url)) as env:
        guild = env.create_guild(name="Career Circle")
        channel = guild.create_text_channel("general")
        staff = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
        counsellor = guild.add_member(env.create_user("morgan"), roles=[staff])
        member = guild.add_member(env.create_user("alice"))
        for (command, option, others, is_counsellor), generated in cases:
            text = as_discord_sends(generated, option_max_length(env.bot, command, option))
            if text is None:
                continue
            options = {**others, option: text}
            if command == "schedule add":
                options["channel"] = channel
            result = await (counsellor if is_counsellor else member).slash(channel, command, **options)
            assert answered(result)
        assert limit_problems(env.http_requests) == []
