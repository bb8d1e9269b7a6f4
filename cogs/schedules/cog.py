"""/schedule add|list|remove|pause|resume|test: counsellors schedule tip and prompt posts.

The posting itself is :mod:`cogs.schedules.dispatcher`'s job; this cog parses, checks, stores, wakes the
dispatcher and renders. Counsellor-only in code on every command: ``default_permissions`` is
only a hint that a server can override.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from datetime import time as dt_time
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot import clock
from bot.app import Linkwise
from bot.content import topic_labels
from bot.errors import Refusal
from bot.i18n import N_, _, current_locale, ngettext
from bot.input import InputError
from bot.options import TimeZone, Topic
from bot.permissions import counsellor_extras
from bot.posts import NothingToPost
from bot.store import settings
from bot.ui import guild_of, message_link, reply
from cogs.schedules import queries as schedules
from cogs.schedules import rules as scheduling
from cogs.schedules.dispatcher import CannotPost, Dispatcher, Withdrawn, channel_problem
from cogs.schedules.options import Days, TimeOfDay
from cogs.schedules.queries import Schedule

KIND_CHOICES = [
    app_commands.Choice(name=N_("Tip"), value="tip"),
    app_commands.Choice(name=N_("Prompt"), value="prompt"),
]


def kind_label(kind: str) -> str:
    return _("Tip") if kind == "tip" else _("Prompt")


WHAT = N_("schedule posts")
LIST_BUDGET = 5800  # characters: under Discord's 6,000 per message, whatever the reasons hold
LOOKUP_BUDGET = 1.5  # seconds for naming the counsellors who paused schedules, all together


def stamp(moment: datetime, style: str = "F") -> str:
    """A Discord timestamp: each reader sees it in their own time zone."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def topic_name(topic: str) -> str:
    return topic_labels(current_locale()).get(topic, topic)


def describe(schedule: Schedule) -> str:
    """'a tip about Recruiters at 09:00 America/Toronto, weekdays', in the current locale."""
    values = {"time": schedule.local_time, "zone": schedule.timezone, "days": scheduling.days_shown(schedule.days)}
    if schedule.topic:
        values["topic"] = topic_name(schedule.topic)
        if schedule.kind == "tip":
            return _("a tip about {topic} at {time} {zone}, {days}", **values)
        return _("a prompt about {topic} at {time} {zone}, {days}", **values)
    if schedule.kind == "tip":
        return _("a tip at {time} {zone}, {days}", **values)
    return _("a prompt at {time} {zone}, {days}", **values)


def mention(channel_id: int) -> str:
    """A channel's mention, which Discord shows as its name (a channel that is gone included)."""
    return f"<#{channel_id}>"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


async def display_name(interaction: discord.Interaction[Linkwise], user_id: int) -> str | None:
    """A member's name as Discord shows it now, without the members intent: the one asking, the
    member cache, else one REST lookup. None when they left the server or Discord cannot say."""
    if interaction.user.id == user_id:
        return interaction.user.display_name
    guild = guild_of(interaction)
    if guild is None:
        return None
    member = guild.get_member(user_id)
    if member is None:
        try:
            member = await guild.fetch_member(user_id)
        except discord.HTTPException:  # 404: they left; anything else: show the plain reason
            return None
    return member.display_name


