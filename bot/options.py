"""Options parsed from what a member typed, as ``app_commands.Transformer``s.

A :class:`ParsedOption` parses with a pure function that raises :class:`bot.input.InputError`
(what is wrong and what is accepted); one that needs what the bot knows (its content, say a
checklist's name) overrides :meth:`ParsedOption.read`, which is given the interaction. The
command tree parses every such option once before the command runs
(:meth:`bot.tree.LinkwiseTree.interaction_check`) and answers a bad one ephemerally, so the
command body receives parsed values and a refusal never reaches ``on_error``. A command
declares one as ``app_commands.Transform[value type, Option]``, so its body is typed with the
parsed value (``Transform[ZoneInfo, TimeZone]``: a ``ZoneInfo``). A feature
declares its own (``cogs/schedules/options.py``, ``cogs/checklists/options.py``); the time
zone, which several features take, lives here with its one autocomplete, and so does the topic,
picked from a list.
"""

from __future__ import annotations

import functools
import typing
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

import discord
from discord import app_commands

from bot.ui import TOPIC_CHOICES, as_linkwise
from bot.zones import parse_timezone, suggest_timezones

if TYPE_CHECKING:
    from bot.app import Linkwise


class ParsedOption(app_commands.Transformer):
    """A string option turned into a value by :meth:`parse`. ``check_order``: when several
    options are wrong, the one with the lowest order is named (the order a reader checks them)."""

    check_order: ClassVar[int] = 0

    @classmethod
    def parse(cls, text: str) -> Any:
        raise NotImplementedError

    @classmethod
    def read(cls, interaction: discord.Interaction[Linkwise], text: str) -> Any:
        """The value of ``text`` as this option's type, or :class:`bot.input.InputError`; an
        option that needs the bot's content overrides this, most parse the text alone."""
        return cls.parse(text)

    async def transform(self, interaction: discord.Interaction[discord.Client], value: Any, /) -> Any:
        return self.read(as_linkwise(interaction), str(value))


class TimeZone(ParsedOption):
    """An IANA time zone, forgiving of case and spaces, suggested as the member types."""

    check_order = 2

    @classmethod
    def parse(cls, text: str) -> ZoneInfo:
        return parse_timezone(text)

    async def autocomplete(
        self, interaction: discord.Interaction[discord.Client], value: int | float | str, /
    ) -> list[app_commands.Choice[int | float | str]]:
        return [app_commands.Choice(name=zone, value=zone) for zone in suggest_timezones(str(value))]


class Topic(app_commands.Transformer):
    """One of Linkwise's topics, picked from its list (Discord sends only a listed choice): the
    command receives the topic's key, e.g. ``"profile"``. Declared as
    ``app_commands.Transform[str, Topic]``."""

    @property
    def choices(self) -> list[app_commands.Choice[int | float | str]]:
        return typing.cast("list[app_commands.Choice[int | float | str]]", TOPIC_CHOICES)

    async def transform(self, interaction: discord.Interaction[discord.Client], value: Any, /) -> str:
        return str(value)


@functools.lru_cache(maxsize=256)  # a command's hints never change; reading them costs ~0.2 ms
def parsed_options(callback: Any) -> dict[str, type[ParsedOption]]:
    """The callback's parameters declared as a :class:`ParsedOption` (also ``X | None``), by name:
    ``app_commands.Transform[value type, Option]`` (at run time, an instance of the option) or
    the option class itself."""
    found: dict[str, type[ParsedOption]] = {}
    for name, hint in typing.get_type_hints(callback).items():
        for candidate in (hint, *typing.get_args(hint)):
            if isinstance(candidate, ParsedOption):
                found[name] = type(candidate)
            elif isinstance(candidate, type) and issubclass(candidate, ParsedOption):
                found[name] = candidate
    return found
