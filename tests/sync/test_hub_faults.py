"""Hub faults injected in front of the real hub: retried where safe, never half-applied."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from counsellor_app.hub.server import RunningHub
from counsellor_app.store.engine import Cache, integrity_check
from counsellor_app.store.outbox import OutboxState
from counsellor_app.store.tables import (
    CaseEntityRow,
    ConsentDecisionRow,
    OutboxRow,
    ParticipantRow,
    SyncStateRow,
)
from counsellor_app.sync.errors import HubResponseInvalid, HubUnreachable

from .consent_helpers import adult_without_withdrawal, decision, record
from .faults import Fault, FaultyTransport
from .helpers import ClientDevice, NoWaitSleeper, hub_decisions, hub_nth_seq, hub_team_ids

USER = "counsellor-cardiff"
PAGE = 100


def snapshot(cache: Cache) -> tuple[str | None, int, int, int]:
    """Cursor and row counts: what a half-applied page would change."""
    with cache.read() as s:
        cursor = s.scalar(select(SyncStateRow.cursor))
        people = s.scalar(select(func.count()).select_from(ParticipantRow)) or 0
        cases = s.scalar(select(func.count()).select_from(CaseEntityRow)) or 0
        decisions = s.scalar(select(func.count()).select_from(ConsentDecisionRow)) or 0
    return cursor, people, cases, decisions


def participant_ids(cache: Cache) -> set[str]:
    with cache.read() as s:
        return set(s.scalars(select(ParticipantRow.participant_id)))


@pytest.mark.parametrize(
    "faults",
    [
        [Fault.SERVER_ERROR, Fault.SERVER_ERROR],
        [Fault.TIMEOUT_BEFORE, Fault.TIMEOUT_AFTER],
        [Fault.DROP_MID_RESPONSE],
    ],
    ids=["500s", "timeouts", "dropped-mid-response"],
)
def test_network_faults_on_the_change_feed_are_retried_and_the_sync_completes(
    small_hub: RunningHub,
    small_hub_db_url: str,
    devices: dict[str, ClientDevice],
    faults: list[Fault],
) -> None:
    transport = FaultyTransport()
    transport.add("/v1/changes", *faults)
    sleeper = NoWaitSleeper()
    client = devices["cardiff"]

    report = client.engine(small_hub.url, USER, transport=transport, sleeper=sleeper).run()

    assert report.retries == len(faults)
    assert len(sleeper.waits) == len(faults)
    assert participant_ids(client.cache) == hub_team_ids(small_hub_db_url, "team-cardiff")[
        "participants"
    ]
    assert integrity_check(client.cache) == []


@pytest.mark.parametrize("fault", [Fault.MALFORMED_JSON, Fault.WRONG_TYPE],
                         ids=["malformed-json", "wrong-type-in-one-record"])
def test_an_invalid_page_is_not_applied_at_all_and_sync_stops_with_a_plain_message(
    small_hub: RunningHub, small_hub_db_url: str, devices: dict[str, ClientDevice], fault: Fault
) -> None:
    client = devices["cardiff"]
    transport = FaultyTransport()
    transport.add("/v1/changes", fault, after=1)  # the first page intact, the second damaged

    with pytest.raises(HubResponseInvalid, match="none of that page was applied") as refused:
        client.engine(small_hub.url, USER, transport=transport, page_size=PAGE).run()

    assert "\n" not in str(refused.value)
    cursor, people, cases, decisions = snapshot(client.cache)
    assert cursor == str(hub_nth_seq(small_hub_db_url, "team-cardiff", PAGE))  # the first page's
    assert (people, cases, decisions) == (PAGE, 0, 0)
    assert integrity_check(client.cache) == []

    # the hub sends the page intact next time: sync carries on from the first page
    report = client.engine(small_hub.url, USER, page_size=PAGE).run()
    assert report.pulled["participant"] >= 1
    assert participant_ids(client.cache) == hub_team_ids(small_hub_db_url, "team-cardiff")[
        "participants"
    ]


def test_a_hub_that_keeps_failing_leaves_the_cache_as_it_was(
    small_hub: RunningHub, devices: dict[str, ClientDevice]
) -> None:
    client = devices["cardiff"]
    client.engine(small_hub.url, USER).run()
    before = snapshot(client.cache)
    transport = FaultyTransport()
    transport.add("/v1/changes", *[Fault.SERVER_ERROR] * 4)
    sleeper = NoWaitSleeper()

    with pytest.raises(HubUnreachable, match="even after 4 tries") as failed:
        client.engine(small_hub.url, USER, transport=transport, sleeper=sleeper, attempts=4).run()

    assert "HTTP 500" in str(failed.value) and "\n" not in str(failed.value)
    assert snapshot(client.cache) == before
    ceilings = [min(4.0, 0.5 * 2**n) for n in range(3)]
    assert all(0 <= w <= c for w, c in zip(sleeper.waits, ceilings, strict=True))


@pytest.mark.parametrize("fault", [Fault.TIMEOUT_AFTER, Fault.DROP_MID_RESPONSE],
                         ids=["answer-timed-out", "answer-cut-off"])
def test_a_push_whose_answer_is_lost_is_resent_and_recorded_once(
    small_hub: RunningHub, small_hub_db_url: str, devices: dict[str, ClientDevice], fault: Fault
) -> None:
    client = devices["cardiff"]
    client.engine(small_hub.url, USER).run()
    participant_id = adult_without_withdrawal(client.cache)
    granted = decision(participant_id)
    record(client.cache, granted)
    transport = FaultyTransport()
    plan = transport.add("/v1/outbox", fault)

    report = client.engine(small_hub.url, USER, transport=transport).run()

    assert plan.seen == [fault]  # the hub applied it, the answer never arrived
    assert (report.pushed, report.duplicate, report.applied) == (1, 1, 0)
    on_hub = [d for d in hub_decisions(small_hub_db_url, participant_id)
              if d["decision_id"] == granted.decision_id]
    assert len(on_hub) == 1
    with client.cache.read() as s:
        row = s.scalars(select(OutboxRow)).one()
    assert row.state == OutboxState.DUPLICATE.value and row.attempts == 1


def test_a_push_that_cannot_get_through_stays_queued_and_goes_next_time(
    small_hub: RunningHub, small_hub_db_url: str, devices: dict[str, ClientDevice]
) -> None:
    client = devices["cardiff"]
    client.engine(small_hub.url, USER).run()
    participant_id = adult_without_withdrawal(client.cache)
    granted = decision(participant_id)
    record(client.cache, granted)
    transport = FaultyTransport()
    transport.add("/v1/outbox", *[Fault.SERVER_ERROR] * 3)

    with pytest.raises(HubUnreachable):
        client.engine(small_hub.url, USER, transport=transport, attempts=3).run()

    with client.cache.read() as s:
        row = s.scalars(select(OutboxRow)).one()
    assert row.state == OutboxState.PENDING.value
    assert row.last_error and "HTTP 500" in row.last_error
    assert not [d for d in hub_decisions(small_hub_db_url, participant_id)
                if d["decision_id"] == granted.decision_id]

    report = client.engine(small_hub.url, USER).run()

    assert (report.pushed, report.applied) == (1, 1)
    assert len([d for d in hub_decisions(small_hub_db_url, participant_id)
                if d["decision_id"] == granted.decision_id]) == 1

