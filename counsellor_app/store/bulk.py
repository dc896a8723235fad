"""Fast bulk filling of a cache (demo data, tests, the benchmark floor)."""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from sqlalchemy.orm import Session

from counsellor_app.domain.case import Case
from counsellor_app.domain.consent import ConsentDecision
from counsellor_app.domain.participant import Participant
from counsellor_app.domain.request import CollaborationRequest
from counsellor_app.domain.result import Result
from counsellor_app.store.bulk_sql import statement
from counsellor_app.store.engine import Cache
from counsellor_app.store.mapping import (
    case_values,
    decision_values,
    participant_values,
    representative_values,
    request_values,
    result_values,
    variant_values,
)
from counsellor_app.store.summary import consent_summary, requests_summary, results_summary
from counsellor_app.store.tables import (
    Base,
    CaseEntityRow,
    ConsentDecisionRow,
    ParticipantRow,
    RepresentativeRow,
    RequestRow,
    ResultRow,
    VariantRow,
)

CHUNK = 5_000
BULK_CACHE_KIB = 256 * 1024
DEFAULT_CACHE_SIZE = -2000


class DatasetLike(Protocol):
    """What ``load_dataset`` needs of a dataset (``counsellor_app.demo.synthetic.Dataset``)."""

    @property
    def participants(self) -> Sequence[Participant]: ...
    @property
    def cases(self) -> Sequence[Case]: ...
    @property
    def results(self) -> Sequence[Result]: ...
    @property
    def requests(self) -> Sequence[CollaborationRequest]: ...
    @property
    def decisions(self) -> Sequence[ConsentDecision]: ...


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for a bulk load (and as it was afterwards).

    A bulk load makes millions of small objects, none in reference cycles, and keeps many of
    them until it ends: each full collection would walk them all again (a third of a large
    first sync's time, measured). Reference counting still frees everything at once.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_dataset(cache: Cache, dataset: DatasetLike, *, today: dt.date | None = None) -> None:
    """Insert a whole dataset into an empty cache, in one transaction."""
    with collector_paused(), cache.write() as session:
        # a large page cache for the load: index inserts then stay in memory until commit
        session.connection().exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        insert_records(
            session,
            participants=dataset.participants,
            cases=dataset.cases,
            results=dataset.results,
            requests=dataset.requests,
            decisions=dataset.decisions,
            today=today or dt.date.today(),
        )
        session.connection().exec_driver_sql(f"PRAGMA cache_size = {DEFAULT_CACHE_SIZE}")
    with cache.write() as session:
        session.connection().exec_driver_sql("ANALYZE")  # statistics for the query planner


def insert_records(
    session: Session,
    *,
    participants: Iterable[Participant],
    cases: Iterable[Case] = (),
    results: Iterable[Result] = (),
    requests: Iterable[CollaborationRequest] = (),
    decisions: Iterable[ConsentDecision] = (),
    today: dt.date,
) -> None:
    """Insert new records with their case-list summaries (the caller's transaction)."""
    results = list(results)
    requests = list(requests)
    decisions = list(decisions)
    results_by: dict[str, list[tuple[str, str, str, dt.date, int, str, bool]]] = defaultdict(list)
    for r in results:
        results_by[r.participant_id].append(
            (
                r.result_id,
                r.kind.value,
                r.outcome.value,
                r.issued_on,
                r.report_version,
                r.counsellor_state.value,
                r.superseded_by is not None,
            )
        )
    requests_by: dict[str, list[tuple[str, dt.date | None]]] = defaultdict(list)
    for q in requests:
        requests_by[q.participant_id].append((q.status.value, q.due_on))
    decisions_by: dict[str, list[ConsentDecision]] = defaultdict(list)
    for d in decisions:
        decisions_by[d.participant_id].append(d)

    people: list[dict[str, Any]] = []
    representatives: list[dict[str, Any]] = []
    for p in participants:
        values = participant_values(p)
        values.update(
            consent_summary(
                decisions_by.get(p.participant_id, ()),
                date_of_birth=p.date_of_birth,
                life_status=p.life_status,
                date_of_death=p.date_of_death,
                today=today,
            )
        )
        values.update(results_summary(results_by.get(p.participant_id, ())))
        values.update(requests_summary(requests_by.get(p.participant_id, ())))
        people.append(values)
        representatives.extend(representative_values(p))

    _insert_participants(session, people)
    _insert(session, RepresentativeRow, representatives)
    _insert(session, CaseEntityRow, [case_values(c) for c in cases])
    _insert(session, ResultRow, [result_values(r) for r in results])
    _insert(session, VariantRow, [v for r in results for v in variant_values(r)])
    _insert(session, RequestRow, [request_values(q) for q in requests])
    _insert(session, ConsentDecisionRow, [decision_values(d) for d in decisions])


_SEARCH_TRIGGER = "participants_search_insert"


def _insert_participants(session: Session, people: list[dict[str, Any]]) -> None:
    """Participants, then their search index in one statement (twice as fast as the per-row
    trigger); the trigger is set aside meanwhile, inside the same transaction."""
    connection = session.connection()
    trigger = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_SEARCH_TRIGGER,)
    ).scalar()
    if trigger is None or len(people) < CHUNK:
        _insert(session, ParticipantRow, people)
        return
    before = connection.exec_driver_sql("SELECT coalesce(max(pk), 0) FROM participants").scalar()
    connection.exec_driver_sql(f"DROP TRIGGER {_SEARCH_TRIGGER}")
    _insert(session, ParticipantRow, people)
    connection.exec_driver_sql(
        "INSERT INTO participant_search (rowid, search_text) "
        "SELECT pk, search_text FROM participants WHERE pk > ?",
        (before,),
    )
    connection.exec_driver_sql(str(trigger))


def _insert(session: Session, entity: type[Base], rows: list[dict[str, Any]]) -> None:
    """Plain ``executemany`` of one prepared INSERT (the driver's fastest path)."""
    connection = session.connection()
    for start in range(0, len(rows), CHUNK):
        connection.exec_driver_sql(*statement(entity, rows[start : start + CHUNK]))
