"""The inbox: new results, open requests, re-consent, conflicts, sync items for a person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.orm import Session

from counsellor_app.domain.consent import ConsentScope, Decision
from counsellor_app.domain.request import RequestKind, RequestStatus
from counsellor_app.domain.result import ResultKind, ResultOutcome
from counsellor_app.store.caseload import CaseRow, count_caseload, search_caseload
from counsellor_app.store.caseload_query import IndexedBy
from counsellor_app.store.outbox import OutboxItem, OutboxState, needing_attention
from counsellor_app.store.tables import (
    ConsentDecisionRow,
    OutboxRow,
    ParticipantRow,
    RequestRow,
    ResultRow,
)

P = ParticipantRow
# Requests waiting on the team (accepted or declined ones only wait to be closed).
AWAITING_ACTION = (
    RequestStatus.NEW.value,
    RequestStatus.UNDER_REVIEW.value,
    RequestStatus.AWAITING_PATIENT.value,
)

# Written as in the partial indexes of cache migration 0003, so SQLite sees that they apply
# (it matches a partial index's condition by its text, and never through a bound parameter).
_AWAITING: ColumnElement[bool] = text(
    "requests.status IN ('new', 'under_review', 'awaiting_patient')"
)  # type: ignore[assignment]
_UNREVIEWED: ColumnElement[bool] = text(
    "results.counsellor_state = 'new' AND results.superseded_by IS NULL"
)  # type: ignore[assignment]
_NEW_RESULTS = IndexedBy(ResultRow.__table__, "ix_results_new_current")  # type: ignore[arg-type]
_AWAITING_REQUESTS = IndexedBy(RequestRow.__table__, "ix_requests_awaiting")  # type: ignore[arg-type]
_OPEN_CONFLICT = (
    ConsentDecisionRow.conflict.is_(True),
    ConsentDecisionRow.conflict_resolved.is_(False),
)


@dataclass(frozen=True, slots=True)
class NewResult:
    result_id: str
    case_id: str
    participant_id: str
    display_name: str
    nhs_number: str
    kind: ResultKind
    outcome: ResultOutcome
    report_version: int
    issued_on: dt.date


@dataclass(frozen=True, slots=True)
class OpenRequest:
    request_id: str
    case_id: str
    participant_id: str
    display_name: str
    kind: RequestKind
    status: RequestStatus
    received_on: dt.date
    due_on: dt.date | None
    beyond_existing_consent: bool

    def overdue(self, today: dt.date) -> bool:
        return self.due_on is not None and self.due_on < today


@dataclass(frozen=True, slots=True)
class ConsentConflict:
    decision_id: str
    participant_id: str
    display_name: str
    scope: ConsentScope
    decision: Decision
    effective_from: dt.datetime
    reason: str | None


@dataclass(frozen=True, slots=True)
class InboxCounts:
    new_results: int
    open_requests: int
    overdue_requests: int
    reconsent_needed: int
    conflicts: int
    sync_problems: int


def _people(session: Session, participant_ids: set[str]) -> dict[str, tuple[str, str, str]]:
    """(given name, family name, NHS number) of these participants."""
    found: dict[str, tuple[str, str, str]] = {}
    ids = sorted(participant_ids)
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(P.participant_id, P.given_name, P.family_name, P.nhs_number).where(
                P.participant_id.in_(ids[start : start + 500])
            )
        )
        found.update((pid, (given, family, nhs)) for pid, given, family, nhs in rows)
    return found


def new_results(session: Session, *, limit: int = 500) -> list[NewResult]:
    """Current (not superseded) results nobody has reviewed yet, newest first."""
    statement = (
        select(
            ResultRow.result_id,
            ResultRow.case_id,
            ResultRow.participant_id,
            ResultRow.kind,
            ResultRow.outcome,
            ResultRow.report_version,
            ResultRow.issued_on,
        )
        .select_from(_NEW_RESULTS)
        .where(_UNREVIEWED)
        .order_by(ResultRow.issued_on.desc(), ResultRow.result_id)
        .limit(limit)
    )
    rows = session.execute(statement).all()
    people = _people(session, {r.participant_id for r in rows})
    return [
        NewResult(
            r.result_id,
            r.case_id,
            r.participant_id,
            f"{people[r.participant_id][0]} {people[r.participant_id][1]}",
            people[r.participant_id][2],
            ResultKind(r.kind),
            ResultOutcome(r.outcome),
            r.report_version,
            r.issued_on,
        )
        for r in rows
        if r.participant_id in people
    ]


def open_requests(session: Session, *, limit: int = 500) -> list[OpenRequest]:
    """Requests waiting on the team, soonest due first (no due date last)."""
    q = RequestRow
    statement = (
        select(
            q.request_id,
            q.case_id,
            q.participant_id,
            q.kind,
            q.status,
            q.received_on,
            q.due_on,
            q.beyond_existing_consent,
        )
        .select_from(_AWAITING_REQUESTS)
        .where(_AWAITING)
        .order_by(q.due_on.is_(None), q.due_on, q.received_on, q.request_id)
        .limit(limit)
    )
    rows = session.execute(statement).all()
    people = _people(session, {r.participant_id for r in rows})
    return [
        OpenRequest(
            r.request_id,
            r.case_id,
            r.participant_id,
            f"{people[r.participant_id][0]} {people[r.participant_id][1]}",
            RequestKind(r.kind),
            RequestStatus(r.status),
            r.received_on,
            r.due_on,
            r.beyond_existing_consent,
        )
        for r in rows
        if r.participant_id in people
    ]


def reconsent_needed(session: Session, *, today: dt.date, limit: int = 500) -> list[CaseRow]:
    """Young people now 16 or over whose grants rest on a parent's decision (rule 4)."""
    return search_caseload(session, needs_reconsent=True, today=today, limit=limit)


