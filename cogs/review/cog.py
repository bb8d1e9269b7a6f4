"""/review headline|invite|about|match and the menus Review as headline and Review as connection note.

The rules live in cogs/review/rules.py and cogs/review/match.py, their data in bot/content/review*.toml; this cog
renders the result and quotes a few of the member's words, escaped and cut short. Otherwise the
reply is built from the rules' own messages and counts, so any input (mentions, markdown,
6,000 characters, control characters) gives a reply of the same bounded size. (Only if the
review itself fails does the member get their About back, privately, so it is not lost.)

The About form is a persistent form: submitted after a restart, or hours after it was opened,
it is still reviewed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Linkwise
from bot.content import format_number, supported_locale
from bot.i18n import N_, _, current_locale, ngettext
from bot.ui import FormValues, PersistentForm, reply
from cogs.review.limits import POSTING_MAX, POSTING_MIN, PROFILE_MAX, PROFILE_MIN, SHOWN

if TYPE_CHECKING:
    from cogs.review.match import Match, Term
    from cogs.review.rules import Finding, Review, Rules


# The rules and the matcher (their modules, word lists and patterns) are imported and loaded by
# the first review, not with the cog (10-15 ms of every start).
def review(kind: str, text: str, *, reader: str | None = None) -> Review:
    from cogs.review import rules

    return rules.review(kind, text, reader=reader)


def match(posting: str, profile: str) -> Match:
    from cogs.review import match as matcher

    return matcher.match(posting, profile)


def default_rules() -> Rules:
    from cogs.review import rules

    return rules.default_rules()


def quote_excerpt(text: str) -> str:
    from cogs.review import rules

    return rules.quote_excerpt(text)


FOOTER = N_("Nothing you paste is stored. Scored by fixed rules, not AI.")
MATCH_FOOTER = N_("Nothing you paste is stored. Matched by fixed rules, not AI. Add only what is true for you.")

# Discord's embed limits.
FIELD_VALUE_MAX = 1024
EMBED_TOTAL_MAX = 6000
FIELDS_MAX = 25

# A text input can hold up to 4,000 characters: room to paste an About that is over LinkedIn's
# limit and be told by how much, rather than being stopped by the box.
ABOUT_INPUT_MAX = 4000


def grouped(number: int) -> str:
    """A length or limit with its thousands separator, as the reader writes it ("2,600", "2 600")."""
    return format_number(number, current_locale())


def colour_for(score: int) -> discord.Colour:
    if score >= 80:
        return discord.Colour.from_rgb(46, 160, 67)  # green
    if score >= 50:
        return discord.Colour.from_rgb(230, 162, 28)  # amber
    return discord.Colour.from_rgb(210, 50, 45)  # red


def verdict(result: Review) -> str:
    score = result.score
    if not result.suggestions:
        return _("Excellent: every check passes.")
    if score >= 80:
        return _("Strong: a few touches at most.")
    if score >= 50:
        return _("Getting there: the suggestions below will lift it.")
    return _("Needs work: start with the first suggestion below.")


def points(finding: Finding) -> str:
    """The line's share of the score: what it earned, or what it cost."""
    if finding.mode == "weight":
        # English says "points" even for one; French says "point" (the plural follows the weight).
        return ngettext(
            "{earned} of {weight} points", "{earned} of {weight} points", finding.weight,
            earned=finding.earned, weight=finding.weight,
        )
    if finding.mode == "cap" or finding.earned:
        return ngettext("−{taken} points", "−{taken} points", -finding.earned, taken=-finding.earned)
    return _("no points left to take")


def bullet(finding: Finding, *, with_points: bool) -> str:
    line = f"• {finding.message}"
    if with_points:
        line += f" ({points(finding)})"
    return line[:FIELD_VALUE_MAX]


def bullet_fields(name: str, lines: list[str]) -> list[tuple[str, str]]:
    """Pack bullets into as few fields as fit Discord's 1,024-character field limit."""
    fields: list[tuple[str, str]] = []
    current = ""
    for line in lines:
        if current and len(current) + 1 + len(line) > FIELD_VALUE_MAX:
            fields.append((name if not fields else _("{name} (continued)", name=name), current))
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        fields.append((name if not fields else _("{name} (continued)", name=name), current))
    return fields


def _fit(fields: list[tuple[str, str]], room: int, slots: int) -> list[tuple[str, str]]:
    """The leading fields that fit in `room` characters and `slots` fields."""
    kept: list[tuple[str, str]] = []
    for name, value in fields[:slots]:
        room -= len(name) + len(value)
        if room < 0:
            break
        kept.append((name, value))
    return kept


