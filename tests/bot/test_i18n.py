"""The translation layer and the French of every string a person reads.

Every message in the code (Babel's extractor, for ``_``, ``N_`` and ``ngettext``) has its French
in the catalogue of its own package, with the same placeholders, within Discord's limits where
it is a label or a title; no message is built where the extractor cannot see it. The content's
French (tips, checklists, prompts) is held to the same standard in tests/unit/test_content_fr.py.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import discord
import pytest

from bot import i18n
from bot.content import TRANSLATED, default_content, untranslated
from bot.i18n import N_, _, ngettext, packages, read_catalogue, using_locale

ROOT = Path(__file__).resolve().parents[2]
NBSP = "\u00a0"


def fields(text: str) -> list[tuple[str, str, str | None]]:
    """Each ``{placeholder}`` of a message: (name, format spec, conversion)."""
    return [
        (name, spec or "", conversion)
        for _literal, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    ]


def names(text: str) -> set[str]:
    return {name for name, _spec, _conversion in fields(text)}


def catalogues(locale: str) -> dict[str, tuple[i18n.Package, object, object]]:
    """Each package's extracted messages and its catalogue of ``locale`` (None when it has none)."""
    found = {}
    for package in packages():
        path = package.catalogue(locale)
        found[package.name] = (package, i18n.extract(package), read_catalogue(path, locale) if path.exists() else None)
    return found


@pytest.fixture(scope="module", params=TRANSLATED)
def locale(request):
    return request.param


@pytest.fixture(scope="module")
def extracted(locale):
    return catalogues(locale)


# ---------------------------------------------------------------------- the layer
def test_english_is_the_default_and_numbers_follow_the_locale():
    assert i18n.current_locale() == "en"
    assert _("You have tried {count} tips.", count=2600) == "You have tried 2600 tips."  # as always in English
    with using_locale("fr"):
        assert i18n.current_locale() == "fr"
        # A message the catalogues lack is shown as written, its numbers still French.
        assert _("No such message {count}", count=2600) == f"No such message 2{NBSP}600"
        with using_locale("de"):  # a language Linkwise lacks: English
            assert i18n.current_locale() == "en"
        assert i18n.current_locale() == "fr"
    assert i18n.current_locale() == "en"
    assert N_("Left {as} it is") == "Left {as} it is"
    assert ngettext("{n} tip", "{n} tips", 1) == "1 tip"
    assert ngettext("{n} tip", "{n} tips", 1200) == "1200 tips"
    with using_locale("fr"):
        assert ngettext("{n} tip", "{n} tips", 1200) == f"1{NBSP}200 tips"
        assert _("{share} of {total}", share=2.5, total=10) == "2,5 of 10"
        assert i18n.number(2600) == f"2{NBSP}600"
    assert i18n.number(2600) == "2600"


def test_a_message_without_values_is_not_formatted():
    assert _("Braces {stay} when no value is given") == "Braces {stay} when no value is given"


def test_every_catalogue_is_read_and_merged():
    loaded = i18n.load()
    assert set(loaded) == set(TRANSLATED)
    for locale, count in loaded.items():
        assert count > 0, f"no {locale} message translated"


def test_resolution_follows_the_spec():
    """choose_locale(setting, member's Discord locale, server's preferred locale), the rule
    behind member_locale (an interaction) and server_locale (a public post, no member)."""
    choose = i18n.choose_locale
    assert choose("auto", "fr", "en-US") == "fr"  # the member's own language
    assert choose("auto", "ja", "fr") == "fr"  # Linkwise lacks Japanese: the server's
    assert choose(None, "ja", "de") == "en"  # neither: English
    assert choose("auto", "en-GB", "fr") == "en"  # English is the member's own
    assert choose("en", "fr", "fr") == "en"  # the server's setting wins
    assert choose("fr", "en-US", None) == "fr"
    assert choose("auto", None, None) == "en"
    assert i18n.server_locale(None, None) == "en"
    assert i18n.server_locale(None, "fr") == "fr"


# ---------------------------------------------------------------------- the catalogues
def test_every_message_has_its_translation(extracted, locale):
    """The test that keeps French complete: a new English message without its French fails
    here, naming where it is used (run ``python -m bot.i18n update`` and translate it)."""
    assert i18n.missing(locale) == []


def test_placeholders_are_the_same_in_both_languages(extracted, locale):
    problems = []
    for _name, (_package, _messages, catalogue) in extracted.items():
        if catalogue is None:
            continue
        for message in catalogue:
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            wanted = set().union(*(names(text) for text in ids))
            found = [names(text) for text in strings if text]
            if isinstance(message.id, tuple):
                # Plural forms: the last one (many) names what the English plural names; the
                # others may leave the count out ("Une astuce"), but name nothing new.
                ok = found and found[-1] == names(ids[-1]) and all(f <= wanted for f in found)
            else:
                ok = found == [wanted]
            if not ok:
                problems.append(f"{message.id!r}: English {sorted(wanted)}, {locale} {found}")
    assert problems == []


