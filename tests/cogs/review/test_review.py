"""/review as members use it: headline, invite, about, match and the two message menus; an ephemeral
scored embed, any input, nothing stored, nobody pinged."""

from __future__ import annotations

import re

import discord
import pytest

from bot import create_bot
from cogs.review.cog import review_embed
from cogs.review.match import match
from cogs.review.rules import Finding, Review, review
from tests.db import counts
from tests.payloads import text_inputs
from tests.review_cases import agreement, review_cases

STRONG_HEADLINE = "Warehouse Supervisor | Inventory Control · Forklift Certified · Team Scheduling"
WEAK_HEADLINE = "Seeking opportunities!!!"
PERSONAL_NOTE = (
    "Hi Sam, we met at the Hamilton career fair on Friday. I enjoyed hearing about your move into "
    "logistics and would value your perspective. Happy to share the employer list I compiled."
)
DEFAULT_NOTE = "I'd like to add you to my professional network on LinkedIn."
STRONG_ABOUT = """I'm a payroll administrator who has paid 250 employees accurately in three provinces.

For six years at a regional food distributor I processed bi-weekly payroll in ADP, cut correction \
requests by 40%, and trained 5 new clerks on year-end reporting.

Skills: payroll, QuickBooks, accounts payable, reconciliation, Excel, bilingual English/French.

I'm looking for a payroll or bookkeeping role in Ottawa. Message me here and I'll gladly share \
the month-end checklist I built."""

HOSTILE = [
    "",
    "   ",
    "\n\t \n",
    "x" * 6000,
    "@everyone hi @here",
    "<@123> <@&456> <#789> <@!42>",
    "\u202e\u200fabc\u202c\u2066evil\u2069",
    "👩‍👩‍👧‍👦" * 50,
    "**bold** __under__ `code` > quote ||spoiler|| [link](https://example.com) # Heading",
    "a\x00b\x07c\x1b[31mred\x7f\u0085\u2028\u2029",
    "Manager | " * 600,
    "```" * 2000,
]


def scored(embed) -> int:
    match = re.search(r"(\d+)/100", embed.title)
    assert match, embed.title
    return int(match[1])


def field_names(embed) -> list[str]:
    return [field.name for field in embed.fields]


def table_counts(database_url) -> dict[str, int]:
    return counts(database_url)


def input_ids(components) -> list[str]:
    """Every custom_id inside a modal payload, however the inputs are nested."""
    found = []
    for component in components:
        if "custom_id" in component:
            found.append(component["custom_id"])
        found += input_ids(component.get("components", []))
        if "component" in component:
            found += input_ids([component["component"]])
    return found


def assert_within_limits(embed) -> None:
    assert len(embed) <= 6000
    assert len(embed.title) <= 256
    assert len(embed.description or "") <= 4096
    assert len(embed.fields) <= 25
    for field in embed.fields:
        assert 0 < len(field.value) <= 1024
        assert len(field.name) <= 256
    assert len(embed.footer.text) <= 2048


def assert_review_reply(result, kind_label: str) -> discord.Embed:
    assert result.ephemeral
    (embed,) = result.response.embeds
    assert embed.title.startswith(f"{kind_label} review: ")
    assert re.search(r"\b\d{1,3}/100\b", embed.title)
    assert "Strengths" in field_names(embed)
    assert "Suggestions" in field_names(embed)
    assert "Nothing you paste is stored" in embed.footer.text
    assert_within_limits(embed)
    return embed


async def open_about(actor, channel):
    shown = await actor.slash(channel, "review about")
    assert shown.modal is not None
    return shown


async def test_headline_review_is_an_ephemeral_scored_embed(group):
    result = await group.alice.slash(group.channel, "review headline", text=STRONG_HEADLINE)

    embed = assert_review_reply(result, "Headline")
    assert scored(embed) == review("headline", STRONG_HEADLINE).score
    assert f"{len(STRONG_HEADLINE)}/220 characters" in embed.description
    assert "You name a role" in embed.fields[0].value


async def test_invite_review_is_an_ephemeral_scored_embed_that_notes_the_free_limit(group):
    result = await group.alice.slash(group.channel, "review invite", text=PERSONAL_NOTE)

    embed = assert_review_reply(result, "Connection note")
    assert f"{len(PERSONAL_NOTE)}/300 characters" in embed.description
    assert "200" in embed.description and "Premium" in embed.description