def length_line(result: Review) -> str:
    values = {
        "length": grouped(result.length),
        "limit": grouped(result.limit),
        "over": grouped(result.length - result.limit),
    }
    over = result.length > result.limit
    if result.kind == "invite":
        values["free"] = grouped(default_rules().facts["invite_note_free_limit"])
        if over:
            return _(
                "**Length:** {length}/{limit} characters, {over} over the limit (the limit reported with "
                "Premium; free accounts are reported to allow {free}).",
                **values,
            )
        return _(
            "**Length:** {length}/{limit} characters (the limit reported with Premium; free accounts are "
            "reported to allow {free}).",
            **values,
        )
    if over:
        return _("**Length:** {length}/{limit} characters, {over} over the limit.", **values)
    return _("**Length:** {length}/{limit} characters.", **values)


def review_title(result: Review) -> str:
    if result.kind == "headline":
        return _("Headline review: {score}/100", score=result.score)
    if result.kind == "invite":
        return _("Connection note review: {score}/100", score=result.score)
    return _("About section review: {score}/100", score=result.score)


def language_line(language: str) -> str | None:
    """Which rules reviewed the text, said when it is not the reader's own language."""
    if language == reader():
        return None
    if language == "fr":
        return _(
            "Reviewed with the French rules (role words, clichés, first person, vouvoiement): "
            "your text reads as French."
        )
    if language == "en":
        return _("Reviewed with the English rules: your text reads as English, so the suggestions are in English too.")
    return None


def reader() -> str:
    """The language of the member being answered ("en", "fr")."""
    return supported_locale(current_locale()) or "en"


def review_embed(result: Review) -> discord.Embed:
    empty = len(result.findings) == 1 and result.findings[0].rule_id == f"{result.kind}-empty"
    lines = [length_line(result)]
    if not empty:
        lines.insert(0, verdict(result))
        if (said := language_line(result.language)) is not None:
            lines.append(said)
        lines.append(
            _(
                "Each line shows the points it earned or cost; together they make the score of {score}.",
                score=result.score,
            )
        )
    embed = discord.Embed(
        title=review_title(result),
        description="\n".join(lines),
        colour=colour_for(result.score),
    )
    embed.set_footer(text=_(FOOTER))

    # Findings keep review.toml's order, which puts what matters most first (length, then substance).
    strengths = [bullet(f, with_points=not empty) for f in result.strengths]
    suggestions = [bullet(f, with_points=not empty) for f in result.suggestions]
    strength_fields = bullet_fields(
        _("Strengths"), strengths or [_("• None yet: the suggestions below show where to start.")]
    )
    suggestion_fields = bullet_fields(_("Suggestions"), suggestions or [_("• Nothing to change. Well done!")])
    # Within Discord's limits whatever the rules say; if space ran out, suggestions are kept first.
    suggestion_fields = _fit(suggestion_fields, EMBED_TOTAL_MAX - len(embed), FIELDS_MAX)
    room = EMBED_TOTAL_MAX - len(embed) - sum(len(name) + len(value) for name, value in suggestion_fields)
    strength_fields = _fit(strength_fields, room, FIELDS_MAX - len(suggestion_fields))
    for name, value in strength_fields + suggestion_fields:
        embed.add_field(name=name, value=value, inline=False)
    return embed


async def send_review(interaction: discord.Interaction[Linkwise], kind: str, text: str) -> None:
    await reply(interaction, embed=review_embed(review(kind, text, reader=reader())))


class AboutForm(PersistentForm, template=r"linkwise:review:about", title=N_("Review your About section")):
    """One box for the About section; the review is sent when it is submitted."""

    text_filename = "your-about.txt"
    text: discord.ui.TextInput[AboutForm] = discord.ui.TextInput(
        label=N_("Your About section"),
        custom_id="text",
        style=discord.TextStyle.paragraph,
        max_length=ABOUT_INPUT_MAX,
    )

    def __init__(self, custom_id: str = "linkwise:review:about") -> None:
        super().__init__(custom_id)
        limit = default_rules().limits["about"]
        self.text.placeholder = _(
            "Paste your About section or your draft. LinkedIn allows {limit} characters.", limit=grouped(limit)
        )

    async def submit(self, interaction: discord.Interaction[Linkwise], values: FormValues) -> None:
        await send_review(interaction, "about", values.get("text", ""))


