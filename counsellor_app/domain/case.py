"""A case: one referral of one participant to the clinical genetics team."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class CaseStatus(StrEnum):
    OPEN = "open"
    AWAITING_RESULT = "awaiting_result"
    RESULT_AVAILABLE = "result_available"
    CLOSED = "closed"


class Priority(StrEnum):
    ROUTINE = "routine"
    URGENT = "urgent"


@dataclass(frozen=True, slots=True)
class Case:
    case_id: str
    participant_id: str
    reason: str  # disorder or cancer type
    status: CaseStatus
    priority: Priority
    assigned_counsellor: str | None
    opened_on: dt.date
