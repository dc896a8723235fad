"""Outbox ingestion: applied, duplicate, rejected and conflict answers, and the hub's own rules."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi.testclient import TestClient

from counsellor_app.domain.consent import ConsentScope
from counsellor_app.hub.app import Hub

from .conftest import START, consent_item, login, participants_of
from .test_change_feed import pull_all


def send(client: TestClient, headers: dict[str, str], *items: dict) -> list[dict]:
    answer = client.post("/v1/outbox", json={"items": list(items)}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["answers"]


def reachable(hub: Hub, team: str = "team-cardiff"):
    """A living participant with no withdrawal and nothing held, and their ledger."""
    for participant, ledger in participants_of(hub, team):
        if ledger.may_contact_for_results(START.date()) and not ledger.conflicts():
            return participant, ledger
    raise AssertionError("the seed has no reachable participant")


def letter_item(participant, case_id: str, kind: str = "result", **extra: object) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "kind": "letter_record",
        "payload": {
            "letter_id": f"LET-{uuid.uuid4().hex[:10]}",
            "case_id": case_id,
            "participant_id": participant.participant_id,
            "kind": kind,
            "recipient": "participant",
            "format": "standard",
            "language": "en",
            "sha256": "0" * 64,
            "generated_by": "counsellor-cardiff",
            "generated_at": START.isoformat(),
            "status": "final",
            **extra,
        },
    }


def case_and_result_of(client: TestClient, headers: dict[str, str], participant_id: str,
                       *, kind: str | None = None):
    changes = pull_all(client, headers, limit=2000)
    cases = [c.data for c in changes if c.kind == "case" and c.data.participant_id ==
             participant_id]
    results = [c.data for c in changes if c.kind == "result" and c.data.participant_id ==
               participant_id and (kind is None or c.data.kind.value == kind)]
    return cases, results


def test_a_decision_is_applied_and_reaches_the_team_but_not_other_teams(
    client: TestClient, hub: Hub, cardiff: dict[str, str], manchester: dict[str, str]
) -> None:
    participant, _ = reachable(hub)
    item = consent_item(participant.participant_id, decision="declined")
    assert send(client, cardiff, item)[0]["outcome"] == "applied"
    other_device = login(client, "clinician-cardiff")
    mine = [c for c in pull_all(client, other_device) if c.kind == "consent_decision"
            and c.data.decision_id == item["payload"]["decision_id"]]
    assert len(mine) == 1
    theirs = [c for c in pull_all(client, manchester) if c.kind == "consent_decision"
              and c.data.decision_id == item["payload"]["decision_id"]]
    assert theirs == []


def test_the_same_item_sent_twice_is_recorded_once(client: TestClient, hub: Hub,
                                                   cardiff: dict[str, str]) -> None:
    participant, _ = reachable(hub)
    item = consent_item(participant.participant_id, decision="declined")
    first = send(client, cardiff, item)[0]
    again = send(client, cardiff, item)[0]
    assert first["outcome"] == "applied"
    assert again["outcome"] == "duplicate" and again["original"] == "applied"
    twin = consent_item(participant.participant_id, decision="declined")  # new ids, same decision
    assert send(client, cardiff, twin)[0]["outcome"] == "duplicate"
    recorded = [d for d in hub_decisions(hub, participant.participant_id)
                if d.scope is ConsentScope.CONTACT_FOR_RESEARCH and d.recorded_at == START]
    assert len(recorded) == 1


def hub_decisions(hub: Hub, participant_id: str):
    from counsellor_app.hub.records import Records

    with hub.db.reading() as s:
        return [d.to_domain() for d in Records(s).decisions_of(participant_id)]


def test_a_different_body_under_a_used_id_is_rejected(client: TestClient, hub: Hub,
                                                      cardiff: dict[str, str]) -> None:
    participant, _ = reachable(hub)
    item = consent_item(participant.participant_id, decision="declined")
    send(client, cardiff, item)
    changed = consent_item(participant.participant_id, decision="granted", item_id=item["id"])
    answer = send(client, cardiff, changed)[0]
    assert answer["outcome"] == "rejected"
    assert "already used for a different change" in answer["reason"]


def test_another_teams_participant_is_rejected_without_saying_it_exists(
    client: TestClient, hub: Hub, manchester: dict[str, str]
) -> None:
    participant, _ = reachable(hub, "team-cardiff")
    item = consent_item(participant.participant_id)
    theirs = send(client, manchester, item)[0]
    unknown = send(client, manchester, consent_item("P-NOBODY"))[0]
    assert theirs["outcome"] == unknown["outcome"] == "rejected"
    assert theirs["reason"] == unknown["reason"]
    assert participant.participant_id not in theirs["reason"]
    replay = send(client, manchester, item)[0]  # e.g. after a crash before the answer was kept
    assert (replay["outcome"], replay["original"]) == ("duplicate", "rejected")
    assert theirs["reason"] in replay["reason"]


def test_a_malformed_item_is_rejected_and_the_rest_of_the_batch_applied(
    client: TestClient, hub: Hub, cardiff: dict[str, str]
) -> None:
    participant, _ = reachable(hub)
    bad = consent_item(participant.participant_id, scope="everything")
    no_id = {"kind": "consent_decision", "payload": {}}
    good = consent_item(participant.participant_id, decision="declined")
    answers = send(client, cardiff, bad, no_id, good)
    assert [a["outcome"] for a in answers] == ["rejected", "rejected", "applied"]
    assert "scope" in answers[0]["reason"]
    assert "UUID" in answers[1]["reason"]


def test_a_grant_overtaken_by_an_earlier_withdrawal_elsewhere_is_kept_as_a_conflict(
    client: TestClient, hub: Hub, cardiff: dict[str, str]
) -> None:
    participant, _ = reachable(hub)
    pid = participant.participant_id
    clinician = login(client, "clinician-cardiff")
    withdrawal = consent_item(pid, scope="programme", decision="withdrawn",
                              withdrawal_level="no_further_contact",
                              at=START.replace(hour=9), recorded_by="clinician-cardiff")
    assert send(client, clinician, withdrawal)[0]["outcome"] == "applied"
    offline_grant = consent_item(pid, scope="contact_for_research", decision="granted",
                                 at=START.replace(hour=10))
    answer = send(client, cardiff, offline_grant)[0]
    assert answer["outcome"] == "conflict"
    assert "withdrawal recorded elsewhere" in answer["reason"]
    stored = [d for d in hub_decisions(hub, pid)
              if d.decision_id == offline_grant["payload"]["decision_id"]]
    assert stored and stored[0].conflict and stored[0].conflict_reason
    # the conflict holds letters until a person resolves it
    cases, results = case_and_result_of(client, cardiff, pid)
    letter = letter_item(participant, cases[0].case_id, "consent-confirmation")
    assert send(client, cardiff, letter)[0]["outcome"] == "rejected"


def test_a_deliberate_re_consent_naming_the_withdrawal_is_not_a_conflict(
    client: TestClient, hub: Hub, cardiff: dict[str, str]
) -> None:
    participant, _ = reachable(hub)
    pid = participant.participant_id
    withdrawal = consent_item(pid, scope="programme", decision="withdrawn",
                              withdrawal_level="no_further_contact",
                              at=START.replace(hour=9), recorded_by="clinician-cardiff")
    send(client, login(client, "clinician-cardiff"), withdrawal)
    regrant = consent_item(pid, scope="programme", decision="granted", at=START.replace(hour=11),
                           supersedes=withdrawal["payload"]["decision_id"])
    assert send(client, cardiff, regrant)[0]["outcome"] == "applied"


def test_additional_findings_letter_without_that_consent_is_rejected(
    client: TestClient, hub: Hub, cardiff: dict[str, str]
) -> None:
    """H1: the hub refuses the letter record even if a client wrote the letter."""
    participant = next(
        p for p, ledger in participants_of(hub, "team-cardiff")
        if ledger.may_contact_for_results(START.date())
        and not ledger.may_share_additional_findings(START.date())
    )
    cases, _ = case_and_result_of(client, cardiff, participant.participant_id)
    answer = send(client, cardiff, letter_item(participant, cases[0].case_id,
                                               "additional-findings"))[0]
    assert answer["outcome"] == "rejected"
    assert "additional" in answer["reason"].lower()
    grant = consent_item(participant.participant_id, scope="additional_findings",
                         decision="granted")
    assert send(client, cardiff, grant)[0]["outcome"] == "applied"
    later = letter_item(participant, cases[0].case_id, "additional-findings",
                        generated_at=(START + dt.timedelta(hours=1)).isoformat())
    assert send(client, cardiff, later)[0]["outcome"] == "applied"


def test_letter_to_a_deceased_or_withdrawn_participant_is_rejected(
    client: TestClient, hub: Hub, cardiff: dict[str, str]
) -> None:
    """H2, enforced by the hub."""
    barred = [(p, led) for p, led in participants_of(hub, "team-cardiff")
              if not led.may_contact_for_results(START.date())]
    assert any(p.life_status.value == "deceased" for p, _ in barred)
    changes = pull_all(client, cardiff, limit=2000)
    for participant, _ in barred:
        case = next(c.data for c in changes if c.kind == "case"
                    and c.data.participant_id == participant.participant_id)
        answer = send(client, cardiff, letter_item(participant, case.case_id,
                                                   "consent-confirmation"))[0]
        assert answer["outcome"] == "rejected", participant.participant_id
        assert "No contact" in answer["reason"] or "held" in answer["reason"]


def test_result_acknowledgement_follows_the_workflow(client: TestClient, hub: Hub,
                                                     cardiff: dict[str, str]) -> None:
    changes = pull_all(client, cardiff, limit=2000)
    result = next(c.data for c in changes if c.kind == "result"
                  and c.data.counsellor_state.value == "new" and c.data.superseded_by is None)

    def ack(state: str, how: str | None = None) -> dict:
        return {"id": str(uuid.uuid4()), "kind": "result_acknowledgement",
                "payload": {"result_id": result.result_id, "state": state, "informed_how": how,
                            "at": START.isoformat(), "by": "counsellor-cardiff"}}

    assert send(client, cardiff, ack("patient_informed", "letter"))[0]["outcome"] == "rejected"
    assert send(client, cardiff, ack("reviewed"))[0]["outcome"] == "applied"
    assert send(client, cardiff, ack("reviewed"))[0]["outcome"] == "duplicate"
    assert send(client, cardiff, ack("patient_informed", "phone"))[0]["outcome"] == "applied"
    manchester = login(client, "counsellor-manchester")
    assert send(client, manchester, ack("reviewed"))[0]["outcome"] == "rejected"


def test_request_response_follows_the_workflow(client: TestClient, hub: Hub,
                                               cardiff: dict[str, str]) -> None:
    changes = pull_all(client, cardiff, limit=2000)
    request = next(c.data for c in changes if c.kind == "request"
                   and c.data.status.value == "new")

    def respond(status: str, text: str | None = None) -> dict:
        return {"id": str(uuid.uuid4()), "kind": "request_response",
                "payload": {"request_id": request.request_id, "status": status,
                            "response": text, "at": START.isoformat(),
                            "by": "clinician-cardiff"}}

    refused = send(client, cardiff, respond("accepted", "Yes"))[0]
    assert refused["outcome"] == "rejected" and "new" in refused["reason"]
    assert send(client, cardiff, respond("under_review"))[0]["outcome"] == "applied"
    assert send(client, cardiff, respond("declined"))[0]["outcome"] == "rejected"  # no text
    assert send(client, cardiff, respond("declined", "Not at this time."))[0]["outcome"] == (
        "applied")
    after = [c.data for c in pull_all(client, cardiff, limit=2000) if c.kind == "request"
             and c.data.request_id == request.request_id]
    assert after[-1].status.value == "declined" and after[-1].response == "Not at this time."


def test_outbox_is_for_team_members_only(client: TestClient) -> None:
    for user in ("researcher", "feed", "admin"):
        answer = client.post("/v1/outbox", json={"items": []}, headers=login(client, user))
        assert answer.status_code == 403


def test_a_person_resolving_a_conflict_is_recorded_and_audited(
    client: TestClient, hub: Hub, cardiff: dict[str, str]
) -> None:
    participant, _ = reachable(hub)
    pid = participant.participant_id
    withdrawal = consent_item(pid, scope="contact_for_research", decision="withdrawn",
                              at=START.replace(hour=8), recorded_by="clinician-cardiff")
    send(client, login(client, "clinician-cardiff"), withdrawal)
    grant = consent_item(pid, scope="contact_for_research", decision="granted",
                         at=START.replace(hour=9))
    assert send(client, cardiff, grant)[0]["outcome"] == "conflict"
    resolved = consent_item(pid, scope="contact_for_research", decision="granted",
                            at=START.replace(hour=9),
                            decision_id=grant["payload"]["decision_id"], conflict=True,
                            conflict_resolved=True)
    answer = send(client, cardiff, resolved)[0]
    assert answer["outcome"] == "applied" and "resolved" in answer["reason"]
    stored = next(d for d in hub_decisions(hub, pid)
                  if d.decision_id == grant["payload"]["decision_id"])
    assert stored.conflict and stored.conflict_resolved
    events = client.get("/v1/admin/audit", params={"participant_id": pid},
                        headers=login(client, "admin")).json()["events"]
    actions = [(e["actor"], e["action"], e["detail"]) for e in events
               if e["action"].startswith("outbox.")]
    assert actions == [("clinician-cardiff", "outbox.consent_decision", "applied"),
                       ("counsellor-cardiff", "outbox.consent_decision", "conflict"),
                       ("counsellor-cardiff", "outbox.consent_decision", "applied")]


def test_a_client_cannot_mark_its_own_decision_as_a_conflict_or_resolved(
    client: TestClient, hub: Hub, cardiff: dict[str, str]
) -> None:
    participant, _ = reachable(hub)
    item = consent_item(participant.participant_id, decision="declined", conflict=True,
                        conflict_reason="made up", conflict_resolved=True)
    assert send(client, cardiff, item)[0]["outcome"] == "applied"
    stored = next(d for d in hub_decisions(hub, participant.participant_id)
                  if d.decision_id == item["payload"]["decision_id"])
    assert (stored.conflict, stored.conflict_reason, stored.conflict_resolved) == (
        False, None, False)


def test_a_per_request_decision_must_name_this_participants_request(
    client: TestClient, hub: Hub, cardiff: dict[str, str]
) -> None:
    changes = pull_all(client, cardiff, limit=2000)
    request = next(c.data for c in changes if c.kind == "request")
    someone_else = next(p for p, _ in participants_of(hub, "team-cardiff")
                        if p.participant_id != request.participant_id)
    wrong = consent_item(someone_else.participant_id, scope="share_with_researcher",
                         decision="declined", request_id=request.request_id)
    answer = send(client, cardiff, wrong)[0]
    assert answer["outcome"] == "rejected" and "request" in answer["reason"]
    right = consent_item(request.participant_id, scope="share_with_researcher",
                         decision="declined", request_id=request.request_id)
    assert send(client, cardiff, right)[0]["outcome"] in ("applied", "duplicate")


def test_the_answer_carries_the_item_id_as_the_client_sent_it(
    client: TestClient, hub: Hub, cardiff: dict[str, str]
) -> None:
    participant, _ = reachable(hub)
    item = consent_item(participant.participant_id, decision="declined")
    item["id"] = item["id"].upper()
    assert send(client, cardiff, item)[0]["id"] == item["id"]
    lower = dict(item, id=item["id"].lower())
    assert send(client, cardiff, lower)[0]["outcome"] == "duplicate"
