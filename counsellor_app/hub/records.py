"""Entity reads and writes inside one hub transaction, collecting the change-log entries.

Every write goes through ``Records.put_*``, which stores the entity's wire JSON and notes the
change for the participant's team; ``finish()`` appends those notes to the change log last,
just before the transaction commits (see ``change_log``).
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from counsellor_app.domain.consent_ledger import ConsentLedger
from counsellor_app.hub import change_log
from counsellor_app.hub.change_log import Entry
from counsellor_app.hub.tables import (
    CaseRow,
    ConsentDecisionRow,
    LetterRecordRow,
    ParticipantRow,
    RequestRow,
    ResultRow,
)
from counsellor_app.protocol.entities import (
    CaseWire,
    ConsentDecisionWire,
    LetterRecordWire,
    ParticipantWire,
    RequestWire,
    ResultWire,
)

W = TypeVar("W", bound=BaseModel)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def encode(model: BaseModel) -> str:
    """An entity's stored (and sent) JSON: compact, defaults left out."""
    return model.model_dump_json(exclude_defaults=True)


class Records:
    """One transaction's view of the hub's entities."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._entries: list[Entry] = []
        self._forget: list[tuple[str, str]] = []

    # ------------------------------------------------------------------ reads

    def participant(self, participant_id: str, *, lock: bool = False) -> ParticipantWire | None:
        """The participant, optionally locked until commit (one writer per participant)."""
        query = select(ParticipantRow.body).where(ParticipantRow.participant_id == participant_id)
        if lock:
            query = query.with_for_update()
        body = self.session.scalar(query)
        return None if body is None else ParticipantWire.model_validate_json(body)

    def case(self, case_id: str) -> CaseWire | None:
        return self._get(CaseRow, case_id, CaseWire)

    def result(self, result_id: str) -> ResultWire | None:
        return self._get(ResultRow, result_id, ResultWire)

    def request(self, request_id: str) -> RequestWire | None:
        return self._get(RequestRow, request_id, RequestWire)

    def decision(self, decision_id: str) -> ConsentDecisionWire | None:
        return self._get(ConsentDecisionRow, decision_id, ConsentDecisionWire)

    def letter(self, letter_id: str) -> LetterRecordWire | None:
        return self._get(LetterRecordRow, letter_id, LetterRecordWire)

    def decisions_of(self, participant_id: str) -> list[ConsentDecisionWire]:
        bodies = self.session.scalars(
            select(ConsentDecisionRow.body).where(
                ConsentDecisionRow.participant_id == participant_id
            )
        )
        return [ConsentDecisionWire.model_validate_json(b) for b in bodies]

    def ledger(self, participant: ParticipantWire) -> ConsentLedger:
        return ConsentLedger.for_participant(
            participant.to_domain(),
            [d.to_domain() for d in self.decisions_of(participant.participant_id)],
        )

    def _get(self, table: type, entity_id: str, model: type[W]) -> W | None:
        row = self.session.get(table, entity_id)
        return None if row is None else model.model_validate_json(row.body)

    # ------------------------------------------------------------------ writes

    def put_participant(self, wire: ParticipantWire) -> str:
        """Store a participant; one who moves team leaves the old team's feed with a removal
        and arrives in the new team's feed with everything recorded about them."""
        body = encode(wire)
        row = self.session.get(ParticipantRow, wire.participant_id)
        if row is None:
            self.session.add(
                ParticipantRow(participant_id=wire.participant_id, team=wire.team, body=body)
            )
            self.session.flush()
            self._note(wire.team, wire.participant_id, "participant", wire.participant_id)
            return CREATED
        if row.body == body:
            return UNCHANGED
        old_team = row.team
        row.team, row.body = wire.team, body
        self._note(wire.team, wire.participant_id, "participant", wire.participant_id)
        if old_team != wire.team:
            self._forget.append((old_team, wire.participant_id))
            self._note(old_team, wire.participant_id, "removal", wire.participant_id)
            self._note_everything(wire.team, wire.participant_id)
        return UPDATED

    def put_case(self, wire: CaseWire, team: str) -> str:
        return self._put(CaseRow, "case_id", wire.case_id, wire, team, "case", {})

    def put_result(self, wire: ResultWire, team: str) -> str:
        return self._put(
            ResultRow, "result_id", wire.result_id, wire, team, "result", {"case_id": wire.case_id}
        )

    def put_request(self, wire: RequestWire, team: str, submitted_by: int | None = None) -> str:
        extra: dict[str, object] = {"case_id": wire.case_id}
        if submitted_by is not None:
            extra["submitted_by"] = submitted_by
        return self._put(RequestRow, "request_id", wire.request_id, wire, team, "request", extra)

    def put_decision(self, wire: ConsentDecisionWire, team: str) -> str:
        return self._put(
            ConsentDecisionRow, "decision_id", wire.decision_id, wire, team, "consent_decision", {}
        )

    def put_letter(self, wire: LetterRecordWire, team: str) -> str:
        return self._put(
            LetterRecordRow, "letter_id", wire.letter_id, wire, team, "letter_record", {}
        )

    def _put(
        self,
        table: type,
        id_name: str,
        entity_id: str,
        wire: BaseModel,
        team: str,
        kind: str,
        extra: dict[str, object],
    ) -> str:
        body = encode(wire)
        participant_id: str = getattr(wire, "participant_id")  # noqa: B009
        row = self.session.get(table, entity_id)
        if row is None:
            self.session.add(
                table(**{id_name: entity_id, "participant_id": participant_id, "body": body},
                      **extra)
            )
            self.session.flush()
            outcome = CREATED
        elif row.body == body:
            return UNCHANGED
        else:
            row.body = body
            for name, value in extra.items():
                setattr(row, name, value)
            outcome = UPDATED
        self._note(team, participant_id, kind, entity_id)
        return outcome

    def _note(self, team: str, participant_id: str, kind: str, entity_id: str) -> None:
        self._entries.append(Entry(team, participant_id, kind, entity_id))

    def _note_everything(self, team: str, participant_id: str) -> None:
        for kind, table, id_column in (
            ("case", CaseRow, CaseRow.case_id),
            ("result", ResultRow, ResultRow.result_id),
            ("request", RequestRow, RequestRow.request_id),
            ("consent_decision", ConsentDecisionRow, ConsentDecisionRow.decision_id),
            ("letter_record", LetterRecordRow, LetterRecordRow.letter_id),
        ):
            for entity_id in self.session.scalars(
                select(id_column).where(table.participant_id == participant_id)
            ):
                self._note(team, participant_id, kind, entity_id)

    # ------------------------------------------------------------------ commit

    def finish(self) -> int:
        """Append the collected changes to the log; the last thing before commit."""
        self.session.flush()
        if not self._entries:
            return 0
        change_log.lock_for_append(self.session)
        for team, participant_id in self._forget:
            change_log.forget_participant(self.session, team, participant_id)
        count = change_log.append(self.session, self._entries)
        self._entries.clear()
        self._forget.clear()
        return count
