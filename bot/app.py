"""The Linkwise bot: its setup, extension discovery, persistent items and forms, and command sync."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import importlib
import json
import logging
import os
import pkgutil
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

import cogs
from bot import i18n
from bot.config import Settings
from bot.content import Content, default_content
from bot.errors import USER_ERRORS
from bot.i18n import _, use_member_locale
from bot.posts import PostSource
from bot.store import Store, StoreError, meta
from bot.store.database import open_store
from bot.translator import LinkwiseTranslator, Translation
from bot.tree import LinkwiseTree
from bot.ui import (
    CUSTOM_ID_PREFIX,
    GENERIC_FAILURE,
    NO_MENTIONS,
    STALE_CONTROL,
    STALE_FORM,
    PersistentForm,
    PersistentItem,
    describe,
    form_text,
    give_back,
    reply,
    submitted_values,
)

if TYPE_CHECKING:
    from bot.store.postgres import ShardLock

log = logging.getLogger(__name__)


def _discover_extensions() -> tuple[str, ...]:
    """Every module of the ``cogs`` package is one feature extension (``_``-prefixed ones are helpers)."""
    return tuple(
        f"cogs.{module.name}"
        for module in sorted(pkgutil.iter_modules(cogs.__path__), key=lambda m: m.name)
        if not module.name.startswith("_")
    )


EXTENSIONS: tuple[str, ...] = _discover_extensions()


def feature_checks() -> list[Callable[[], str]]:
    """Each feature package's ``check()`` (``linkwise check``: its own data files load), found
    by name like its extension; a check returns its line or raises ValueError saying what is wrong."""
    found = []
    for extension in EXTENSIONS:
        check = getattr(importlib.import_module(extension), "check", None)
        if callable(check):
            found.append(check)
    return found


def intents() -> discord.Intents:
    """Default intents: no members, presences or message content (no privileged intents)."""
    chosen = discord.Intents.default()
    chosen.members = False
    chosen.presences = False
    chosen.message_content = False
    return chosen


async def tree_hash(tree: app_commands.CommandTree, made: set[Translation] | None = None) -> str:
    """The hash of the tree as Discord gets it: each command's payload and, with Linkwise's
    translator, every translation it gives of them (a changed French description is synced like
    a changed command). ``made``: the translations recorded while syncing the tree, so that the
    translator need not go over it again (discord.py asks it for each string in each of
    Discord's locales: 8-9 ms of a start)."""
    translator = tree.translator
    commands_ = tree.get_commands()
    if isinstance(translator, LinkwiseTranslator):
        if made is None:
            with translator.recording() as made:
                for command in commands_:
                    await command.get_translated_payload(tree, translator)
        content: object = {"commands": [c.to_dict(tree) for c in commands_], "translations": sorted(made)}
    elif translator is not None:
        content = [await command.get_translated_payload(tree, translator) for command in commands_]
    else:
        content = [command.to_dict(tree) for command in commands_]
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


class ShardsHeld(StoreError):
    """Another Linkwise process runs a shard this one was asked to run (or every shard, or runs
    with another shard count): this one must not start. The message names the shard."""


class Linkwise(commands.AutoShardedBot):
    """The bot. Built by :func:`bot.create_bot`; nothing connects until ``start``.

    An ``AutoShardedBot`` over the shards of its settings: ``shard_count`` with ``shard_ids``
    (some shards: other processes run the others, on one PostgreSQL database), a count alone
    (every shard of that count), or neither (every shard, as many as Discord recommends when
    connecting; one until then). On PostgreSQL it holds its shards (:meth:`hold_shards`) before
    connecting to the gateway, for as long as it runs."""

    store: Store
    content: Content

    def __init__(self, settings: Settings, *, force_sync: bool = False) -> None:
        shards: dict[str, Any] = {"shard_count": settings.shard_count or 1}
        if settings.shard_ids is not None:
            shards["shard_ids"] = list(settings.shard_ids)
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(),
            tree_cls=LinkwiseTree,
            allowed_mentions=NO_MENTIONS,
            **shards,
        )
        self.settings = settings
        self.shard_lock: ShardLock | None = None  # held while the bot runs, on PostgreSQL
        self.shards_lost = False  # whether the lock's connection was lost (the bot then stops)
        self.force_sync = force_sync
        self.synced = False  # whether this start synced the tree (for logs and tests)
        self.post_sources: dict[str, PostSource] = {}  # scheduled-post sources by kind (tip, prompt)
        self._persistent_items: set[type[PersistentItem]] = set()
        self._forms: dict[str, type[PersistentForm]] = {}  # by qualified class name, in registration order

    @property
    def db_path(self) -> Path:
        return self.settings.db_path

    @property
    def owned_shards(self) -> tuple[int, ...] | None:
        """The shards whose servers this process serves, when other processes serve the rest
        (None: every shard is this process's)."""
        return self.settings.owned_shards

    async def hold_shards(self) -> None:
        """On PostgreSQL, take this process's shards (session advisory locks, see
        :class:`bot.store.postgres.ShardLock`) unless already held; raise :class:`ShardsHeld`,
        naming the shard, if another process runs one of them. Called before connecting to
        Discord's gateway (by :meth:`start`, and by ``setup_hook`` for a bot that is only
        logged in). The locks go with the bot's close, or with its connection if it crashes; if
        that connection is lost while the bot runs, the bot stops (``shards_lost``)."""
        db = self.settings.database
        if db.engine != "postgresql" or (self.shard_lock is not None and self.shard_lock.held):
            return
        from bot.store.database import scrub
        from bot.store.postgres import ShardLock

        lock = ShardLock(db.url, display=db.display)
        try:
            held = await lock.acquire(self.owned_shards, shard_count=self.settings.shard_count)
        except StoreError as error:
            raise StoreError(scrub(str(error), db.password)) from None
        if not held:
            raise ShardsHeld(self._refusal(lock))
        self.shard_lock = lock

        def lost() -> None:
            self.shards_lost = True
            if not self.is_closed():
                asyncio.get_running_loop().create_task(self.close(), name="linkwise-close")

        lock.watch(lost)

    def _refusal(self, lock: ShardLock) -> str:
        where = lock.display
        advice = "Stop it first, or set LINKWISE_DATABASE_URL to a different database."
        if lock.refused_count is not None:
            return (
                f"other Linkwise processes on {where} run with LINKWISE_SHARD_COUNT={lock.refused_count}, "
                f"not {self.settings.shard_count}: every process of a bot must use the same shard count. "
                "Stop them all to change it, then start each with the new count."
            )
        if lock.refused_shard is not None:
            return (
                f"shard {lock.refused_shard} is already run by another Linkwise process on {where}. "
                "Give each process its own LINKWISE_SHARD_IDS, or stop that process first."
            )
        if self.owned_shards is None:
            return f"another Linkwise is already running on {where}. {advice}"
        return (
            f"another Linkwise is already running on {where}, with every shard. Stop it before starting "
            "processes for some shards (LINKWISE_SHARD_IDS), or set LINKWISE_DATABASE_URL to a different database."
        )

    async def start(self, token: str, *, reconnect: bool = True) -> None:
        """Hold this process's shards, then log in and connect (every shard Discord recommends
        when no shard option was given)."""
        await self.hold_shards()
        if self.settings.shard_count is None:
            self.shard_count = None  # type: ignore[assignment]  # AutoShardedBot then asks Discord how many
        await super().start(token, reconnect=reconnect)

    async def setup_hook(self) -> None:
        await self.hold_shards()
        self.store = await open_store(self.settings.database)  # type: ignore[assignment]
        self.content = default_content()
        i18n.load()  # every catalogue read now: a broken one stops the bot before it serves anyone
        await self.tree.set_translator(LinkwiseTranslator())
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self.sync_commands_if_changed()

    def add_post_source(self, kind: str, source: PostSource) -> None:
        """Offer scheduled posts of ``kind`` (a feature's setup calls this; a reload replaces it)."""
        self.post_sources[kind] = source

    def add_dynamic_items(self, *items: type[discord.ui.DynamicItem[Any]]) -> None:
        """Register persistent items, remembering them so that :meth:`on_interaction` can tell
        a Linkwise control that some handler answers from one that nothing does. Each is a
        :class:`bot.ui.PersistentItem`, so errors take the one path and its custom_id is known."""
        linkwise = [item for item in items if issubclass(item, PersistentItem)]
        if len(linkwise) != len(items):
            raise TypeError("a Linkwise persistent item derives from bot.ui.PersistentItem")
        super().add_dynamic_items(*items)
        self._persistent_items.update(linkwise)

    def remove_dynamic_items(self, *items: type[discord.ui.DynamicItem[Any]]) -> None:
        super().remove_dynamic_items(*items)
        self._persistent_items.difference_update(items)

    def handles_custom_id(self, custom_id: str) -> bool:
        """Whether a registered persistent item answers a component with this custom_id."""
        return any(item.custom_id_pattern.fullmatch(custom_id) for item in self._persistent_items)

    def add_forms(self, *forms: type[PersistentForm]) -> None:
        """Register persistent forms: their submissions are carried out by :meth:`on_interaction`,
        after a restart too. Registering a form class again (an extension reloaded) replaces it."""
        for form in forms:
            self._forms[f"{form.__module__}.{form.__qualname__}"] = form

    def remove_forms(self, *forms: type[PersistentForm]) -> None:
        for form in forms:
            self._forms.pop(f"{form.__module__}.{form.__qualname__}", None)

    def form_for(self, custom_id: str) -> tuple[type[PersistentForm], re.Match[str]] | None:
        """The registered form that handles a submission with this custom_id, and its match."""
        for form in self._forms.values():
            match = form.custom_id_pattern.fullmatch(custom_id)
            if match:
                return form, match
        return None

    async def on_interaction(self, interaction: discord.Interaction[Linkwise]) -> None:
        """Carry out a submitted Linkwise form, and refuse, ephemerally, a Linkwise control or
        form that nothing handles: a forged custom_id, or one from a version of Linkwise that no
        longer has it.

        discord.py ignores such an interaction, and the member would only see "This interaction
        failed". Every Linkwise component is a registered persistent item (a ``DynamicItem``),
        so a ``linkwise:`` custom_id that fits none of their templates has no handler: answering
        it here never answers twice. Every Linkwise form is a :class:`PersistentForm`, never
        tracked by discord.py, so its submissions are answered here and only here.
        """
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        if not custom_id.startswith(CUSTOM_ID_PREFIX):
            return
        if interaction.type is discord.InteractionType.modal_submit:
            await use_member_locale(interaction)
            await self.dispatch_form(interaction, custom_id)
            return
        if interaction.type is not discord.InteractionType.component or self.handles_custom_id(custom_id):
            return
        await use_member_locale(interaction)
        log.info("refused a control nothing handles (%s)", describe(interaction))
        await reply(interaction, _(STALE_CONTROL))

    async def dispatch_form(self, interaction: discord.Interaction[Linkwise], custom_id: str) -> None:
        values = submitted_values(interaction)
        found = self.form_for(custom_id)
        if found is None:
            log.info("refused a form nothing handles (%s)", describe(interaction))
            await give_back(interaction, _(STALE_FORM), form_text(values, {}), PersistentForm.text_filename)
            return
        form_class, match = found
        try:
            form = await form_class.from_custom_id(interaction, match)
        except USER_ERRORS as error:
            await give_back(interaction, error.message, form_text(values, {}), form_class.text_filename)
            return
        except Exception as error:  # noqa: BLE001 - logged, and the member gets their text back
            log.error("could not rebuild a form (%s)", describe(interaction), exc_info=error)
            await give_back(interaction, _(GENERIC_FAILURE), form_text(values, {}), form_class.text_filename)
            return
        await form.carry_out(interaction, values)

    async def sync_commands_if_changed(self) -> None:
        """Sync only when the tree's hash differs from the one last synced (kept in the
        database), or when asked; ``LINKWISE_DEV_GUILD_ID`` syncs to that server at once."""
        guild_id = self.settings.dev_guild_id
        key = f"command_tree_hash:{guild_id or 'global'}"
        synced = None if self.force_sync else await meta.get(self.store, key)
        current = None
        if synced is not None:  # compare first: an unchanged tree is not synced again
            current = await tree_hash(self.tree)
            if current == synced:
                log.info("command tree unchanged; not syncing")
                return
        translator = self.tree.translator
        # Nothing recorded (a new database, or asked): the hash is made of what this sync
        # translates rather than of a second pass over the tree (another translator: its own pass).
        recording: contextlib.AbstractContextManager[set[Translation] | None] = (
            translator.recording() if isinstance(translator, LinkwiseTranslator) else contextlib.nullcontext()
        )
        try:
            with recording as made:
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
        if current is None:
            current = await tree_hash(self.tree, made)
        await meta.put(self.store, key, current)
        self.synced = True
        log.info("command tree synced (%s)", f"guild {guild_id}" if guild_id else "global")

    async def close(self) -> None:
        try:
            # A bot never set up (no `async with`, login or start) has no shards to close, and
            # AutoShardedBot.close would fail on it; it may still hold its shard lock.
            if isinstance(self.loop, asyncio.AbstractEventLoop):
                await super().close()  # unloads the extensions: their cogs stop what they started
        finally:
            try:
                store = getattr(self, "store", None)
                if store is not None:
                    await store.close()
            finally:
                if self.shard_lock is not None:
                    await self.shard_lock.release()


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
    (it wins over ``db_path``). ``shard_count`` and ``shard_ids``: the shards this process runs
    (a :class:`~bot.config.ConfigError` if they do not fit together, or leave shards to other
    processes on SQLite); without them, every shard."""
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
    return Linkwise(settings.checked_shards(), force_sync=force_sync)
