"""The upstream import document (results service → hub) and the hub's report on it.

The JSON Schema in ``resources/hub/import.schema.json`` is generated from ``ImportDocument``;
``docs/hub-import-format.md`` explains it. Unknown fields are refused, so a typo never passes.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from counsellor_app.domain.request import RequestKind, StudyType
from counsellor_app.domain.result import ResultKind, ResultOutcome, ReviewStage
from counsellor_app.protocol.clinical import CaseWire, RequesterWire, VariantWire
from counsellor_app.protocol.participants import ParticipantWire

IMPORT_FORMAT = "counsellor-hub-import"


class FeedModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FeedParticipant(ParticipantWire):
    """A participant as the feed sends it (the wire model, refusing unknown fields)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class FeedCase(CaseWire):
    """A case as the feed sends it (the wire model, refusing unknown fields)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class FeedResult(FeedModel):
    """A report from the results service. The team's own progress on it (reviewed, patient
    informed) is the hub's and never comes from the feed.

    A new report version names the report it ``supersedes``; the hub marks the older one. A
    researcher-identified variant sent again with the same ``result_id`` moves along its
    review trail (``review_stage``)."""

    result_id: str = Field(min_length=1, max_length=100)
    case_id: str = Field(min_length=1, max_length=100)
    participant_id: str = Field(min_length=1, max_length=100)
    kind: ResultKind
    outcome: ResultOutcome
    report_version: int = Field(ge=1)
    issued_on: dt.date
    summary: str
    variants: tuple[VariantWire, ...] = ()
    supersedes: str | None = None
    review_stage: ReviewStage | None = None


class FeedRequest(FeedModel):
    """A collaboration request from the research environment; it starts as ``new``."""

    request_id: str = Field(min_length=1, max_length=100)
    case_id: str = Field(min_length=1, max_length=100)
    participant_id: str = Field(min_length=1, max_length=100)
    kind: RequestKind
    requester: RequesterWire
    asked: str = Field(min_length=1)
    beyond_existing_consent: bool
    received_on: dt.date
    due_on: dt.date | None = None
    study_type: StudyType | None = None
    study_title: str | None = None


class ImportDocument(FeedModel):
    """One import: applied all or nothing, participants first, then cases, results, requests."""

    format: Literal["counsellor-hub-import"]
    version: Literal[1]
    source: str = Field(min_length=1, max_length=200, description="who sent this batch")
    participants: list[FeedParticipant] = []
    cases: list[FeedCase] = []
    results: list[FeedResult] = []
    requests: list[FeedRequest] = []


class Refusal(BaseModel):
    """One record the hub would not take: where it is in the file and why (never its
    identifiers)."""

    record: str  # e.g. "results[3]"
    reason: str


class ImportReport(BaseModel):
    """What an import did. ``applied`` is false when anything was refused: then nothing changed
    and ``created``/``updated`` say what would have been done."""

    applied: bool
    source: str | None = None
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]
    refused: list[Refusal]
