"""Recording consent on a client cache the way the app does (store.consent_repo)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    GivenBy,
    Method,
    WithdrawalLevel,
)
from counsellor_app.store.consent_repo import record_consent
from counsellor_app.store.engine import Cache
from counsellor_app.store.tables import ParticipantRow


def adult_without_withdrawal(cache: Cache, *, skip: int = 0) -> str:
    """A living adult participant with no programme withdrawal in this cache."""
    with cache.read() as s:
        ids = list(
            s.scalars(
                select(ParticipantRow.participant_id)
                .where(
                    ParticipantRow.life_status == "alive",
                    ParticipantRow.withdrawal_level.is_(None),
                    ParticipantRow.date_of_birth < dt.date(1990, 1, 1),
                )
                .order_by(ParticipantRow.participant_id)
                .limit(skip + 1)
            )
        )
    return ids[skip]


def decision(
    participant_id: str,
    *,
    scope: ConsentScope = ConsentScope.CONTACT_FOR_RESEARCH,
    choice: Decision = Decision.GRANTED,
    effective_from: dt.datetime | None = None,
    recorded_by: str = "counsellor-cardiff",
    withdrawal_level: WithdrawalLevel | None = None,
) -> ConsentDecision:
    now = dt.datetime.now(dt.UTC)
    return ConsentDecision(
        decision_id=str(uuid.uuid4()),
        participant_id=participant_id,
        scope=scope,
        decision=choice,
        given_by=GivenBy.SELF,
        given_by_name=None,
        method=Method.IN_PERSON,
        recorded_by=recorded_by,
        recorded_at=now,
        effective_from=effective_from or now - dt.timedelta(minutes=5),
        withdrawal_level=withdrawal_level,
    )


def record(cache: Cache, d: ConsentDecision, actor: str = "counsellor-cardiff") -> None:
    with cache.write() as s:
        record_consent(s, d, actor=actor)
