"""The benchmark runs end to end at a tiny size and writes every figure (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEYS = {
    "tip_cpu_ratio",
    "checklist_cpu_ratio",
    "store_write_ratio",
    "store_burst_p99_ms",
    "store_lost_updates",
    "scheduler_due_ratio",
    "rss_ratio",
    "startup_ratio",
}


def test_benchmark_runs_at_a_tiny_size_and_writes_every_figure(tmp_path):
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert KEYS <= figures.keys()
    assert figures["store_lost_updates"] == 0
    assert all(figures[key] > 0 for key in KEYS - {"store_lost_updates"})
    assert "tip_cpu_ratio" in done.stdout  # the printed table