def test_placeholders_are_plain_names(extracted):
    """Numbers are written for the locale before they reach the message, so a format spec
    (``{n:.0f}``) would fail on the text; an attribute or index would reach into objects."""
    problems = []
    for _name, (_package, messages, _catalogue) in extracted.items():
        for message in messages:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            for text in ids:
                for name, spec, conversion in fields(text):
                    if spec or conversion or not name.isidentifier():
                        problems.append(f"{text!r}: {{{name}}}")
    assert problems == []


def test_no_catalogue_keeps_a_message_the_code_no_longer_has(extracted):
    stale = []
    for name, (_package, messages, catalogue) in extracted.items():
        if catalogue is None:
            continue
        used = {message.id for message in messages}
        stale += [f"{name}: {m.id!r}" for m in catalogue if m.id and m.id not in used]
    assert stale == []


def test_a_message_in_two_packages_reads_the_same_in_both(extracted):
    seen: dict[object, tuple[str, object]] = {}
    differ = []
    for name, (_package, _messages, catalogue) in extracted.items():
        for message in catalogue or ():
            if not message.id or not message.string:
                continue
            if message.id in seen and seen[message.id][1] != message.string:
                differ.append(f"{message.id!r}: {seen[message.id][0]} and {name}")
            seen.setdefault(message.id, (name, message.string))
    assert differ == []


def test_each_catalogue_holds_only_its_own_packages_messages(extracted):
    """A feature's messages are in its own catalogue (so features never share a file)."""
    for name, (package, messages, _catalogue) in extracted.items():
        for message in messages:
            for file, _line in message.locations:
                assert (ROOT / file).is_relative_to(package.folder), (name, file)


# ---------------------------------------------------------------------- what the extractor sees
TRANSLATING = {"_", "N_", "ngettext", "gettext"}
CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*$")


def translation_calls() -> list[tuple[str, ast.Call]]:
    found = []
    for package in packages():
        for path in package.sources():
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in TRANSLATING:
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return found


def test_every_translated_message_is_written_where_the_extractor_finds_it():
    """``_("...")`` with a literal (or ``_(CONSTANT)`` marked with ``N_``): never an f-string,
    a concatenation or a variable, which the catalogues could not hold."""
    problems = []
    # The layer itself, the forms' texts (declared with N_ on each form class), and a
    # counsellor command's task (given with N_: test_every_counsellor_task_is_marked).
    # Tables of texts marked with N_ and translated row by row: /help's commands, the privacy
    # feature's descriptions of what is kept.
    allowed_variable = {
        "bot/i18n.py",
        "bot/ui.py",
        "bot/permissions.py",
        "cogs/help/cog.py",
        "cogs/privacy/cog.py",
    }
    for where, call in translation_calls():
        wanted = 2 if call.func.id == "ngettext" else 1
        for argument in call.args[:wanted]:
            literal = isinstance(argument, ast.Constant) and isinstance(argument.value, str)
            constant = call.func.id != "N_" and (
                isinstance(argument, ast.Name)
                and CONSTANT.match(argument.id)
                or isinstance(argument, ast.Attribute)
                and CONSTANT.match(argument.attr)
                or isinstance(argument, ast.Subscript)  # a table of N_ texts: TOO_LONG[field]
                and isinstance(argument.value, ast.Name)
                and CONSTANT.match(argument.value.id)
            )
            if not (literal or constant or where.split(":")[0] in allowed_variable):
                problems.append(f"{where}: {ast.unparse(argument)}")
    assert problems == []


def test_no_module_that_translates_uses_underscore_as_a_throwaway_name():
    """``for _ in ...`` or ``a, _ = ...`` in a module that imports ``_`` makes ``_`` a local
    name in that function, so the next ``_("...")`` there fails (UnboundLocalError)."""
    problems = []
    for package in packages():
        for path in package.sources():
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imports = any(
                isinstance(node, ast.ImportFrom)
                and node.module == "bot.i18n"
                and any(a.name == "_" for a in node.names)
                for node in ast.walk(tree)
            )
            if not imports:
                continue
            for node in ast.walk(tree):
                targets = (
                    node.targets
                    if isinstance(node, ast.Assign)
                    else [node.target]
                    if isinstance(node, ast.For | ast.AsyncFor | ast.AugAssign | ast.AnnAssign)
                    else []
                )
                for target in targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name) and name.id == "_":
                            problems.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert problems == []


