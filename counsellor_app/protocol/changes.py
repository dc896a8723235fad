"""The change feed: typed change records, each carrying the whole entity, in pages."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from counsellor_app.protocol.client_records import ConsentDecisionWire, LetterRecordWire
from counsellor_app.protocol.clinical import CaseWire, RequestWire, ResultWire
from counsellor_app.protocol.participants import ParticipantWire
from counsellor_app.protocol.wire import WireModel

DEFAULT_PAGE_SIZE = 1000
MAX_PAGE_SIZE = 2000


class ParticipantChange(WireModel):
    kind: Literal["participant"] = "participant"
    data: ParticipantWire


class CaseChange(WireModel):
    kind: Literal["case"] = "case"
    data: CaseWire


class ResultChange(WireModel):
    kind: Literal["result"] = "result"
    data: ResultWire


class RequestChange(WireModel):
    kind: Literal["request"] = "request"
    data: RequestWire


class ConsentDecisionChange(WireModel):
    kind: Literal["consent_decision"] = "consent_decision"
    data: ConsentDecisionWire


class LetterRecordChange(WireModel):
    kind: Literal["letter_record"] = "letter_record"
    data: LetterRecordWire


class RemovalChange(WireModel):
    """The participant left the caller's scope (moved to another team): remove the participant
    and everything recorded about them from the cache."""

    kind: Literal["removal"] = "removal"
    participant_id: str
    reason: str


Change = Annotated[
    ParticipantChange
    | CaseChange
    | ResultChange
    | RequestChange
    | ConsentDecisionChange
    | LetterRecordChange
    | RemovalChange,
    Field(discriminator="kind"),
]

CHANGE_KINDS = (
    "participant",
    "case",
    "result",
    "request",
    "consent_decision",
    "letter_record",
    "removal",
)


class ChangePage(WireModel):
    """One page of ``GET /v1/changes?since=<cursor>&limit=<n>``.

    ``changes`` are in cursor order; apply them in order, then store ``next_cursor`` in the same
    transaction and ask again with ``since=next_cursor`` while ``more`` is true. A later change
    to an entity carries its whole new state (earlier changes to it may be left out of the feed).
    """

    protocol: int = 1
    changes: list[Change]
    next_cursor: int
    more: bool
