"""Every hub answer is kept on its outbox row; rejected and conflicting ones are listed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from counsellor_app.domain.consent import ConsentDecision, ConsentScope, Decision, WithdrawalLevel
from counsellor_app.hub.server import RunningHub
from counsellor_app.store.consent_repo import resolve_conflict
from counsellor_app.store.outbox import OutboxKind, OutboxState, enqueue, needing_attention
from counsellor_app.store.tables import ConsentDecisionRow, OutboxRow, ParticipantRow

from .consent_helpers import adult_without_withdrawal, decision, record
from .helpers import ClientDevice, hub_decisions

USER = "counsellor-cardiff"


def test_a_rejected_change_is_kept_with_the_hubs_reason_and_listed(
    small_hub: RunningHub, devices: dict[str, ClientDevice]
) -> None:
    client = devices["counsellor"]
    client.engine(small_hub.url, USER).run()
    now = dt.datetime.now(dt.UTC)
    with client.cache.write() as s:
        bad_id = enqueue(
            s, OutboxKind.RESULT_STATE,
            {"result_id": "no-such-result", "counsellor_state": "reviewed",
             "informed_how": None, "at": now.isoformat(), "by": USER},
            record_type="result", record_id="no-such-result",
        )

    report = client.engine(small_hub.url, USER).run()

    assert (report.pushed, report.rejected) == (1, 1)
    assert report.attention[0]["id"] == bad_id and report.attention[0]["outcome"] == "rejected"
    with client.cache.read() as s:
        row = s.get(OutboxRow, bad_id)
        listed = needing_attention(s)
    assert row is not None and row.state == OutboxState.REJECTED.value
    assert row.answer_reason
    assert [item.id for item in listed] == [bad_id]
    # a rejected row is final: the next sync does not send it again
    assert client.engine(small_hub.url, USER).run().pushed == 0


def make_conflict(
    hub_url: str, counsellor: ClientDevice, clinician: ClientDevice
) -> tuple[ConsentDecision, ConsentDecision]:
    """A withdrawal at 09:00 recorded by the clinician and synced, then a grant at 10:00
    recorded offline by the counsellor (not yet sent). Returns (withdrawal, grant)."""
    counsellor.engine(hub_url, USER).run()
    clinician.engine(hub_url, "clinician-cardiff").run()
    participant_id = adult_without_withdrawal(counsellor.cache)
    now = dt.datetime.now(dt.UTC)
    withdrawal = decision(
        participant_id, scope=ConsentScope.PROGRAMME, choice=Decision.WITHDRAWN,
        withdrawal_level=WithdrawalLevel.NO_FURTHER_CONTACT,
        effective_from=now - dt.timedelta(hours=2), recorded_by="clinician-cardiff",
    )
    record(clinician.cache, withdrawal, actor="clinician-cardiff")
    clinician.engine(hub_url, "clinician-cardiff").run()
    grant = decision(participant_id, effective_from=now - dt.timedelta(hours=1))
    record(counsellor.cache, grant)  # offline: the counsellor has not heard of the withdrawal
    return withdrawal, grant


def test_an_offline_grant_overtaken_by_a_withdrawal_elsewhere_is_a_kept_conflict(
    small_hub: RunningHub, small_hub_db_url: str, devices: dict[str, ClientDevice]
) -> None:
    """Rule 5 / H5: a grant at 10:00 recorded offline, a withdrawal at 09:00 recorded elsewhere."""
    counsellor, clinician = devices["counsellor"], devices["clinician"]
    withdrawal, grant = make_conflict(small_hub.url, counsellor, clinician)
    participant_id = grant.participant_id


    report = counsellor.engine(small_hub.url, USER).run()

    assert (report.pushed, report.conflict) == (1, 1)
    with counsellor.cache.read() as s:
        row = s.scalars(select(OutboxRow).where(OutboxRow.record_id == grant.decision_id)).one()
        kept = s.get(ConsentDecisionRow, grant.decision_id)
        person = s.scalars(
            select(ParticipantRow).where(ParticipantRow.participant_id == participant_id)
        ).one()
        listed = [item.id for item in needing_attention(s)]
    assert row.state == OutboxState.CONFLICT.value
    assert row.answer_reason and "withdrawal recorded elsewhere" in row.answer_reason
    assert row.id in listed
    assert kept is not None and kept.conflict and kept.conflict_reason  # flag came back
    assert person.has_conflict and person.withdrawal_level == "no_further_contact"
    on_hub = {d["decision_id"]: d for d in hub_decisions(small_hub_db_url, participant_id)}
    assert on_hub[grant.decision_id]["conflict"] is True
    assert withdrawal.decision_id in on_hub


def test_a_conflict_resolved_here_reaches_the_hub_and_the_team(
    small_hub: RunningHub, small_hub_db_url: str, devices: dict[str, ClientDevice]
) -> None:
    counsellor, clinician = devices["counsellor"], devices["clinician"]
    _, grant = make_conflict(small_hub.url, counsellor, clinician)
    counsellor.engine(small_hub.url, USER).run()  # answered conflict; the flag comes back
    with counsellor.cache.write() as s:
        resolve_conflict(s, grant.decision_id, actor=USER,
                         note="Spoke to the participant: the withdrawal stands.")

    report = counsellor.engine(small_hub.url, USER).run()

    assert (report.pushed, report.applied) == (1, 1)
    on_hub = {d["decision_id"]: d for d in hub_decisions(small_hub_db_url, grant.participant_id)}
    assert on_hub[grant.decision_id]["conflict_resolved"] is True
    clinician.engine(small_hub.url, "clinician-cardiff").run()
    with clinician.cache.read() as s:
        seen = s.get(ConsentDecisionRow, grant.decision_id)
        person = s.scalars(
            select(ParticipantRow).where(ParticipantRow.participant_id == grant.participant_id)
        ).one()
    assert seen is not None and seen.conflict and seen.conflict_resolved
    assert not person.has_conflict
