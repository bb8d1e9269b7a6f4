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
from collections.abc import Awaitable, Callable, Sequence
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
from bot.store.database import open_store
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

# Every custom_id of a Linkwise button, select or modal starts with this.
CUSTOM_ID_PREFIX = "linkwise:"

STALE_CONTROL = (
    "That control is no longer valid, so Linkwise did nothing with it. Use the command again "
    "(for example `/tip` or `/checklist`) to get a fresh one."
)

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


# Discord's answers to a follow-up once the interaction's token (valid 15 minutes) has expired.
EXPIRED_TOKEN_CODES = frozenset({10015, 50027})  # Unknown Webhook, Invalid Webhook Token


async def reply(interaction: discord.Interaction, content: str | None = None, **kwargs: Any) -> None:
    """Answer ephemerally, as a follow-up when the interaction was already answered.

    A follow-up rides on the interaction's token, which Discord honours for 15 minutes. When
    it has expired, a public answer is posted in the channel instead (everyone there was meant
    to see it anyway); an ephemeral one is dropped with a log line, because posting it in the
    channel would show everyone what only the member was meant to see.
    """
    kwargs.setdefault("ephemeral", True)
    kwargs.setdefault("allowed_mentions", NO_MENTIONS)
    if not interaction.response.is_done():
        await interaction.response.send_message(content, **kwargs)
        return
    try:
        await interaction.followup.send(content, **kwargs)
    except discord.HTTPException as error:
        if error.code not in EXPIRED_TOKEN_CODES:
            raise
        await _answer_after_expiry(interaction, content, **kwargs)


async def _answer_after_expiry(
    interaction: discord.Interaction, content: str | None, *, ephemeral: bool, **kwargs: Any
) -> None:
    if ephemeral or interaction.channel is None:
        log.warning("interaction expired; dropped an answer only the member would see (%s)", _describe(interaction))
        return
    try:
        await interaction.channel.send(content, **kwargs)  # type: ignore[union-attr]
    except discord.HTTPException:
        log.warning("interaction expired; the channel refused its answer (%s)", _describe(interaction), exc_info=True)


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
        self._persistent_items: set[type[discord.ui.DynamicItem[Any]]] = set()

    @property
    def db_path(self) -> Path:
        return self.settings.db_path

    async def setup_hook(self) -> None:
        self.store = await open_store(self.settings.database)  # type: ignore[assignment]
        self.content = default_content()
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self.sync_commands_if_changed()
        self.dispatcher.start()  # once per start, never from on_ready (which fires on every reconnect)

    def add_dynamic_items(self, *items: type[discord.ui.DynamicItem[Any]]) -> None:
        """Register persistent items, remembering them so that :meth:`on_interaction` can tell
        a Linkwise control that some handler answers from one that nothing does."""
        super().add_dynamic_items(*items)
        self._persistent_items.update(items)

    def remove_dynamic_items(self, *items: type[discord.ui.DynamicItem[Any]]) -> None:
        super().remove_dynamic_items(*items)
        self._persistent_items.difference_update(items)

    def handles_custom_id(self, custom_id: str) -> bool:
        """Whether a registered persistent item answers a component with this custom_id."""
        return any(item.__discord_ui_compiled_template__.fullmatch(custom_id) for item in self._persistent_items)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Refuse, ephemerally, a click or selection on a Linkwise control that nothing handles:
        a forged custom_id, or one from a version of Linkwise that no longer has that control.

        discord.py ignores such an interaction, and the member would only see "This interaction
        failed". Every Linkwise component is a registered persistent item (a ``DynamicItem``),
        so a ``linkwise:`` custom_id that fits none of their templates has no handler: answering
        it here never answers twice. Modal submissions are left to their modal.
        """
        if interaction.type is not discord.InteractionType.component:
            return
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        if not custom_id.startswith(CUSTOM_ID_PREFIX) or self.handles_custom_id(custom_id):
            return
        log.info("refused a control nothing handles (%s)", _describe(interaction))
        await reply(interaction, STALE_CONTROL)

    async def sync_commands_if_changed(self) -> None:
        """Sync only when the tree's hash differs from the one last synced (kept in the
        database), or when asked; ``LINKWISE_DEV_GUILD_ID`` syncs to that server at once."""
        guild_id = self.settings.dev_guild_id
        key = f"command_tree_hash:{guild_id or 'global'}"
        current = tree_hash(self.tree)
        if not self.force_sync and await meta.get(self.store, key) == current:
            log.info("command tree unchanged; not syncing")
            return
        try:
            if guild_id is not None:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                await self.tree.sync(guild=guild)
            else:
                await self.tree.sync()
        except discord.HTTPException as error:
            if error.status < 500 and error.status != 429:
                raise  # Discord refused the tree itself (a 400 names what is wrong): a bug to fix
            # Discord is having trouble: serve the commands it already has rather than not start
            # at all (and restart into more failed syncs); the hash is not recorded, so the next
            # start tries again.
            log.warning("could not sync the command tree (HTTP %s); will try again at the next start", error.status)
            return
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
    database_url: str | None = None,
    shard_ids: Sequence[int] | None = None,
    shard_count: int | None = None,
    settings: Settings | None = None,
    force_sync: bool = False,
) -> Linkwise:
    """Build the bot, unstarted. It needs no token: tests and the demo drive it through SimCord.

    ``db_path``: a SQLite file; ``database_url``: ``sqlite:///...`` or ``postgresql://...``
    (it wins over ``db_path``). ``shard_ids`` and ``shard_count`` are kept in the settings for
    the sharding to come; today the bot runs every shard."""
    settings = settings or Settings()
    if db_path is not None:
        settings = dataclasses.replace(settings, db_path=Path(db_path), database_url=None)
    if database_url is not None:
        from bot.store.database import DatabaseURL

        parsed = DatabaseURL.parse(database_url)
        settings = dataclasses.replace(settings, database_url=database_url, db_path=parsed.path or settings.db_path)
    if shard_ids is not None or shard_count is not None:
        settings = dataclasses.replace(
            settings, shard_ids=None if shard_ids is None else tuple(shard_ids), shard_count=shard_count
        )
    return Linkwise(settings, force_sync=force_sync)
