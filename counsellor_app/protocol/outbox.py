"""Outbox batches: client mutations with idempotency keys, and the hub's answer per item."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field

from counsellor_app.domain.request import RequestStatus
from counsellor_app.domain.result import CounsellorState, InformedHow
from counsellor_app.protocol.client_records import ConsentDecisionWire, LetterRecordWire
from counsellor_app.protocol.wire import WireModel

MAX_BATCH = 500


class ResultAcknowledgement(WireModel):
    """The team moved a result along new → reviewed → patient_informed (``how`` for the last)."""

    result_id: str
    state: CounsellorState
    informed_how: InformedHow | None = None
    at: AwareDatetime
    by: str


class RequestResponse(WireModel):
    """The team moved a collaboration request to ``status``, with its response text."""

    request_id: str
    status: RequestStatus
    response: str | None = None
    at: AwareDatetime
    by: str


class ConsentDecisionItem(WireModel):
    id: uuid.UUID
    kind: Literal["consent_decision"] = "consent_decision"
    payload: ConsentDecisionWire


class ResultAcknowledgementItem(WireModel):
    id: uuid.UUID
    kind: Literal["result_acknowledgement"] = "result_acknowledgement"
    payload: ResultAcknowledgement


class RequestResponseItem(WireModel):
    id: uuid.UUID
    kind: Literal["request_response"] = "request_response"
    payload: RequestResponse


class LetterRecordItem(WireModel):
    id: uuid.UUID
    kind: Literal["letter_record"] = "letter_record"
    payload: LetterRecordWire


OutboxItem = Annotated[
    ConsentDecisionItem | ResultAcknowledgementItem | RequestResponseItem | LetterRecordItem,
    Field(discriminator="kind"),
]
OUTBOX_KINDS = ("consent_decision", "result_acknowledgement", "request_response", "letter_record")


class OutboxBatch(WireModel):
    """``POST /v1/outbox``. Items are validated one by one, so one bad item is answered
    ``rejected`` without holding back the others; the batch itself must be a list of objects."""

    items: list[dict[str, Any]] = Field(max_length=MAX_BATCH)

    @classmethod
    def of(cls, items: list[OutboxItem]) -> OutboxBatch:
        """A batch built from typed items (what the client sends)."""
        return cls(items=[item.model_dump(mode="json") for item in items])


Outcome = Literal["applied", "duplicate", "conflict", "rejected"]


class ItemAnswer(WireModel):
    """The hub's answer for one item.

    ``applied``: recorded now. ``duplicate``: this id (or, for a consent decision, the same
    decision) was recorded before: nothing changed; ``original`` is the first answer.
    ``conflict``: recorded but flagged (rule 5), ``reason`` says why; letters are held until a
    person resolves it. ``rejected``: not recorded; ``reason`` says why, in words for people.
    """

    id: str
    outcome: Outcome
    reason: str | None = None
    original: Outcome | None = None


class OutboxAnswer(WireModel):
    protocol: int = 1
    answers: list[ItemAnswer]
    received_at: dt.datetime