async def test_a_long_invite_is_warned_about_the_free_account_limit(group):
    long_note = PERSONAL_NOTE + " I also run a weekly study group for the forklift licence, and you'd be welcome."
    assert 200 < len(long_note) <= 300
    result = await group.alice.slash(group.channel, "review invite", text=long_note)

    fields = {field.name: field.value for field in result.response.embeds[0].fields}
    assert "Free accounts are reported to be limited to 200" in fields["Suggestions"]


async def test_about_opens_a_modal_then_reviews_what_is_submitted(group):
    shown = await open_about(group.alice, group.channel)

    assert shown.modal["title"] == "Review your About section"
    assert len(shown.modal["title"]) <= 45
    assert input_ids(shown.modal["components"]) == ["text"]

    result = await group.alice.submit_modal(shown, {"text": STRONG_ABOUT})
    embed = assert_review_reply(result, "About section")
    assert scored(embed) == review("about", STRONG_ABOUT).score >= 80
    assert f"{len(STRONG_ABOUT):,}/2,600 characters" in embed.description


async def test_an_about_over_the_limit_can_be_pasted_and_is_told_by_how_much(group):
    too_long = (STRONG_ABOUT + "\n\n") * 6
    too_long = too_long[:3000].rstrip() + "."
    shown = await open_about(group.alice, group.channel)

    result = await group.alice.submit_modal(shown, {"text": too_long})
    embed = assert_review_reply(result, "About section")
    assert f"{len(too_long) - 2600:,} over the limit" in embed.description
    assert "won't save as written" in "\n".join(f.value for f in embed.fields)


async def test_a_strong_headline_outscores_a_weak_one(group):
    strong = await group.alice.slash(group.channel, "review headline", text=STRONG_HEADLINE)
    weak = await group.alice.slash(group.channel, "review headline", text=WEAK_HEADLINE)

    assert scored(strong.response.embeds[0]) >= 80
    assert scored(weak.response.embeds[0]) < 50
    # The costliest fixes come first: the skills and the role it lacks, before the punctuation.
    first = weak.response.embeds[0].fields[field_names(weak.response.embeds[0]).index("Suggestions")].value
    lines = first.split("\n")
    assert lines[0].startswith("• Add two or three skills") and lines[1].startswith("• Name the job you want")


async def test_a_personal_note_outscores_linkedins_default(group):
    personal = await group.alice.slash(group.channel, "review invite", text=PERSONAL_NOTE)
    default = await group.alice.slash(group.channel, "review invite", text=DEFAULT_NOTE)

    assert scored(personal.response.embeds[0]) > scored(default.response.embeds[0])
    assert "stock invitation" in "\n".join(f.value for f in default.response.embeds[0].fields)


async def test_empty_text_says_what_to_paste(group):
    result = await group.alice.slash(group.channel, "review headline", text="   ")

    embed = assert_review_reply(result, "Headline")
    assert scored(embed) == 0
    assert "Paste the headline" in "\n".join(f.value for f in embed.fields)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
async def test_any_input_gets_a_reply_within_limits_that_pings_nobody_and_stores_nothing(group, text):
    db = group.env.bot
    before = table_counts(db)

    replies = [
        (await group.alice.slash(group.channel, "review headline", text=text), "Headline"),
        (await group.alice.slash(group.channel, "review invite", text=text), "Connection note"),
    ]
    if text:  # Discord does not submit a required text input empty
        shown = await open_about(group.alice, group.channel)
        replies.append((await group.alice.submit_modal(shown, {"text": text[:4000]}), "About section"))

    for result, label in replies:
        embed = assert_review_reply(result, label)
        message = result.response.message
        assert message.mentions == [] and message.role_mentions == []
        assert not message.mention_everyone
        assert not result.response.content
        # What the member pasted comes back only as short quotes, escaped: no mention, no markdown.
        visible = "\n".join([embed.title, embed.description, *(f.value for f in embed.fields)])
        for hostile in ("@everyone", "@here", "<@123>", "<@&456>", "<#789>", "**bold**", "\u202e", "\x1b", "\x00"):
            assert hostile not in visible
    assert table_counts(db) == before