@app_commands.guild_only()
class ReviewCog(
    commands.GroupCog,
    group_name="review",
    group_description=N_("Instant, explained feedback on your LinkedIn headline, About or connection note"),
):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot
        # Context menus can't be declared inside a cog, so the cog adds them to the tree itself.
        self.menus = tuple(
            app_commands.guild_only(app_commands.ContextMenu(name=name, callback=callback))
            for name, callback in CONTEXT_MENUS
        )

    async def cog_load(self) -> None:
        for menu in self.menus:
            self.bot.tree.add_command(menu)

    async def cog_unload(self) -> None:
        for menu in self.menus:
            self.bot.tree.remove_command(menu.name, type=menu.type)

    @app_commands.command(name="headline", description=N_("Score your LinkedIn headline out of 100, with reasons"))
    @app_commands.describe(text=N_("Your headline (the line under your name), pasted as plain text"))
    async def headline(self, interaction: discord.Interaction[Linkwise], text: str) -> None:
        await send_review(interaction, "headline", text)

    @app_commands.command(name="invite", description=N_("Score a connection-request note before you send it"))
    @app_commands.describe(text=N_("The note you plan to send with your connection request"))
    async def invite(self, interaction: discord.Interaction[Linkwise], text: str) -> None:
        await send_review(interaction, "invite", text)

    @app_commands.command(
        name="match",
        description=N_("Compare a job posting with your profile: key terms you have, lack, and where to add them"),
    )
    async def match(self, interaction: discord.Interaction[Linkwise]) -> None:
        await MatchForm().open(interaction)

    @app_commands.command(name="about", description=N_("Score your LinkedIn About section (opens a box to paste it)"))
    async def about(self, interaction: discord.Interaction[Linkwise]) -> None:
        await AboutForm().open(interaction)


# --- /review match ---------------------------------------------------------------------------------

def place_name(place: str) -> str:
    """Where to add a missing term, as LinkedIn names its profile section."""
    names = {
        "headline": _("Headline"),
        "skills": _("Skills"),
        "certifications": _("Licenses & certifications"),
        "about": _("About"),
    }
    return names[place]


def place_label(place: str) -> str:
    """The section, with what to write there."""
    labels = {
        "headline": _("Headline"),
        "skills": _("Skills"),
        "certifications": _("Licenses & certifications (and Skills)"),
        "about": _("About (a sentence on when and where you did it)"),
    }
    return labels[place]
METHOD = N_(
    "Key terms are the posting's known skills, tools, certifications and job titles, names written like "
    "products or credentials, and short phrases from its duties and requirements, ranked by kind, by how "
    "often they appear and by where (title and requirements count most). A term counts as in your profile "
    "when its words (or a known synonym) appear there, plural or singular."
)


def _term(term: Term) -> str:
    return f"**{quote_excerpt(term.text)}**"


def match_embed(result: Match) -> discord.Embed:
    """The match as an embed: the percentage, the terms present and missing, and where to add them."""
    if not result.terms:
        embed = discord.Embed(
            title=_("Job match: no key terms found"),
            description=_(
                "I couldn't find skills, tools, certifications or job titles in that posting. Paste the whole "
                "posting, with its duties and requirements, and your headline, About or skills."
            ),
            colour=colour_for(0),
        )
        embed.set_footer(text=_(MATCH_FOOTER))
        return embed
    present, missing = result.present, result.missing
    description = [
        ngettext(
            "Your profile shows **{present} of {total}** key term from the posting, **{coverage}%** of their "
            "weight (the most important count most).",
            "Your profile shows **{present} of {total}** key terms from the posting, **{coverage}%** of their "
            "weight (the most important count most).",
            len(result.terms),
            present=len(present),
            total=len(result.terms),
            coverage=result.coverage,
        ),
        _(METHOD),
    ]
    embed = discord.Embed(
        title=_("Job match: {coverage}%", coverage=result.coverage),
        description="\n\n".join(description),
        colour=colour_for(result.coverage),
    )
    if present:
        lines = [f"• {_term(t)}" for t in present[:SHOWN]]
        embed.add_field(
            name=_("In your profile ({count})", count=min(len(present), SHOWN)), value=_fit_lines(lines), inline=False
        )
    if missing:
        lines = [f"• {_term(t)} → {place_name(t.place)}" for t in missing[:SHOWN]]
        embed.add_field(
            name=_("Missing ({count})", count=min(len(missing), SHOWN)), value=_fit_lines(lines), inline=False
        )
        by_place: dict[str, list[str]] = {}
        for t in missing[:SHOWN]:
            by_place.setdefault(t.place, []).append(_term(t))
        advice = []
        top = next((t for t in missing if t.place in ("skills", "certifications")), None)
        for place in ("headline", "skills", "certifications", "about"):
            if place in by_place:
                advice.append(_("**{place}:** {terms}", place=place_label(place), terms=", ".join(by_place[place])))
        if top is not None and "headline" not in by_place:
            advice.append(
                _("**Headline:** consider adding {term}, the most important term you're missing.", term=_term(top))
            )
        advice.append(_("Add a term only if it is true for you; recruiters and interviewers will ask about it."))
        embed.add_field(name=_("Where to add them"), value=_fit_lines(advice), inline=False)
    else:
        embed.add_field(
            name=_("Missing"), value=_("• Nothing: every key term is already in your profile."), inline=False
        )
    embed.set_footer(text=_(MATCH_FOOTER))
    return embed


