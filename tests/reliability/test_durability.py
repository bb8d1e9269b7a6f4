"""kill -9 durability (issue 10, case 16): a process ticks items on the real store and prints
each write once ``Store.write`` returned; killed with SIGKILL at random moments, the database
is sound and holds every write it acknowledged, whole. On each engine: a SQLite file, and a
PostgreSQL database whose client process is killed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.db import engine_of, rows, scalar

TICKER = Path(__file__).with_name("_ticker.py")
ROUNDS = 4

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def run_and_kill(db: str, first: int, after: float) -> list[int]:
    """Start the ticker, let it write for ``after`` seconds once ready, SIGKILL it; return
    the ids it acknowledged (complete lines only: a line cut by the kill does not count)."""
    process = subprocess.Popen(
        [sys.executable, str(TICKER), db, str(first)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in process.stdout:
            if line == "ready\n":
                ready.set()
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(timeout=20), process.stderr.read() if process.poll() is not None else "no ready line"
        time.sleep(after)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        reader.join(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    return [int(line) for line in lines if line.endswith("\n") and line.strip().isdigit()]


def test_every_acknowledged_write_survives_sigkill_whole(database_url):
    db = database_url
    chance = random.Random()
    acknowledged: list[int] = []
    delays = []
    for round_ in range(ROUNDS):
        delays.append(round(chance.uniform(0.05, 0.5), 3))
        ids = run_and_kill(db, round_ * 10_000_000, delays[-1])
        assert ids, f"round {round_} acknowledged nothing (delays {delays})"
        acknowledged.extend(ids)

    if engine_of(db) == "sqlite":
        assert scalar(db, "PRAGMA integrity_check") == "ok"
    tried = {int(r[0][5:]) for r in rows(db, "SELECT tip_id FROM tip_tried")}
    seen = {int(r[0][5:]) for r in rows(db, "SELECT tip_id FROM tip_seen WHERE selection = 'durability'")}
    users = {r[0] for r in rows(db, "SELECT user_id FROM members")}
    missing = set(acknowledged) - tried
    assert not missing, f"{len(missing)} acknowledged writes were lost (delays {delays})"
    assert tried == seen, "a write landed in part"
    assert {1000 + n % 50 for n in tried} <= users
    assert len(acknowledged) == len(set(acknowledged))
