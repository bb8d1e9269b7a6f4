"""The Linkwise bot: its setup, its one error path, and the bases for persistent buttons and forms."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import json
import logging
import os
import pkgutil
import re
import typing
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Self

import discord
from discord import app_commands
from discord.ext import commands

import cogs
from bot.config import Settings
from bot.content import Content, default_content
from bot.dispatcher import Dispatcher, Poster
from bot.errors import UserFacingError
from bot.store import Store, members, meta
from bot.store.database import open_store
from bot.text import broken_characters, broken_text_message, text_file
from bot.tips import Member
from bot.ui import form_text, text_back

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

STALE_FORM = (
    "That form is no longer in Linkwise, so nothing was done with it. Open it again (with the "
    "command or button you used) and paste your text into the new one."
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
    user = interaction.user
    standing = (
        members.Standing(user.guild_permissions.manage_guild, tuple(role.id for role in user.roles))
        if isinstance(user, discord.Member)
        else None
    )
    return Member(interaction.guild_id, user.id, user.display_name, standing)


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


def typed_options(command: Any, options: list[dict[str, Any]] | None) -> list[tuple[str, str]]:
    """(name, value) of every string option the member typed in a command's data, in order,
    subcommands walked. Options with fixed choices are left out: Discord only sends a choice."""
    found: list[tuple[str, str]] = []
    for option in options or []:
        name = str(option.get("name"))
        if "options" in option:  # a subcommand or a group of them
            inner = command.get_command(name) if isinstance(command, app_commands.Group) else None
            found += typed_options(inner, option["options"])
            continue
        if option.get("type") != discord.AppCommandOptionType.string.value or not isinstance(option.get("value"), str):
            continue
        parameter = command.get_parameter(name) if isinstance(command, app_commands.Command) else None
        if parameter is None or not parameter.choices:
            found.append((name, option["value"]))
    return found


async def refuse_broken_text(interaction: discord.Interaction, typed: list[tuple[str, str]], *, named: bool) -> bool:
    """Refuse text with broken characters (see :mod:`bot.text`) before anything runs: answer
    ephemerally with the text given back as a file, and return True. False when all is well.

    The one place for every command option (:meth:`LinkwiseTree.interaction_check`) and every
    form (:meth:`PersistentForm.carry_out`): nothing the member typed reaches the database, a
    file or Discord unless it can be encoded. ``named``: name the options that hold them.
    """
    broken = [(name, broken_characters(value)) for name, value in typed]
    count = sum(n for _, n in broken)
    if not count:
        return False
    names = [name for name, n in broken if n] if named else []
    everything = "\n\n".join(value for _, value in typed)
    log.info("refused text with %d broken character(s) (%s)", count, _describe(interaction))
    await reply(interaction, broken_text_message(names, count), file=text_file(everything))
    return True


class LinkwiseTree(app_commands.CommandTree):
    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Every command's typed text is checked here, once, before its command runs."""
        if interaction.type is not discord.InteractionType.application_command:
            return True  # autocomplete only suggests; the command itself is checked when sent
        data: dict[str, Any] = dict(interaction.data or {})
        if data.get("type", 1) != discord.AppCommandType.chat_input.value:
            return True  # context menus carry a message Discord already stored, not typed text
        command = self.get_command(str(data.get("name")), guild=interaction.guild) or self.get_command(
            str(data.get("name"))
        )
        typed = typed_options(command, data.get("options"))
        return not await refuse_broken_text(interaction, typed, named=True)

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


FormValues = Mapping[str, str]
CUSTOM_ID_MAX = 100


def submitted_values(interaction: discord.Interaction) -> dict[str, str]:
    """What the member typed into a submitted form, by input custom_id, read from the
    interaction's payload (action rows or labels around text inputs)."""
    values: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if isinstance(node.get("custom_id"), str) and isinstance(node.get("value"), str):
                values[node["custom_id"]] = node["value"]
            walk(node.get("components"))
            walk(node.get("component"))

    data: dict[str, Any] = dict(interaction.data or {})
    walk(data.get("components"))
    return values


