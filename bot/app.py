"""The Linkwise bot: its setup, its one error path, and the base for persistent buttons."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import json
import logging
import os
import pkgutil
import typing
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

import cogs
from bot.config import Settings
from bot.content import Content, default_content
from bot.dispatcher import Dispatcher, Poster
from bot.errors import UserFacingError
from bot.store import Store, meta
from bot.tips import Member

log = logging.getLogger(__name__)

def _discover_extensions() -> tuple[str, ...]:
    """Every module of the ``cogs`` package is one feature extension (``_``-prefixed ones are helpers)."""
    return tuple(
        f"cogs.{module.name}"
        for module in sorted(pkgutil.iter_modules(cogs.__path__), key=lambda m: m.name)
        if not module.name.startswith("_")
    )


EXTENSIONS: tuple[str, ...] = _discover_extensions()

# Every message Linkwise sends pings nobody, whatever text it carries.
NO_MENTIONS = discord.AllowedMentions.none()

GENERIC_FAILURE = (
    "Something went wrong on Linkwise's side. Nothing you did was lost; please try again in a "
    "moment, and tell a counsellor if it keeps happening."
)


def intents() -> discord.Intents:
    """Default intents: no members, presences or message content (no privileged intents)."""
    chosen = discord.Intents.default()
    chosen.members = False
    chosen.presences = False
    chosen.message_content = False
    return chosen


async def reply(interaction: discord.Interaction, content: str | None = None, **kwargs: Any) -> None:
    """Answer ephemerally, as a follow-up when the interaction was already answered."""
    kwargs.setdefault("ephemeral", True)
    kwargs.setdefault("allowed_mentions", NO_MENTIONS)
    if interaction.response.is_done():
        await interaction.followup.send(content, **kwargs)
    else:
        await interaction.response.send_message(content, **kwargs)


def member_of(interaction: discord.Interaction) -> Member:
    """The member behind an interaction, as the bot sees them now (guild only)."""
    if interaction.guild_id is None:
        raise UserFacingError("Linkwise works inside a server, where your group meets, not in direct messages.")
    return Member(interaction.guild_id, interaction.user.id, interaction.user.display_name)


def _describe(interaction: discord.Interaction) -> str:
    command = interaction.command.qualified_name if interaction.command else None
    custom_id = (interaction.data or {}).get("custom_id") if command is None else None
    return f"command={command or custom_id!r} guild={interaction.guild_id} user={interaction.user.id}"


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """The one error path for commands, buttons, selects and modals.

    A :class:`UserFacingError` or a failed check is shown to the member ephemerally; anything
    else is logged with the command, server and user, and the member gets an apology.
    """
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        error = error.__cause__ or error
    if isinstance(error, UserFacingError):
        message = error.message
    elif isinstance(error, app_commands.NoPrivateMessage):
        message = "Linkwise commands work inside a server, where your group meets, not in direct messages."
    elif isinstance(error, app_commands.CommandOnCooldown):
        message = f"Slow down a little: try again in {error.retry_after:.0f} seconds."
    elif isinstance(error, app_commands.CheckFailure):
        message = str(error) or "You cannot use this command here."
    else:
        log.error("unexpected error (%s)", _describe(interaction), exc_info=error)
        message = GENERIC_FAILURE
    try:
        await reply(interaction, message)
    except discord.HTTPException:
        log.warning("could not tell the member about an error (%s)", _describe(interaction), exc_info=True)


def handles_user_errors(callback: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Decorate a command callback so that a :class:`UserFacingError` (bad input, not a
    counsellor, ...) is answered right there, ephemerally, as an expected outcome.

    Only unexpected errors reach the tree's ``on_error`` (logged, and the member gets an
    apology). Annotations are resolved in the callback's own module so discord.py sees the
    real option types through the wrapper.
    """
    hints = typing.get_type_hints(callback)
    signature = inspect.signature(callback)

    @functools.wraps(callback)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        interaction = next(a for a in args if isinstance(a, discord.Interaction))
        try:
            return await callback(*args, **kwargs)
        except UserFacingError as error:
            await reply(interaction, error.message)

    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p.replace(annotation=hints.get(p.name, p.annotation)) for p in signature.parameters.values()]
    )
    wrapper.__annotations__ = hints
    return wrapper


class LinkwiseTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report_error(interaction, error)


class PersistentItem(discord.ui.DynamicItem[discord.ui.Button], template=r"linkwise:never-matches"):
    """Base of Linkwise's persistent buttons: state lives in the custom_id and the database,
    so they work after a restart. Subclasses implement :meth:`run`; errors take the one path."""

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        try:
            await self.run(interaction)
        except UserFacingError as error:
            await reply(interaction, error.message)
        except Exception as error:  # noqa: BLE001 - logged, and the member gets an apology
            await report_error(interaction, error)

    async def run(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError


def persistent_view(*items: discord.ui.Item) -> discord.ui.View:
    """A view holding only persistent (dynamic) items, for sending.

    Clicks on these items are routed by their custom_id through the globally registered
    ``DynamicItem`` classes, so the per-message view is not needed after it is rendered. It is
    stopped before sending so discord.py does not track it per message (for ephemeral replies
    it would otherwise keep every view, with a 15-minute timer, for nothing).
    """
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    view.stop()
    return view


def tree_hash(tree: app_commands.CommandTree) -> str:
    payload = [command.to_dict(tree) for command in tree.get_commands()]
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


class Linkwise(commands.Bot):
    """The bot. Built by :func:`bot.create_bot`; nothing connects until ``start``."""

    store: Store
    content: Content

    def __init__(self, settings: Settings, *, force_sync: bool = False) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(),
            tree_cls=LinkwiseTree,
            allowed_mentions=NO_MENTIONS,
        )
        self.settings = settings
        self.force_sync = force_sync
        self.synced = False  # whether this start synced the tree (for logs and tests)
        self.posters: dict[str, Poster] = {}  # scheduled-post builders by kind, set by each cog's setup
        self.dispatcher = Dispatcher(self)

    @property
    def db_path(self) -> Path:
        return self.settings.db_path

    async def setup_hook(self) -> None:
        self.store = await Store.open(self.db_path)
        self.content = default_content()
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self.sync_commands_if_changed()
        self.dispatcher.start()  # once per start, never from on_ready (which fires on every reconnect)

    async def sync_commands_if_changed(self) -> None:
        """Sync only when the tree's hash differs from the one last synced (kept in the
        database), or when asked; ``LINKWISE_DEV_GUILD_ID`` syncs to that server at once."""
        guild_id = self.settings.dev_guild_id
        key = f"command_tree_hash:{guild_id or 'global'}"
        current = tree_hash(self.tree)
        if not self.force_sync and await meta.get(self.store, key) == current:
            log.info("command tree unchanged; not syncing")
            return
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()
        await meta.put(self.store, key, current)
        self.synced = True
        log.info("command tree synced (%s)", f"guild {guild_id}" if guild_id else "global")

    async def close(self) -> None:
        try:
            await self.dispatcher.stop()
            await super().close()
        finally:
            store = getattr(self, "store", None)
            if store is not None:
                await store.close()


def create_bot(
    db_path: str | os.PathLike[str] | None = None,
    *,
    settings: Settings | None = None,
    force_sync: bool = False,
) -> Linkwise:
    """Build the bot, unstarted. It needs no token: tests and the demo drive it through SimCord."""
    settings = settings or Settings()
    if db_path is not None:
        settings = dataclasses.replace(settings, db_path=Path(db_path))
    return Linkwise(settings, force_sync=force_sync)
