"""Runs every benchmark of DESIGN §7 and prints one table: measurement, floor, measured, ratio,
CPU time, target, verdict (``scripts/bench``; ``--help`` for the sizes).

Full sizes are the defaults. Wall-clock figures on a shared machine stretch with its load, so
each row's floor is measured in the same run and CPU time is shown beside wall time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import keyring

from tests.benchmarks.harness import MemoryKeyring, Row, log, table

STEPS = ("sync", "search", "case", "letters", "ui", "hub")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=85_000,
                        help="participants in the client's team (default 85,000)")
    parser.add_argument("--hub-size", type=int, default=None,
                        help="participants on the PostgreSQL hub of the load test "
                        "(default: --size)")
    parser.add_argument("--clients", type=int, default=50, help="clients of the hub load test")
    parser.add_argument("--hub-seconds", type=float, default=30.0,
                        help="how long the feed imports during the hub load test")
    parser.add_argument("--pause", type=float, default=1.0,
                        help="seconds each client of the load test waits between syncs")
    parser.add_argument("--letters", type=int, default=1000, help="letters in the batch")
    parser.add_argument("--repeat", type=int, default=15,
                        help="repetitions of the short measurements (medians)")
    parser.add_argument("--starts", type=int, default=3,
                        help="cold starts of the app (and of the floor window)")
    parser.add_argument("--only", nargs="+", choices=STEPS, default=list(STEPS),
                        help="run only these groups (search, case and ui need sync)")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for the seeded hub (kept and reused) and the caches; "
                        "default: a temporary folder, removed at the end")
    parser.add_argument("--client-profile", type=Path, default=None,
                        help="a filled client profile to use for the search, case and ui rows "
                        "instead of syncing one (its key from the credential store or "
                        "COUNSELLOR_PASSPHRASE); the case row adds one participant to it")
    parser.add_argument("--markdown", type=Path, default=None,
                        help="also write the table, with date and machine, to this file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    temporary = args.work is None
    work = Path(tempfile.mkdtemp(prefix="counsellor-bench-")) if temporary else args.work
    work.mkdir(parents=True, exist_ok=True)
    # the benchmark caches' keys (synthetic data only), kept in --work so a later run with
    # --client-profile can open a cache this one filled
    kept = work / "bench-keyring.json"
    memory = MemoryKeyring.load(kept) if kept.exists() else MemoryKeyring()
    memory.keep_in = None if temporary else kept
    keyring.set_keyring(memory)
    started = time.perf_counter()
    load_before = os.getloadavg()
    try:
        rows = _measure(args, work)
    finally:
        if temporary:
            shutil.rmtree(work, ignore_errors=True)
    header = _header(args, load_before, time.perf_counter() - started)
    print(header)
    print(table(rows, markdown=False))
    if args.markdown is not None:
        args.markdown.write_text(header + "\n\n" + table(rows, markdown=True) + "\n",
                                 encoding="utf-8")
    return 0


def _measure(args: argparse.Namespace, work: Path) -> list[Row]:
    from tests.benchmarks.world import World

    world = World(work, args.size, dt.date.today())
    rows: list[Row] = []
    steps = set(args.only)
    client = floor_profile = None
    if args.client_profile is not None:
        from tests.benchmarks.sync_rows import Synced
        from tests.benchmarks.world import open_existing

        log(f"using the filled profile {args.client_profile} for the client rows")
        client = Synced(*open_existing(args.client_profile), None)
        floor_profile = client.profile
    elif steps & {"sync", "search", "case", "ui"}:
        from tests.benchmarks.sync_rows import run_sync_rows

        log(f"rows 1-2: first sync and one new result ({args.size} participants)")
        sync_rows, client, floor_profile = run_sync_rows(world, rounds=args.repeat)
        rows += sync_rows if "sync" in steps else []
    if "search" in steps and client is not None:
        from tests.benchmarks.client_rows import search_rows

        log("row 3: case-list search")
        rows += search_rows(client.cache, world.day, args.size)
    if "case" in steps and floor_profile is not None:
        from tests.benchmarks.client_rows import case_open_rows

        log("row 4: opening a large case record")
        if client is not None and floor_profile == client.profile:
            rows += case_open_rows(client.cache, floor_profile, world.day, args.repeat)
        else:
            from tests.benchmarks.world import new_cache

            floor_cache, _keys = new_cache(floor_profile)
            try:
                rows += case_open_rows(floor_cache, floor_profile, world.day, args.repeat)
            finally:
                floor_cache.close()
    if "letters" in steps:
        from tests.benchmarks.letter_rows import letter_rows

        log(f"row 5: letters (batch of {args.letters})")
        rows += letter_rows(args.letters, args.repeat)
    if client is not None:
        client.cache.close()
    if "ui" in steps and client is not None:
        from tests.benchmarks.ui_rows import ui_rows

        log(f"rows 6-7: cold start and memory ({args.starts} starts)")
        rows += ui_rows(client.profile, args.size, args.starts)
    if "hub" in steps:
        from tests.benchmarks.hub_rows import hub_load_row

        size = args.hub_size or args.size
        log(f"row 8: hub load ({args.clients} clients, {size} participants on PostgreSQL)")
        rows.append(hub_load_row(size, args.clients, args.hub_seconds, args.pause, world.day,
                                    log_file=work / "hub-pg.log"))
    return rows


def _header(args: argparse.Namespace, load_before: tuple[float, float, float],
            seconds: float) -> str:
    load_after = os.getloadavg()
    return (
        f"Counsellor Desk benchmarks, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; "
        f"{os.cpu_count()} cores ({platform.machine()}, {platform.system()}, Python "
        f"{platform.python_version()}); load average {load_before[0]:.1f} at the start, "
        f"{load_after[0]:.1f} at the end; {args.size:,} participants; whole run "
        f"{seconds:.0f} s.\nTimes are wall-clock medians unless noted; CPU is this process's "
        f"(all threads), or the child's for the window rows."
    )


if __name__ == "__main__":
    sys.exit(main())
