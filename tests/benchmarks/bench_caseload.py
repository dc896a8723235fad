"""Case list and inbox queries on a large cache: median and p95 per query type (run on demand).

    .venv/bin/python tests/benchmarks/bench_caseload.py --participants 85000

The synthetic cache is built once per size under ``--work`` (default /tmp/counsellor-bench-
caseload, about 90 s at 85,000) and reused; at 85,000 an already built cache of the store tests
(pytest's cache folder) is copied instead when there is one. The key is wrapped with the
passphrase in COUNSELLOR_PASSPHRASE (a fixed default otherwise); the machine's credential store
is never used. Times are per query as the UI runs it (one read transaction), CPU beside wall.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
from keyring.backends import fail
from sqlalchemy import func, select

from counsellor_app.demo import synthetic
from counsellor_app.domain.participant import Programme
from counsellor_app.domain.result import ResultOutcome
from counsellor_app.store import caseload, inbox
from counsellor_app.store.bulk import load_dataset
from counsellor_app.store.caseload import CaseSort, count_caseload, search_caseload
from counsellor_app.store.engine import Cache, open_cache
from counsellor_app.store.keys import PASSPHRASE_ENV, KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.store.tables import CaseEntityRow, ParticipantRow

TODAY = dt.date(2026, 11, 27)
DEFAULT_PASSPHRASE = "bench-caseload-passphrase"
STORE_TEST_PASSPHRASE = "store-85k-test-passphrase"  # tests/store/big_cache.py
REPO = Path(__file__).resolve().parents[2]


def _open(root: Path, passphrase: str, *, create: bool) -> Cache:
    profile = Profile.at(root)
    return open_cache(
        profile, KeyProvider(profile, environ={PASSPHRASE_ENV: passphrase}), create=create
    )


def _store_test_cache() -> Path | None:
    found = sorted((REPO / ".pytest_cache" / "d" / "store-85k").glob("store-85k-*/complete.json"))
    return found[-1].parent if found else None


def cache_for(size: int, work: Path) -> Cache:
    """The benchmark cache of this size (built or copied once, then reused)."""
    root = work / f"caseload-{size}"
    passphrase = os.environ.get(PASSPHRASE_ENV, DEFAULT_PASSPHRASE)
    marker = root / "complete.txt"
    if marker.exists():
        return _open(root, marker.read_text().strip() or passphrase, create=False)
    shutil.rmtree(root, ignore_errors=True)
    copied = _store_test_cache() if size == 85_000 else None
    if copied is not None:
        print(f"copying the store tests' 85,000 cache from {copied}", flush=True)
        shutil.copytree(copied, root, ignore=shutil.ignore_patterns("backups", "complete.json"))
        cache = _open(root, STORE_TEST_PASSPHRASE, create=False)
        marker.write_text(STORE_TEST_PASSPHRASE)
        return cache
    print(f"building a cache of {size:,} synthetic participants in {root}", flush=True)
    started = time.perf_counter()
    dataset = synthetic.generate(size, seed=2026, reference_date=TODAY)
    cache = _open(root, passphrase, create=True)
    load_dataset(cache, dataset, today=TODAY)
    marker.write_text("")
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    return cache


class Bench:
    """Runs each query type several times and prints median and p95 (wall and CPU)."""

    def __init__(self, cache: Cache, repeat: int) -> None:
        self.cache = cache
        self.repeat = repeat
        self.rows: list[tuple[str, float, float, float, float, int]] = []

    def run(self, name: str, queries: list[Callable[[Any], object]]) -> None:
        for query in queries[:3]:  # warm the page cache, as a window open for a while
            with self.cache.read() as session:
                query(session)
        walls: list[float] = []
        cpus: list[float] = []
        for _ in range(self.repeat):
            for query in queries:
                wall, cpu = time.perf_counter(), time.process_time()
                with self.cache.read() as session:
                    query(session)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
        row = (name, _median(walls), _p95(walls), _median(cpus), _p95(cpus), len(walls))
        self.rows.append(row)
        print(_format(row), flush=True)


def _median(values: list[float]) -> float:
    return statistics.median(values) * 1000


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def _format(row: tuple[str, float, float, float, float, int]) -> str:
    name, wall, wall95, cpu, cpu95, n = row
    return f"{name:<52} {wall:8.1f} {wall95:8.1f} {cpu:8.1f} {cpu95:8.1f} {n:6d}"


def _keystrokes(cache: Cache, people: int = 12) -> list[str]:
    """What a counsellor types, one string per keystroke: family names, "given family",
    NHS numbers with and without spaces (as tests/benchmarks/client_rows.py)."""
    P = ParticipantRow
    with cache.read() as session:
        total = session.execute(select(func.count()).select_from(P)).scalar_one()
        picks = sorted(random.Random(7).sample(range(1, total + 1), min(people, total)))
        found = session.execute(
            select(P.given_name, P.family_name, P.nhs_number).where(P.pk.in_(picks))
        )
        typed: list[str] = []
        for n, (given, family, nhs) in enumerate(found):
            whole = (family, f"{given} {family}", f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}", nhs)[n % 4]
            typed += [whole[:i] for i in range(1, len(whole) + 1) if not whole[:i].endswith(" ")]
    return typed


def _keystroke(text: str, *, capped: bool) -> Callable[[Any], object]:
    count_capped = getattr(caseload, "count_caseload_capped", None)

    def query(session: Any) -> object:
        if capped and count_capped is not None:
            count_capped(session, text=text, today=TODAY)
        else:
            count_caseload(session, text=text, today=TODAY)
        return search_caseload(session, text=text, today=TODAY, limit=200)

    return query


def _page(
    *, sort: CaseSort = CaseSort.NAME, descending: bool = False, **filters: Any
) -> Callable[[Any], object]:
    def query(session: Any) -> object:
        count_caseload(session, today=TODAY, **filters)
        return search_caseload(
            session, today=TODAY, sort=sort, descending=descending, limit=200, **filters
        )

    return query


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=85_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query type")
    parser.add_argument("--work", type=Path, default=Path("/tmp/counsellor-bench-caseload"))
    args = parser.parse_args(argv)
    keyring.set_keyring(fail.Keyring())  # never the machine's credential store
    args.work.mkdir(parents=True, exist_ok=True)
    cache = cache_for(args.participants, args.work)
    try:
        _measure(cache, args.participants, args.repeat)
    finally:
        cache.close()
    return 0


def _measure(cache: Cache, size: int, repeat: int) -> None:
    typed = _keystrokes(cache)
    with cache.read() as session:
        case_ids = list(session.execute(select(CaseEntityRow.case_id).limit(2_000)))[::200]
    bench = Bench(cache, repeat)
    print(f"{size:,} participants, {os.cpu_count()} cores; times in ms (median, p95)")
    print(
        f"{'query (count + first page of 200 unless said)':<52} {'wall':>8} {'wall p95':>8} "
        f"{'cpu':>8} {'cpu p95':>8} {'runs':>6}"
    )
    bench.run(
        f"keystroke, exact count ({len(typed)} strings)",
        [_keystroke(t, capped=False) for t in typed],
    )
    bench.run("keystroke, capped count", [_keystroke(t, capped=True) for t in typed])
    bench.run(
        "broad 1-3 letters: a, jo, smi, z, ll",
        [_keystroke(t, capped=False) for t in ("a", "jo", "smi", "z", "ll")],
    )
    bench.run(
        "broad digits: 999, 9991, 99", [_keystroke(t, capped=False) for t in ("999", "9991", "99")]
    )
    bench.run("case id (whole)", [_keystroke(c, capped=False) for (c,) in case_ids])
    bench.run("no filter, by name", [_page()])
    bench.run("programme = cancer, by name", [_page(programme=Programme.CANCER)])
    bench.run(
        "programme = cancer, by date of birth desc",
        [_page(programme=Programme.CANCER, sort=CaseSort.DATE_OF_BIRTH, descending=True)],
    )
    bench.run(
        "outcome = uncertain, by latest result",
        [_page(outcome=ResultOutcome.UNCERTAIN, sort=CaseSort.LATEST_RESULT_DATE)],
    )
    bench.run("open request, by next due", [_page(has_open_request=True, sort=CaseSort.NEXT_DUE)])
    bench.run("needs re-consent, by name", [_page(needs_reconsent=True)])
    bench.run(
        "cancer + open request + 'jo', by name",
        [_page(programme=Programme.CANCER, has_open_request=True, text="jo")],
    )
    bench.run(
        "scrolled: page at offset 10,000 by name (page only)",
        [lambda s: search_caseload(s, today=TODAY, offset=10_000, limit=200)],
    )
    bench.run("inbox: counts", [lambda s: inbox.inbox_counts(s, today=TODAY)])
    bench.run("inbox: new results (500)", [lambda s: inbox.new_results(s)])
    bench.run("inbox: open requests (500)", [lambda s: inbox.open_requests(s)])
    bench.run("inbox: re-consent needed (500)", [lambda s: inbox.reconsent_needed(s, today=TODAY)])
    bench.run("inbox: consent conflicts (500)", [lambda s: inbox.consent_conflicts(s)])


if __name__ == "__main__":
    sys.exit(main())
