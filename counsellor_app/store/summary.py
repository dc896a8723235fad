"""The case list's summary columns on each participant, kept right on every write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from counsellor_app.domain.consent import ConsentDecision, ConsentScope, Decision
from counsellor_app.domain.consent_ledger import ConsentLedger
from counsellor_app.domain.participant import LifeStatus, add_years
from counsellor_app.domain.request import RequestStatus
from counsellor_app.domain.result import CounsellorState
from counsellor_app.store.mapping import to_decision
from counsellor_app.store.tables import ConsentDecisionRow, ParticipantRow, RequestRow, ResultRow

_REFUSED = (Decision.DECLINED, Decision.WITHDRAWN)


def consent_summary(
    decisions: Iterable[ConsentDecision],
    *,
    date_of_birth: dt.date,
    life_status: LifeStatus,
    date_of_death: dt.date | None,
    today: dt.date,
) -> dict[str, Any]:
    """Consent flags of one participant, from the domain ledger.

    ``reconsent_from`` is the 16th birthday when a grant in force rests on a parent's decision
    (rule 4): "re-consent needed" is then ``reconsent_from <= today`` for any later day, with
    no rewrite as time passes (decisions never take effect in the future, so the grants in
    force on the birthday are those in force today).
    """
    ledger = ConsentLedger(
        decisions,
        date_of_birth=date_of_birth,
        life_status=life_status,
        date_of_death=date_of_death,
    )
    birthday = add_years(date_of_birth, 16)
    reconsent_from = birthday if ledger.needs_reconsent(max(today, birthday)) else None
    programme = ledger.scope_state(ConsentScope.PROGRAMME, today)
    research = ledger.scope_state(ConsentScope.CONTACT_FOR_RESEARCH, today)
    additional = ledger.scope_state(ConsentScope.ADDITIONAL_FINDINGS, today)
    level = programme.withdrawal_level
    return {
        "withdrawal_level": level.value if level else None,
        "research_contact_declined": research.decision in _REFUSED,
        "additional_findings_declined": additional.decision in _REFUSED,
        "reconsent_from": reconsent_from,
        "has_conflict": bool(ledger.conflicts()),
    }


ResultFacts = tuple[str, str, str, dt.date, int, str, bool]
"""(result id, kind, outcome, issued on, report version, counsellor state, superseded)."""


def results_summary(results: Iterable[ResultFacts]) -> dict[str, Any]:
    """Latest report and count of new ones; a superseded report never counts as the latest."""
    current = [r for r in results if not r[6]]
    latest = max(current, key=lambda r: (r[3], r[4], r[0]), default=None)
    return {
        "latest_result_id": latest[0] if latest else None,
        "latest_result_kind": latest[1] if latest else None,
        "latest_result_outcome": latest[2] if latest else None,
        "latest_result_date": latest[3] if latest else None,
        "new_result_count": sum(1 for r in current if r[5] == CounsellorState.NEW.value),
    }


def requests_summary(requests: Iterable[tuple[str, dt.date | None]]) -> dict[str, Any]:
    """Open request count and the next due date from (status, due_on) pairs."""
    open_due = [due for status, due in requests if RequestStatus(status).is_open]
    dues = [due for due in open_due if due is not None]
    return {"open_request_count": len(open_due), "next_request_due": min(dues, default=None)}


def refresh_summary(session: Session, participant_ids: Iterable[str], *, today: dt.date) -> None:
    """Recompute the summary columns of these participants from their rows (same transaction)."""
    for participant_id in sorted(set(participant_ids)):
        person = session.execute(
            select(
                ParticipantRow.date_of_birth,
                ParticipantRow.life_status,
                ParticipantRow.date_of_death,
            ).where(ParticipantRow.participant_id == participant_id)
        ).one_or_none()
        if person is None:
            continue
        decisions = [
            to_decision(row)
            for row in session.scalars(
                select(ConsentDecisionRow).where(
                    ConsentDecisionRow.participant_id == participant_id
                )
            )
        ]
        results = session.execute(
            select(
                ResultRow.result_id,
                ResultRow.kind,
                ResultRow.outcome,
                ResultRow.issued_on,
                ResultRow.report_version,
                ResultRow.counsellor_state,
                ResultRow.superseded_by.is_not(None),
            ).where(ResultRow.participant_id == participant_id)
        ).all()
        requests = session.execute(
            select(RequestRow.status, RequestRow.due_on).where(
                RequestRow.participant_id == participant_id
            )
        ).all()
        values = {
            **consent_summary(
                decisions,
                date_of_birth=person.date_of_birth,
                life_status=LifeStatus(person.life_status),
                date_of_death=person.date_of_death,
                today=today,
            ),
            **results_summary(results),
            **requests_summary((r.status, r.due_on) for r in requests),
        }
        session.execute(
            update(ParticipantRow)
            .where(ParticipantRow.participant_id == participant_id)
            .values(**values)
        )
