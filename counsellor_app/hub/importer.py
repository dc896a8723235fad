"""Upstream import (``counsellor-hub import`` and ``POST /v1/feed/import``): all or nothing.

The document is validated against ``ImportDocument`` (the JSON Schema's source), then every
record is checked and applied in one transaction, in the order participants, cases, results,
requests. Any refusal rolls everything back; the report lists every refusal, by its place in
the file and never by a patient identifier.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from counsellor_app.domain.errors import DomainError
from counsellor_app.domain.nhs_number import normalise
from counsellor_app.domain.request import RequestStatus
from counsellor_app.domain.result import ResultKind
from counsellor_app.domain.workflow import advance_result_review
from counsellor_app.hub import audit
from counsellor_app.hub.auth import Principal
from counsellor_app.hub.database import Database
from counsellor_app.hub.records import CREATED, UNCHANGED, UPDATED, Records
from counsellor_app.hub.tables import Team
from counsellor_app.protocol.entities import CaseWire, ParticipantWire, RequestWire, ResultWire
from counsellor_app.protocol.importing import (
    FeedRequest,
    FeedResult,
    ImportDocument,
    ImportReport,
    Refusal,
)


class _Refused(DomainError):
    pass


class _RollBack(Exception):
    pass


def import_document(
    db: Database, raw: Any, who: Principal, now: dt.datetime
) -> ImportReport:
    """Validate and apply one import document (already parsed JSON)."""
    try:
        document = ImportDocument.model_validate(raw)
    except ValidationError as exc:
        return ImportReport(
            applied=False, created={}, updated={}, unchanged={},
            refused=[_refusal_from(error) for error in exc.errors(include_url=False,
                                                                  include_input=False)],
        )
    run = _Run(document)
    try:
        with db.writing() as session:
            records = Records(session)
            run.apply(records)
            if run.refused:
                raise _RollBack
            audit.record_reads(session, who, now, "import.changed", run.changed)
            records.finish()
    except _RollBack:
        pass
    return ImportReport(
        applied=not run.refused,
        source=document.source,
        created=dict(run.counts[CREATED]),
        updated=dict(run.counts[UPDATED]),
        unchanged=dict(run.counts[UNCHANGED]),
        refused=run.refused,
    )


def _refusal_from(error: Any) -> Refusal:
    loc = list(error["loc"])
    where = ""
    for part in loc:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    return Refusal(record=where or "document", reason=f"{error['msg']}.")


class _Run:
    def __init__(self, document: ImportDocument) -> None:
        self.document = document
        self.refused: list[Refusal] = []
        self.counts: dict[str, Counter[str]] = {CREATED: Counter(), UPDATED: Counter(),
                                                 UNCHANGED: Counter()}
        self.changed: set[str] = set()
        self.teams: dict[str, str] = {}  # participant id -> team, as known so far

    def apply(self, records: Records) -> None:
        known_teams = set(records.session.scalars(select(Team.team_id)))
        doc = self.document
        sections: list[tuple[str, list[Any], Any]] = [
            ("participants", list(doc.participants), lambda r: self._participant(r, known_teams)),
            ("cases", list(doc.cases), self._case),
            ("results", list(doc.results), self._result),
            ("requests", list(doc.requests), self._request),
        ]
        self.records = records
        for section, items, handler in sections:
            seen: set[str] = set()
            for index, item in enumerate(items):
                where = f"{section}[{index}]"
                key = _id_of(item)
                if key in seen:
                    self.refused.append(Refusal(record=where, reason=f"The id {key} appears "
                                                "twice in this file."))
                    continue
                seen.add(key)
                try:
                    with records.session.begin_nested():
                        outcome = handler(item)
                except DomainError as exc:
                    self.refused.append(Refusal(record=where, reason=str(exc)))
                    continue
                self.counts[outcome][section] += 1
                if outcome != UNCHANGED:
                    self.changed.add(item.participant_id)

    def _team_of(self, participant_id: str) -> str:
        team = self.teams.get(participant_id)
        if team is None:
            participant = self.records.participant(participant_id)
            if participant is None:
                raise _Refused("It names a participant the hub does not have (and the file does "
                               "not add).")
            team = self.teams[participant_id] = participant.team
        return team

    def _participant(self, item: ParticipantWire, known_teams: set[str]) -> str:
        try:
            nhs = normalise(item.nhs_number)
        except ValueError as exc:
            raise _Refused(str(exc)) from exc
        if item.team not in known_teams:
            raise _Refused(f"The team '{item.team}' is not set up on this hub: add it first.")
        outcome = self.records.put_participant(item.model_copy(update={"nhs_number": nhs}))
        self.teams[item.participant_id] = item.team
        return outcome

    def _case(self, item: CaseWire) -> str:
        team = self._team_of(item.participant_id)
        stored = self.records.case(item.case_id)
        if stored is not None and stored.participant_id != item.participant_id:
            raise _Refused("A case with this id belongs to another participant.")
        return self.records.put_case(item, team)

    def _owned_case(self, case_id: str, participant_id: str) -> str:
        team = self._team_of(participant_id)
        case = self.records.case(case_id)
        if case is None or case.participant_id != participant_id:
            raise _Refused("It names a case that is not this participant's (or does not exist).")
        return team

    def _result(self, item: FeedResult) -> str:
        team = self._owned_case(item.case_id, item.participant_id)
        fields = dict(item)
        stored = self.records.result(item.result_id)
        if stored is None:
            wire = ResultWire(**fields)
            if item.supersedes:
                self._supersede(item, team)
            return self.records.put_result(wire, team)
        if stored.participant_id != item.participant_id or stored.case_id != item.case_id:
            raise _Refused("A result with this id belongs to another case.")
        if item.supersedes != stored.supersedes:
            raise _Refused("A report's place in its version history cannot change.")
        if item.kind is not ResultKind.RESEARCHER_IDENTIFIED:
            incoming = stored.model_copy(update=fields)
            if incoming != stored:
                raise _Refused("A report is never changed in place: send a new version (a new "
                               "result id) that supersedes it.")
            return UNCHANGED
        # A researcher-identified variant moves along its review trail, one step at a time.
        stage = stored.review_stage
        if item.review_stage is not None and item.review_stage != stage:
            stage = advance_result_review(stored.to_domain(), item.review_stage).review_stage
        updated = stored.model_copy(update={**fields, "review_stage": stage})
        return self.records.put_result(updated, team)

    def _supersede(self, item: FeedResult, team: str) -> None:
        older = self.records.result(item.supersedes or "")
        if older is None or older.participant_id != item.participant_id:
            raise _Refused("It supersedes a report the hub does not have for this participant "
                           "(list the older report first).")
        if older.superseded_by not in (None, item.result_id):
            raise _Refused("The report it supersedes was already replaced by another version.")
        if item.report_version <= older.report_version:
            raise _Refused("A new version must have a higher report_version than the report "
                           "it supersedes.")
        self.records.put_result(older.model_copy(update={"superseded_by": item.result_id}), team)

    def _request(self, item: FeedRequest) -> str:
        team = self._owned_case(item.case_id, item.participant_id)
        stored = self.records.request(item.request_id)
        if stored is None:
            wire = RequestWire(**dict(item), status=RequestStatus.NEW)
            return self.records.put_request(wire, team)
        if stored.participant_id != item.participant_id:
            raise _Refused("A request with this id belongs to another participant.")
        # The feed owns what was asked; the team owns the status and the response.
        return self.records.put_request(stored.model_copy(update=dict(item)), team)


def _id_of(item: Any) -> str:
    if isinstance(item, ParticipantWire):
        return item.participant_id
    if isinstance(item, CaseWire):
        return item.case_id
    if isinstance(item, FeedResult):
        return item.result_id
    assert isinstance(item, FeedRequest)
    return item.request_id
