"""What every feature shows the same way: answers (:func:`reply`), persistent buttons and
forms, members' own text under Linkwise's name, and text given back when a form could not be
carried out."""

from __future__ import annotations

import io
import logging
import re
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Self

import discord
from discord import app_commands

from bot.config import DISCORD_ORIGIN
from bot.content import TOPICS, Checklist, Content, Tip, topic_labels
from bot.errors import USER_ERRORS, Refusal, UserFacingError
from bot.i18n import N_, _, current_locale, use_member_locale
from bot.identity import Member
from bot.store.members import Standing
from bot.text import broken_characters, broken_text_message, text_file

if TYPE_CHECKING:
    from bot.app import Linkwise

log = logging.getLogger(__name__)

MESSAGE_MAX = 2000

# ---------------------------------------------------------------------- member text
# A masked link, as Discord draws one: [label](address), [label](<address>), optionally with a
# "title"; the address may hold one level of balanced parentheses (Wikipedia-style). Not after a
# backslash: "\[" is the member's own escaped bracket, shown as a bracket.
_MASKED_LINK = re.compile(
    r"(?<!\\)\[(?P<label>[^\[\]]*)\]"
    r"\((?P<target>[ \t]*<?[^\s()<>]+(?:\([^\s()<>]*\)[^\s()<>]*)*>?(?:[ \t]+(?:\"[^\"]*\"|'[^']*'))?[ \t]*)\)"
)
# A heading (#, ##, ###) or subtext (-#) at the start of a line, also inside a quote or a list item.
_LINE_START = r"(?:^|(?<=[\n\r\x85\u2028\u2029]))"
_HEADING = re.compile(
    _LINE_START
    + r"(?P<lead>[ \t]*(?:>>>[ \t]+|>[ \t]+)?(?:(?:[-*+]|[0-9]{1,9}[.)])[ \t]+)*)(?P<mark>#{1,3}|-#)(?=[ \t])"
)


def _unmask(match: re.Match[str]) -> str:
    label, target = match["label"], match["target"].strip()
    return f"{label} ({target})" if label.strip() else target


def sanitize_member_text(text: str) -> str:
    """Text a member wrote, made safe to show under Linkwise's name, otherwise as written.

    * Every link shows its real address: a masked link ``[label](address)`` (also with
      ``<address>`` or a title) becomes ``label (address)``, so "linkedin.com/verify" can no
      longer lead somewhere else. Whatever still reads ``](`` (nested or odd brackets) gets a
      backslash, which Discord hides, so no masked link is left at all.
    * No headings: ``#``, ``##``, ``###`` and ``-#`` at the start of a line (also after a quote
      or list marker) get a backslash, so they show as the characters the member typed, in
      normal size, instead of a banner that reads like an announcement.

    Mentions are left as written: Linkwise sends with no allowed mentions, so they ping nobody.
    Pure: the same text always gives the same result, and it never grows by more than a few
    characters per link or line (well within an embed's 4,096 for a 1,000-character input).
    """
    previous = None
    while previous != text:  # each pass removes at least one "](", so this ends
        previous = text
        text = _MASKED_LINK.sub(_unmask, text)
    text = text.replace("](", "]\\(")
    return _HEADING.sub(lambda m: f"{m['lead']}\\{m['mark']}", text)


# ---------------------------------------------------------------------- text given back
def text_back(explanation: str, text: str, *, filename: str = "your-text.txt") -> dict[str, Any]:
    """Keyword arguments for an ephemeral answer that gives the member their own text back, so
    nothing is lost: in a code block to copy, or as a file when a code block cannot hold it
    (too long for one message, or the text has its own code fence)."""
    content = _(
        "{explanation}\n\nHere is your text, so you can copy it:\n```\n{text}\n```", explanation=explanation, text=text
    )
    if "```" not in text and len(content) <= MESSAGE_MAX:
        return {"content": content}
    return {
        "content": _("{explanation}\n\nYour text is attached as a file, so you can copy it.", explanation=explanation)[
            :MESSAGE_MAX
        ],
        # A lone surrogate cannot be written as UTF-8; it becomes "?" and the rest is kept.
        "file": discord.File(io.BytesIO(text.encode("utf-8", "replace")), filename=filename),
    }