class PersistentForm(discord.ui.Modal):
    """Base of Linkwise's persistent forms: a modal carried out whenever it is submitted.

    discord.py keeps a sent modal in memory for its timeout and drops a submission it no longer
    knows, so a form submitted after a restart, or long after it was opened, would get "This
    interaction failed" and the member's text would be lost. A Linkwise form is not tracked:
    its submission is routed by custom_id (namespaced ``linkwise:``, at most 100 characters)
    through the form classes registered with :meth:`Linkwise.add_forms`, with its state in the
    custom_id and the database, like :class:`PersistentItem` for buttons.

    A subclass declares ``template=`` (a regular expression the whole custom_id must match) and
    ``title=`` as class keywords, its text inputs as class attributes (each with a custom_id),
    builds itself from a match in :meth:`from_custom_id` (the default suits a form with no
    state) and implements :meth:`submit`, which receives the typed values by input custom_id.

    The one error path: a :class:`UserFacingError` raised by ``submit`` (the form cannot be
    carried out: bad input, a removed prompt, a cooldown) and any unexpected error are answered
    ephemerally with the member's text shown back, so nothing they typed is lost.
    """

    __form_template__: ClassVar[re.Pattern[str]] = re.compile(r"linkwise:never-matches")
    text_filename: ClassVar[str] = "your-text.txt"  # the file name when the text comes back as a file

    def __init_subclass__(cls, *, template: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if template is not None:
            cls.__form_template__ = re.compile(template)

    def __init__(self, custom_id: str) -> None:
        if len(custom_id) > CUSTOM_ID_MAX or not self.__form_template__.fullmatch(custom_id):
            raise ValueError(f"{custom_id!r} does not fit {type(self).__name__}'s template")
        super().__init__(custom_id=custom_id, timeout=None)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, match: re.Match[str]) -> Self:
        """The form a submission is for, rebuilt from its custom_id."""
        return cls(match.string)

    async def open(self, interaction: discord.Interaction) -> None:
        """Show the form. It is stopped first so discord.py does not keep it (with a timer) in
        this process: the submission is routed by custom_id instead, whenever it comes."""
        self.stop()
        await interaction.response.send_modal(self)

    async def submit(self, interaction: discord.Interaction, values: FormValues) -> None:
        raise NotImplementedError

    def text_inputs(self) -> Iterator[tuple[discord.ui.TextInput[Any], str]]:
        """Each text input with the label the member sees (on the input, or on a ``Label``
        around it)."""
        around: dict[int, str] = {}
        for item in self.walk_children():
            if isinstance(item, discord.ui.Label) and isinstance(item.component, discord.ui.TextInput):
                around[id(item.component)] = item.text
            elif isinstance(item, discord.ui.TextInput):
                label = around.get(id(item)) or item.to_component_dict().get("label") or item.custom_id
                yield item, label

    def typed(self, values: FormValues) -> str:
        """The member's text, as given back when the form cannot be carried out."""
        return form_text(values, {item.custom_id: label for item, label in self.text_inputs()})

    def input_problem(self, values: FormValues) -> str | None:
        """What is wrong with the values against the inputs' own limits (Discord's client
        enforces them, but a submission may come from elsewhere); None when they fit."""
        for item, name in self.text_inputs():
            value = values.get(item.custom_id, "")
            low, high = item.min_length or 0, item.max_length or 4000
            if item.required and not value:
                return f"The box “{name}” was empty; it takes {max(low, 1)} to {high} characters."
            if value and not low <= len(value) <= high:
                return f"The box “{name}” has {len(value)} characters; it takes {low} to {high}."
        return None

    async def carry_out(self, interaction: discord.Interaction, values: FormValues) -> None:
        typed = [(item.custom_id, values.get(item.custom_id, "")) for item, _ in self.text_inputs()]
        if await refuse_broken_text(interaction, typed, named=len(typed) > 1):
            return  # refused, and the text given back as a file, before anything runs
        try:
            problem = self.input_problem(values)
            if problem:
                raise UserFacingError(problem + " Nothing was done with it.")
            await self.submit(interaction, values)
        except UserFacingError as error:
            await give_back(interaction, error.message, self.typed(values), self.text_filename)
        except Exception as error:  # noqa: BLE001 - logged, and the member gets their text back
            log.error("unexpected error (%s)", _describe(interaction), exc_info=error)
            await give_back(interaction, GENERIC_FAILURE, self.typed(values), self.text_filename)


async def give_back(interaction: discord.Interaction, explanation: str, text: str, filename: str) -> None:
    """Answer a form that was not carried out: why, what to do, and the member's own text."""
    try:
        await reply(interaction, **text_back(explanation, text, filename=filename))
    except discord.HTTPException:
        log.warning("could not give a member their text back (%s)", _describe(interaction), exc_info=True)


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
        self._forms: dict[str, type[PersistentForm]] = {}  # by qualified class name, in registration order

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
            match = form.__form_template__.fullmatch(custom_id)
            if match:
                return form, match
        return None

    async def on_interaction(self, interaction: discord.Interaction) -> None:
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
            await self.dispatch_form(interaction, custom_id)
            return
        if interaction.type is not discord.InteractionType.component or self.handles_custom_id(custom_id):
            return
        log.info("refused a control nothing handles (%s)", _describe(interaction))
        await reply(interaction, STALE_CONTROL)

    async def dispatch_form(self, interaction: discord.Interaction, custom_id: str) -> None:
        values = submitted_values(interaction)
        found = self.form_for(custom_id)
        if found is None:
            log.info("refused a form nothing handles (%s)", _describe(interaction))
            await give_back(interaction, STALE_FORM, form_text(values, {}), PersistentForm.text_filename)
            return
        form_class, match = found
        try:
            form = await form_class.from_custom_id(interaction, match)
        except UserFacingError as error:
            await give_back(interaction, error.message, form_text(values, {}), form_class.text_filename)
            return
        except Exception as error:  # noqa: BLE001 - logged, and the member gets their text back
            log.error("could not rebuild a form (%s)", _describe(interaction), exc_info=error)
            await give_back(interaction, GENERIC_FAILURE, form_text(values, {}), form_class.text_filename)
            return
        await form.carry_out(interaction, values)

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
