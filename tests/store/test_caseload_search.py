"""Case-list search by case id, name and id starts, NHS digits, the capped count, and the inbox
lists on a small real cache."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from counsellor_app.domain.participant import Participant, Programme
from counsellor_app.domain.result import CounsellorState, ResultOutcome
from counsellor_app.store import caseload_query
from counsellor_app.store.bulk import insert_records
from counsellor_app.store.caseload import (
    CappedCount,
    CaseRow,
    CaseSort,
    count_caseload,
    count_caseload_capped,
    search_caseload,
)
from counsellor_app.store.engine import Cache
from counsellor_app.store.inbox import inbox_counts, new_results, open_requests

from . import factories as f
from .conftest import TODAY


def test_a_whole_case_id_finds_its_participant_typed_in_any_case(
    filled: Cache, people: list[Participant]
) -> None:
    wanted = people[2].participant_id
    case_id = f.case(people[2]).case_id
    with filled.read() as session:
        for typed in (case_id, case_id.lower(), f"  {case_id} "):
            rows = search_caseload(session, text=typed, today=TODAY)
            assert [r.participant_id for r in rows] == [wanted], typed
            assert count_caseload(session, text=typed, today=TODAY) == 1


def test_a_case_id_not_in_the_cache_finds_nobody(filled: Cache) -> None:
    with filled.read() as session:
        assert search_caseload(session, text="C999999-9", today=TODAY) == []
        assert count_caseload(session, text="C999999-9", today=TODAY) == 0


def test_capped_count_is_exact_below_the_cap_and_says_more_at_it(filled: Cache) -> None:
    with filled.read() as session:
        assert count_caseload_capped(session, cap=10, today=TODAY) == CappedCount(5, False)
        assert count_caseload_capped(session, cap=5, today=TODAY) == CappedCount(5, True)
        three = count_caseload_capped(session, cap=3, today=TODAY)
        assert three == CappedCount(3, True) and str(three) == "3+"
        one = count_caseload_capped(session, cap=3, text="gwilym", today=TODAY)
        assert one == CappedCount(1, False) and str(one) == "1"


def test_inbox_lists_open_requests_soonest_due_first_and_new_results_newest_first(
    cache: Cache,
) -> None:
    people = [f.participant(n, "Mair", f"Family{n}") for n in range(1, 5)]
    cases = [f.case(p) for p in people]
    later, sooner = dt.date(2025, 3, 20), dt.date(2025, 2, 10)
    requests = [
        f.request(cases[0], due=later),
        f.request(cases[1], due=None),
        f.request(cases[2], due=sooner),
    ]
    old = f.result(cases[0], 1, issued=dt.date(2024, 1, 5))
    replacement = f.result(cases[1], 2, issued=dt.date(2024, 3, 1))
    superseded = replace(
        f.result(cases[1], 1, issued=dt.date(2024, 2, 1)), superseded_by=replacement.result_id
    )
    reviewed = replace(
        f.result(cases[3], 1, issued=dt.date(2024, 4, 1)),
        counsellor_state=CounsellorState.REVIEWED,
    )
    results = [old, superseded, replacement, reviewed]
    with cache.write() as session:
        insert_records(
            session,
            participants=people,
            cases=cases,
            results=results,
            requests=requests,
            today=TODAY,
        )
    with cache.read() as session:
        waiting = open_requests(session)
        fresh = new_results(session)
        counts = inbox_counts(session, today=TODAY)
    assert [q.due_on for q in waiting] == [sooner, later, None]
    assert [q.display_name for q in waiting] == ["Mair Family3", "Mair Family1", "Mair Family2"]
    assert counts.open_requests == 3 and counts.overdue_requests == 1  # due before today
    # newest first; neither a superseded report nor a reviewed one waits in the inbox
    assert [r.result_id for r in fresh] == [replacement.result_id, old.result_id]
    assert fresh[0].display_name == "Mair Family2" and fresh[0].nhs_number == people[1].nhs_number
    assert counts.new_results == 2


_FILTERS: dict[str, tuple[object, ...]] = {
    "programme": tuple(Programme),
    "outcome": tuple(ResultOutcome),
    "has_open_request": (True, False),
    "has_new_result": (True, False),
    "needs_reconsent": (True, False),
    "has_conflict": (True, False),
    "team": ("team-cardiff", "team-other"),
}


def _keeps(row: CaseRow, name: str, value: object) -> bool:
    return {
        "programme": lambda: row.programme == value,
        "outcome": lambda: row.latest_result_outcome == value,
        "has_open_request": lambda: (row.open_request_count > 0) == value,
        "has_new_result": lambda: (row.new_result_count > 0) == value,
        "needs_reconsent": lambda: row.needs_reconsent == value,
        "has_conflict": lambda: row.has_conflict == value,
        "team": lambda: row.team == value,
    }[name]()


@pytest.mark.parametrize("name", list(_FILTERS))
def test_every_filter_and_sort_gives_the_rows_the_filter_describes(
    filled: Cache, name: str
) -> None:
    with filled.read() as session:
        everyone = search_caseload(session, today=TODAY)
        for value in _FILTERS[name]:
            expected = {r.participant_id for r in everyone if _keeps(r, name, value)}
            for sort in CaseSort:
                for descending in (False, True):
                    rows = search_caseload(
                        session, sort=sort, descending=descending, today=TODAY, **{name: value}
                    )
                    assert {r.participant_id for r in rows} == expected, (value, sort)
            assert count_caseload(session, today=TODAY, **{name: value}) == len(expected)


def test_a_participant_id_start_is_found_when_the_name_index_is_walked(
    filled: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caseload_query, "SPARSE_MAX", 0)  # walk the sort index, never sort
    in_name_order = ["P000002", "P000003", "P000004", "P000001", "P000005"]
    with filled.read() as session:
        for typed in ("p0", "P0", "p"):
            rows = search_caseload(session, text=typed, today=TODAY)
            assert [r.participant_id for r in rows] == in_name_order, typed
        rows = search_caseload(session, text="ZO", today=TODAY)  # a given name's start
        assert [r.display_name for r in rows] == ["Zoë D'Arcy"]
        rows = search_caseload(session, text="w", descending=True, today=TODAY)
        assert [r.display_name for r in rows] == ["Dafydd Wŷn"]


def test_one_or_two_nhs_digits_are_counted_exactly_when_every_number_matches(
    filled: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caseload_query, "PROBE_CAP", 2)  # five rows are "many": count by difference
    with filled.read() as session:
        assert [count_caseload(session, text=t, today=TODAY) for t in ("9", "99", "1")] == [5, 5, 0]
        assert count_caseload_capped(session, cap=3, text="9", today=TODAY) == CappedCount(3, True)


def test_a_search_counted_again_after_a_write_sees_the_new_participant(
    filled: Cache,
) -> None:
    newcomer = f.participant(6, "Gwen", "Jones")
    with filled.write() as session:
        assert count_caseload(session, text="gw", today=TODAY) == 1
        insert_records(session, participants=[newcomer], today=TODAY)
        assert count_caseload(session, text="gw", today=TODAY) == 2  # the same transaction
        found = search_caseload(session, text="gw", today=TODAY)
        assert [r.display_name for r in found] == ["Gwilym ap Rhys", "Gwen Jones"]
    with filled.read() as session:
        assert count_caseload(session, text="gw", today=TODAY) == 2


@pytest.mark.parametrize("many", [False, True])
def test_a_letter_that_starts_participant_ids_finds_them_and_the_names_once(
    cache: Cache, monkeypatch: pytest.MonkeyPatch, many: bool
) -> None:
    if many:  # as if thousands of ids started so: listed and counted the way "p" is at 85,000
        monkeypatch.setattr(caseload_query, "SPARSE_MAX", 2)
        monkeypatch.setattr(caseload_query, "PROBE_CAP", 2)
    people = [
        f.participant(1, "Pat", "Price"),  # id and both names start with p
        f.participant(2, "Mair", "Jones"),  # the id only
        replace(f.participant(3, "Zoë", "Powell"), participant_id="X000003"),  # family name
        replace(f.participant(4, "Pryderi", "Hughes"), participant_id="X000004"),  # given name
        replace(f.participant(5, "Zed", "Zulu"), participant_id="X000005"),  # nothing
    ]
    with cache.write() as session:
        insert_records(session, participants=people, today=TODAY)
    with cache.read() as session:
        for typed in ("p", "P"):
            rows = search_caseload(session, text=typed, today=TODAY)
            names = [r.display_name for r in rows]
            assert names == ["Pryderi Hughes", "Mair Jones", "Zoë Powell", "Pat Price"], typed
            assert count_caseload(session, text=typed, today=TODAY) == 4