def test_every_counsellor_task_is_marked():
    """The task a counsellor-only command or button names ("Only counsellors can {task}") is
    given in English marked with N_ (or as a constant marked so), and translated when shown."""
    problems = []
    for package in packages():
        for path in package.sources():
            tree = ast.parse(path.read_text(encoding="utf-8"))
            constants = {
                target.id
                for node in ast.walk(tree)
                if isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", "") == "N_"
                for target in node.targets
                if isinstance(target, ast.Name)
            }
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                index = {"counsellors_only": 0, "counsellor_extras": 0, "refusal": 1}.get(name)
                if index is None or len(node.args) <= index:
                    continue
                task = node.args[index]
                marked = isinstance(task, ast.Call) and getattr(task.func, "id", "") == "N_"
                if not (marked or isinstance(task, ast.Name) and task.id in constants | {"what"}):
                    problems.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(task)}")
    assert problems == []


# Discord's limits where a translated text is a label or a title, by the keyword it is passed
# as and what it is passed to (the smallest when a keyword serves several).
LIMITS = {
    ("label", "Button"): 80,
    ("label", "button"): 80,
    ("label", "SelectOption"): 100,
    ("description", "SelectOption"): 100,
    ("label", "TextInput"): 45,
    ("text", "Label"): 45,
    ("description", "Label"): 100,
    ("placeholder", "TextInput"): 100,
    ("placeholder", "Select"): 150,
    ("placeholder", "select"): 150,
    ("title", "Embed"): 256,
    ("name", "add_field"): 256,
    ("text", "set_footer"): 2048,
    ("title", "class"): 45,  # a form's title, declared on its class
}


def limited_texts() -> list[tuple[str, int, str]]:
    """(where, limit, English) for every translated text passed where Discord limits it."""
    found = []
    for package in packages():
        for path in package.sources():
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef):
                    callee, keywords = "class", node.keywords
                elif isinstance(node, ast.Call):
                    func = node.func
                    callee = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                    keywords = node.keywords
                else:
                    continue
                for keyword in keywords:
                    value = keyword.value
                    limit = LIMITS.get((keyword.arg or "", callee))
                    translated = isinstance(value, ast.Call) and getattr(value.func, "id", "") in TRANSLATING
                    if limit is None or not translated:
                        continue
                    if value.args and isinstance(value.args[0], ast.Constant) and isinstance(value.args[0].value, str):
                        found.append((f"{path.relative_to(ROOT)}:{value.lineno}", limit, value.args[0].value))
    return found


def test_translated_labels_and_titles_fit_discord(locale):
    """A French label is often longer than the English: each fits where it is shown (a button
    label 80, a form's title and labels 45, a select option 100...). Placeholders are counted
    as ten characters."""
    assert limited_texts(), "no limited text found: the test would prove nothing"
    too_long = []
    with using_locale(locale):
        for where, limit, english in limited_texts():
            for text in (english, _(english)):
                shown = re.sub(r"\{[^{}]*\}", "x" * 10, text)
                if not 1 <= len(shown) <= limit:
                    too_long.append(f"{where}: {len(shown)} > {limit}: {text!r}")
    assert too_long == []


# ---------------------------------------------------------------------- the content
def test_every_content_item_has_its_translation():
    """Tips, checklists and prompts (their own checks: tests/unit/test_content_fr.py)."""
    assert untranslated(default_content()) == ()


# ---------------------------------------------------------------------- the command tree
NAME = re.compile(r"^[-_\w]{1,32}$")  # a slash command's or option's name (Discord's rule, lower case)


def tree_texts(payload: dict, where: str = "") -> list[tuple[str, str, dict]]:
    """(where, kind, the entry) for each command, option and choice of a translated payload."""
    found = [(where or "/" + payload["name"], "command", payload)]
    for option in payload.get("options", []):
        place = f"{where or '/' + payload['name']} {option['name']}"
        if option.get("type") in (1, 2):  # a subcommand or a group of them
            found += tree_texts(option, place)
            continue
        found.append((place, "option", option))
        found += [(f"{place}={choice['value']}", "choice", choice) for choice in option.get("choices", [])]
    return found


