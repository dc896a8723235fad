"""Two teams' clients sync from one real hub: each sees exactly its team; consent travels."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from counsellor_app.hub.database import Database
from counsellor_app.hub.records import Records
from counsellor_app.hub.server import RunningHub
from counsellor_app.store.engine import Cache, integrity_check
from counsellor_app.store.outbox import OutboxState
from counsellor_app.store.summary import refresh_summary
from counsellor_app.store.tables import (
    CaseEntityRow,
    ConsentDecisionRow,
    OutboxRow,
    ParticipantRow,
    RequestRow,
    ResultRow,
    SyncStateRow,
)

from .consent_helpers import adult_without_withdrawal, decision, record
from .helpers import ClientDevice, hub_decisions, hub_team_ids


def cache_ids(cache: Cache) -> dict[str, set[str]]:
    with cache.read() as s:
        return {
            "participants": set(s.scalars(select(ParticipantRow.participant_id))),
            "cases": set(s.scalars(select(CaseEntityRow.case_id))),
            "results": set(s.scalars(select(ResultRow.result_id))),
            "requests": set(s.scalars(select(RequestRow.request_id))),
            "decisions": set(s.scalars(select(ConsentDecisionRow.decision_id))),
        }


def test_each_team_receives_exactly_its_own_caseload(
    hub: RunningHub, hub_db_url: str, devices: dict[str, ClientDevice]
) -> None:
    cardiff, manchester = devices["cardiff"], devices["manchester"]

    report_c = cardiff.engine(hub.url, "counsellor-cardiff").run()
    report_m = manchester.engine(hub.url, "counsellor-manchester").run()

    expected_c = hub_team_ids(hub_db_url, "team-cardiff")
    expected_m = hub_team_ids(hub_db_url, "team-manchester")
    assert cache_ids(cardiff.cache) == expected_c
    assert cache_ids(manchester.cache) == expected_m
    assert not expected_c["participants"] & expected_m["participants"]
    assert len(expected_c["participants"]) > 400
    assert report_c.pulled["participant"] >= len(expected_c["participants"])
    assert report_c.pages > 1  # 500 a page: the feed really was paged
    assert report_m.cursor is not None and int(report_m.cursor) > 0
    for device in (cardiff, manchester):
        assert integrity_check(device.cache) == []
    assert_summaries_match_the_stores_own_computation(cardiff.cache)

    # nothing new: a second sync receives and sends nothing, and keeps its cursor
    again = cardiff.engine(hub.url, "counsellor-cardiff").run()
    assert (again.pulled_total, again.pushed, again.cursor) == (0, 0, report_c.cursor)
    with cardiff.cache.read() as s:
        state = s.get(SyncStateRow, hub.url)
        assert state is not None and state.user_name == "counsellor-cardiff"


def assert_summaries_match_the_stores_own_computation(cache: Cache) -> None:
    """The case-list columns written in bulk equal store.summary.refresh_summary's."""
    columns = (
        ParticipantRow.participant_id,
        ParticipantRow.latest_result_id,
        ParticipantRow.new_result_count,
        ParticipantRow.open_request_count,
        ParticipantRow.next_request_due,
        ParticipantRow.withdrawal_level,
        ParticipantRow.additional_findings_declined,
        ParticipantRow.research_contact_declined,
        ParticipantRow.reconsent_from,
        ParticipantRow.has_conflict,
    )
    with cache.read() as s:
        everyone = s.execute(select(*columns).order_by(ParticipantRow.participant_id)).all()
    # the store's one-by-one computation is slow: compare every flagged participant and 60 more
    flagged = [row for row in everyone if any(row[1:])]
    sample = {row[0]: row for row in [*flagged[:240], *everyone[:60]]}
    with cache.write() as s:
        refresh_summary(s, list(sample), today=dt.datetime.now(dt.UTC).date())
    with cache.read() as s:
        recomputed = s.execute(
            select(*columns).where(ParticipantRow.participant_id.in_(list(sample)))
        ).all()
    assert {row[0]: row for row in recomputed} == sample
    after_sync = list(sample.values())
    assert any(row.latest_result_id for row in after_sync)
    assert any(row.open_request_count for row in after_sync)
    assert any(row.withdrawal_level for row in after_sync)
    assert any(row.additional_findings_declined for row in after_sync)


