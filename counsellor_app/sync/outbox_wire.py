"""Turning the cache's outbox items into the items of the hub's ``POST /v1/outbox`` batch."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from counsellor_app.protocol.client_records import ConsentDecisionWire
from counsellor_app.store.mapping import to_decision
from counsellor_app.store.outbox import OutboxItem, OutboxKind
from counsellor_app.store.tables import ConsentDecisionRow

# The cache names a few kinds differently from the wire.
_WIRE_KIND = {
    OutboxKind.RESULT_STATE: "result_acknowledgement",
}


def wire_item(session: Session, item: OutboxItem) -> dict[str, Any]:
    """The batch item for one outbox row: its UUID, the wire kind and the wire payload.

    A kind or payload this client cannot translate is sent as it is, so the hub answers it
    (``rejected`` with a reason) and the row is shown to a person; nothing is dropped here.
    """
    kind = _WIRE_KIND.get(item.kind, item.kind.value)
    payload: dict[str, Any] = dict(item.payload)
    if item.kind is OutboxKind.CONSENT_DECISION:
        payload = _decision_payload(payload)
    elif item.kind is OutboxKind.CONFLICT_RESOLVED:
        resolved = _resolved_decision(session, payload)
        if resolved is not None:
            kind, payload = OutboxKind.CONSENT_DECISION.value, resolved
    elif item.kind is OutboxKind.RESULT_STATE and "counsellor_state" in payload:
        payload["state"] = payload.pop("counsellor_state")
    return {"id": item.id, "kind": kind, "payload": payload}


def _resolved_decision(session: Session, payload: dict[str, Any]) -> dict[str, Any] | None:
    """A resolved conflict travels as the decision itself, as held, marked resolved: the hub
    records the resolution on the decision it holds under that id (the note stays local)."""
    decision_id = payload.get("decision_id")
    row = session.get(ConsentDecisionRow, decision_id) if isinstance(decision_id, str) else None
    if row is None:
        return None
    decision = replace(to_decision(row), conflict_resolved=True)
    return ConsentDecisionWire.from_domain(decision).model_dump(mode="json")


def _decision_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The cache keeps a decision as ``{"decision": <JSON text or object>}``."""
    inner = payload.get("decision", payload)
    if isinstance(inner, str):
        try:
            inner = json.loads(inner)
        except ValueError:
            return payload
    return inner if isinstance(inner, dict) else payload
