"""Rows 3 and 4: a keystroke in the case-list search, and opening a large case record, on a
cache holding the whole caseload (store queries, then the UI's own model and view offscreen)."""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import select

from counsellor_app.domain.consent import ConsentScope, Decision
from counsellor_app.domain.result import ResultKind, ResultOutcome
from counsellor_app.store.bulk import insert_records
from counsellor_app.store.case_detail import load_case
from counsellor_app.store.caseload import count_caseload, search_caseload
from counsellor_app.store.engine import Cache
from counsellor_app.store.paths import Profile
from counsellor_app.store.tables import ParticipantRow
from tests.benchmarks.harness import Row, log, median, p95, timed
from tests.letters import factory as f

BIG = "P-BENCH-BIG"
RESULTS, DECISIONS = 20, 30


def keystrokes(cache: Cache, people: int = 12) -> list[str]:
    """What a counsellor types, one string per keystroke: family names, "given family",
    NHS numbers with and without spaces, each typed a character at a time."""
    with cache.read() as s:
        total = s.scalar(select(ParticipantRow.pk).order_by(ParticipantRow.pk.desc()).limit(1))
        rng = random.Random(7)
        picks = sorted(rng.sample(range(1, (total or 1) + 1), min(people, total or 1)))
        found = list(s.execute(select(ParticipantRow.given_name, ParticipantRow.family_name,
                                      ParticipantRow.nhs_number)
                               .where(ParticipantRow.pk.in_(picks))))
    typed: list[str] = []
    for n, (given, family, nhs) in enumerate(found):
        if n % 4 == 0:
            whole = family
        elif n % 4 == 1:
            whole = f"{given} {family}"
        elif n % 4 == 2:
            whole = f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"
        else:
            whole = nhs
        typed += [whole[:i] for i in range(1, len(whole) + 1) if not whole[:i].endswith(" ")]
    return typed


def _keystroke(cache: Cache, text: str, today: dt.date) -> None:
    """What the case list does on a keystroke: the count and the first page, one snapshot."""
    with cache.read() as s:
        count_caseload(s, text=text, today=today)
        search_caseload(s, text=text, today=today, limit=200)


def search_rows(cache: Cache, today: dt.date, size: int) -> list[Row]:
    typed = keystrokes(cache)
    for text in typed[:5]:  # warm the page cache, as a window that has been open a while
        _keystroke(cache, text, today)
    walls, cpus = [], []
    for text in typed:
        with timed() as t:
            _keystroke(cache, text, today)
        walls.append(t.wall)
        cpus.append(t.cpu)
    _log_kinds(typed, cpus)
    rows = [_search_row(f"case-list search, one keystroke (store: count + first page), "
                        f"{size:,} cached", walls, cpus)]
    ui = _ui_search(cache, typed, today)
    if ui is not None:
        rows.append(_search_row(f"case-list search, one keystroke (UI model, offscreen), "
                                f"{size:,} cached", *ui))
    return rows


def keystroke_kind(text: str) -> str:
    """What a keystroke is, without what was typed (logs name no one): "1 letter",
    "2 letters", "3+ letters", "two words", "digits 1-2", "digits 3+"."""
    stripped = text.strip()
    digits = stripped.replace(" ", "").replace("-", "")
    if digits.isdigit():
        return "digits 1-2" if len(digits) < 3 else "digits 3+"
    if " " in stripped:
        return "two words"
    return {1: "1 letter", 2: "2 letters"}.get(len(stripped), "3+ letters")


def _log_kinds(typed: list[str], cpus: list[float]) -> None:
    """CPU time by kind of keystroke (where the p95 comes from)."""
    kinds: dict[str, list[float]] = {}
    for text, cpu in zip(typed, cpus, strict=True):
        kinds.setdefault(keystroke_kind(text), []).append(cpu)
    for kind, times in sorted(kinds.items(), key=lambda item: -max(item[1])):
        log(f"  {kind}: {len(times)} keystrokes, CPU median {median(times) * 1000:.1f} ms, "
            f"largest {max(times) * 1000:.1f} ms")


def _search_row(name: str, walls: list[float], cpus: list[float]) -> Row:
    mid, high = median(walls), p95(walls)
    log(f"{name}: median {mid * 1000:.1f} ms, p95 {high * 1000:.1f} ms over {len(walls)}")
    cpu_mid, cpu_high = median(cpus), p95(cpus)
    return Row(name, mid, "median < 50 ms, p95 < 100 ms", mid < 0.05 and high < 0.1,
               cpu=cpu_mid, note=f"{len(walls)} keystrokes: p95 {high * 1000:.1f} ms "
               f"(CPU p95 {cpu_high * 1000:.1f} ms)",
               cpu_check=lambda _row: cpu_mid < 0.05 and cpu_high < 0.1)