def test_many_long_findings_are_split_across_fields_within_discords_limits():
    findings = tuple(Finding(f"rule-{i}", i % 2 == 0, "w" * 299 + "!", 4, 4 * (i % 2 == 0)) for i in range(20))
    embed = review_embed(Review("about", 50, findings, 100, 2600))

    assert_within_limits(embed)
    names = field_names(embed)
    assert names[:2] == ["Strengths", "Strengths (continued)"]
    # When space runs out, every suggestion (what to fix) is kept; strengths give way.
    suggestions = [f.value for f in embed.fields if f.name.startswith("Suggestions")]
    assert sum(value.count("• ") for value in suggestions) == 10
    assert sum(f.value.count("• ") for f in embed.fields if f.name.startswith("Strengths")) < 10
    assert all(line.startswith("• ") for f in embed.fields for line in f.value.split("\n"))


def points_of(embed) -> list[int]:
    """Every line's points, as the reply shows them: '(8 of 15 points)' is 8, '(−25 points)' is -25."""
    text = "\n".join(f.value for f in embed.fields)
    earned = [int(m) for m in re.findall(r"\((\d+) of \d+ points\)", text)]
    lost = [-int(m) for m in re.findall(r"\(−(\d+) points\)", text)]
    return earned + lost


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("review headline", "Seeking opportunities | Hard worker | Open to work"),
        ("review headline", "OPEN TO WORK!!! PLEASE HIRE ME"),
        ("review headline", "Excel | Word | PowerPoint | Outlook | Teams | SharePoint | Access | QuickBooks | Sage"),
        ("review invite", "Hi Sam, we met at the career fair. Is your team hiring? I can send you my resume."),
        ("review invite", "HI!!! PLEASE ACCEPT MY REQUEST!!! I NEED A JOB 🙏🙏🙏"),
    ],
)
async def test_status_pleas_stuffing_and_job_asks_score_40_or_less_and_say_why(group, command, text):
    result = await group.alice.slash(group.channel, command, text=text)
    embed = result.response.embeds[0]
    assert scored(embed) <= 40
    assert "Strong" not in embed.description and "Excellent" not in embed.description
    suggestions = "\n".join(f.value for f in embed.fields if f.name.startswith("Suggestions"))
    assert "“" in suggestions  # the suggestions quote the words that cost the points
    assert sum(points_of(embed)) == scored(embed)


async def test_every_point_has_its_line_and_the_score_is_their_sum(group):
    for command, text in (("review headline", STRONG_HEADLINE), ("review invite", PERSONAL_NOTE)):
        result = await group.alice.slash(group.channel, command, text=text)
        embed = result.response.embeds[0]
        assert sum(points_of(embed)) == scored(embed)
        assert f"score of {scored(embed)}" in embed.description


async def test_strengths_quote_the_members_own_words(group):
    result = await group.alice.slash(group.channel, "review headline", text=STRONG_HEADLINE)
    strengths = result.response.embeds[0].fields[0].value
    assert "“Warehouse Supervisor”" in strengths and "“Inventory Control”" in strengths


async def test_french_text_is_reviewed_with_the_french_rules(group):
    note = (
        "Bonjour Mme Tremblay, nous nous sommes rencontrées au salon de l'emploi de Laval jeudi dernier. "
        "Votre présentation m'a beaucoup appris. Je peux vous envoyer la liste de ressources."
    )
    result = await group.alice.slash(group.channel, "review invite", text=note)
    embed = assert_review_reply(result, "Connection note")
    assert "French rules" in embed.description
    assert scored(embed) == review("invite", note).score >= 80

    tutoiement = "Salut Alex, on s'est vus au salon de l'emploi. Ta présentation m'a aidé. Je peux t'envoyer ma liste."
    result = await group.alice.slash(group.channel, "review invite", text=tutoiement)
    assert "'vous'" in "\n".join(f.value for f in result.response.embeds[0].fields)


async def test_a_french_about_scores_high(group):
    about = (
        "Technicienne comptable, je fais la paie et la tenue de livres de PME depuis huit ans.\n\n"
        "Chez un distributeur alimentaire de Québec, je traite la paie de 120 employés dans Nethris et "
        "j'ai réduit les corrections de paie de 40 %.\n\nOutils : Sage 50, Nethris, Excel, QuickBooks.\n\n"
        "Je souhaite me joindre à une équipe comptable à Québec. Contactez-moi à julie.compta@example.com."
    )
    shown = await open_about(group.alice, group.channel)
    result = await group.alice.submit_modal(shown, {"text": about})
    embed = assert_review_reply(result, "About section")
    assert scored(embed) >= 80 and "French rules" in embed.description