def form_text(values: Mapping[str, str], labels: Mapping[str, str]) -> str:
    """What a member typed into a form, as one text to give back: the one box as it is, or
    each box under its label when there are several."""
    filled = {key: value for key, value in values.items() if value}
    if len(filled) <= 1:
        return next(iter(filled.values()), "")
    return "\n\n".join(f"{labels.get(key, key)}:\n{value}" for key, value in filled.items())


def as_linkwise(interaction: discord.Interaction[discord.Client]) -> discord.Interaction[Linkwise]:
    """The interaction as Linkwise's own. discord.py types what an item's callback, its check or a
    transformer receives for any client; in this process every interaction is Linkwise's."""
    return typing.cast("discord.Interaction[Linkwise]", interaction)


# Every message Linkwise sends pings nobody, whatever text it carries.
NO_MENTIONS = discord.AllowedMentions.none()

# Every custom_id of a Linkwise button, select or modal starts with this.
CUSTOM_ID_PREFIX = "linkwise:"

STALE_CONTROL = N_(
    "That control is no longer valid, so Linkwise did nothing with it. Use the command again "
    "(for example `/tip` or `/checklist`) to get a fresh one."
)

STALE_FORM = N_(
    "That form is no longer in Linkwise, so nothing was done with it. Open it again (with the "
    "command or button you used) and paste your text into the new one."
)

GENERIC_FAILURE = N_(
    "Something went wrong on Linkwise's side. Nothing you did was lost; please try again in a "
    "moment, and tell a counsellor if it keeps happening."
)


NOT_IN_A_SERVER = N_("Linkwise works inside a server, where your group meets, not in direct messages.")


# Discord's answers to a follow-up once the interaction's token (valid 15 minutes) has expired.
EXPIRED_TOKEN_CODES = frozenset({10015, 50027})  # Unknown Webhook, Invalid Webhook Token


async def reply(interaction: discord.Interaction[Linkwise], content: str | None = None, **kwargs: Any) -> None:
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
        await interaction.followup.send(content, **kwargs)  # type: ignore[arg-type]  # None: no text
    except discord.HTTPException as error:
        if error.code not in EXPIRED_TOKEN_CODES:
            raise
        await _answer_after_expiry(interaction, content, **kwargs)


async def refuse(interaction: discord.Interaction[Linkwise], refused: Refusal) -> None:
    """Answer a :class:`Refusal` ephemerally: its message, with the member's own text as a file
    when it carries it (so nothing they typed is lost)."""
    if refused.sent is None:
        await reply(interaction, refused.message)
    else:
        await reply(interaction, refused.message, file=text_file(refused.sent))


async def _answer_after_expiry(
    interaction: discord.Interaction[Linkwise], content: str | None, *, ephemeral: bool, **kwargs: Any
) -> None:
    channel = interaction.channel
    if ephemeral or not isinstance(channel, discord.abc.Messageable):  # None, or a category or forum
        log.warning("interaction expired; dropped an answer only the member would see (%s)", describe(interaction))
        return
    try:
        await channel.send(content, **kwargs)
    except discord.HTTPException:
        log.warning("interaction expired; the channel refused its answer (%s)", describe(interaction), exc_info=True)


def message_link(message: discord.Message, origin: str = DISCORD_ORIGIN) -> str:
    """The address that opens ``message``, in Discord's shape, on ``origin`` (the bot's
    ``settings.link_origin``: Discord itself, or the demo's page)."""
    place = message.guild.id if message.guild is not None else "@me"
    return f"{origin.rstrip('/')}/channels/{place}/{message.channel.id}/{message.id}"


