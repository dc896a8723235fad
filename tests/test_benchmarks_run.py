"""The benchmark command (scripts/bench) still runs end to end at a small size and prints
every row of DESIGN §7's table; the numbers are not judged here (tests/benchmarks/ does that
on demand, at full size)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROWS = (
    "first sync of 500 participants",
    "one new result, hub to inbox",
    "case-list search, one keystroke (store",
    "case-list search, one keystroke (UI model",
    "open a case record (20 results, 30 consent events): store",
    "open a case record (20 results, 30 consent events): main window",
    "one letter PDF",
    "10 letters in a batch",
    "cold start to a usable main window, 500 cached",
    "cold start, of which: Sign in to the first caseload page painted",
    "experiment: first page with Qt and sqlcipher3 alone",
    "client resident memory, 500 cached",
    "Hub: 5 clients syncing at once on PostgreSQL",
)


@pytest.mark.slow
def test_the_benchmark_command_prints_every_row_at_a_small_size(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if not env.get("COUNSELLOR_TEST_PG_URL"):
        env["COUNSELLOR_BENCH_NO_PG"] = "1"  # the hub row is then printed as skipped
    markdown = tmp_path / "table.md"
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "bench"), "--size", "500", "--hub-size", "200",
         "--clients", "5", "--hub-seconds", "1", "--pause", "0.2", "--letters", "10",
         "--repeat", "3", "--starts", "1", "--markdown", str(markdown),
         "--work", str(tmp_path / "work")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Counsellor Desk benchmarks")
    assert f"{os.cpu_count()} cores" in lines[0] and "load average" in lines[0]
    header = next(line for line in lines if line.startswith("measurement"))
    for word in ("floor", "measured", "ratio", "CPU", "target", "verdict"):
        assert word in header
    for name in ROWS:
        row = next((line for line in lines if line.startswith(name)), None)
        assert row is not None, f"no row for {name!r} in:\n{done.stdout}"
        assert any(v in row for v in ("met", "MISSED", "not judged")), row
    table = markdown.read_text(encoding="utf-8")
    assert table.count("\n| ") >= len(ROWS) + 1
