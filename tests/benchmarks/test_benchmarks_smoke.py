"""The benchmark runs end to end at a tiny size and writes every figure (no timing asserted)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = {
    "tip_cpu_ratio",
    "checklist_cpu_ratio",
    "store_write_ratio",
    "store_sustained_p99_ms",
    "store_lost_updates",
    "scheduler_claim_ratio",
    "rss_ratio",
    "startup_ratio",
    "restart_large_ratio",
}
PG_KEYS = {"pg_write_ratio", "store_lost_updates_pg"}


def _run(tmp_path: Path, *extra: str) -> tuple[dict[str, float], str]:
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(out.read_text(encoding="utf-8")), done.stdout


def _every_figure_is_there(figures: dict[str, float], keys: set[str]) -> None:
    assert keys <= figures.keys(), keys - figures.keys()
    assert figures["store_lost_updates"] == 0
    for key in keys - {"store_lost_updates", "store_lost_updates_pg"}:
        assert math.isfinite(figures[key]) and figures[key] > 0, (key, figures[key])


def test_benchmark_runs_at_a_tiny_size_and_writes_every_figure(tmp_path):
    figures, printed = _run(tmp_path)
    _every_figure_is_there(figures, KEYS)
    assert not PG_KEYS & figures.keys()  # no PostgreSQL figure without --postgres
    for key in KEYS:
        assert key in printed  # the printed table


@pytest.mark.postgres
def test_benchmark_adds_the_postgresql_figures_with_a_server(tmp_path, pg_url):
    figures, printed = _run(tmp_path, "--postgres", pg_url, "--only", "store burst", "--only", "postgres")
    _every_figure_is_there(figures, {"store_write_ratio", "store_lost_updates", *PG_KEYS})
    assert figures["store_lost_updates_pg"] == 0
    assert "pg_write_ratio" in printed
