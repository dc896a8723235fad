"""What the consent and request dialogs read from the cache, and how they save a decision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from counsellor_app.domain.consent import ConsentDecision
from counsellor_app.domain.participant import Participant
from counsellor_app.domain.request import CollaborationRequest
from counsellor_app.store.errors import NotFound
from counsellor_app.store.mapping import to_decision, to_participant, to_request
from counsellor_app.store.tables import ConsentDecisionRow, ParticipantRow, RequestRow


@dataclass(frozen=True, slots=True)
class ConsentFacts:
    """One participant with their consent decisions and collaboration requests."""

    participant: Participant
    decisions: tuple[ConsentDecision, ...]
    requests: tuple[CollaborationRequest, ...]

    def request(self, request_id: str) -> CollaborationRequest | None:
        return next((r for r in self.requests if r.request_id == request_id), None)


def load_consent_facts(context: Any, participant_id: str) -> ConsentFacts:
    """Reads the participant, their decisions and requests in one consistent snapshot."""
    with context.cache.read() as session:
        row = session.scalar(
            select(ParticipantRow).where(ParticipantRow.participant_id == participant_id)
        )
        if row is None:
            raise NotFound(
                "This participant is no longer in the cache (the hub may have moved them to "
                "another team). Sync, then open the case again."
            )
        participant = to_participant(row)
        decisions = tuple(
            to_decision(r)
            for r in session.scalars(
                select(ConsentDecisionRow).where(
                    ConsentDecisionRow.participant_id == participant_id
                )
            )
        )
        requests = tuple(
            to_request(r)
            for r in session.scalars(
                select(RequestRow)
                .where(RequestRow.participant_id == participant_id)
                .order_by(RequestRow.received_on.desc(), RequestRow.request_id)
            )
        )
    return ConsentFacts(participant, decisions, requests)


def save_decision(context: Any, decision: ConsentDecision) -> str:
    """Writes the decision, its outbox row and an audit row in one transaction (the store's
    ``consent_repo``); returns the id the decision is kept under (an earlier identical
    decision's id when it was already recorded: rule 6)."""
    from counsellor_app.store import consent_repo

    return str(consent_repo.record_consent(context.cache, decision, today=context.today()))