def consent_conflicts(session: Session, *, limit: int = 500) -> list[ConsentConflict]:
    """Decisions the hub found overtaken and nobody has resolved (rule 5), newest first."""
    statement = (
        select(ConsentDecisionRow, P.given_name, P.family_name)
        .join(P, P.participant_id == ConsentDecisionRow.participant_id)
        .where(*_OPEN_CONFLICT)
        .order_by(ConsentDecisionRow.effective_from.desc(), ConsentDecisionRow.decision_id)
        .limit(limit)
    )
    return [
        ConsentConflict(
            d.decision_id,
            d.participant_id,
            f"{given} {family}",
            ConsentScope(d.scope),
            Decision(d.decision),
            d.effective_from,
            d.conflict_reason,
        )
        for d, given, family in session.execute(statement)
    ]


def sync_problems(session: Session, *, limit: int = 500) -> list[OutboxItem]:
    """Outbox items the hub rejected or found in conflict: a person must look at them."""
    return needing_attention(session, limit=limit)


def inbox_counts(session: Session, *, today: dt.date) -> InboxCounts:
    """The numbers on the inbox's tabs."""

    def count(statement: object) -> int:
        return int(session.execute(statement).scalar_one())  # type: ignore[call-overload]

    return InboxCounts(
        new_results=count(select(func.count()).select_from(_NEW_RESULTS).where(_UNREVIEWED)),
        open_requests=count(select(func.count()).select_from(_AWAITING_REQUESTS).where(_AWAITING)),
        overdue_requests=count(
            select(func.count()).select_from(RequestRow).where(_AWAITING, RequestRow.due_on < today)
        ),
        reconsent_needed=count_caseload(session, needs_reconsent=True, today=today),
        conflicts=count(select(func.count()).where(*_OPEN_CONFLICT)),
        sync_problems=count(
            select(func.count()).where(
                OutboxRow.state.in_((OutboxState.REJECTED.value, OutboxState.CONFLICT.value))
            )
        ),
    )
