"""`linkwise demo` as a newcomer runs it: start it, open the printed URL in headless Chromium,
see the seeded #general with Linkwise's messages, then stop it with Ctrl+C."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"Linkwise demo running at (http://127\.0\.0\.1:(\d+)/#\S+) — press Ctrl\+C to stop")
STARTUP_TIMEOUT = 30.0
# What the seeded #general shows once the page's scripts have rendered it.
EXPECTED = {
    "the channel": re.compile(r">\s*general\s*<"),
    "the counsellor's welcome": re.compile(r"Welcome to Career Circle!"),
    "Linkwise as the author": re.compile(r">\s*Linkwise\s*<"),
    "a tip embed": re.compile(r"· Linkwise tip"),
    "the tip's buttons": re.compile(r"I tried this"),
}


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.access("/usr/bin/chromium", os.X_OK):
        found = "/usr/bin/chromium"
    if found is None:
        pytest.skip(
            "headless Chromium is not installed, so the demo cannot be loaded in a browser here "
            "(install it with `apt-get install chromium`; .ci/run does when it can)"
        )
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def lines_of(stream) -> queue.Queue[str | None]:
    """The stream's lines, read on a thread so that the test can wait with a timeout."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def wait_for_url(lines: queue.Queue[str | None], seen: list[str]) -> re.Match[str]:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if match := URL.search(line):
            return match
    pytest.fail("linkwise demo printed no URL:\n" + "".join(seen))


def render(browser: str, url: str, profile: Path, *, budget_ms: int) -> str:
    """The page's DOM after its scripts ran (the page is rendered client-side)."""
    done = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--virtual-time-budget={budget_ms}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done.stdout


def test_demo_shows_the_seeded_group_in_headless_chromium(tmp_path):
    browser = chromium()
    port = free_port()
    demo = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "demo", "--no-browser", "--port", str(port)],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    stdout, stderr = lines_of(demo.stdout), lines_of(demo.stderr)
    printed: list[str] = []
    try:
        match = wait_for_url(stdout, printed)
        url = match.group(1)
        assert int(match.group(2)) == port  # served where asked, on loopback only

        missing = list(EXPECTED)
        for attempt in range(3):  # a slow machine may need longer to render
            dom = render(browser, url, tmp_path / f"profile-{attempt}", budget_ms=5000 * (attempt + 1))
            missing = [what for what, pattern in EXPECTED.items() if not pattern.search(dom)]
            if not missing:
                break
        assert not missing, f"the page does not show {', '.join(missing)}"
    finally:
        if demo.poll() is None:
            demo.send_signal(signal.SIGINT)  # Ctrl+C
        try:
            code = demo.wait(timeout=10)
        except subprocess.TimeoutExpired:
            demo.kill()
            demo.wait()
            raise
    errors = []
    while (line := stderr.get(timeout=5)) is not None:
        errors.append(line)
    while (line := stdout.get(timeout=5)) is not None:
        printed.append(line)
    assert code == 0, "".join(errors)
    assert "Traceback" not in "".join(errors), "".join(errors)
    assert printed[-1].strip() == "Linkwise demo stopped."