def _fit_lines(lines: list[str]) -> str:
    """As many whole lines as fit in one field."""
    out = ""
    for line in lines:
        line = line[:FIELD_VALUE_MAX]
        if len(out) + 1 + len(line) > FIELD_VALUE_MAX:
            break
        out = f"{out}\n{line}" if out else line
    return out


def _too_short(box: str, value: str, minimum: int, maximum: int) -> str | None:
    n = len(value.strip())
    if n < minimum:
        values = {"count": n, "minimum": minimum, "maximum": grouped(maximum)}
        if box == "posting":
            return _(
                "The job posting has {count} characters once spaces are trimmed; paste at least {minimum} "
                "(up to {maximum}).",
                **values,
            )
        return _(
            "The profile text has {count} characters once spaces are trimmed; paste at least {minimum} "
            "(up to {maximum}).",
            **values,
        )
    return None


async def send_match(interaction: discord.Interaction[Linkwise], posting: str, profile: str) -> None:
    """Answer a submitted match form (posting and profile as typed): easy to call from any form."""
    problems = [
        p
        for p in (
            _too_short("posting", posting, POSTING_MIN, POSTING_MAX),
            _too_short("profile", profile, PROFILE_MIN, PROFILE_MAX),
        )
        if p
    ]
    if problems:
        answer = _("{problems} Nothing was stored; use `/review match` again.", problems=" ".join(problems))
        await reply(interaction, answer)
        return
    await reply(interaction, embed=match_embed(match(posting[:POSTING_MAX], profile[:PROFILE_MAX])))


class MatchForm(PersistentForm, template=r"linkwise:review:match", title=N_("Match a job posting")):
    """The posting and the member's profile text; the match is sent when it is submitted, even
    after a restart or hours later (a persistent form)."""

    text_filename = "your-posting-and-profile.txt"
    posting: discord.ui.TextInput[MatchForm] = discord.ui.TextInput(
        label=N_("The job posting"),
        custom_id="posting",
        style=discord.TextStyle.paragraph,
        min_length=POSTING_MIN,
        max_length=POSTING_MAX,
        placeholder=N_("Paste the whole posting: title, duties and requirements."),
    )
    profile: discord.ui.TextInput[MatchForm] = discord.ui.TextInput(
        label=N_("Your headline, About or skills"),
        custom_id="profile",
        style=discord.TextStyle.paragraph,
        min_length=PROFILE_MIN,
        max_length=PROFILE_MAX,
        placeholder=N_("Paste your LinkedIn headline, About section or skills list."),
    )

    def __init__(self, custom_id: str = "linkwise:review:match") -> None:
        super().__init__(custom_id)

    async def submit(self, interaction: discord.Interaction[Linkwise], values: FormValues) -> None:
        await send_match(interaction, values.get("posting", ""), values.get("profile", ""))


# --- message context menus -------------------------------------------------------------------------


def no_text_reason(message: discord.Message) -> str:
    """What a message without text holds instead, for the member's answer."""
    held = []
    if message.embeds:
        held.append(_("an embed"))
    if message.attachments:
        held.append(_("an attachment") if len(message.attachments) == 1 else _("attachments"))
    if message.stickers:
        held.append(_("a sticker"))
    if getattr(message, "poll", None) is not None:
        held.append(_("a poll"))
    return _(" and ").join(held) if held else _("no words")


async def review_message(interaction: discord.Interaction[Linkwise], message: discord.Message, kind: str) -> None:
    """Review a message's text exactly as the slash command would."""
    text = message.content or ""
    if not any(c.isalnum() for c in text):
        command = "/review headline" if kind == "headline" else "/review invite"
        await reply(
            interaction,
            _(
                "That message has no text to review: it holds {what}. Linkwise reviews the words typed in a "
                "message. Post your draft as plain text and use the menu on it, or paste it into `{command}`.",
                what=no_text_reason(message),
                command=command,
            ),
        )
        return
    await send_review(interaction, kind, text)


async def review_as_headline(interaction: discord.Interaction[Linkwise], message: discord.Message) -> None:
    await review_message(interaction, message, "headline")


async def review_as_connection_note(interaction: discord.Interaction[Linkwise], message: discord.Message) -> None:
    await review_message(interaction, message, "invite")


# Their names stay English for Discord (a command's name); the translator gives Discord their
# French, which members see under Apps.
CONTEXT_MENUS = (
    (N_("Review as headline"), review_as_headline),
    (N_("Review as connection note"), review_as_connection_note),
)


async def setup(bot: Linkwise) -> None:
    # The rules are loaded by the first review that needs them (default_rules is cached), not
    # here: validating them was a third of a start-up. `linkwise check` validates them.
    bot.add_forms(AboutForm, MatchForm)
    await bot.add_cog(ReviewCog(bot))
