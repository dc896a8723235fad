"""The inbox: new results, open requests, re-consent, conflicts, sync items for a person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counsellor_app.domain.consent import ConsentScope, Decision
from counsellor_app.domain.request import RequestKind, RequestStatus
from counsellor_app.domain.result import ResultKind, ResultOutcome
from counsellor_app.store.caseload import CaseRow, count_caseload, search_caseload
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


def new_results(session: Session, *, limit: int = 500) -> list[NewResult]:
    """Current (not superseded) results nobody has reviewed yet, newest first."""
    statement = (
        select(
            ResultRow.result_id,
            ResultRow.case_id,
            ResultRow.participant_id,
            P.given_name,
            P.family_name,
            P.nhs_number,
            ResultRow.kind,
            ResultRow.outcome,
            ResultRow.report_version,
            ResultRow.issued_on,
        )
        .join(P, P.participant_id == ResultRow.participant_id)
        .where(ResultRow.counsellor_state == "new", ResultRow.superseded_by.is_(None))
        .order_by(ResultRow.issued_on.desc(), ResultRow.result_id)
        .limit(limit)
    )
    return [
        NewResult(
            r.result_id,
            r.case_id,
            r.participant_id,
            f"{r.given_name} {r.family_name}",
            r.nhs_number,
            ResultKind(r.kind),
            ResultOutcome(r.outcome),
            r.report_version,
            r.issued_on,
        )
        for r in session.execute(statement)
    ]


def open_requests(session: Session, *, limit: int = 500) -> list[OpenRequest]:
    """Requests waiting on the team, soonest due first (no due date last)."""
    statement = (
        select(RequestRow, P.given_name, P.family_name)
        .join(P, P.participant_id == RequestRow.participant_id)
        .where(RequestRow.status.in_(AWAITING_ACTION))
        .order_by(
            RequestRow.due_on.asc().nulls_last(), RequestRow.received_on, RequestRow.request_id
        )
        .limit(limit)
    )
    return [
        OpenRequest(
            q.request_id,
            q.case_id,
            q.participant_id,
            f"{given} {family}",
            RequestKind(q.kind),
            RequestStatus(q.status),
            q.received_on,
            q.due_on,
            q.beyond_existing_consent,
        )
        for q, given, family in session.execute(statement)
    ]


def reconsent_needed(session: Session, *, today: dt.date, limit: int = 500) -> list[CaseRow]:
    """Young people now 16 or over whose grants rest on a parent's decision (rule 4)."""
    return search_caseload(session, needs_reconsent=True, today=today, limit=limit)


def consent_conflicts(session: Session, *, limit: int = 500) -> list[ConsentConflict]:
    """Decisions the hub found overtaken and nobody has resolved (rule 5), newest first."""
    statement = (
        select(ConsentDecisionRow, P.given_name, P.family_name)
        .join(P, P.participant_id == ConsentDecisionRow.participant_id)
        .where(
            ConsentDecisionRow.conflict.is_(True), ConsentDecisionRow.conflict_resolved.is_(False)
        )
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

    awaiting = RequestRow.status.in_(AWAITING_ACTION)
    return InboxCounts(
        new_results=count(
            select(func.count()).where(
                ResultRow.counsellor_state == "new", ResultRow.superseded_by.is_(None)
            )
        ),
        open_requests=count(select(func.count()).where(awaiting)),
        overdue_requests=count(select(func.count()).where(awaiting, RequestRow.due_on < today)),
        reconsent_needed=count_caseload(session, needs_reconsent=True, today=today),
        conflicts=count(
            select(func.count()).where(
                ConsentDecisionRow.conflict.is_(True),
                ConsentDecisionRow.conflict_resolved.is_(False),
            )
        ),
        sync_problems=count(
            select(func.count()).where(
                OutboxRow.state.in_((OutboxState.REJECTED.value, OutboxState.CONFLICT.value))
            )
        ),
    )