async def pause_reasons(interaction: discord.Interaction[Linkwise], items: list[Schedule]) -> dict[int, str]:
    """Why each paused schedule is paused, as shown: a counsellor's pause names them as Discord
    shows them now (Linkwise keeps only their id); otherwise the stored reason, which names nobody.

    Each counsellor is looked up once, all at the same time, and for at most
    :data:`LOOKUP_BUDGET` seconds in all, so the answer still meets Discord's 3-second deadline;
    a name not found by then is shown as the stored reason ("a counsellor")."""
    wanted = {item.paused_by for item in items if item.paused_reason is not None and item.paused_by is not None}
    lookups = {user_id: asyncio.ensure_future(display_name(interaction, user_id)) for user_id in wanted}
    if lookups:
        _finished, late = await asyncio.wait(lookups.values(), timeout=LOOKUP_BUDGET)
        for task in late:
            task.cancel()
    names = {
        user_id: task.result() if task.done() and not task.cancelled() and task.exception() is None else None
        for user_id, task in lookups.items()
    }
    out: dict[int, str] = {}
    for item in items:
        if item.paused_reason is None:
            continue
        out[item.id] = item.paused_reason
        name = names.get(item.paused_by) if item.paused_by is not None else None
        if name and item.paused_at is not None:
            out[item.id] = _("paused by {name} on {date}", name=name[:40], date=item.paused_at.date().isoformat())
    return out


def channel_names(guild: discord.Guild, items: list[Schedule]) -> dict[int, str]:
    """The names of the schedules' channels that the guild's channel cache knows (a channel that
    is gone is left out): shown as text, since not every client renders a mention in an embed."""
    names: dict[int, str] = {}
    for item in items:
        channel = guild.get_channel_or_thread(item.channel_id)
        if channel is not None:
            names[item.channel_id] = channel.name
    return names


def list_embed(
    items: list[Schedule],
    reason_limit: int = 200,
    reasons: dict[int, str] | None = None,
    channels: dict[int, str] | None = None,
) -> discord.Embed:
    embed = discord.Embed(title=_("Scheduled posts"), colour=discord.Colour.from_rgb(10, 102, 194))
    if not items:
        embed.description = _("No scheduled posts yet. Add one with `/schedule add`.")
        return embed
    paused = False
    for item in items:
        topic = f" · {topic_name(item.topic)}" if item.topic else ""
        lines = [f"<#{item.channel_id}> · {item.local_time} {item.timezone} · {scheduling.days_shown(item.days)}"]
        if item.paused_reason is not None:
            paused = True
            shown = (reasons or {}).get(item.id, item.paused_reason)
            reason = discord.utils.escape_markdown(_shorten(shown, reason_limit))
            lines.append(_("**paused** — {reason}", reason=reason) if reason else _("**paused**"))
        else:
            lines.append(_("Next: {when} ({relative})", when=stamp(item.next_run), relative=stamp(item.next_run, "R")))
        name = f"#{item.id} · {kind_label(item.kind)}{topic}"
        if channel := (channels or {}).get(item.channel_id):
            name += f" · #{discord.utils.escape_markdown(_shorten(channel, 60))}"
        embed.add_field(name=name, value="\n".join(lines), inline=False)
    # English says "schedules" even for one; French agrees with the count.
    if paused:
        footer = ngettext(
            "{count} of {most} schedules. Resume a paused one with /schedule resume once its cause is fixed.",
            "{count} of {most} schedules. Resume a paused one with /schedule resume once its cause is fixed.",
            len(items),
            count=len(items),
            most=schedules.MAX_PER_GUILD,
        )
    else:
        footer = ngettext(
            "{count} of {most} schedules.", "{count} of {most} schedules.", len(items),
            count=len(items), most=schedules.MAX_PER_GUILD,
        )
    embed.set_footer(text=footer)
    return embed


