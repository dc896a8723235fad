"""``POST /v1/outbox``: each item once (its UUID is the idempotency key), answered one by one.

Every item runs in its own transaction: the effect, the item's answer (kept under its UUID)
and the change-log entries commit together, so a network failure mid-batch never records an
item twice or loses one (H7). A replay of the same UUID with the same body is ``duplicate``;
a different body under a used UUID is ``rejected``.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.exc import IntegrityError

from counsellor_app.domain.errors import DomainError
from counsellor_app.hub import audit
from counsellor_app.hub.auth import Principal
from counsellor_app.hub.database import Database
from counsellor_app.hub.letter_check import check_letter
from counsellor_app.hub.outbox_consent import apply_decision
from counsellor_app.hub.outbox_workflow import apply_request_response, apply_result_acknowledgement
from counsellor_app.hub.records import Records
from counsellor_app.hub.settings import HubSettings
from counsellor_app.hub.tables import OutboxItemRow
from counsellor_app.protocol.entities import ParticipantWire
from counsellor_app.protocol.outbox import (
    ConsentDecisionItem,
    ItemAnswer,
    LetterRecordItem,
    OutboxItem,
    RequestResponseItem,
    ResultAcknowledgementItem,
)

_ITEM = TypeAdapter[OutboxItem](OutboxItem)
_NOT_YOURS = "There is no participant with this id in your team."


def body_hash(item: OutboxItem) -> str:
    """SHA-256 of the item's canonical JSON (formatting differences do not count)."""
    canonical = json.dumps(item.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def explain(error: ValidationError) -> str:
    """A readable sentence for the first problem in an item (field path and what is wrong)."""
    first = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"] if part not in OUTBOX_TAGS)
    return f"The item is malformed: {where or 'the item'}: {first['msg']}."


OUTBOX_TAGS = frozenset(
    {"consent_decision", "result_acknowledgement", "request_response", "letter_record"}
)


class OutboxIngest:
    def __init__(self, db: Database, settings: HubSettings) -> None:
        self.db = db
        self.settings = settings

    def ingest(self, who: Principal, raw_items: list[dict[str, Any]]) -> list[ItemAnswer]:
        return [self._one(who, raw) for raw in raw_items]

    def _one(self, who: Principal, raw: dict[str, Any]) -> ItemAnswer:
        raw_id = str(raw.get("id", ""))
        try:
            uuid.UUID(raw_id)
        except ValueError:
            return ItemAnswer(id=raw_id, outcome="rejected",
                              reason="The item has no valid UUID in its id field.")
        try:
            item = _ITEM.validate_python(raw)
        except ValidationError as exc:
            return ItemAnswer(id=raw_id, outcome="rejected", reason=explain(exc))
        item_id = str(item.id)
        digest = body_hash(item)
        for attempt in range(2):
            try:
                # The answer carries the id exactly as the client sent it, for matching.
                return self._apply(who, item, item_id, digest).model_copy(update={"id": raw_id})
            except IntegrityError:
                if attempt == 1:  # pragma: no cover - a second race on one UUID
                    raise
        raise AssertionError("unreachable")

    def _apply(self, who: Principal, item: OutboxItem, item_id: str, digest: str) -> ItemAnswer:
        now = self.settings.clock()
        with self.db.writing() as session:
            seen = session.get(OutboxItemRow, item_id)
            if seen is not None:
                if seen.body_sha256 == digest:
                    said = "This change was received before; nothing was changed again."
                    if seen.outcome in ("rejected", "conflict") and seen.reason:
                        said += f" The first answer was {seen.outcome}: {seen.reason}"
                    return ItemAnswer(
                        id=item_id, outcome="duplicate", reason=said,
                        original=seen.outcome,  # type: ignore[arg-type]
                    )
                return ItemAnswer(
                    id=item_id, outcome="rejected",
                    reason="This item id was already used for a different change. Nothing was "
                    "recorded; the app must send each change under its own id.",
                )
            records = Records(session)
            outcome: str
            reason: str | None
            participant_id: str | None = None
            try:
                with session.begin_nested():
                    participant_id, outcome, reason = self._dispatch(records, who, item)
            except DomainError as exc:
                records = Records(session)  # nothing of the failed item is kept
                outcome, reason = "rejected", str(exc)
            session.add(
                OutboxItemRow(
                    item_id=item_id, user_id=who.user_id, device_id=who.device_id,
                    kind=item.kind, body_sha256=digest, outcome=outcome, reason=reason,
                    received_at=now,
                )
            )
            if participant_id is not None and outcome in ("applied", "conflict"):
                audit.record(session, who, now, f"outbox.{item.kind}", item.kind,
                             _record_id(item), participant_id, outcome)
            records.finish()
        return ItemAnswer(id=item_id, outcome=outcome, reason=reason)  # type: ignore[arg-type]

    def _dispatch(
        self, records: Records, who: Principal, item: OutboxItem
    ) -> tuple[str, str, str | None]:
        today = self.settings.clock().date()
        if isinstance(item, ConsentDecisionItem):
            participant = self._participant(records, who, item.payload.participant_id)
            outcome, reason = apply_decision(records, participant, item.payload, today)
            return participant.participant_id, outcome, reason
        if isinstance(item, ResultAcknowledgementItem):
            result = records.result(item.payload.result_id)
            if result is None:
                raise DomainError("There is no such result in your team.")
            participant = self._participant(records, who, result.participant_id)
            outcome, reason = apply_result_acknowledgement(records, participant, result,
                                                           item.payload)
            return participant.participant_id, outcome, reason
        if isinstance(item, RequestResponseItem):
            request = records.request(item.payload.request_id)
            if request is None:
                raise DomainError("There is no such request in your team.")
            participant = self._participant(records, who, request.participant_id)
            outcome, reason = apply_request_response(records, participant, request,
                                                     item.payload, today)
            return participant.participant_id, outcome, reason
        assert isinstance(item, LetterRecordItem)
        letter = item.payload
        participant = self._participant(records, who, letter.participant_id)
        stored = records.letter(letter.letter_id)
        if stored is not None:
            if stored == letter:
                return participant.participant_id, "duplicate", "This letter is already recorded."
            if stored.model_copy(update={"status": letter.status}) != letter:
                raise DomainError(
                    "A different letter is already recorded under this letter id; only its "
                    "status (draft, final, sent) can change."
                )
        check_letter(records, participant, letter)
        records.put_letter(letter, participant.team)
        return participant.participant_id, "applied", None

    @staticmethod
    def _participant(records: Records, who: Principal, participant_id: str) -> ParticipantWire:
        participant = records.participant(participant_id, lock=True)
        if participant is None or participant.team != who.team:
            raise DomainError(_NOT_YOURS)
        return participant


def _record_id(item: OutboxItem) -> str:
    if isinstance(item, ConsentDecisionItem):
        return item.payload.decision_id
    if isinstance(item, ResultAcknowledgementItem):
        return item.payload.result_id
    if isinstance(item, RequestResponseItem):
        return item.payload.request_id
    return item.payload.letter_id
