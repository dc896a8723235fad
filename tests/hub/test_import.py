"""Upstream import: schema, all or nothing, superseding reports, review trails, the API."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from fastapi.testclient import TestClient

from counsellor_app.hub.app import Hub
from counsellor_app.hub.auth import Principal
from counsellor_app.hub.importer import import_document
from counsellor_app.hub.records import Records
from counsellor_app.protocol.importing import ImportDocument

from .conftest import START, login
from .test_change_feed import pull_all

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "hub"
FEED = Principal(0, "test-feed", "feed", None, "test")


def example() -> dict:
    return json.loads((RESOURCES / "example-import.json").read_text())


def run(hub: Hub, document: dict):
    return import_document(hub.db, document, FEED, START)


def test_the_committed_schema_is_the_one_the_hub_validates_with() -> None:
    committed = json.loads((RESOURCES / "import.schema.json").read_text())
    generated = ImportDocument.model_json_schema()
    ours = {k: v for k, v in committed.items() if k not in ("$schema", "$id", "title")}
    assert ours == {k: v for k, v in generated.items() if k != "title"}
    ImportDocument.model_validate(example())


def test_the_example_imports_and_reaches_the_team(client: TestClient, hub: Hub,
                                                  cardiff: dict[str, str]) -> None:
    report = run(hub, example())
    assert report.applied, report.refused
    assert report.created == {"participants": 1, "cases": 1, "results": 3, "requests": 1}
    with hub.db.reading() as s:
        older = Records(s).result("R-EX-000001")
    assert older is not None and older.superseded_by == "R-EX-000002"
    ids = {getattr(c, "data", None) and c.data.model_dump().get("participant_id")
           for c in pull_all(client, cardiff)}
    assert "P-EX-000001" in ids
    again = run(hub, example())
    assert again.applied and again.created == {} and again.updated == {}


def test_one_bad_record_means_nothing_is_imported(hub: Hub) -> None:
    document = example()
    document["results"][2]["case_id"] = "C-NOT-THERE"
    report = run(hub, document)
    assert not report.applied
    assert [r.record for r in report.refused] == ["results[2]"]
    with hub.db.reading() as s:
        assert Records(s).participant("P-EX-000001") is None


def test_schema_errors_are_reported_by_place_without_identifiers(hub: Hub) -> None:
    document = example()
    document["results"][0]["kind"] = "horoscope"
    document["participants"][0]["favourite_colour"] = "blue"
    report = run(hub, document)
    assert not report.applied
    places = {r.record for r in report.refused}
    assert "results[0].kind" in places
    assert "participants[0].favourite_colour" in places
    text = report.model_dump_json()
    assert "9990000018" not in text and "Example Street" not in text


def test_invalid_nhs_number_and_unknown_team_are_refused(hub: Hub) -> None:
    document = example()
    document["participants"][0]["nhs_number"] = "9990000019"
    second = copy.deepcopy(document["participants"][0])
    second.update(participant_id="P-EX-2", nhs_number="9990000026", team="team-nowhere")
    document["participants"].append(second)
    report = run(hub, document)
    reasons = {r.record: r.reason for r in report.refused}
    assert "check digit" in reasons["participants[0]"]
    assert "team-nowhere" in reasons["participants[1]"]


def test_a_report_is_never_changed_in_place(hub: Hub) -> None:
    assert run(hub, example()).applied
    document = example()
    document["results"][0]["summary"] = "Quietly different."
    report = run(hub, document)
    assert not report.applied and "new version" in report.refused[0].reason


def test_researcher_identified_variant_moves_one_step_along_its_trail(hub: Hub) -> None:
    assert run(hub, example()).applied
    document = example()
    document["results"][2]["review_stage"] = "returned_to_glh"
    assert run(hub, document).applied
    document["results"][2]["review_stage"] = "report_reissued"  # skips glh_assessment
    report = run(hub, document)
    assert not report.applied and "glh" in report.refused[0].reason.lower()


def test_a_participant_moving_team_leaves_one_feed_and_joins_the_other(
    client: TestClient, hub: Hub, cardiff: dict[str, str], manchester: dict[str, str]
) -> None:
    assert run(hub, example()).applied
    before = pull_all(client, cardiff)
    cursor_c = len(before)  # only used to show the pull happened
    assert cursor_c
    document = example()
    document["participants"][0]["team"] = "team-manchester"
    assert run(hub, document).applied
    removed = [c for c in pull_all(client, cardiff) if c.kind == "removal"]
    assert [c.participant_id for c in removed] == ["P-EX-000001"]
    theirs = pull_all(client, manchester)
    kinds = {c.kind for c in theirs if getattr(c, "data", None) is not None
             and c.data.participant_id == "P-EX-000001"}
    assert kinds == {"participant", "case", "result", "request"}


def test_feed_import_over_the_api_is_for_the_feed_role_only(client: TestClient) -> None:
    feed = login(client, "feed")
    assert client.post("/v1/feed/import", json=example(), headers=feed).status_code == 200
    broken = example()
    broken["cases"][0]["participant_id"] = "P-NOBODY"
    answer = client.post("/v1/feed/import", json=broken, headers=feed)
    assert answer.status_code == 422 and answer.json()["applied"] is False
    for user in ("counsellor-cardiff", "researcher", "admin"):
        refused = client.post("/v1/feed/import", json=example(), headers=login(client, user))
        assert refused.status_code == 403