# --- /review match ---------------------------------------------------------------------------------

POSTING = """Payroll Administrator

Northwind Logistics is hiring a Payroll Administrator for our Toronto office.

What you'll do:
- Process bi-weekly payroll for 600 employees in Ceridian Dayforce
- Own year-end: T4 and T4A slips, reconciliations and PD7A remittances
- Issue ROEs and handle garnishments

What you bring:
- 3+ years of payroll experience, ideally in Ceridian Dayforce
- Certified Payroll Manager (CPM) designation, or working toward it
- Strong Excel skills

We offer dental benefits and a pension plan."""
PROFILE = "Payroll Administrator | Year-End T4 · Excel\n\nI process payroll for 400 employees and prepare T4s."


async def open_match(actor, channel):
    shown = await actor.slash(channel, "review match")
    assert shown.modal is not None
    return shown


async def test_match_opens_a_form_with_the_posting_and_the_profile(group):
    shown = await open_match(group.alice, group.channel)

    assert shown.modal["title"] == "Match a job posting"
    inputs = text_inputs(shown.modal["components"])
    assert list(inputs) == ["posting", "profile"]
    assert (inputs["posting"]["min_length"], inputs["posting"]["max_length"]) == (50, 4000)
    assert (inputs["profile"]["min_length"], inputs["profile"]["max_length"]) == (20, 4000)
    assert inputs["posting"]["style"] == inputs["profile"]["style"] == 2  # paragraph
    assert all(len(i["label"]) <= 45 for i in inputs.values())


async def test_match_shows_the_percentage_the_terms_present_and_missing_and_where_to_add_them(group):
    db = group.env.bot
    before = table_counts(db)
    shown = await open_match(group.alice, group.channel)
    result = await group.alice.submit_modal(shown, {"posting": POSTING, "profile": PROFILE})

    assert result.ephemeral
    (embed,) = result.response.embeds
    expected = match(POSTING, PROFILE)
    assert embed.title == f"Job match: {expected.coverage}%"
    fields = {f.name.split(" (")[0]: f.value for f in embed.fields}
    assert "**Payroll Administrator**" in fields["In your profile"]
    assert "**Ceridian Dayforce** → Skills" in fields["Missing"]
    assert "Licenses & certifications" in fields["Where to add them"]
    assert "true for you" in fields["Where to add them"]
    assert fields["In your profile"].count("• ") <= 10 and fields["Missing"].count("• ") <= 10
    for word in ("Northwind", "Toronto", "dental", "pension"):
        assert word not in "\n".join(f.value for f in embed.fields)
    assert "not AI" in embed.footer.text
    assert_within_limits(embed)
    assert table_counts(db) == before  # nothing stored


async def test_match_in_french(group):
    posting = (
        "Technicien(ne) comptable\n\nResponsabilités\n- Préparer la paie dans Nethris\n"
        "- Produire les T4 et Relevés 1\n- Effectuer les conciliations bancaires\n\n"
        "Exigences\n- Maîtrise de Sage 50 et d'Excel"
    )
    shown = await open_match(group.alice, group.channel)
    profile = "Technicienne comptable | Paie · Sage 50"
    result = await group.alice.submit_modal(shown, {"posting": posting, "profile": profile})
    embed = result.response.embeds[0]
    assert "**Technicien comptable**" in embed.fields[0].value
    assert "Nethris" in "\n".join(f.value for f in embed.fields)


async def test_match_with_hostile_text_pings_nobody_and_stays_within_limits(group):
    posting = "Payroll Administrator @everyone <@123> **Dayforce** " + "Skills: SQL, Excel, <@&456> " * 120
    shown = await open_match(group.alice, group.channel)
    result = await group.alice.submit_modal(shown, {"posting": posting[:4000], "profile": "@here " * 100})
    embed = result.response.embeds[0]
    assert_within_limits(embed)
    message = result.response.message
    assert message.mentions == [] and message.role_mentions == [] and not message.mention_everyone
    visible = "\n".join([embed.title, embed.description, *(f.value for f in embed.fields)])
    for raw in ("@everyone", "@here", "<@123>", "<@&456>"):
        assert raw not in visible


