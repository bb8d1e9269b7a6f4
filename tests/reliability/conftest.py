"""Helpers for the reliability suite: the `linkwise` command run as an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("linkwise")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot.cli"]


@pytest.fixture
def fake_token() -> str:
    """Shaped like a bot token, so it passes the format check; Discord never issued it."""
    return "M" + "T" * 25 + ".GaBcDe." + "q" * 38


@pytest.fixture
def linkwise():
    """Run `linkwise ARGS` in a directory with a clean environment (no token, no settings
    but those given); returns the finished process, its output captured."""

    def run(cwd: Path, *args: str, timeout: float = 30, **env: str) -> subprocess.CompletedProcess[str]:
        environ = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN" and not k.startswith("LINKWISE_")}
        environ.update(env)
        return subprocess.run(
            [*COMMAND, *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=timeout, check=False
        )

    return run