def zone_gone(schedule: Schedule, channel_name: str | None) -> str:
    """What to do with a schedule whose zone is no longer known: it cannot run again as it is
    (a schedule keeps its zone), so remove it and add it again; the command is written out with
    everything but the zone, which only the counsellor knows (no guess is offered)."""
    channel = f"#{channel_name[:40].replace('`', '')}" if channel_name else "…"
    options = [f"channel:{channel}", f"time:{schedule.local_time}", "timezone:…"]
    options.append(f"days:{schedule.days.replace(' ', '')}")
    options.append(f"kind:{schedule.kind}")
    if schedule.topic:
        options.append(f"topic:{schedule.topic}")
    shown = discord.utils.escape_markdown(schedule.timezone.strip()[:60]) or _("(empty)")
    return _(
        "Schedule #{id} cannot start again: its time zone **{zone}** is no longer in Linkwise's time-zone "
        "database (zones are sometimes renamed or merged into another), so its post times cannot be worked "
        "out. A schedule keeps its zone, so replace it: remove it with `/schedule remove {id}`, then add it "
        "again in {channel} with a current zone:\n"
        "`/schedule add {options}`\n"
        "In `timezone`, start typing the group's city (Toronto, London, …) and pick its zone from the "
        "suggestions.",
        id=str(schedule.id),
        zone=shown,
        channel=mention(schedule.channel_id),
        options=" ".join(options),
    )


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Schedules(
    commands.GroupCog,
    group_name="schedule",
    group_description=N_("Counsellors: schedule tip and prompt posts in a channel"),
    group_extras=counsellor_extras(WHAT),  # every /schedule command is counsellor-only
):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot
        self.dispatcher = Dispatcher(bot, schedules.Shards.of(bot.owned_shards, bot.settings.shard_count))

    async def cog_load(self) -> None:
        self.dispatcher.start()  # once per load, never from on_ready (which fires on every reconnect)

    async def cog_unload(self) -> None:
        await self.dispatcher.stop()

    async def _find(self, interaction: discord.Interaction[Linkwise], schedule_id: int) -> Schedule | Refusal:
        found = await schedules.get(self.bot.store, guild_of(interaction).id, schedule_id)
        if found is None:
            return Refusal(
                _(
                    "There is no schedule #{id} in this server. `/schedule list` shows the ids of its schedules.",
                    id=str(schedule_id),
                )
            )
        return found

    # ------------------------------------------------------------------ add
    @app_commands.command(name="add", description=N_("Post a tip or prompt in a channel on a schedule"))
    @app_commands.describe(
        channel=N_("Where to post"),
        time=N_("Local time: 24-hour HH:MM like 09:00, or 9am / 9:30pm"),
        timezone=N_("IANA time zone like America/Toronto (default: the server's setting, else UTC)"),
        days=N_("daily, weekdays (default), weekends, or days like mon,wed,fri"),
        kind=N_("Tip (default) or discussion prompt"),
        topic=N_("Only items about this topic (default: any topic)"),
    )
    @app_commands.choices(kind=KIND_CHOICES)
    async def add(
        self,
        interaction: discord.Interaction[Linkwise],
        channel: discord.TextChannel,
        time: app_commands.Transform[dt_time, TimeOfDay],
        timezone: app_commands.Transform[ZoneInfo, TimeZone] | None = None,
        days: app_commands.Transform[frozenset[int], Days] | None = None,
        kind: app_commands.Choice[str] | None = None,
        topic: app_commands.Transform[str, Topic] | None = None,
    ) -> None:
        guild = guild_of(interaction)
        day_set = days if days is not None else scheduling.parse_days("weekdays")
        try:
            zone = timezone if timezone is not None else scheduling.parse_timezone(
                (await settings.get(self.bot.store, guild.id)).timezone or "UTC"
            )
        except InputError as error:  # the server's setting names a zone no longer known
            return await reply(interaction, error.message)
        kind_value = kind.value if kind else "tip"
        if kind_value not in self.bot.post_sources:
            if kind_value == "tip":
                return await reply(interaction, _("Tip posts are not available in this version of Linkwise yet."))
            return await reply(interaction, _("Prompt posts are not available in this version of Linkwise yet."))
        target = guild.get_channel(channel.id)
        if target is None:
            return await reply(
                interaction,
                _("Linkwise cannot see {channel}. Pick a channel Linkwise can read.", channel=channel.mention),
            )
        if problem := channel_problem(target):
            return await reply(
                interaction,
                _(
                    "{problem}, so it cannot post there. Give Linkwise View Channel, Send Messages and "
                    "Embed Links in that channel, or pick another channel.",
                    problem=problem,
                ),
            )

        now = clock.now()
        runs = scheduling.next_runs(now, time, day_set, zone, 3)
        schedule_id = await schedules.add(
            self.bot.store,
            guild_id=guild.id,
            channel_id=target.id,
            kind=kind_value,
            topic=topic,
            local_time=time.strftime("%H:%M"),
            days=scheduling.format_days(day_set),
            timezone=zone.key,
            next_run=runs[0],
            created_by=interaction.user.id,
            at=now,
            shard_count=self.bot.shard_count or 1,
        )
        if schedule_id is None:
            return await reply(
                interaction,
                _(
                    "This server already has {most} schedules, the most Linkwise keeps. "
                    "Remove one with `/schedule remove` first.",
                    most=schedules.MAX_PER_GUILD,
                ),
            )
        self.dispatcher.wake()
        created = await schedules.get(self.bot.store, guild.id, schedule_id)
        assert created is not None  # added just now, in this server
        lines = [
            _(
                "Schedule **#{id}** is set: {what}, in {channel}.",
                id=str(schedule_id),
                what=describe(created),
                channel=target.mention,
            ),
            _("The next three posts:"),
            *(f"- {stamp(run)} ({stamp(run, 'R')})" for run in runs),
        ]
        await reply(interaction, "\n".join(lines))

    # ------------------------------------------------------------------ list
    @app_commands.command(name="list", description=N_("See this server's scheduled posts"))
    async def list_(self, interaction: discord.Interaction[Linkwise]) -> None:
        guild = guild_of(interaction)
        items = await schedules.for_guild(self.bot.store, guild.id)
        reasons = await pause_reasons(interaction, items)
        channels = channel_names(guild, items)
        # Shortened until it fits: the reasons first, then the channels' names (the mentions stay).
        for limit, named in ((200, channels), (80, channels), (0, channels), (0, None)):
            embed = list_embed(items, limit, reasons, named)
            if len(embed) <= LIST_BUDGET:
                break
        await reply(interaction, embed=embed)

    # ------------------------------------------------------------------ remove / pause / resume
    @app_commands.command(name="remove", description=N_("Delete a scheduled post"))
    @app_commands.describe(id=N_("The schedule's number, from /schedule list"))
    async def remove(self, interaction: discord.Interaction[Linkwise], id: app_commands.Range[int, 1]) -> None:
        found = await self._find(interaction, id)
        if isinstance(found, Refusal):
            return await reply(interaction, found.message)
        if not await schedules.remove(self.bot.store, guild_of(interaction).id, id):
            return await reply(interaction, _("Schedule #{id} was already removed.", id=str(id)))
        await reply(
            interaction,
            _(
                "Schedule #{id} is removed: {what}, in {channel}.",
                id=str(id),
                what=describe(found),
                channel=mention(found.channel_id),
            ),
        )

    @app_commands.command(name="pause", description=N_("Stop a scheduled post for now (resume it later)"))
    @app_commands.describe(id=N_("The schedule's number, from /schedule list"))
    async def pause(self, interaction: discord.Interaction[Linkwise], id: app_commands.Range[int, 1]) -> None:
        found = await self._find(interaction, id)
        if isinstance(found, Refusal):
            return await reply(interaction, found.message)
        now = clock.now()
        # The reason names nobody: who paused is kept as an id and named when shown.
        reason = _("paused by a counsellor on {date}", date=now.date().isoformat())
        if not await schedules.pause(self.bot.store, id, reason, by=interaction.user.id, at=now):
            current = await schedules.get(self.bot.store, guild_of(interaction).id, id) or found
            why = (await pause_reasons(interaction, [current])).get(id, current.paused_reason or "")
            return await reply(
                interaction,
                _(
                    "Schedule #{id} is already paused ({reason}). Use `/schedule resume {id}` to restart it.",
                    id=str(id),
                    reason=discord.utils.escape_markdown(why),
                ),
            )
        await reply(
            interaction, _("Schedule #{id} is paused. Use `/schedule resume {id}` to start it again.", id=str(id))
        )

    @app_commands.command(name="resume", description=N_("Start a paused scheduled post again, from its next slot"))
    @app_commands.describe(id=N_("The schedule's number, from /schedule list"))
    async def resume(self, interaction: discord.Interaction[Linkwise], id: app_commands.Range[int, 1]) -> None:
        found = await self._find(interaction, id)
        if isinstance(found, Refusal):
            return await reply(interaction, found.message)
        if found.paused_reason is None:
            return await reply(
                interaction,
                _("Schedule #{id} is not paused. Its next post is {when}.", id=str(id), when=stamp(found.next_run)),
            )
        zone = scheduling.stored_zone(found.timezone)
        if zone is None:
            channel = guild_of(interaction).get_channel(found.channel_id)
            return await reply(interaction, zone_gone(found, channel.name if channel else None))
        channel = guild_of(interaction).get_channel(found.channel_id)
        if channel is None:
            return await reply(
                interaction,
                _(
                    "The channel of schedule #{id} no longer exists or Linkwise cannot see it. "
                    "Remove it with `/schedule remove {id}` and add a new one.",
                    id=str(id),
                ),
            )
        if problem := channel_problem(channel):
            return await reply(
                interaction,
                _(
                    "{problem}, so schedule #{id} stays paused. Fix that first, then resume it.",
                    problem=problem,
                    id=str(id),
                ),
            )
        # From now: slots that passed while paused are not posted.
        upcoming = scheduling.next_run(clock.now(), found.at, scheduling.parse_days(found.days), zone)
        if not await schedules.resume(self.bot.store, id, upcoming):
            return await reply(interaction, _("Schedule #{id} is not paused any more.", id=str(id)))
        self.dispatcher.wake()
        await reply(
            interaction,
            _(
                "Schedule #{id} is running again. Its next post is {when} ({relative}); "
                "posts missed while it was paused are not sent.",
                id=str(id),
                when=stamp(upcoming),
                relative=stamp(upcoming, "R"),
            ),
        )

    # ------------------------------------------------------------------ test
    @app_commands.command(name="test", description=N_("Post a schedule's next item now, to see how it looks"))
    @app_commands.describe(id=N_("The schedule's number, from /schedule list"))
    async def test(self, interaction: discord.Interaction[Linkwise], id: app_commands.Range[int, 1]) -> None:
        found = await self._find(interaction, id)
        if isinstance(found, Refusal):
            return await reply(interaction, found.message)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            message = await self.dispatcher.post_now(found)
        except CannotPost as problem:
            return await reply(
                interaction, _("The test post failed: {problem}. The schedule is unchanged.", problem=str(problem))
            )
        except NothingToPost as nothing:
            return await reply(interaction, str(nothing))
        except Withdrawn:
            return await reply(
                interaction,
                _(
                    "The test post was not sent: schedule #{id} was removed or paused while it was being posted.",
                    id=str(id),
                ),
            )
        except discord.HTTPException as error:
            return await reply(
                interaction,
                _(
                    "Discord did not accept the test post just now ({status}). Please try again in a moment.",
                    status=str(error.status),
                ),
            )
        link = message_link(message, self.bot.settings.link_origin)
        await reply(
            interaction,
            _(
                "Posted schedule #{id}'s next item in {channel}: {link}\n"
                "Its scheduled posts carry on as before; the next is {when}.",
                id=str(id),
                channel=mention(found.channel_id),
                link=link,
                when=stamp(found.next_run),
            ),
        )


async def setup(bot: Linkwise) -> None:
    await bot.add_cog(Schedules(bot))
