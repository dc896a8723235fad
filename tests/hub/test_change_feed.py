"""The change feed: team scope, cursor order, paging, and pages the protocol can read."""

from __future__ import annotations

from fastapi.testclient import TestClient

from counsellor_app.hub.app import Hub
from counsellor_app.hub.tables import ParticipantRow
from counsellor_app.protocol.changes import ChangePage

from .conftest import login


def pull_all(client: TestClient, headers: dict[str, str], limit: int = 100) -> list:
    changes, cursor, more = [], 0, True
    while more:
        answer = client.get("/v1/changes", params={"since": cursor, "limit": limit},
                            headers=headers)
        assert answer.status_code == 200, answer.text
        page = ChangePage.model_validate_json(answer.content)
        assert page.next_cursor >= cursor
        changes += page.changes
        cursor, more = page.next_cursor, page.more
    return changes


def team_participants(hub: Hub, team: str) -> set[str]:
    with hub.db.reading() as s:
        return set(s.scalars(s.query(ParticipantRow.participant_id)
                             .filter(ParticipantRow.team == team).statement))


def test_a_team_sees_exactly_its_own_participants(client: TestClient, hub: Hub,
                                                  cardiff: dict[str, str]) -> None:
    changes = pull_all(client, cardiff)
    seen = {c.data.participant_id for c in changes if c.kind == "participant"}
    assert seen == team_participants(hub, "team-cardiff")
    assert all(c.data.participant_id in seen for c in changes if c.kind != "participant")
    assert {c.kind for c in changes} >= {"participant", "case", "result", "consent_decision"}


def test_paging_hands_out_every_change_once_in_cursor_order(client: TestClient,
                                                            cardiff: dict[str, str]) -> None:
    small = pull_all(client, cardiff, limit=7)
    whole = pull_all(client, cardiff, limit=2000)
    key = [(c.kind, c.model_dump_json()) for c in small]
    assert key == [(c.kind, c.model_dump_json()) for c in whole]
    assert len(set(key)) == len(key)


def test_parents_come_before_the_records_that_refer_to_them(client: TestClient,
                                                            cardiff: dict[str, str]) -> None:
    seen_participants: set[str] = set()
    seen_cases: set[str] = set()
    for change in pull_all(client, cardiff, limit=13):
        if change.kind == "participant":
            seen_participants.add(change.data.participant_id)
        elif change.kind == "case":
            assert change.data.participant_id in seen_participants
            seen_cases.add(change.data.case_id)
        elif change.kind in ("result", "request"):
            assert change.data.case_id in seen_cases


def test_an_empty_page_keeps_the_cursor(client: TestClient, cardiff: dict[str, str]) -> None:
    pull_all(client, cardiff)
    last = client.get("/v1/changes", params={"since": 10**9}, headers=cardiff).json()
    assert last == {"protocol": 1, "changes": [], "next_cursor": 10**9, "more": False}


def test_researcher_feed_and_admin_get_no_change_feed(client: TestClient) -> None:
    for user in ("researcher", "feed", "admin"):
        answer = client.get("/v1/changes", headers=login(client, user))
        assert answer.status_code == 403, user


def test_bad_limit_is_refused_plainly(client: TestClient, cardiff: dict[str, str]) -> None:
    answer = client.get("/v1/changes", params={"limit": 100000}, headers=cardiff)
    assert answer.status_code == 422
    assert "limit" in answer.json()["detail"]


def test_reading_the_feed_is_audited_per_participant(client: TestClient, hub: Hub,
                                                     cardiff: dict[str, str]) -> None:
    pull_all(client, cardiff)
    admin = login(client, "admin")
    events = client.get("/v1/admin/audit", params={"limit": 5000}, headers=admin).json()
    read = {e["participant_id"] for e in events["events"]
            if e["action"] == "sync.read" and e["actor"] == "counsellor-cardiff"}
    assert read == team_participants(hub, "team-cardiff")
    assert client.get("/v1/admin/audit", headers=login(client, "counsellor-cardiff")
                      ).status_code == 403
