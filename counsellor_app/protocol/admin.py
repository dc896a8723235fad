"""What an administrator reads from the hub: the audit trail."""

from __future__ import annotations

import datetime as dt

from counsellor_app.protocol.wire import WireModel


class AuditEventView(WireModel):
    """Who read or changed which participant's records, and when (ids only, no identifiers)."""

    event_id: int
    at: dt.datetime
    actor: str
    role: str
    device_id: str | None
    action: str
    record_type: str
    record_id: str
    participant_id: str | None
    detail: str | None = None


class AuditPage(WireModel):
    """``GET /v1/admin/audit?after=<event_id>&limit=<n>``: events in order; ask again with
    ``after=next_after`` while ``more``."""

    events: list[AuditEventView]
    next_after: int
    more: bool