def _ui_search(cache: Cache, typed: list[str], today: dt.date
               ) -> tuple[list[float], list[float]] | None:
    """The same keystrokes through the main window's caseload model (queries in the foreground
    so each is timed to its rows being in the model)."""
    app = _qt_app()
    if app is None:
        return None
    from counsellor_app.ui.models.caseload_model import CacheCaseloadSource, CaseloadModel

    model = CaseloadModel(CacheCaseloadSource(cache.sessions, lambda: today))
    model.set_filters(text="")
    walls, cpus = [], []
    for text in typed:
        with timed() as t:
            model.set_filters(text=text)
            app.processEvents()
        walls.append(t.wall)
        cpus.append(t.cpu)
    return walls, cpus


def _qt_app() -> object | None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from counsellor_app.ui.app import create_application
    except ImportError:  # pragma: no cover - Qt missing
        return None
    return create_application()


def add_big_record(cache: Cache, today: dt.date) -> None:
    """One participant with 20 results (report versions, variants) and 30 consent events
    (kept if an earlier run added them)."""
    with cache.read() as s:
        if s.scalar(select(ParticipantRow.pk).where(ParticipantRow.participant_id == BIG)):
            return
    person = f.participant(participant_id=BIG, nhs_number=f.nhs(777_000), given_name="Bench")
    case = replace(f.case(), participant_id=BIG, case_id="C-BENCH-BIG")
    outcomes = list(ResultOutcome)
    results = []
    for n in range(RESULTS):
        kind = ResultKind.INITIAL_ANALYSIS if n % 5 else ResultKind.REANALYSIS
        results.append(replace(
            f.result(outcomes[n % len(outcomes)], kind), result_id=f"R-BENCH-{n:02d}",
            participant_id=BIG, case_id=case.case_id,
            issued_on=today - dt.timedelta(days=40 * (RESULTS - n))))
    scopes = [ConsentScope.PROGRAMME, ConsentScope.CONTACT_FOR_RESEARCH,
              ConsentScope.PRIMARY_FINDINGS, ConsentScope.ADDITIONAL_FINDINGS,
              ConsentScope.CARRIER_STATUS]
    decisions = []
    for n in range(DECISIONS):
        scope = scopes[n % len(scopes)]
        verdict = Decision.DECLINED if n % 7 == 3 and scope is not ConsentScope.PROGRAMME \
            else Decision.GRANTED
        decisions.append(replace(
            f.decision(scope, verdict, on=today - dt.timedelta(days=60 * (DECISIONS - n))),
            decision_id=f"D-BENCH-{n:02d}", participant_id=BIG))
    with cache.write() as s:
        insert_records(s, participants=[person], cases=[case], results=results,
                       decisions=decisions, today=today)


def case_open_rows(cache: Cache, profile: Profile, today: dt.date, times: int) -> list[Row]:
    add_big_record(cache, today)

    def open_in_store() -> None:
        with cache.read() as s:
            record = load_case(s, BIG)
        record.ledger.scope_states(today)

    record_check = _check_big(cache)
    walls, cpus = _repeat(open_in_store, times)
    rows = [Row(f"open a case record ({RESULTS} results, {DECISIONS} consent events): store "
                "+ ledger scope states", median(walls), "< 100 ms", median(walls) < 0.1,
                cpu=median(cpus), note=f"median of {times}; {record_check}",
                cpu_check=lambda row: (row.cpu or 1) < 0.1)]
    ui = _ui_open(cache, profile, today, times)
    if ui is not None:
        first, walls, cpus = ui
        rows.append(Row(f"open a case record ({RESULTS} results, {DECISIONS} consent events): "
                        "main window, offscreen", median(walls), "< 100 ms",
                        median(walls) < 0.1, cpu=median(cpus),
                        note=f"median of {times}; the first open {first * 1000:.0f} ms "
                        "loads the letters code", cpu_check=lambda row: (row.cpu or 1) < 0.1))
    for row in rows:
        log(f"{row.measurement}: {row.measured * 1000:.1f} ms ({row.note})")
    return rows


def _check_big(cache: Cache) -> str:
    with cache.read() as s:
        record = load_case(s, BIG)
    assert len(record.results) == RESULTS and len(record.decisions) == DECISIONS
    return f"{len(record.results)} results, {len(record.decisions)} decisions read back"


def _repeat(action: Callable[[], object], times: int) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(times):
        with timed() as t:
            action()
        walls.append(t.wall)
        cpus.append(t.cpu)
    return walls, cpus


def _ui_open(cache: Cache, profile: Profile, today: dt.date, times: int
             ) -> tuple[float, list[float], list[float]] | None:
    app = _qt_app()
    if app is None:
        return None
    from counsellor_app.ui.context import AppContext
    from counsellor_app.ui.main_window import MainWindow
    from counsellor_app.ui.settings_store import AppSettings

    noon = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
    context = AppContext(profile=profile, cache=cache, user_name="bench",
                         hub_url="http://127.0.0.1:9", settings=AppSettings(),
                         clock=lambda: noon)
    window = MainWindow(context)
    window.show()
    app.processEvents()  # type: ignore[attr-defined]

    def open_case() -> None:
        window.open_case(BIG)
        window.repaint()

    with timed() as first:
        open_case()
    walls, cpus = _repeat(open_case, times)
    window.caseload_model.wait_for_worker()
    window.inbox.wait_for_worker()
    window.close()
    app.processEvents()  # type: ignore[attr-defined]
    return first.wall, walls, cpus