def member_of(interaction: discord.Interaction[Linkwise]) -> Member:
    """The member behind an interaction, as the bot sees them now (guild only)."""
    if interaction.guild_id is None:
        raise UserFacingError(_(NOT_IN_A_SERVER))
    user = interaction.user
    standing = (
        Standing(user.guild_permissions.manage_guild, tuple(role.id for role in user.roles))
        if isinstance(user, discord.Member)
        else None
    )
    return Member(interaction.guild_id, user.id, user.display_name, standing)


def guild_of(interaction: discord.Interaction[Linkwise]) -> discord.Guild:
    """The server an interaction came from (guild only)."""
    if interaction.guild is None:
        raise UserFacingError(_(NOT_IN_A_SERVER))
    return interaction.guild


def describe(interaction: discord.Interaction[Linkwise]) -> str:
    command = interaction.command.qualified_name if interaction.command else None
    custom_id = dict(interaction.data or {}).get("custom_id") if command is None else None
    return f"command={command or custom_id!r} guild={interaction.guild_id} user={interaction.user.id}"


async def refuse_broken_text(
    interaction: discord.Interaction[Linkwise], typed: list[tuple[str, str]], *, named: bool
) -> bool:
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
    log.info("refused text with %d broken character(s) (%s)", count, describe(interaction))
    await reply(interaction, broken_text_message(names, count), file=text_file(everything))
    return True


async def _report_error(interaction: discord.Interaction[Linkwise], error: BaseException) -> None:
    from bot.tree import report_error  # the tree module answers errors; it imports this one

    await report_error(interaction, error)


class PersistentItem(discord.ui.DynamicItem[discord.ui.Item[Any]], template=r"linkwise:never-matches"):
    """Base of Linkwise's persistent buttons and selects: state lives in the custom_id and the
    database, so they work after a restart. Errors take the one path.

    The base owns the custom_id, both ways. A subclass names it with class keywords, ``prefix=``
    (what follows ``linkwise:``) and, when the item carries a value, ``key=`` (the regular
    expression of that value) with ``key_type=`` (``str`` or ``int``) to read it back: the
    custom_id is ``linkwise:<prefix>:<key>``. The base sets it on the component the subclass
    builds in :meth:`component`, and after a restart :meth:`from_custom_id` rebuilds the item
    as ``cls(key)``, the value in :attr:`key`. The subclass implements :meth:`run`.

    A subclass that only some members may press says so in :meth:`refusal`. discord.py asks
    :meth:`interaction_check` before the callback (for a dynamic item and for one in a tracked
    view alike); a refusal is answered there, ephemerally, and the callback never runs. The
    check raises nothing: discord.py would drop a dynamic item's error silently, and send a
    tracked view's to its ``on_error``."""

    custom_id_prefix: ClassVar[str]
    custom_id_pattern: ClassVar[re.Pattern[str]]  # what the whole custom_id of this item matches
    key_type: ClassVar[Callable[[str], Any]] = str

    def __init_subclass__(
        cls, *, prefix: str, key: str | None = None, key_type: Callable[[str], Any] = str, **kwargs: Any
    ) -> None:
        cls.custom_id_prefix = f"{CUSTOM_ID_PREFIX}{prefix}"
        cls.key_type = key_type
        template = re.escape(cls.custom_id_prefix) + (f":(?P<key>{key})" if key is not None else "")
        cls.custom_id_pattern = re.compile(template)
        super().__init_subclass__(template=cls.custom_id_pattern, **kwargs)

    def __init__(self, key: Any = None, *, row: int | None = None) -> None:
        self.key = key
        component = self.component()
        component.custom_id = self.custom_id_prefix if key is None else f"{self.custom_id_prefix}:{key}"
        super().__init__(component, row=row)

    def component(self) -> discord.ui.Button[Any] | discord.ui.Select[Any]:
        """The button or select this item shows (its custom_id is set by the base)."""
        raise NotImplementedError

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[discord.Client], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        key = match.groupdict().get("key")
        return cls(None if key is None else cls.key_type(key))

    async def interaction_check(self, interaction: discord.Interaction[discord.Client], /) -> bool:
        interaction = as_linkwise(interaction)
        try:
            await use_member_locale(interaction)  # before any answer, the refusal's too
            refused = await self.refusal(interaction)
            if refused is None:
                return True
            await reply(interaction, refused)
        except Exception as error:  # noqa: BLE001 - logged, and the member gets an apology
            await _report_error(interaction, error)
        return False

    async def refusal(self, interaction: discord.Interaction[Linkwise]) -> str | None:
        """Why this member may not press this item (shown to them), or None when they may."""
        return None

    async def callback(self, interaction: discord.Interaction[discord.Client]) -> None:
        interaction = as_linkwise(interaction)
        try:
            await self.run(interaction)
        except USER_ERRORS as error:
            await reply(interaction, error.message)
        except Exception as error:  # noqa: BLE001 - logged, and the member gets an apology
            await _report_error(interaction, error)

    async def run(self, interaction: discord.Interaction[Linkwise]) -> None:
        raise NotImplementedError


