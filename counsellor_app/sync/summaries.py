"""Recomputing the case list's summary columns of many participants at once, after a page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from counsellor_app.domain.consent import (
    ConsentDecision,
)
from counsellor_app.domain.participant import LifeStatus
from counsellor_app.store.mapping import to_decision
from counsellor_app.store.summary import (
    ResultFacts,
    consent_summary,
    requests_summary,
    results_summary,
)
from counsellor_app.store.tables import ConsentDecisionRow, ParticipantRow, RequestRow, ResultRow

CHUNK = 500

CONSENT_COLUMNS = (
    "withdrawal_level",
    "research_contact_declined",
    "additional_findings_declined",
    "reconsent_from",
    "has_conflict",
)
RESULT_COLUMNS = (
    "latest_result_id",
    "latest_result_kind",
    "latest_result_outcome",
    "latest_result_date",
    "new_result_count",
)
REQUEST_COLUMNS = ("open_request_count", "next_request_due")
SUMMARY_COLUMNS = CONSENT_COLUMNS + RESULT_COLUMNS + REQUEST_COLUMNS

# What an empty consent ledger folds to: no withdrawal, nothing declined, nothing resting on a
# parent's grant, no conflict (checked against store.summary by tests/sync).
NO_DECISIONS: dict[str, Any] = {
    "withdrawal_level": None,
    "research_contact_declined": False,
    "additional_findings_declined": False,
    "reconsent_from": None,
    "has_conflict": False,
}


EMPTY_SUMMARY: dict[str, Any] = {
    **NO_DECISIONS, **results_summary(()), **requests_summary(())
}
"""The summary columns of a participant with nothing recorded about them yet."""


def refresh_summaries(
    session: Session,
    *,
    consent: Collection[str] = (),
    results: Collection[str] = (),
    requests: Collection[str] = (),
    known_decisions: Mapping[str, list[ConsentDecision]] | None = None,
    today: dt.date,
) -> None:
    """Recomputes, in bulk, the summary columns that depend on what changed.

    ``consent``: participants whose decisions, birth date or life status changed;
    ``results`` and ``requests``: participants whose results or requests changed. The same
    computation as ``store.summary.refresh_summary`` (its pure functions do the work), with a
    few queries per 500 participants instead of four per participant, so a first sync of
    85,000 participants stays fast. Runs in the caller's transaction. ``known_decisions``
    holds every decision of some participants (the caller knows no other is held for them),
    so they need not be read back.
    """
    known = known_decisions or {}
    _refresh(
        session, sorted(set(consent)), CONSENT_COLUMNS,
        lambda ids: _consent(session, ids, known, today),
    )
    _refresh(session, sorted(set(results)), RESULT_COLUMNS, lambda ids: _results(session, ids))
    _refresh(session, sorted(set(requests)), REQUEST_COLUMNS, lambda ids: _requests(session, ids))


def _refresh(
    session: Session,
    ids: list[str],
    columns: tuple[str, ...],
    compute: Any,
) -> None:
    if not ids:
        return
    table = ParticipantRow.__table__
    assert isinstance(table, Table)
    statement = (
        update(table)
        .where(table.c.participant_id == bindparam("b_participant_id"))
        .values({name: bindparam(f"b_{name}") for name in columns})
    )
    current_columns = [table.c.participant_id, *(table.c[name] for name in columns)]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        values: dict[str, dict[str, Any]] = compute(chunk)
        # only rows whose summary really changes are written (each write touches indexes)
        current = {
            row[0]: tuple(row[1:])
            for row in session.execute(
                select(*current_columns).where(table.c.participant_id.in_(chunk))
            )
        }
        rows = [
            {"b_participant_id": pid, **{f"b_{name}": v[name] for name in columns}}
            for pid, v in values.items()
            if pid in current and current[pid] != tuple(v[name] for name in columns)
        ]
        if rows:
            session.connection().execute(statement, rows)


def _consent(
    session: Session,
    ids: list[str],
    known: Mapping[str, list[ConsentDecision]],
    today: dt.date,
) -> dict[str, dict[str, Any]]:
    decisions: dict[str, list[ConsentDecision]] = defaultdict(list)
    table = ConsentDecisionRow.__table__
    assert isinstance(table, Table)
    unknown = [pid for pid in ids if pid not in known]
    if unknown:
        for row in session.execute(select(table).where(table.c.participant_id.in_(unknown))):
            decisions[row.participant_id].append(to_decision(row))
    for pid in ids:
        if pid in known:
            decisions[pid] = list(known[pid])
    people = session.execute(
        select(
            ParticipantRow.participant_id,
            ParticipantRow.date_of_birth,
            ParticipantRow.life_status,
            ParticipantRow.date_of_death,
        ).where(ParticipantRow.participant_id.in_(ids))
    ).all()
    out: dict[str, dict[str, Any]] = {}
    for person in people:
        held_decisions = decisions.get(person.participant_id)
        if not held_decisions:
            out[person.participant_id] = NO_DECISIONS
            continue
        out[person.participant_id] = consent_summary(
            held_decisions,
            date_of_birth=person.date_of_birth,
            life_status=LifeStatus(person.life_status),
            date_of_death=person.date_of_death,
            today=today,
        )
    return out


def _results(session: Session, ids: list[str]) -> dict[str, dict[str, Any]]:
    facts: dict[str, list[ResultFacts]] = {pid: [] for pid in ids}
    for r in session.execute(
        select(
            ResultRow.participant_id,
            ResultRow.result_id,
            ResultRow.kind,
            ResultRow.outcome,
            ResultRow.issued_on,
            ResultRow.report_version,
            ResultRow.counsellor_state,
            ResultRow.superseded_by.is_not(None),
        ).where(ResultRow.participant_id.in_(ids))
    ):
        facts[r[0]].append((r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7])))
    return {pid: results_summary(rows) for pid, rows in facts.items()}


def _requests(session: Session, ids: list[str]) -> dict[str, dict[str, Any]]:
    pairs: dict[str, list[tuple[str, dt.date | None]]] = {pid: [] for pid in ids}
    for q in session.execute(
        select(RequestRow.participant_id, RequestRow.status, RequestRow.due_on).where(
            RequestRow.participant_id.in_(ids)
        )
    ):
        pairs[q[0]].append((q[1], q[2]))
    return {pid: requests_summary(rows) for pid, rows in pairs.items()}

