"""The researcher's side: requests by pseudonymous id reach the team; nothing identifies anyone."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from counsellor_app.hub.app import Hub

from .conftest import START, login, participants_of
from .test_change_feed import pull_all


def identifiers_of(participant) -> list[str]:
    """Every identifying string of a participant, as it could appear in JSON."""
    found = [participant.nhs_number, participant.given_name, participant.family_name,
             participant.date_of_birth.isoformat(), participant.address.postcode,
             *participant.address.lines]
    if participant.gp is not None:
        found += [participant.gp.name, participant.gp.practice, participant.gp.address.postcode]
    for rep in participant.representatives:
        found += [rep.name, rep.address.postcode, *rep.address.lines]
    return [f for f in found if f and len(f) > 3]


def test_a_researchers_request_reaches_the_participants_team_only(
    client: TestClient, hub: Hub, cardiff: dict[str, str], manchester: dict[str, str]
) -> None:
    participant, _ = participants_of(hub, "team-cardiff")[5]
    researcher = login(client, "researcher")
    answer = client.post("/v1/research/requests", headers=researcher, json={
        "participant_id": participant.participant_id, "kind": "researcher_collaboration",
        "asked": "Phenotype details for a cohort study.",
        "due_on": (START + dt.timedelta(days=30)).date().isoformat()})
    assert answer.status_code == 201, answer.text
    request_id = answer.json()["request_id"]
    arrived = [c.data for c in pull_all(client, cardiff) if c.kind == "request"
               and c.data.request_id == request_id]
    assert len(arrived) == 1
    assert arrived[0].status.value == "new"
    assert arrived[0].requester.institution == "Demo Research Institute"
    assert not [c for c in pull_all(client, manchester) if c.kind == "request"
                and c.data.request_id == request_id]


def test_researcher_views_contain_no_identifier(client: TestClient, hub: Hub) -> None:
    researcher = login(client, "researcher")
    everyone = [p for team in ("team-cardiff", "team-manchester")
                for p, _ in participants_of(hub, team)[:6]]
    texts = []
    for participant in everyone:
        made = client.post("/v1/research/requests", headers=researcher, json={
            "participant_id": participant.participant_id, "kind": "publication",
            "asked": "Permission to publish the variant in a case series."})
        assert made.status_code == 201
        texts.append(made.text)
        texts.append(client.get(f"/v1/research/requests/{made.json()['request_id']}",
                                headers=researcher).text)
    texts.append(client.get("/v1/research/requests", headers=researcher).text)
    listed = client.get("/v1/research/requests", headers=researcher).json()["requests"]
    assert len(listed) == len(everyone)
    blob = "\n".join(texts)
    for participant in everyone:
        for identifier in identifiers_of(participant):
            assert identifier not in blob
    for field in ("nhs_number", "given_name", "family_name", "date_of_birth", "address",
                  "postcode", "gp", "representatives", "response"):
        assert f'"{field}"' not in blob


def test_researcher_cannot_reach_team_endpoints_or_others_requests(
    client: TestClient, hub: Hub
) -> None:
    researcher = login(client, "researcher")
    assert client.get("/v1/changes", headers=researcher).status_code == 403
    assert client.post("/v1/outbox", headers=researcher, json={"items": []}).status_code == 403
    assert client.get("/v1/admin/audit", headers=researcher).status_code == 403
    seeded = [c.data.request_id for c in pull_all(client, login(client, "counsellor-cardiff"))
              if c.kind == "request"]
    assert client.get(f"/v1/research/requests/{seeded[0]}",
                      headers=researcher).status_code == 404


def test_unknown_pseudonym_and_expert_opinion_are_refused(client: TestClient) -> None:
    researcher = login(client, "researcher")
    unknown = client.post("/v1/research/requests", headers=researcher, json={
        "participant_id": "P-NOBODY", "kind": "publication", "asked": "x"})
    assert unknown.status_code == 404
    expert = client.post("/v1/research/requests", headers=researcher, json={
        "participant_id": "P-NOBODY", "kind": "expert_opinion", "asked": "x"})
    assert expert.status_code == 422
    team_member = login(client, "counsellor-cardiff")
    assert client.post("/v1/research/requests", headers=team_member, json={
        "participant_id": "P-NOBODY", "kind": "publication", "asked": "x"}).status_code == 403


def test_research_submissions_are_audited(client: TestClient, hub: Hub) -> None:
    participant, _ = participants_of(hub, "team-manchester")[0]
    researcher = login(client, "researcher")
    client.post("/v1/research/requests", headers=researcher, json={
        "participant_id": participant.participant_id, "kind": "clinical_trial",
        "asked": "Eligibility screen for a trial."})
    events = client.get("/v1/admin/audit", params={"participant_id": participant.participant_id},
                        headers=login(client, "admin")).json()["events"]
    assert [e["action"] for e in events if e["actor"] == "researcher"] == [
        "research.request_submitted"]
