"""The validated content is kept between starts, keyed by the content files: a start reads it
back while nothing changed, and validates again (refusing broken content) when anything did."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content import CONTENT_DIR, ContentError, cached_content, load_content


@pytest.fixture
def copy(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("validated-content-*.pickle"))


def retitle_first_tip(copy: Path, title: str) -> None:
    path = copy / "tips" / "messaging.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('title = "') + len('title = "')
    path.write_text(text[:start] + title + text[text.index('"', start) :], encoding="utf-8")


def test_the_cached_content_is_the_validated_content_in_every_language(copy, tmp_path):
    cache = tmp_path / "cache"
    first = cached_content(copy, cache)
    again = cached_content(copy, cache)

    assert len(cache_files(cache)) == 1
    assert again is not first  # read back from the cache, not the same object
    assert again == load_content(copy)
    for locale in ("en", "fr"):
        assert again.localized(locale) == first.localized(locale)
        assert again.localized(locale).tips == load_content(copy).localized(locale).tips
    assert again.localized("fr").localized("en") is again  # languages still reach each other
    assert again.tip("companies-engage-with-posts") == again.tip("contributing-comment-with-substance")


def test_a_changed_content_file_is_validated_again_and_its_change_is_shown(copy, tmp_path):
    cache = tmp_path / "cache"
    cached_content(copy, cache)
    retitle_first_tip(copy, "A title written after the first start")

    content = cached_content(copy, cache)

    assert "A title written after the first start" in [tip.title for tip in content.tips]
    assert len(cache_files(cache)) == 1  # the stale result was removed


def test_broken_content_is_refused_at_every_start_even_after_a_good_one_was_cached(copy, tmp_path):
    cache = tmp_path / "cache"
    cached_content(copy, cache)
    path = copy / "prompts.toml"
    bad = '\n[[prompt]]\nid = "Bad Id"\ntopic = "connecting"\ntext = "What would you ask a recruiter first, and why?"\n'
    path.write_text(path.read_text(encoding="utf-8") + bad, encoding="utf-8")

    for _ in range(2):
        with pytest.raises(ContentError, match="Bad Id"):
            cached_content(copy, cache)


def test_a_damaged_cache_only_means_validating_again(copy, tmp_path):
    cache = tmp_path / "cache"
    cached_content(copy, cache)
    (damaged,) = cache_files(cache)
    damaged.write_bytes(b"not a pickle")

    assert cached_content(copy, cache) == load_content(copy)
    assert cached_content(copy, cache) == load_content(copy)


def test_an_unwritable_cache_only_means_validating_each_time(copy, tmp_path):
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("", encoding="utf-8")

    assert cached_content(copy, blocker / "cache") == load_content(copy)
