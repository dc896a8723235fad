"""Row 8: fifty clients syncing at once from a hub on PostgreSQL while the feed imports results.

Every client starts at the head of the change feed (as a client that has done its first sync),
then asks for its team's changes again and again with a short pause; meanwhile the feed
imports small batches of new results for participants of every team. At the end every client
catches up and must have seen every result imported for its team. The latency of every
``GET /v1/changes`` page is recorded.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import func, make_url, select

from counsellor_app.demo.synthetic import DEFAULT_TEAMS
from counsellor_app.hub.database import Database
from counsellor_app.hub.seed import DEMO_PASSWORD, seed
from counsellor_app.hub.settings import HubSettings
from counsellor_app.hub.tables import CaseRow, ChangeRow, ParticipantRow
from tests.benchmarks.harness import HubProcess, Row, log, median, p95, start_hub, timed
from tests.benchmarks.world import FEED_USER, fast_hasher

PG_ENV = "COUNSELLOR_TEST_PG_URL"


@dataclass
class Client:
    number: int
    team: str
    user: str
    cursor: int
    http: httpx.AsyncClient
    seen: set[str] = field(default_factory=set)
    latencies: list[float] = field(default_factory=list)


def _admin(url: str) -> str:
    return make_url(url).set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)


def _settle(url: str) -> None:
    """Statistics gathered and dirty pages written after the bulk seed, before the timing:
    a hub that has been running, not one still digesting 85,000 participants loaded a moment
    ago (PostgreSQL's autovacuum and checkpoint would otherwise run during the test)."""
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with timed() as t, psycopg.connect(plain, autocommit=True) as c:
        c.execute("VACUUM ANALYZE")
        try:
            c.execute("CHECKPOINT")
        except psycopg.Error:
            pass  # not allowed for this role: the statistics are what matter most
    log(f"vacuumed, analysed and checkpointed the seeded database in {t.wall:.1f} s")


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def hub_load_row(size: int, clients: int, seconds: float, pause: float, today: dt.date,
                 log_file: Path | None = None) -> Row:
    base = os.environ.get(PG_ENV)
    name = f"Hub: {clients} clients syncing at once on PostgreSQL while the feed imports"
    if not base:
        log(f"{PG_ENV} is not set: the hub row is skipped (scripts/bench starts a server)")
        return Row(name, float("nan"), "every change seen; p95 page < 200 ms", None,
                   note="skipped: no PostgreSQL")
    database = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_admin(base), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    url = _with_database(base, database)
    hub: HubProcess | None = None
    try:
        db = Database(url)
        db.migrate()
        with timed() as t:
            seed(db, HubSettings(password_hasher=fast_hasher()), size, seed=2,
                 teams=DEFAULT_TEAMS, reference_date=today)
        log(f"seeded PostgreSQL with {size} participants in {len(DEFAULT_TEAMS)} teams in "
            f"{t.wall:.1f} s")
        _settle(url)
        with db.reading() as s:
            head = int(s.scalar(select(func.max(ChangeRow.seq))) or 0)
            targets = list(s.execute(select(CaseRow.participant_id, CaseRow.case_id,
                                            ParticipantRow.team)
                                     .join(ParticipantRow, ParticipantRow.participant_id
                                           == CaseRow.participant_id)))
        db.dispose()
        hub = start_hub(url, log_file=log_file)
        hub_cpu = hub.cpu_seconds()
        row = asyncio.run(_run(hub.url, head, targets, clients, seconds, pause, today))
        hub_cpu = hub.cpu_seconds() - hub_cpu
        row.measurement = name + f" ({size:,} participants)"
        pages = int(row.extra.get("pages", "0") or 0)
        row.note += f"; hub CPU {hub_cpu:.1f} s for {pages} pages and the imports"
        if pages:
            row.note += f" ({hub_cpu * 1000 / pages:.1f} ms a page)"
        served = _served_ms(log_file)
        if served:
            row.note += (f"; as the hub's request log times them: median "
                         f"{median(served):.0f} ms, p95 {p95(served):.0f} ms")
        return row
    finally:
        if hub is not None:
            hub.stop()
        with psycopg.connect(_admin(base), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _served_ms(log_file: Path | None) -> list[float]:
    """How long the hub says each GET /v1/changes took (its request log's ``ms=``)."""
    if log_file is None or not log_file.exists():
        return []
    found = []
    for line in log_file.read_text(encoding="utf-8", errors="replace").splitlines():
        if "GET /v1/changes" in line and " ms=" in line:
            try:
                found.append(float(line.split(" ms=", 1)[1].split()[0]))
            except ValueError:
                continue
    return found


async def _login(http: httpx.AsyncClient, user: str, device: str) -> None:
    answer = await http.post("/v1/login", json={"user": user, "password": DEMO_PASSWORD,
                                                "device_id": device})
    answer.raise_for_status()
    http.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"


async def _pull(client: Client) -> None:
    """Pages until the client is at the head of its team's feed."""
    more = True
    while more:
        start = asyncio.get_running_loop().time()
        answer = await client.http.get("/v1/changes", params={"since": client.cursor,
                                                              "limit": 2000})
        client.latencies.append(asyncio.get_running_loop().time() - start)
        answer.raise_for_status()
        page = answer.json()
        for change in page["changes"]:
            if change["kind"] == "result":
                client.seen.add(change["data"]["result_id"])
        client.cursor = page["next_cursor"]
        more = page["more"]


async def _run(url: str, head: int, targets: list[tuple[str, str, str]], count: int,
               seconds: float, pause: float, today: dt.date) -> Row:
    teams = sorted({team for _p, _c, team in targets})
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = []
    for n in range(count):
        team = teams[n % len(teams)]
        short = team.removeprefix("team-")
        user = f"counsellor-{short}" if n % 2 == 0 else f"clinician-{short}"
        http = httpx.AsyncClient(base_url=url, timeout=60.0, limits=limits)
        await _login(http, user, f"bench-client-{n}")
        clients.append(Client(n, team, user, head, http))
    feed = httpx.AsyncClient(base_url=url, timeout=60.0)
    await _login(feed, FEED_USER, "bench-feed")
    imported: dict[str, set[str]] = defaultdict(set)
    import_times: list[float] = []
    stop = asyncio.Event()
    rng = random.Random(3)

    async def feed_loop() -> None:
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        while loop.time() < end:
            batch = rng.sample(targets, 5)
            results = []
            for participant_id, case_id, team in batch:
                result_id = f"R-LOAD-{uuid.uuid4().hex[:12]}"
                imported[team].add(result_id)
                results.append({"result_id": result_id, "case_id": case_id,
                                "participant_id": participant_id, "kind": "reanalysis",
                                "outcome": "no_causative_variant", "report_version": 1,
                                "issued_on": today.isoformat(), "summary": "Load test."})
            start = loop.time()
            answer = await feed.post("/v1/feed/import", json={
                "format": "counsellor-hub-import", "version": 1, "source": "benchmark",
                "results": results})
            import_times.append(loop.time() - start)
            assert answer.status_code == 200, answer.text
            await asyncio.sleep(0.2)
        stop.set()

    async def client_loop(client: Client) -> None:
        await asyncio.sleep(rng.random() * pause)
        while not stop.is_set():
            await _pull(client)
            await asyncio.sleep(pause)
        await _pull(client)  # the last catch-up after the feed has stopped

    await asyncio.gather(feed_loop(), *(client_loop(c) for c in clients))
    missing = sum(len(imported[c.team] - c.seen) for c in clients)
    latencies = [v for c in clients for v in c.latencies]
    for c in clients:
        await c.http.aclose()
    await feed.aclose()
    total = sum(len(v) for v in imported.values())
    mid, high = median(latencies), p95(latencies)
    log(f"hub load: {len(latencies)} pages, median {mid * 1000:.1f} ms, p95 "
        f"{high * 1000:.1f} ms; {total} results imported, {missing} missed by some client")
    return Row("", high, "every change seen; p95 page < 200 ms",
               missing == 0 and high < 0.2,
               note=f"p95 of {len(latencies)} pages, median {mid * 1000:.1f} ms; {total} "
               f"results imported in {len(import_times)} batches (median "
               f"{median(import_times) * 1000:.0f} ms each); "
               f"{'every client saw every change' if missing == 0 else f'{missing} MISSED'}",
               extra={"pages": str(len(latencies))})