FormValues = Mapping[str, str]
CUSTOM_ID_MAX = 100


def submitted_values(interaction: discord.Interaction[Linkwise]) -> dict[str, str]:
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
    the title, labels, descriptions and placeholders in English marked with ``N_`` (each form is
    translated into the current locale when it is built: :meth:`translate_texts`), reads its
    state in :attr:`state` (the template's named groups; the default :meth:`from_custom_id`
    rebuilds the form from its custom_id alone, a form whose constructor takes its state
    overrides it) and implements :meth:`submit`, which receives the typed values by input
    custom_id.

    The one error path: a :class:`UserFacingError` raised by ``submit`` (the form cannot be
    carried out: bad input, a removed prompt, a cooldown) and any unexpected error are answered
    ephemerally with the member's text shown back, so nothing they typed is lost.
    """

    custom_id_pattern: ClassVar[re.Pattern[str]] = re.compile(r"linkwise:never-matches")
    text_filename: ClassVar[str] = "your-text.txt"  # the file name when the text comes back as a file

    def __init_subclass__(cls, *, template: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if template is not None:
            cls.custom_id_pattern = re.compile(template)

    def __init__(self, custom_id: str) -> None:
        match = self.custom_id_pattern.fullmatch(custom_id)
        if len(custom_id) > CUSTOM_ID_MAX or match is None:
            raise ValueError(f"{custom_id!r} does not fit {type(self).__name__}'s template")
        super().__init__(custom_id=custom_id, timeout=None)
        # The template's named groups as matched in the custom_id (a group that took no part is absent).
        self.state: dict[str, str] = {name: value for name, value in match.groupdict().items() if value is not None}
        self.translate_texts()

    def translate_texts(self) -> None:
        """Show the form in the current locale: its title, and each input's label, description
        and placeholder (declared in English on the class, marked with ``N_``)."""
        self.title = _(self.title)
        for item in self.walk_children():
            if isinstance(item, discord.ui.Label):
                item.text = _(item.text)
                if item.description:
                    item.description = _(item.description)
            elif isinstance(item, discord.ui.TextInput):
                if item.label:
                    item.label = _(item.label)
                if item.placeholder:
                    item.placeholder = _(item.placeholder)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Linkwise], match: re.Match[str]) -> Self:
        """The form a submission is for, rebuilt from its custom_id."""
        return cls(match.string)

    async def open(self, interaction: discord.Interaction[Linkwise]) -> None:
        """Show the form. It is stopped first so discord.py does not keep it (with a timer) in
        this process: the submission is routed by custom_id instead, whenever it comes."""
        self.stop()
        await interaction.response.send_modal(self)

    async def submit(self, interaction: discord.Interaction[Linkwise], values: FormValues) -> None:
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
                return _(
                    "The box “{name}” was empty; it takes {low} to {high} characters.",
                    name=name,
                    low=max(low, 1),
                    high=high,
                )
            if value and not low <= len(value) <= high:
                return _(
                    "The box “{name}” has {count} characters; it takes {low} to {high}.",
                    name=name,
                    count=len(value),
                    low=low,
                    high=high,
                )
        return None

    async def carry_out(self, interaction: discord.Interaction[Linkwise], values: FormValues) -> None:
        typed = [(item.custom_id, values.get(item.custom_id, "")) for item, _ in self.text_inputs()]
        if await refuse_broken_text(interaction, typed, named=len(typed) > 1):
            return  # refused, and the text given back as a file, before anything runs
        try:
            problem = self.input_problem(values)
            if problem:
                raise UserFacingError(_("{problem} Nothing was done with it.", problem=problem))
            await self.submit(interaction, values)
        except USER_ERRORS as error:
            await give_back(interaction, error.message, self.typed(values), self.text_filename)
        except Exception as error:  # noqa: BLE001 - logged, and the member gets their text back
            log.error("unexpected error (%s)", describe(interaction), exc_info=error)
            await give_back(interaction, _(GENERIC_FAILURE), self.typed(values), self.text_filename)


async def give_back(interaction: discord.Interaction[Linkwise], explanation: str, text: str, filename: str) -> None:
    """Answer a form that was not carried out: why, what to do, and the member's own text."""
    try:
        await reply(interaction, **text_back(explanation, text, filename=filename))
    except discord.HTTPException:
        log.warning("could not give a member their text back (%s)", describe(interaction), exc_info=True)


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