async def test_the_tree_reaches_discord_in_french_within_its_limits(group):
    """Every command, option and choice description and every choice name has its French;
    the context menus have French names; slash command and option names stay English. Each
    within Discord's limits (description 1-100, name 1-32, choice name 1-100)."""
    tree = group.env.bot.tree
    assert tree.translator is not None
    problems = []
    menus = 0
    for command in tree.get_commands(type=None):
        payload = await command.get_translated_payload(tree, tree.translator)
        if payload.get("type", 1) != 1:  # a context menu: its name is its label
            menus += 1
            french = payload.get("name_localizations", {}).get("fr")
            if not french or not 1 <= len(french) <= 32 or french == payload["name"]:
                problems.append(f"menu {payload['name']!r}: {french!r}")
            continue
        for where, kind, entry in tree_texts(payload):
            if kind != "choice":
                assert "fr" not in (entry.get("name_localizations") or {}), f"{where}: its name stays English"
                assert NAME.match(entry["name"]), where
                french = (entry.get("description_localizations") or {}).get("fr")
                if not french or not 1 <= len(french) <= 100 or french == entry["description"]:
                    problems.append(f"{where} description: {french!r}")
            else:
                french = (entry.get("name_localizations") or {}).get("fr")
                if not french or not 1 <= len(french) <= 100:
                    problems.append(f"{where} choice name: {french!r}")
    assert menus == 2
    assert problems == []


async def test_the_tree_as_discord_holds_it_has_the_french(group):
    """What the bot synced, as Discord keeps it: a French member reads French descriptions."""
    synced = {command.name: command for command in await group.env.bot.tree.fetch_commands()}
    tip = synced["tip"]
    assert tip.description == "Get a LinkedIn tip you have not seen yet"
    assert tip.description_localizations[discord.Locale.french] == (
        "Recevoir une astuce LinkedIn que vous n'avez pas encore vue"
    )
    topic = next(option for option in tip.options if option.name == "topic")
    assert topic.name_localizations == {}
    assert {choice.value: choice.name_localizations.get(discord.Locale.french) for choice in topic.choices}[
        "job-search"
    ] == "Recherche d'emploi"
    # A description with figures: English as before, French with the same figures.
    add_tip = next(option for option in synced["content"].options if option.name == "add-tip")
    title = next(option for option in add_tip.options if option.name == "title")
    assert title.description == "A short title (3-100 characters)"
    assert title.description_localizations[discord.Locale.french] == "Un titre court (de 3 à 100 caractères)"
    menu = synced["Review as headline"]
    assert menu.name_localizations[discord.Locale.french] == "Évaluer comme titre"


def test_the_documented_check_command_agrees():
    """``python -m bot.i18n check``, as the README tells a translator to run it."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "bot.i18n", "check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "every message is translated")
    wrong = subprocess.run([sys.executable, "-m", "bot.i18n", "compile"], cwd=ROOT, capture_output=True, text=True)
    assert wrong.returncode == 2 and "usage: python -m bot.i18n update | check" in wrong.stderr


# ---------------------------------------------------------------------- nothing left in English
SENTENCE = re.compile(r"[A-Za-z]{2,}[,:;]? [A-Za-z]{2,}")  # two words: English prose, not an id or a mark
SHOWN_AS = {  # where text reaches a member: (what is called, which keyword or positional index)
    "reply": {1, "content"},
    "send_message": {0, "content"},
    "edit_message": {"content"},
    "send": {0, "content"},
    "Embed": {"title", "description"},
    "add_field": {"name", "value"},
    "set_footer": {"text"},
    "set_author": {"name"},
    "Button": {"label"},
    "button": {"label"},
    "SelectOption": {"label", "description"},
    "Select": {"placeholder"},
    "TextInput": {"label", "placeholder"},
    "Label": {"text", "description"},
    "Refusal": {0},
    "UserFacingError": {0},
    "InputError": {0},
    "NotCounsellor": {0},
}


def english_left(node: ast.expr) -> bool:
    """A literal (or an f-string's literal part) that reads as English prose."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(SENTENCE.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(english_left(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):  # "..." + "..."
        return english_left(node.left) or english_left(node.right)
    return False


def test_a_module_that_translates_leaves_no_english_text_for_members():
    """In every module that uses ``_``, the text shown to members (replies, embeds, buttons,
    refusals) goes through the layer: a literal sentence there would reach a French member in
    English."""
    assert english_left(ast.parse('f"Only counsellors can {what}."').body[0].value)
    assert not english_left(ast.parse('f"linkwise:tip:next:{selection}"').body[0].value)
    left = []
    checked = 0
    for package in packages():
        for path in package.sources():
            tree = ast.parse(path.read_text(encoding="utf-8"))
            translates = any(
                isinstance(node, ast.ImportFrom)
                and node.module == "bot.i18n"
                and any(a.name == "_" for a in node.names)
                for node in ast.walk(tree)
            )
            if not translates:
                continue
            checked += 1
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                shown = SHOWN_AS.get(name, set())
                arguments = [a for i, a in enumerate(node.args) if i in shown]
                arguments += [k.value for k in node.keywords if k.arg in shown]
                left += [
                    f"{path.relative_to(ROOT)}:{argument.lineno}: {ast.unparse(argument)[:80]}"
                    for argument in arguments
                    if english_left(argument)
                ]
    assert checked >= 10, "too few modules translate: the test would prove little"
    assert left == []
