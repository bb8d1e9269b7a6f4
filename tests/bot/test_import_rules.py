"""The shape that keeps a feature in one folder, checked on the source: the core (``bot/``)
imports no feature, and no feature imports another; they meet through interfaces in the core."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, absolute (relative imports resolved against its package)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "cogs" and len(parts) > 1 else None


def test_the_core_imports_no_feature():
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path) if m.split(".")[0] == "cogs")
        for path in (ROOT / "bot").rglob("*.py")
    }
    # Extension discovery lists the cogs package by name (bot/app.py), and loads what it finds.
    offenders["bot/app.py"] = [m for m in offenders.get("bot/app.py", []) if m != "cogs"]
    assert {path: found for path, found in offenders.items() if found} == {}


def test_no_feature_imports_another():
    offenders: dict[str, list[str]] = {}
    for path in (ROOT / "cogs").rglob("*.py"):
        own = feature_of(".".join(path.relative_to(ROOT).with_suffix("").parts))
        others = sorted(
            m for m in imported_modules(path) if feature_of(m) is not None and feature_of(m) != own
        )
        if others:
            offenders[str(path.relative_to(ROOT))] = others
    assert offenders == {}


def test_every_feature_is_an_extension_package():
    from bot.app import EXTENSIONS

    packages = sorted(p.parent.name for p in (ROOT / "cogs").glob("*/__init__.py"))
    assert packages, "no feature packages found"
    for name in packages:
        assert f"cogs.{name}" in EXTENSIONS


def test_pure_modules_import_without_discord():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import bot, bot.input, bot.zones, cogs.schedules.rules\n"
        "assert 'discord' not in sys.modules, sorted(m for m in sys.modules if m.startswith('discord'))\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


SQL = re.compile(
    r"^\s*(SELECT\b|INSERT INTO\b|UPDATE \w+ SET\b|DELETE FROM\b|WITH \w+ (\(|AS\b)|PRAGMA\b)|sqlite_master"
)


def sql_texts(path: Path) -> list[str]:
    """Every string literal (and literal piece of an f-string) in a file that reads as SQL."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
            found.append(node.value)
    return found


def test_sql_lives_in_a_features_queries_or_the_store():
    """A reader finds a feature's SQL in its queries module, and the rest in the core store."""
    offenders = {}
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "cogs").rglob("*.py")]:
        place = path.relative_to(ROOT)
        if place.parts[:2] == ("bot", "store") or path.name == "queries.py":
            continue
        if texts := sql_texts(path):
            offenders[str(place)] = texts
    assert offenders == {}


def test_the_sql_check_finds_sql(tmp_path):
    stray = tmp_path / "stray.py"
    stray.write_text('ROWS = "SELECT user_id FROM members"\nDONE = f"DELETE FROM {table} WHERE x = ?"\n')
    assert sql_texts(stray) == ["SELECT user_id FROM members", "DELETE FROM "]


def test_sqlite_only_statements_stay_in_the_engine():
    """PRAGMA and sqlite_master are SQLite's alone: only the SQLite engine may say them, so the
    write API and every query module work on both engines."""
    engine = {
        Path("bot/store/__init__.py"),
        Path("bot/store/engine.py"),
        Path("bot/store/_aiosqlite_adapter.py"),
        Path("bot/store/fresh.py"),  # the SQLite engine's new-database template
    }
    offenders = {
        str(place): found
        for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "cogs").rglob("*.py")]
        if (place := path.relative_to(ROOT)) not in engine
        and (found := [t for t in sql_texts(path) if re.search(r"\bPRAGMA\b|sqlite_master", t, re.IGNORECASE)])
    }
    assert offenders == {}