# ---------------------------------------------------------------------- shared looks
BRAND_COLOUR = discord.Colour.from_rgb(10, 102, 194)
TIP_COLOUR = BRAND_COLOUR
TOPIC_CHOICES = [app_commands.Choice(name=label, value=topic) for topic, label in TOPICS.items()]


def tip_embed(tip: Tip) -> discord.Embed:
    """A tip as every feature shows it (/tip, a scheduled tip, /content add-tip's preview)."""
    embed = discord.Embed(title=tip.title, description=tip.body, colour=TIP_COLOUR)
    topic = topic_labels(current_locale())[tip.topic]
    if tip.custom and tip.credit:
        footer = _("Topic: {topic} · your group's own tip · Suggested by {name}", topic=topic, name=tip.credit)
    elif tip.custom:
        footer = _("Topic: {topic} · your group's own tip", topic=topic)
    else:
        footer = _("Topic: {topic} · Linkwise tip", topic=topic)
    embed.set_footer(text=footer)
    return embed


# ---------------------------------------------------------------------- progress bars
BAR_WIDTH = 10
FULL, EMPTY = "█", "░"


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """A text progress bar, e.g. ``███░░░░░░░``. Used everywhere a bar appears.

    Any progress shows at least one block, and the bar is full only when everything is done,
    so a member never sees "nothing" after ticking an item or "finished" when one is left.
    """
    if total <= 0:
        return EMPTY * width
    done = max(0, min(done, total))
    filled = round(done * width / total)
    if done and not filled:
        filled = 1
    if done < total and filled == width:
        filled = width - 1
    return FULL * filled + EMPTY * (width - filled)


def percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


@dataclass(frozen=True)
class ListProgress:
    checklist: Checklist
    done: frozenset[str]

    @property
    def total(self) -> int:
        return len(self.checklist.items)

    @property
    def count(self) -> int:
        return len(self.done)

    @property
    def finished(self) -> bool:
        return self.count == self.total

    @classmethod
    def of(cls, checklist: Checklist, done: set[str]) -> ListProgress:
        # Only items that still exist count, so a retired item never shows as 11/10.
        return cls(checklist, frozenset(done & set(checklist.item_ids)))

    @classmethod
    def every(cls, content: Content, done: Mapping[str, set[str]]) -> list[ListProgress]:
        """Progress on every checklist, from a member's done items by checklist id
        (:func:`bot.store.checklists.done_items`)."""
        return [cls.of(c, done.get(c.id, set())) for c in content.checklists]

    def line(self) -> str:
        return f"`{bar(self.count, self.total)}` {self.count}/{self.total}"
