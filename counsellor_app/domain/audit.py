"""Audit events: who did what to which record, and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AuditEvent:
    event_id: str
    actor: str
    at: dt.datetime
    action: str  # e.g. "consent.recorded", "letter.generated", "result.reviewed"
    record_type: str  # "participant", "case", "result", "request", "letter", "consent"
    record_id: str  # a pseudonymous id, never an identifier
    detail: str | None = None  # never a patient identifier
