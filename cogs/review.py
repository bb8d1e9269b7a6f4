"""/review headline|invite|about: a score out of 100 with the reasons, before you post or send.

The rules live in bot/review.py and bot/content/review.toml; this cog only collects the text and
renders the :class:`~bot.review.Review`. Nothing the member pastes is stored or echoed back: the
reply is built from the rules' own messages and counts, so any input (mentions, markdown,
6,000 characters, control characters) gives a reply of the same bounded size. (Only if the
review itself fails does the member get their About back, privately, so it is not lost.)

The About form is a persistent form: submitted after a restart, or hours after it was opened,
it is still reviewed.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Linkwise
from bot.review import Finding, Review, default_rules, review
from bot.ui import FormValues, PersistentForm, reply

LABELS = {"headline": "Headline", "invite": "Connection note", "about": "About section"}
FOOTER = "Nothing you paste is stored. Scored by fixed rules, not AI."

# Discord's embed limits.
FIELD_VALUE_MAX = 1024
EMBED_TOTAL_MAX = 6000
FIELDS_MAX = 25

# A text input can hold up to 4,000 characters: room to paste an About that is over LinkedIn's
# limit and be told by how much, rather than being stopped by the box.
ABOUT_INPUT_MAX = 4000


def colour_for(score: int) -> discord.Colour:
    if score >= 80:
        return discord.Colour.from_rgb(46, 160, 67)  # green
    if score >= 50:
        return discord.Colour.from_rgb(230, 162, 28)  # amber
    return discord.Colour.from_rgb(210, 50, 45)  # red


def verdict(result: Review) -> str:
    score = result.score
    if not result.suggestions:
        return "Excellent: every check passes."
    if score >= 80:
        return "Strong: a few touches at most."
    if score >= 50:
        return "Getting there: the suggestions below will lift it."
    return "Needs work: start with the first suggestion below."


def bullet(finding: Finding, *, with_points: bool) -> str:
    line = f"• {finding.message}"
    if with_points:
        line += f" ({finding.earned:g} of {finding.weight} points)"
    return line[:FIELD_VALUE_MAX]


def bullet_fields(name: str, lines: list[str]) -> list[tuple[str, str]]:
    """Pack bullets into as few fields as fit Discord's 1,024-character field limit."""
    fields: list[tuple[str, str]] = []
    current = ""
    for line in lines:
        if current and len(current) + 1 + len(line) > FIELD_VALUE_MAX:
            fields.append((name if not fields else f"{name} (continued)", current))
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        fields.append((name if not fields else f"{name} (continued)", current))
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
    line = f"**Length:** {result.length:,}/{result.limit:,} characters"
    if result.length > result.limit:
        line += f", {result.length - result.limit:,} over the limit"
    if result.kind == "invite":
        free = default_rules().facts["invite_note_free_limit"]
        line += f" (the limit reported with Premium; free accounts are reported to allow {free:,})"
    return line + "."


def review_embed(result: Review) -> discord.Embed:
    empty = len(result.findings) == 1 and result.findings[0].rule_id == f"{result.kind}-empty"
    lines = [length_line(result)]
    if not empty:
        lines.insert(0, verdict(result))
        lines.append("Each line shows the points it earned; together they make the score.")
    embed = discord.Embed(
        title=f"{LABELS[result.kind]} review: {result.score}/100",
        description="\n".join(lines),
        colour=colour_for(result.score),
    )
    embed.set_footer(text=FOOTER)

    # Findings keep review.toml's order, which puts what matters most first (length, then substance).
    strengths = [bullet(f, with_points=not empty) for f in result.strengths]
    suggestions = [bullet(f, with_points=not empty) for f in result.suggestions]
    strength_fields = bullet_fields(
        "Strengths", strengths or ["• None yet: the suggestions below show where to start."]
    )
    suggestion_fields = bullet_fields("Suggestions", suggestions or ["• Nothing to change. Well done!"])
    # Within Discord's limits whatever the rules say; if space ran out, suggestions are kept first.
    suggestion_fields = _fit(suggestion_fields, EMBED_TOTAL_MAX - len(embed), FIELDS_MAX)
    room = EMBED_TOTAL_MAX - len(embed) - sum(len(name) + len(value) for name, value in suggestion_fields)
    strength_fields = _fit(strength_fields, room, FIELDS_MAX - len(suggestion_fields))
    for name, value in strength_fields + suggestion_fields:
        embed.add_field(name=name, value=value, inline=False)
    return embed


async def send_review(interaction: discord.Interaction, kind: str, text: str) -> None:
    await reply(interaction, embed=review_embed(review(kind, text)))


class AboutForm(PersistentForm, template=r"linkwise:review:about", title="Review your About section"):
    """One box for the About section; the review is sent when it is submitted."""

    text_filename = "your-about.txt"
    text: discord.ui.TextInput[AboutForm] = discord.ui.TextInput(
        label="Your About section",
        custom_id="text",
        style=discord.TextStyle.paragraph,
        max_length=ABOUT_INPUT_MAX,
    )

    def __init__(self, custom_id: str = "linkwise:review:about") -> None:
        super().__init__(custom_id)
        limit = default_rules().limits["about"]
        self.text.placeholder = f"Paste your About section or your draft. LinkedIn allows {limit:,} characters."

    async def submit(self, interaction: discord.Interaction, values: FormValues) -> None:
        await send_review(interaction, "about", values.get("text", ""))


@app_commands.guild_only()
class ReviewCog(
    commands.GroupCog,
    group_name="review",
    group_description="Instant, explained feedback on your LinkedIn headline, About or connection note",
):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot

    @app_commands.command(name="headline", description="Score your LinkedIn headline out of 100, with reasons")
    @app_commands.describe(text="Your headline (the line under your name), pasted as plain text")
    async def headline(self, interaction: discord.Interaction, text: str) -> None:
        await send_review(interaction, "headline", text)

    @app_commands.command(name="invite", description="Score a connection-request note before you send it")
    @app_commands.describe(text="The note you plan to send with your connection request")
    async def invite(self, interaction: discord.Interaction, text: str) -> None:
        await send_review(interaction, "invite", text)

    @app_commands.command(name="about", description="Score your LinkedIn About section (opens a box to paste it)")
    async def about(self, interaction: discord.Interaction) -> None:
        await AboutForm().open(interaction)


async def setup(bot: Linkwise) -> None:
    default_rules()  # validate review.toml now, so a broken rules file stops start-up
    bot.add_forms(AboutForm)
    await bot.add_cog(ReviewCog(bot))
