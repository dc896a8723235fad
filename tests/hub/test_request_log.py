"""The hub's log never holds a patient identifier: a real ``serve`` at debug level takes an import,
syncs, outbox items (applied and rejected), research and admin requests, bad paths and failed
sign-ins, and its whole output is searched for every identifier of the synthetic dataset."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from counsellor_app.demo import generate, identifying_strings
from counsellor_app.demo.synthetic import Dataset
from counsellor_app.hub.app import Hub, create_app
from counsellor_app.hub.database import Database
from counsellor_app.hub.seed import DEMO_PASSWORD, seed
from counsellor_app.protocol.entities import CaseWire, ParticipantWire, RequestWire, ResultWire
from counsellor_app.protocol.importing import FeedRequest, FeedResult

from .conftest import consent_item, fast_settings
from .hub_process import HubProcess, hub_env

TEAM = "team-cardiff"
# Dates of birth are all before this, so none can be today's date in a log line's timestamp.
REFERENCE = dt.date(2025, 6, 30)


def import_document(dataset: Dataset) -> dict[str, Any]:
    """The dataset as the upstream feed would send it."""
    def feed(wire: Any, model: Any) -> dict[str, Any]:
        data = wire.model_dump(mode="json")
        return {k: v for k, v in data.items() if k in model.model_fields}

    return {
        "format": "counsellor-hub-import", "version": 1, "source": "log test",
        "participants": [ParticipantWire.from_domain(p).model_dump(mode="json")
                         for p in dataset.participants],
        "cases": [CaseWire.from_domain(c).model_dump(mode="json") for c in dataset.cases],
        "results": [feed(ResultWire.from_domain(r), FeedResult) for r in dataset.results
                    if r.kind.value != "researcher_identified"],
        "requests": [feed(RequestWire.from_domain(q), FeedRequest) for q in dataset.requests],
    }


def hits(text: str, identifiers: set[str]) -> list[str]:
    lowered = text.lower()
    return sorted(s for s in identifiers if s.lower() in lowered)


def _login(client: httpx.Client, user: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    answer = client.post("/v1/login", json={"user": user, "password": password,
                                            "device_id": f"device-{uuid.uuid4()}"})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_a_busy_hub_logs_no_patient_identifier(tmp_path: Path) -> None:
    dataset = generate(12, seed=23, teams=(TEAM,), reference_date=REFERENCE)
    identifiers = identifying_strings(dataset)
    someone = dataset.participants[0]
    db_url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    db = Database(db_url)
    db.migrate()
    seed(db, fast_settings(), 0, teams=(TEAM,), reference_date=REFERENCE)  # team and users only
    db.dispose()
    (tmp_path / "hub.toml").write_text(f'db_url = "{db_url}"\nport = 0\nlog_level = "debug"\n'
                                       'behind_tls_proxy = true\n'
                                       'forwarded_allow_ips = "127.0.0.1"\n')
    hub = HubProcess(["serve", "--config", str(tmp_path / "hub.toml")], hub_env(tmp_path),
                     tmp_path)
    try:
        with httpx.Client(base_url=hub.url, timeout=30) as client:
            assert client.get("/v1/ready", headers={"X-Forwarded-For": "10.9.8.7",
                                                    "X-Forwarded-Proto": "https"}).is_success
            feed = _login(client, "feed")
            document = import_document(dataset)
            answer = client.post("/v1/feed/import", json=document, headers=feed)
            assert answer.status_code == 200 and answer.json()["applied"], answer.text
            refused = dict(document, participants=[dict(document["participants"][1],
                                                        nhs_number="9990000000")])
            assert client.post("/v1/feed/import", json=refused, headers=feed).status_code == 422

            counsellor = _login(client, "counsellor-cardiff")
            page = client.get("/v1/changes", params={"since": 0, "limit": 1000,
                                                     "q": someone.family_name},
                              headers=counsellor).json()
            assert len(page["changes"]) > len(dataset.participants)
            items = [consent_item(p.participant_id, at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
                     for p in dataset.participants[:4]]
            items.append(consent_item("P-NOT-HERE"))
            items.append(consent_item(someone.participant_id, scope="no-such-scope",
                                      given_by_name=f"{someone.given_name} "
                                                    f"{someone.family_name}"))
            outcomes = [a["outcome"] for a in client.post(
                "/v1/outbox", json={"items": items}, headers=counsellor).json()["answers"]]
            assert "applied" in outcomes and "rejected" in outcomes
            assert client.post("/v1/outbox", json={"items": [{"id": "x", "kind": "nonsense",
                                                              "payload": someone.nhs_number}]},
                               headers=counsellor).status_code in (200, 422)

            researcher = _login(client, "researcher")
            assert client.post("/v1/research/requests", headers=researcher, json={
                "participant_id": someone.participant_id, "kind": "publication",
                "asked": f"About {someone.given_name} {someone.family_name}, born "
                         f"{someone.date_of_birth.isoformat()}"}).status_code == 201
            assert client.get(f"/v1/research/requests/{someone.nhs_number}",
                              headers=researcher).status_code == 404
            admin = _login(client, "admin")
            assert client.get("/v1/admin/audit", headers=admin, params={
                "participant_id": someone.participant_id,
                "actor": someone.address.postcode}).status_code == 200
            assert client.get(f"/v1/{someone.given_name} {someone.family_name}/"
                              f"{someone.nhs_number}").status_code == 404
            assert client.post("/v1/login", json={
                "user": f"{someone.given_name} {someone.family_name}",
                "password": someone.address.postcode, "device_id": someone.nhs_number,
            }).status_code == 401
    finally:
        code, output = hub.stop()
    assert code in (0, -15), output  # uvicorn re-raises SIGTERM once it has shut down
    assert "POST /v1/feed/import status=200" in output
    assert "GET /v1/research/requests/{request_id} status=404" in output
    assert "role=counsellor device=device-" in output
    assert "GET /v1/ready status=200" in output and "client=10.9.8.7" in output  # via the proxy
    assert hits(output, identifiers) == []


@pytest.mark.parametrize("hub_db_url", ["sqlite"], indirect=True)  # engine-agnostic
def test_an_unexpected_failure_is_logged_by_type_and_place_only(
    hub_db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(hub_db_url)
    app = create_app(Hub(db, fast_settings()))

    def explode() -> None:
        raise ValueError("Siân Evans, 999 123 4560, born 2019-03-03, CF10 3AT")

    app.add_api_route("/v1/explode", explode)
    with caplog.at_level(logging.INFO, logger="counsellor_app.hub"), \
            TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/v1/explode?who=Si%C3%A2n")
    db.dispose()
    assert answer.status_code == 500 and answer.json()["code"] == "internal_error"
    error_id = answer.json()["detail"].split("error id ")[1].split(")")[0]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"error id={error_id} type=ValueError at " in logged
    assert "test_request_log.py" in logged
    assert "GET /v1/explode status=500" in logged
    assert hits(logged, {"Siân Evans", "999 123 4560", "2019-03-03", "CF10 3AT", "Si%C3%A2n"}) \
        == []
