"""Every authenticated endpoint refuses expired tokens (401), revoked devices (410) and roles."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from fastapi.testclient import TestClient

from counsellor_app.hub.app import Hub

from .conftest import START, Clock, login, participants_of
from .test_change_feed import pull_all
from .test_outbox import letter_item, send

ENDPOINTS = [
    ("GET", "/v1/me", None, None),
    ("GET", "/v1/changes", None, "counsellor-cardiff"),
    ("POST", "/v1/outbox", {"items": []}, "counsellor-cardiff"),
    ("POST", "/v1/research/requests",
     {"participant_id": "P-X", "kind": "publication", "asked": "x"}, "researcher"),
    ("GET", "/v1/research/requests", None, "researcher"),
    ("GET", "/v1/research/requests/REQ-X", None, "researcher"),
    ("POST", "/v1/feed/import", {"format": "counsellor-hub-import", "version": 1,
                                 "source": "t"}, "feed"),
    ("GET", "/v1/admin/audit", None, "admin"),
    ("POST", "/v1/admin/devices/some-device/revoke", None, "admin"),
]
USERS = ["counsellor-cardiff", "clinician-manchester", "researcher", "feed", "admin"]


def call(client: TestClient, method: str, path: str, body, headers):  # noqa: ANN001, ANN201
    return client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path", "body", "owner"), ENDPOINTS)
def test_expired_revoked_and_wrong_role_are_refused_everywhere(
    client: TestClient, hub: Hub, clock: Clock, method: str, path: str, body, owner
) -> None:
    for user in USERS:
        answer = call(client, method, path, body, login(client, user))
        allowed = owner is None or user == owner or (
            owner == "counsellor-cardiff" and user == "clinician-manchester")
        assert (answer.status_code != 403) == allowed, (user, answer.status_code)
    device = f"dev-{uuid.uuid4()}"
    headers = login(client, owner or "admin", device=device)
    clock.advance(dt.timedelta(minutes=16))
    expired = call(client, method, path, body, headers)
    assert expired.status_code == 401 and expired.json()["code"] == "token_expired"
    clock.now = START
    hub.accounts.revoke_device(device)
    revoked = call(client, method, path, body, headers)
    assert revoked.status_code == 410 and revoked.json()["wipe"] is True


def test_another_teams_request_and_letter_are_rejected(
    client: TestClient, hub: Hub, cardiff: dict[str, str], manchester: dict[str, str]
) -> None:
    changes = pull_all(client, cardiff, limit=2000)
    request = next(c.data for c in changes if c.kind == "request")
    case = next(c.data for c in changes if c.kind == "case")
    participant = next(p for p, _ in participants_of(hub, "team-cardiff")
                       if p.participant_id == case.participant_id)
    respond = {"id": str(uuid.uuid4()), "kind": "request_response",
               "payload": {"request_id": request.request_id, "status": "closed",
                           "response": "Closing.", "at": START.isoformat(), "by": "x"}}
    answers = send(client, manchester, respond, letter_item(participant, case.case_id,
                                                            "consent-confirmation"))
    assert [a["outcome"] for a in answers] == ["rejected", "rejected"]
    assert all("your team" in a["reason"] for a in answers)
