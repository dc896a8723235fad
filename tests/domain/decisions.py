"""Builders for consent decisions in domain tests (synthetic, fixed clock)."""

from __future__ import annotations

import datetime as dt
import itertools

from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    GivenBy,
    Method,
    WithdrawalLevel,
)

TODAY = dt.date(2026, 11, 27)
_ids = itertools.count(1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def decision(
    scope: ConsentScope,
    outcome: Decision,
    effective: dt.date,
    *,
    by: GivenBy = GivenBy.SELF,
    giver_name: str | None = None,
    recorded_by: str = "J. Evans",
    recorded: dt.date | None = None,
    hour: int = 10,
    decision_id: str | None = None,
    participant_id: str = "P-0001",
    level: WithdrawalLevel | None = None,
    request_id: str | None = None,
    **extra: object,
) -> ConsentDecision:
    """One consent decision; recorded the day it took effect unless told otherwise."""
    return ConsentDecision(
        decision_id=decision_id or f"D-{next(_ids):05d}",
        participant_id=participant_id,
        scope=scope,
        decision=outcome,
        given_by=by,
        given_by_name=giver_name,
        method=Method.IN_PERSON,
        recorded_by=recorded_by,
        recorded_at=at(recorded or effective, hour),
        effective_from=at(effective, hour),
        withdrawal_level=level,
        request_id=request_id,
        **extra,  # type: ignore[arg-type]
    )
