"""Sign-in, tokens, expiry and device revocation on the hub."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from counsellor_app.hub.app import Hub
from counsellor_app.hub.seed import DEMO_PASSWORD
from counsellor_app.hub.tables import Token, User

from .conftest import Clock, login


def _login(client: TestClient, user: str, password: str, device: str = "laptop-0001"):
    return client.post("/v1/login", json={"user": user, "password": password, "device_id": device})


def test_login_gives_short_lived_access_and_device_bound_refresh(client: TestClient) -> None:
    answer = _login(client, "counsellor-cardiff", DEMO_PASSWORD)
    assert answer.status_code == 200
    body = answer.json()
    assert body["role"] == "counsellor" and body["team"] == "team-cardiff"
    assert body["access_expires_in"] == 15 * 60
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["device_id"] == "laptop-0001"


def test_wrong_password_and_unknown_user_get_the_same_answer(client: TestClient) -> None:
    wrong = _login(client, "counsellor-cardiff", "not-the-password")
    unknown = _login(client, "nobody", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "bad_credentials"


def test_tokens_and_passwords_are_stored_only_as_hashes(client: TestClient, hub: Hub) -> None:
    tokens = _login(client, "counsellor-cardiff", DEMO_PASSWORD).json()
    with hub.db.reading() as s:
        stored = {t.token_hash for t in s.query(Token)}
        password_hash = s.query(User).filter_by(name="counsellor-cardiff").one().password_hash
    assert tokens["access_token"] not in stored and tokens["refresh_token"] not in stored
    assert password_hash.startswith("$argon2id$")


def test_expired_access_token_is_refused_with_401(client: TestClient, clock: Clock) -> None:
    headers = login(client, "counsellor-cardiff")
    clock.advance(dt.timedelta(minutes=16))
    for answer in (client.get("/v1/changes", headers=headers),
                   client.post("/v1/outbox", headers=headers, json={"items": []})):
        assert answer.status_code == 401
        assert answer.json()["code"] == "token_expired"
        assert answer.headers["www-authenticate"] == "Bearer"


def test_refresh_rotates_the_refresh_token(client: TestClient, clock: Clock) -> None:
    first = _login(client, "clinician-cardiff", DEMO_PASSWORD).json()
    clock.advance(dt.timedelta(minutes=20))
    renewed = client.post("/v1/refresh", json={"refresh_token": first["refresh_token"],
                                               "device_id": "laptop-0001"})
    assert renewed.status_code == 200
    headers = {"Authorization": f"Bearer {renewed.json()['access_token']}"}
    assert client.get("/v1/changes", headers=headers).status_code == 200
    again = client.post("/v1/refresh", json={"refresh_token": first["refresh_token"],
                                             "device_id": "laptop-0001"})
    assert again.status_code == 401


def test_refresh_token_is_bound_to_its_device(client: TestClient) -> None:
    first = _login(client, "clinician-cardiff", DEMO_PASSWORD).json()
    other = client.post("/v1/refresh", json={"refresh_token": first["refresh_token"],
                                             "device_id": "another-laptop"})
    assert other.status_code == 401


def test_revoked_device_is_told_to_wipe_on_every_endpoint(client: TestClient, hub: Hub) -> None:
    tokens = _login(client, "counsellor-cardiff", DEMO_PASSWORD, device="stolen-laptop").json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert hub.accounts.revoke_device("stolen-laptop")
    answers = [
        client.get("/v1/changes", headers=headers),
        client.post("/v1/outbox", headers=headers, json={"items": []}),
        client.get("/v1/me", headers=headers),
        client.post("/v1/refresh", json={"refresh_token": tokens["refresh_token"],
                                         "device_id": "stolen-laptop"}),
        _login(client, "counsellor-cardiff", DEMO_PASSWORD, device="stolen-laptop"),
    ]
    for answer in answers:
        assert answer.status_code == 410, answer.text
        assert answer.json()["wipe"] is True
        assert answer.json()["code"] == "device_revoked"


def test_admin_can_revoke_a_device_over_the_api(client: TestClient) -> None:
    victim = login(client, "counsellor-cardiff", device="lost-laptop-42")
    admin = login(client, "admin")
    assert client.post("/v1/admin/devices/lost-laptop-42/revoke",
                       headers=admin).json() == {"revoked": True}
    assert client.get("/v1/changes", headers=victim).status_code == 410
    counsellor = login(client, "counsellor-manchester")
    refused = client.post("/v1/admin/devices/lost-laptop-42/revoke", headers=counsellor)
    assert refused.status_code == 403


def test_missing_or_forged_token_is_refused(client: TestClient) -> None:
    assert client.get("/v1/changes").status_code == 401
    forged = client.get("/v1/changes", headers={"Authorization": "Bearer not-a-token"})
    assert forged.status_code == 401


def test_repeated_failed_sign_ins_are_throttled(client: TestClient, clock: Clock) -> None:
    for _ in range(10):
        assert _login(client, "clinician-cardiff", "guess").status_code == 401
    blocked = _login(client, "clinician-cardiff", DEMO_PASSWORD)
    assert blocked.status_code == 429 and blocked.json()["code"] == "too_many_attempts"
    assert _login(client, "counsellor-cardiff", DEMO_PASSWORD).status_code == 200
    clock.advance(dt.timedelta(minutes=16))
    assert _login(client, "clinician-cardiff", DEMO_PASSWORD).status_code == 200
