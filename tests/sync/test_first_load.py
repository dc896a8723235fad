"""A first sync into an empty cache (one bulk load) leaves exactly what page-by-page sync leaves."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from counsellor_app.demo.synthetic import Dataset, generate
from counsellor_app.domain.participant import LifeStatus
from counsellor_app.domain.result import CounsellorState
from counsellor_app.protocol.changes import (
    CaseChange,
    Change,
    ConsentDecisionChange,
    ParticipantChange,
    RemovalChange,
    RequestChange,
    ResultChange,
)
from counsellor_app.protocol.client_records import ConsentDecisionWire
from counsellor_app.protocol.clinical import CaseWire, RequestWire, ResultWire
from counsellor_app.protocol.participants import ParticipantWire
from counsellor_app.store.engine import Cache, integrity_check, open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.sync.cache_writer import PageWriter
from counsellor_app.sync.errors import HubResponseInvalid
from counsellor_app.sync.first_load import FirstLoad, is_first_load
from counsellor_app.sync.load_statements import run

from .test_end_to_end import assert_summaries_match_the_stores_own_computation

TODAY = dt.date(2026, 11, 27)
TABLES = {
    "participants": "participant_id",
    "representatives": "representative_id",
    "cases": "case_id",
    "results": "result_id",
    "variants": "result_id, position",
    "requests": "request_id",
    "consent_decisions": "decision_id",
}


def _participant(p: Any) -> Change:
    return ParticipantChange(data=ParticipantWire.from_domain(p))


def _feed(data: Dataset) -> list[Change]:
    """Every record, parents first, then the awkward things a real feed carries: people and
    results sent again with new states, a decision sent again with the hub's conflict flags,
    the same decision under a second id (rule 6), a participant who left the team, and one who
    left and came back."""
    by: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for what, records in (("case", data.cases), ("result", data.results),
                          ("request", data.requests), ("decision", data.decisions)):
        for record in records:
            by[record.participant_id][what].append(record)
    changes: list[Change] = []
    for p in data.participants:
        pid = p.participant_id
        changes.append(_participant(p))
        changes += [CaseChange(data=CaseWire.from_domain(c)) for c in by[pid]["case"]]
        changes += [ResultChange(data=ResultWire.from_domain(r)) for r in by[pid]["result"]]
        changes += [RequestChange(data=RequestWire.from_domain(q)) for q in by[pid]["request"]]
        changes += [ConsentDecisionChange(data=ConsentDecisionWire.from_domain(d))
                    for d in by[pid]["decision"]]
    alive = next(p for p in data.participants if p.life_status is LifeStatus.ALIVE
                 and p.representatives  # they are replaced, not doubled
                 and any(d.participant_id == p.participant_id for d in data.decisions))
    changes.append(_participant(dataclasses.replace(
        alive, life_status=LifeStatus.DECEASED, date_of_death=TODAY - dt.timedelta(days=3))))
    new = next(r for r in data.results if r.counsellor_state is CounsellorState.NEW)
    changes.append(ResultChange(data=ResultWire.from_domain(
        dataclasses.replace(new, counsellor_state=CounsellorState.REVIEWED))))
    flagged = data.decisions[5]
    changes.append(ConsentDecisionChange(data=ConsentDecisionWire.from_domain(
        dataclasses.replace(flagged, conflict=True, conflict_reason="overtaken"))))
    changes.append(ConsentDecisionChange(data=ConsentDecisionWire.from_domain(
        dataclasses.replace(data.decisions[9], decision_id="D9999999"))))
    leaving, returning = data.participants[3], data.participants[7]
    for who in (leaving, returning):
        changes.append(RemovalChange(participant_id=who.participant_id, reason="moved team"))
    changes.append(_participant(returning))
    changes += [ConsentDecisionChange(data=ConsentDecisionWire.from_domain(d))
                for d in data.decisions if d.participant_id == returning.participant_id]
    return changes


def _pages(changes: list[Change], size: int) -> list[list[Change]]:
    return [changes[start : start + size] for start in range(0, len(changes), size)]


def _cache(root: Path) -> Cache:
    profile = Profile.at(root)
    return open_cache(profile, KeyProvider(profile), create=True)


def _page_by_page(cache: Cache, pages: list[list[Change]]) -> None:
    for page in pages:
        with cache.write() as session:
            PageWriter(session, today=TODAY).apply(page)


def _first_load(cache: Cache, pages: list[list[Change]]) -> None:
    with cache.write() as session:
        assert is_first_load(session, 0)
        load = FirstLoad(today=TODAY)
        load.begin(session)
        for page in pages:
            run(session, load.prepare(page)[1])
        load.finish(session)


def _dump(cache: Cache) -> dict[str, Any]:
    """Every synced row (without the local row numbers), the search index's text per
    participant, and the schema's indexes and triggers."""
    out: dict[str, Any] = {}
    with cache.engine.connect() as c:
        for table, order in TABLES.items():
            rows = c.execute(text(f"SELECT * FROM {table} ORDER BY {order}")).mappings().all()
            out[table] = [{k: v for k, v in row.items() if k != "pk"} for row in rows]
        out["search"] = c.execute(text(
            "SELECT p.participant_id, s.search_text FROM participant_search s "
            "JOIN participants p ON p.pk = s.rowid ORDER BY 1")).all()
        out["search_rows"] = c.execute(text("SELECT count(*) FROM participant_search")).scalar()
        out["schema"] = c.execute(text(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            "ORDER BY name")).all()
    return out


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return generate(60, seed=7, teams=("team-cardiff",), reference_date=TODAY)


