"""The ``linkwise`` command run as an operator runs it: a real process in a directory, with a clean
environment (no token, no Linkwise settings but those given), its output captured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("linkwise")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot.cli"]

# Shaped like a bot token so that it passes the format check; Discord has never issued it.
FAKE_TOKEN = "M" + "A" * 25 + ".GgGgGg." + "z" * 38


def linkwise(
    cwd: Path, *args: str, timeout: float = 60, path: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``linkwise ARGS`` in ``cwd``; ``path`` replaces ``PATH`` (to hide a tool)."""
    environ = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN" and not k.startswith("LINKWISE_")}
    environ.update(env)
    if path is not None:
        environ["PATH"] = path
    return subprocess.run(
        [*COMMAND, *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=timeout, check=False
    )


def output(result: subprocess.CompletedProcess[str]) -> str:
    """Everything the command printed."""
    return result.stdout + result.stderr