def test_consent_recorded_on_one_client_reaches_the_hub_and_a_teammate(
    hub: RunningHub, hub_db_url: str, devices: dict[str, ClientDevice]
) -> None:
    counsellor, clinician = devices["counsellor"], devices["clinician"]
    counsellor.engine(hub.url, "counsellor-cardiff").run()
    clinician.engine(hub.url, "clinician-cardiff").run()
    participant_id = adult_without_withdrawal(counsellor.cache)
    granted = decision(participant_id)
    record(counsellor.cache, granted)

    pushed = counsellor.engine(hub.url, "counsellor-cardiff").run()

    assert (pushed.pushed, pushed.applied) == (1, 1)
    on_hub = [d for d in hub_decisions(hub_db_url, participant_id)
              if d["decision_id"] == granted.decision_id]
    assert len(on_hub) == 1 and on_hub[0]["scope"] == "contact_for_research"
    with counsellor.cache.read() as s:
        row = s.get(OutboxRow, pushed.attention and "" or _only_outbox_id(counsellor.cache))
        assert row is not None and row.state == OutboxState.APPLIED.value

    report = clinician.engine(hub.url, "clinician-cardiff").run()

    assert report.pulled.get("consent_decision", 0) >= 1
    with clinician.cache.read() as s:
        arrived = s.get(ConsentDecisionRow, granted.decision_id)
        assert arrived is not None and arrived.decision == "granted"
        count = s.scalar(
            select(func.count()).select_from(ConsentDecisionRow)
            .where(ConsentDecisionRow.participant_id == participant_id)
        )
    assert count == len(hub_decisions(hub_db_url, participant_id))


def _only_outbox_id(cache: Cache) -> str:
    with cache.read() as s:
        ids = list(s.scalars(select(OutboxRow.id)))
    assert len(ids) == 1
    return ids[0]


def test_a_participant_moved_to_another_team_leaves_one_cache_and_arrives_in_the_other(
    hub: RunningHub, hub_db_url: str, devices: dict[str, ClientDevice]
) -> None:
    cardiff, manchester = devices["cardiff"], devices["manchester"]
    cardiff.engine(hub.url, "counsellor-cardiff").run()
    manchester.engine(hub.url, "counsellor-manchester").run()
    with cardiff.cache.read() as s:
        moving = s.scalars(
            select(ConsentDecisionRow.participant_id).order_by(ConsentDecisionRow.decision_id)
        ).first()
    assert moving is not None
    held_before = cache_ids(cardiff.cache)
    move_to_team(hub_db_url, moving, "team-manchester")

    left = cardiff.engine(hub.url, "counsellor-cardiff").run()
    arrived = manchester.engine(hub.url, "counsellor-manchester").run()

    assert left.pulled.get("removal") == 1
    assert arrived.pulled.get("participant", 0) >= 1
    assert cache_ids(cardiff.cache) == hub_team_ids(hub_db_url, "team-cardiff")
    assert cache_ids(manchester.cache) == hub_team_ids(hub_db_url, "team-manchester")
    gone = held_before["decisions"] - cache_ids(cardiff.cache)["decisions"]
    assert gone and gone <= cache_ids(manchester.cache)["decisions"]
    for device in (cardiff, manchester):
        assert integrity_check(device.cache) == []


def move_to_team(db_url: str, participant_id: str, team: str) -> None:
    """What the upstream feed does when a participant's care moves to another team."""
    db = Database(db_url)
    try:
        with db.writing() as session:
            records = Records(session)
            wire = records.participant(participant_id, lock=True)
            assert wire is not None
            records.put_participant(wire.model_copy(update={"team": team}))
            records.finish()
    finally:
        db.dispose()
