"""Recording consent and workflow steps: one transaction each, refusals write nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from counsellor_app.domain.consent import ConsentScope, Decision, GivenBy
from counsellor_app.domain.errors import ConsentRefused, InvalidTransition
from counsellor_app.domain.participant import Participant
from counsellor_app.domain.request import RequestStatus
from counsellor_app.domain.result import CounsellorState, InformedHow
from counsellor_app.store.bulk import insert_records
from counsellor_app.store.case_detail import load_case
from counsellor_app.store.caseload import search_caseload
from counsellor_app.store.consent_repo import record_consent, resolve_conflict
from counsellor_app.store.engine import Cache
from counsellor_app.store.errors import NotFound
from counsellor_app.store.inbox import consent_conflicts, inbox_counts, new_results, open_requests
from counsellor_app.store.tables import AuditRow, ConsentDecisionRow, OutboxRow, ParticipantRow
from counsellor_app.store.workflow_repo import mark_result, respond_to_request

from . import factories as f
from .conftest import TODAY

WHEN = dt.datetime(2025, 2, 1, 11, 0, tzinfo=dt.UTC)


def _counts(cache: Cache) -> tuple[int, int, int]:
    with cache.read() as session:
        return tuple(  # type: ignore[return-value]
            session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (ConsentDecisionRow, OutboxRow, AuditRow)
        )


def _row(cache: Cache, participant_id: str) -> object:
    with cache.read() as session:
        (row,) = search_caseload(session, text=participant_id, today=TODAY)
        return row


def test_recording_a_decision_writes_it_with_its_outbox_item_and_audit_row(
    filled: Cache, people: list[Participant]
) -> None:
    before = _counts(filled)
    decision = f.decision(people[1], 7, ConsentScope.CONTACT_FOR_RESEARCH, effective=WHEN)
    with filled.write() as session:
        recorded = record_consent(session, decision, actor="counsellor-1", today=TODAY)
    assert recorded.created and recorded.outbox_id
    assert _counts(filled) == (before[0] + 1, before[1] + 1, before[2] + 1)
    with filled.read() as session:
        item = session.get(OutboxRow, recorded.outbox_id)
        assert item is not None and item.state == "pending" and item.kind == "consent_decision"
        payload = json.loads(item.payload)
        assert json.loads(payload["decision"])["decision_id"] == decision.decision_id
        audit = session.scalars(select(AuditRow).where(AuditRow.record_id == "D000002-7")).one()
        assert audit.action == "consent.recorded" and audit.actor == "counsellor-1"
        assert people[1].family_name not in (audit.detail or "")
        record = load_case(session, people[1].participant_id)
    assert decision in record.decisions


def test_a_refused_decision_writes_nothing(filled: Cache, people: list[Participant]) -> None:
    before = _counts(filled)
    adult_by_parent = f.decision(people[0], 9, given_by=GivenBy.PARENT_OR_GUARDIAN, effective=WHEN)
    with pytest.raises(ConsentRefused), filled.write() as session:
        record_consent(session, adult_by_parent, actor="counsellor-1", today=TODAY)
    future = f.decision(people[0], 10, effective=WHEN + dt.timedelta(days=400))
    with pytest.raises(ConsentRefused), filled.write() as session:
        record_consent(session, future, actor="counsellor-1", today=TODAY)
    assert _counts(filled) == before


def test_the_same_decision_sent_twice_is_recorded_once(
    filled: Cache, people: list[Participant]
) -> None:
    decision = f.decision(people[1], 3, ConsentScope.CARRIER_STATUS, effective=WHEN)
    with filled.write() as session:
        first = record_consent(session, decision, actor="counsellor-1", today=TODAY)
    before = _counts(filled)
    from dataclasses import replace

    for again in (decision, replace(decision, decision_id="another-id-same-content")):
        with filled.write() as session:
            second = record_consent(session, again, actor="counsellor-1", today=TODAY)
        assert not second.created and second.outbox_id is None
        assert second.decision == first.decision
    assert _counts(filled) == before


def test_a_decision_for_another_participants_request_is_refused(
    filled: Cache, people: list[Participant]
) -> None:
    before = _counts(filled)
    other_request = "C000002-1-Q1"  # belongs to participant 2
    decision = f.decision(
        people[0], 11, ConsentScope.SHARE_WITH_RESEARCHER, effective=WHEN, request_id=other_request
    )
    with pytest.raises(ConsentRefused, match="another participant"), filled.write() as session:
        record_consent(session, decision, actor="counsellor-1", today=TODAY)
    unknown = f.decision(
        people[0], 12, ConsentScope.SHARE_WITH_RESEARCHER, effective=WHEN, request_id="nope"
    )
    with pytest.raises(NotFound), filled.write() as session:
        record_consent(session, unknown, actor="counsellor-1", today=TODAY)
    assert _counts(filled) == before


def test_declining_additional_findings_shows_on_the_case_list_at_once(
    filled: Cache, people: list[Participant]
) -> None:
    assert not _row(filled, "P000001").additional_findings_declined  # type: ignore[attr-defined]
    declined = f.decision(people[0], 2, choice=Decision.DECLINED, effective=WHEN)
    with filled.write() as session:
        record_consent(session, declined, actor="counsellor-1", today=TODAY)
    row = _row(filled, "P000001")
    assert row.additional_findings_declined  # type: ignore[attr-defined]
    assert "additional findings declined" in row.flags  # type: ignore[attr-defined]


def test_reconsent_flag_appears_on_the_16th_birthday_without_any_rewrite(
    filled: Cache, people: list[Participant]
) -> None:
    child = people[4]  # born 2015-02-02
    grant = f.decision(
        child,
        1,
        ConsentScope.PRIMARY_FINDINGS,
        given_by=GivenBy.PARENT_OR_GUARDIAN,
        effective=WHEN,
    )
    with filled.write() as session:
        record_consent(session, grant, actor="counsellor-1", today=TODAY)
    with filled.read() as session:
        for day, expected in (
            (TODAY, False),
            (dt.date(2031, 2, 1), False),
            (dt.date(2031, 2, 2), True),
        ):
            found = search_caseload(session, needs_reconsent=True, today=day)
            assert (child.participant_id in {r.participant_id for r in found}) is expected


def test_consent_decisions_cannot_be_edited_in_the_cache(filled: Cache) -> None:
    with pytest.raises(DatabaseError, match="append-only"), filled.write() as session:
        session.execute(text("UPDATE consent_decisions SET decision = 'declined'"))
    with filled.write() as session:  # the conflict flags may change
        session.execute(text("UPDATE consent_decisions SET conflict = 1"))


def test_a_conflict_blocks_until_resolved_and_resolving_is_sent_to_the_hub(
    filled: Cache, people: list[Participant]
) -> None:
    conflicted = f.decision(people[1], 5, ConsentScope.CONTACT_FOR_RESEARCH, effective=WHEN)
    from dataclasses import replace

    conflicted = replace(conflicted, conflict=True, conflict_reason="withdrawn elsewhere")
    with filled.write() as session:
        insert_records(session, participants=[], decisions=[conflicted], today=TODAY)
        from counsellor_app.store.summary import refresh_summary

        refresh_summary(session, [people[1].participant_id], today=TODAY)
    with filled.read() as session:
        assert [c.decision_id for c in consent_conflicts(session)] == [conflicted.decision_id]
        assert search_caseload(session, has_conflict=True, today=TODAY)[0].participant_id == (
            people[1].participant_id
        )
    with filled.write() as session:
        resolved = resolve_conflict(
            session, conflicted.decision_id, actor="counsellor-1", note="phoned the participant"
        )
    assert resolved.conflict_resolved
    with filled.read() as session:
        assert consent_conflicts(session) == []
        assert not search_caseload(session, has_conflict=True, today=TODAY)
        kinds = set(session.scalars(select(OutboxRow.kind)))
    assert "conflict_resolved" in kinds


def test_marking_a_result_reviewed_then_informed_updates_inbox_outbox_and_audit(
    filled: Cache,
) -> None:
    with filled.read() as session:
        assert [r.result_id for r in new_results(session)] == ["C000001-1-R1", "C000002-1-R1"]
    with filled.write() as session:
        mark_result(session, "C000001-1-R1", CounsellorState.REVIEWED, actor="counsellor-1")
    with pytest.raises(InvalidTransition), filled.write() as session:
        mark_result(session, "C000001-1-R1", CounsellorState.PATIENT_INFORMED, actor="c")
    with filled.write() as session:
        moved = mark_result(
            session,
            "C000001-1-R1",
            CounsellorState.PATIENT_INFORMED,
            actor="counsellor-1",
            informed_how=InformedHow.CLINIC,
        )
    assert moved.counsellor_state is CounsellorState.PATIENT_INFORMED
    with filled.read() as session:
        assert [r.result_id for r in new_results(session)] == ["C000002-1-R1"]
        assert (
            session.execute(
                select(func.count()).where(OutboxRow.kind == "result_state")
            ).scalar_one()
            == 2
        )
        assert inbox_counts(session, today=TODAY).new_results == 1
        p1 = session.scalars(
            select(ParticipantRow).where(ParticipantRow.participant_id == "P000001")
        ).one()
        assert p1.new_result_count == 0


def test_responding_to_a_request_moves_it_and_accepting_beyond_consent_needs_a_grant(
    filled: Cache, people: list[Participant]
) -> None:
    request_id = "C000002-1-Q1"
    with filled.write() as session:
        respond_to_request(session, request_id, RequestStatus.UNDER_REVIEW, actor="c1")
        respond_to_request(session, request_id, RequestStatus.AWAITING_PATIENT, actor="c1")
    with pytest.raises(ConsentRefused), filled.write() as session:
        respond_to_request(session, request_id, RequestStatus.ACCEPTED, "Yes", actor="c1")
    grants = [
        f.decision(people[1], 20, ConsentScope.CONTACT_FOR_RESEARCH, effective=WHEN),
        f.decision(
            people[1],
            21,
            ConsentScope.SHARE_WITH_RESEARCHER,
            effective=WHEN,
            request_id=request_id,
        ),
    ]
    with filled.write() as session:
        for grant in grants:
            record_consent(session, grant, actor="c1", today=TODAY)
        accepted = respond_to_request(
            session, request_id, RequestStatus.ACCEPTED, "Data will be shared.", actor="c1"
        )
    assert accepted.status is RequestStatus.ACCEPTED
    with filled.read() as session:
        assert open_requests(session) == []
        assert load_case(session, people[1].participant_id).request(request_id).response == (
            "Data will be shared."
        )