async def test_match_of_blank_text_says_what_is_needed(group):
    shown = await open_match(group.alice, group.channel)
    result = await group.alice.submit_modal(shown, {"posting": " " * 60, "profile": "Payroll administrator"})
    assert result.ephemeral
    assert "at least 50" in result.response.content and "/review match" in result.response.content


# --- message context menus ---------------------------------------------------------------------------


def message_commands(bot) -> dict:
    return {c.name: c for c in bot.tree.get_commands(type=discord.AppCommandType.message)}


async def test_the_two_message_menus_are_registered_guild_only(group):
    menus = message_commands(group.env.bot)
    assert set(menus) == {"Review as headline", "Review as connection note"}
    for menu in menus.values():
        assert menu.guild_only and menu.allowed_contexts.guild and not menu.allowed_contexts.dm_channel


async def test_review_as_headline_reviews_the_message_exactly_as_the_slash_command(group):
    draft = await group.alice.send(group.channel, STRONG_HEADLINE)
    from_menu = await group.bob.context_menu(group.channel, "Review as headline", draft)
    from_slash = await group.bob.slash(group.channel, "review headline", text=STRONG_HEADLINE)

    assert from_menu.ephemeral
    assert from_menu.response.embeds[0].to_dict() == from_slash.response.embeds[0].to_dict()


async def test_review_as_connection_note(group):
    draft = await group.alice.send(group.channel, PERSONAL_NOTE)
    result = await group.alice.context_menu(group.channel, "Review as connection note", draft)
    embed = assert_review_reply(result, "Connection note")
    assert scored(embed) == review("invite", PERSONAL_NOTE).score


async def test_a_message_with_only_an_embed_or_an_attachment_is_answered_clearly(group):
    tip = await group.alice.slash(group.channel, "tip", public=True)
    result = await group.bob.context_menu(group.channel, "Review as headline", tip.response)
    assert result.ephemeral and not result.response.embeds
    assert "no text to review" in result.response.content and "an embed" in result.response.content

    photo = await group.alice.send(group.channel, "", attachments=[("draft.png", b"\x89PNG fake")])
    result = await group.alice.context_menu(group.channel, "Review as connection note", photo)
    assert "no text to review" in result.response.content and "an attachment" in result.response.content
    assert "/review invite" in result.response.content


async def test_a_menu_on_a_message_with_mentions_pings_nobody(group):
    draft = await group.alice.send(group.channel, "@everyone Open to work | <@123> | please hire me")
    result = await group.bob.context_menu(group.channel, "Review as headline", draft)
    message = result.response.message
    assert message.mentions == [] and message.role_mentions == [] and not message.mention_everyone
    visible = "\n".join(f.value for f in result.response.embeds[0].fields)
    assert "@everyone" not in visible and "<@123>" not in visible


async def test_unloading_the_extension_removes_the_menus_and_loading_it_adds_them_back(group):
    bot = group.env.bot
    await bot.unload_extension("cogs.review")
    assert message_commands(bot) == {}
    await bot.load_extension("cogs.review")
    assert set(message_commands(bot)) == {"Review as headline", "Review as connection note"}


# --- the evaluation set, through /review as a member ---------------------------------------------------


async def test_the_evaluation_set_scored_through_review_as_a_member(group):
    scores = []
    for case in review_cases():
        if case.kind == "about":
            shown = await open_about(group.alice, group.channel)
            result = await group.alice.submit_modal(shown, {"text": case.text})
        else:
            result = await group.alice.slash(group.channel, f"review {case.kind}", text=case.text)
        scores.append((case, scored(result.response.embeds[0])))
    measured = agreement(scores)
    print("\nthrough /review as a member: " + measured.summary().split("\n", 1)[0].split(": ", 1)[1])
    assert measured.share >= 0.90 and measured.gap >= 45


async def test_a_match_form_opened_before_a_restart_is_carried_out_after_it(group):
    shown = await open_match(group.alice, group.channel)
    assert shown.modal["custom_id"] == "linkwise:review:match"

    await group.env.restart_bot(create_bot(database_url=group.env.bot.settings.database.url))
    await group.env.advance_time(3 * 60 * 60)  # and hours later than discord.py would keep a modal
    result = await group.alice.submit_modal(shown, {"posting": POSTING, "profile": PROFILE})

    assert result.ephemeral
    assert result.response.embeds[0].title == f"Job match: {match(POSTING, PROFILE).coverage}%"
