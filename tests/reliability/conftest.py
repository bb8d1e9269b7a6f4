"""Fixtures for the reliability suite: the `linkwise` command run as an operator runs it."""

from __future__ import annotations

import pytest

from tests import shell


@pytest.fixture
def fake_token() -> str:
    """Shaped like a bot token, so it passes the format check; Discord never issued it."""
    return shell.FAKE_TOKEN


@pytest.fixture
def linkwise():
    """Run `linkwise ARGS` in a directory with a clean environment (no token, no settings
    but those given); returns the finished process, its output captured."""
    return shell.linkwise