def test_a_bulk_first_load_leaves_what_page_by_page_sync_leaves(
    tmp_path: Path, dataset: Dataset
) -> None:
    pages = _pages(_feed(dataset), 37)
    reference, bulk = _cache(tmp_path / "pages"), _cache(tmp_path / "bulk")
    _page_by_page(reference, pages)
    _first_load(bulk, pages)

    expected, got = _dump(reference), _dump(bulk)
    assert got["schema"] == expected["schema"]
    assert got["search_rows"] == expected["search_rows"] == len(expected["participants"])
    for part in ("search", *TABLES):
        assert got[part] == expected[part], part
    people = {row["participant_id"]: row for row in got["participants"]}
    assert dataset.participants[3].participant_id not in people  # left the team
    assert dataset.participants[7].participant_id in people  # left and came back
    assert any(row["has_conflict"] for row in got["participants"])
    assert integrity_check(bulk) == []
    assert_summaries_match_the_stores_own_computation(bulk)


def test_a_refused_page_keeps_the_pages_before_it_whole_and_finished(
    tmp_path: Path, dataset: Dataset
) -> None:
    pages = _pages(_feed(dataset), 37)
    orphan = CaseChange(data=CaseWire.from_domain(
        dataclasses.replace(dataset.cases[0], case_id="C9999999", participant_id="P9999999")))
    bulk, reference = _cache(tmp_path / "bulk"), _cache(tmp_path / "pages")
    with bulk.write() as session:
        load = FirstLoad(today=TODAY)
        load.begin(session)
        for page in pages[:2]:
            run(session, load.prepare(page)[1])
        with pytest.raises(HubResponseInvalid):
            load.prepare([*pages[2][:5], orphan])
        load.finish(session)
    _page_by_page(reference, pages[:2])

    assert _dump(bulk) == _dump(reference)  # the summary columns included
    assert integrity_check(bulk) == []
    with bulk.read() as session:
        assert not is_first_load(session, 0)  # the next sync goes on page by page


def test_the_check_follows_removals_and_returns_within_a_page(
    tmp_path: Path, dataset: Dataset
) -> None:
    person = dataset.participants[0]
    case = next(c for c in dataset.cases if c.participant_id == person.participant_id)
    result = next(r for r in dataset.results if r.case_id == case.case_id)
    cache = _cache(tmp_path / "bulk")
    with cache.write() as session:
        load = FirstLoad(today=TODAY)
        load.begin(session)
        first = [_participant(person), CaseChange(data=CaseWire.from_domain(case))]
        run(session, load.prepare(first)[1])
        removed = RemovalChange(participant_id=person.participant_id, reason="moved team")
        orphan_result = ResultChange(data=ResultWire.from_domain(result))
        with pytest.raises(HubResponseInvalid):  # the case went with its participant
            load.prepare([removed, _participant(person), orphan_result])
        back = [removed, _participant(person), CaseChange(data=CaseWire.from_domain(case)),
                orphan_result]
        run(session, load.prepare(back)[1])  # sent again after the return: known again
        load.finish(session)
    with cache.engine.connect() as c:
        held = c.execute(text("SELECT count(*) FROM results")).scalar()
    assert held == 1
