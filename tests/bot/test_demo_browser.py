"""`linkwise demo` as a newcomer tries it: start it, open the printed link in headless Chromium,
open #general, a thread and #daily-tips from the Linkwise page as a person would (a click, the
Back button), read what each shows, then stop the demo with Ctrl+C.

Chromium is driven over its DevTools protocol with aiohttp's websocket client (aiohttp comes
with the demo extra). What the test reads is ``document.body.innerText``: the text a person
sees, laid out, without what is hidden. With ``LINKWISE_DEMO_SCREENSHOTS=<folder>`` set, it
also saves the screenshots the README shows (docs/demo.png, docs/demo-thread.png,
docs/demo-home.png)."""

from __future__ import annotations

import asyncio
import base64
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

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"Linkwise demo running at (http://127\.0\.0\.1:(\d+)/join/\S+) — press Ctrl\+C to stop")
STARTUP_TIMEOUT = 90.0  # the seed is a day of the group's life, recorded through the bot
RENDER_TIMEOUT = 30.0  # for a page's scripts to draw what it shows, on a busy machine
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,800",
    "--remote-debugging-port=0",
]


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



# What SimCord's page reports as a problem. A "stale-revision" warning is not one: the demo
# republishes the preview when the simulated clock moves (after an action, or once a minute), and
# a page that was drawn from the revision before says so once, then reads the current one.
PROBLEMS = """
(() => {
  const page = window.simcordPreview;
  if (page === undefined) return "";
  const real = page.diagnostics.filter(d => !(d.code === "stale-revision" && d.severity === "warning"));
  return real.length ? JSON.stringify(real) : "";
})()
"""

class Chromium:
    """Headless Chromium with a fresh profile, and its one tab driven over DevTools."""

    def __init__(self, executable: str, profile: Path) -> None:
        self.executable, self.profile = executable, profile
        self.calls = 0

    async def __aenter__(self) -> Chromium:
        self.process = await asyncio.create_subprocess_exec(
            self.executable,
            *FLAGS,
            f"--user-data-dir={self.profile}",
            "about:blank",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        active = self.profile / "DevToolsActivePort"  # Chromium writes its port there
        deadline = time.monotonic() + RENDER_TIMEOUT
        while not (active.exists() and len(active.read_text().splitlines()) == 2):
            if time.monotonic() > deadline or self.process.returncode is not None:
                raise RuntimeError("Chromium did not open its DevTools port")
            await asyncio.sleep(0.1)
        port = active.read_text().splitlines()[0]
        self.http = aiohttp.ClientSession()
        async with self.http.get(f"http://127.0.0.1:{port}/json/list") as listed:
            tab = next(target for target in await listed.json() if target["type"] == "page")
        self.socket = await self.http.ws_connect(tab["webSocketDebuggerUrl"], max_msg_size=0)
        # The page's size, as a laptop's browser window shows it (and the screenshots).
        await self.call("Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1, mobile=False)
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.socket.close()
        await self.http.close()
        self.process.terminate()
        await asyncio.wait_for(self.process.wait(), RENDER_TIMEOUT)

    async def call(self, method: str, **params):
        self.calls += 1
        ident = self.calls
        await self.socket.send_json({"id": ident, "method": method, "params": params})
        while True:
            answer = await asyncio.wait_for(self.socket.receive_json(), RENDER_TIMEOUT)
            if answer.get("id") == ident:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer["result"]

    async def js(self, expression: str):
        done = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return done["result"].get("value")

    async def text(self) -> str:
        return await self.js("document.body ? document.body.innerText : ''") or ""

    async def shows(self, *expected: str, title: str | None = None) -> str:
        """Wait until the page's visible text holds every string of ``expected``; return it."""
        deadline = time.monotonic() + RENDER_TIMEOUT
        while True:
            text = await self.text()
            missing = [item for item in expected if item not in text]
            if title is not None and await self.js("document.title") != title:
                missing.append(f"the title {title!r}")
            # SimCord's page says when it has drawn everything, its images included.
            if not await self.js("window.simcordPreview === undefined || window.simcordPreview.ready"):
                missing.append("the conversation, drawn")
            elif problems := await self.js(PROBLEMS):
                pytest.fail(f"the page reports problems (its Inspector counts them): {problems}")
            if not missing:
                return text
            if time.monotonic() > deadline:
                pytest.fail(f"the page does not show {missing}; it shows:\n{text}")
            await asyncio.sleep(0.25)

    async def click(self, selector: str, containing: str) -> None:
        """Click the element matching ``selector`` whose text contains ``containing``."""
        clicked = await self.js(
            f"(() => {{ const found = [...document.querySelectorAll({selector!r})]"
            f".find((item) => item.innerText.includes({containing!r}));"
            " if (!found) return false; found.click(); return true; })()"
        )
        assert clicked, f"nothing to click: {selector} with {containing!r}"

    async def back(self) -> None:
        await self.js("history.back()")

    async def screenshot(self, path: Path) -> None:
        shot = await self.call("Page.captureScreenshot", format="png")
        await asyncio.to_thread(path.write_bytes, base64.b64decode(shot["data"]))


async def try_the_demo(browser: Chromium, url: str, shots: Path | None) -> None:
    await browser.call("Page.navigate", url=url)
    home = await browser.shows(
        "Career Circle", "general", "daily-tips", "Thread in #general", title="Career Circle · Linkwise demo"
    )
    assert "Already done" in home and "Linkwise posted the daily tip" in home
    if shots:
        await browser.screenshot(shots / "demo-home.png")

    # #general: the welcome, Linkwise's prompt and tip, with their buttons.
    await browser.click("button.channel", "Where the group meets")
    general = await browser.shows(
        "Welcome to Career Circle!", "Discussion prompt", "Linkwise tip", "I tried this", "Share your practice"
    )
    assert "Linkwise" in general and "TestBot" not in general

    await browser.js("document.getElementById('channel-timeline').scrollTop = 1e9")
    if shots:
        await browser.screenshot(shots / "demo.png")

    # The thread on the prompt: Sam's shared practice, attributed with his avatar.
    await browser.back()
    await browser.shows("Thread in #general")
    await browser.click("button.channel", "Thread in #general")
    thread = await browser.shows("I sent connection requests to three people", "Sam", "Shared practice")
    assert "unavailable" not in thread.lower()
    if shots:
        await browser.screenshot(shots / "demo-thread.png")

    # #daily-tips, as Morgan: the daily tips Linkwise posted at 09:00, and the schedule behind them.
    await browser.back()
    await browser.shows("daily-tips")
    await browser.click("button.channel", "posts a LinkedIn tip here")
    tips = await browser.shows("Linkwise posts a LinkedIn tip here every morning.", "Linkwise tip", "Schedule #1")
    assert "in #daily-tips" in tips and "<#" not in tips  # the channel mention reads as its name
    assert re.search(r"9:00\s*AM", tips)


def test_a_newcomer_opens_general_a_thread_and_daily_tips_in_headless_chromium(tmp_path):
    browser = chromium()
    shots = Path(os.environ["LINKWISE_DEMO_SCREENSHOTS"]) if os.environ.get("LINKWISE_DEMO_SCREENSHOTS") else None
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
        assert int(match.group(2)) == port  # served where asked, on loopback only

        async def run() -> None:
            async with Chromium(browser, tmp_path / "profile") as chromium_tab:
                await try_the_demo(chromium_tab, match.group(1), shots)

        asyncio.run(run())
    finally:
        if demo.poll() is None:
            demo.send_signal(signal.SIGINT)  # Ctrl+C
        try:
            code = demo.wait(timeout=20)
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
