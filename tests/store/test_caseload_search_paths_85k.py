"""Short case-list searches at 85,000: whichever way the store runs a keystroke (reading and
sorting the candidates, walking the sort index with a set of row ids, testing the name index's
own entries, or the first of a family-name range with the given names), every participant who
should be found is, once, in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from shared_85k import SIZE, TODAY

from counsellor_app.store import caseload_query
from counsellor_app.store.caseload import (
    CappedCount,
    CaseSort,
    count_caseload,
    count_caseload_capped,
    search_caseload,
)
from counsellor_app.store.engine import Cache
from counsellor_app.store.search_text import fold

from .conftest import Person

pytestmark = pytest.mark.slow

# one and two letters: a given name only ("z"), a family name only ("ap"), both ("ni"), folded
# letters ("ł" finds "Llŷr" and "Łucja"), and "p", which starts every participant id
SHORT = ("z", "ni", "ł", "ap", "p")
SORTS = ((CaseSort.NAME, False), (CaseSort.NAME, True), (CaseSort.DATE_OF_BIRTH, True))
WAYS = ("read and sort", "walk with row ids", "walk the name index", "first of the range")
CASES = [
    (query, way)
    for query in SHORT
    for way in WAYS
    # reading and sorting is for a few thousand candidates at most: not 19,000 or 85,000;
    # the first of a family-name range with the given names is for family names that start so
    if (way != "read and sort" or query in ("z", "ap"))
    and (way != "first of the range" or query in ("ni", "ap", "ł"))
]


@pytest.fixture
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Makes every page query run one way, whatever the cost estimate would pick."""
    chosen: str = request.param
    if chosen == "first of the range":
        monkeypatch.setattr(caseload_query, "SPARSE_MAX", 10 * SIZE)
        monkeypatch.setattr(caseload_query, "_walk_cost", lambda *_args: float("inf"))
        bounded, taken = caseload_query._bounded, []

        def spy(*args: object) -> object:
            found = bounded(*args)  # type: ignore[arg-type]
            taken.append(found is not None)
            return found

        monkeypatch.setattr(caseload_query, "_bounded", spy)
        yield chosen
        assert any(taken), "no page came from the first of the range"
        return
    monkeypatch.setattr(caseload_query, "_bounded", lambda *_args: None)
    if chosen == "read and sort":
        monkeypatch.setattr(caseload_query, "SPARSE_MAX", 10 * SIZE)
        monkeypatch.setattr(caseload_query, "_walk_is_cheaper", lambda *_args: False)
    else:
        monkeypatch.setattr(caseload_query, "SPARSE_MAX", 0)
    if chosen == "walk with row ids":
        monkeypatch.setattr(caseload_query.Source, "entry_test", lambda _self, _index: None)
        monkeypatch.setattr(caseload_query, "SET_MAX", 10 * SIZE)
    yield chosen


@dataclass(frozen=True, slots=True)
class Folded:
    """What a short search looks at, folded once."""

    participant_id: str
    starts: tuple[str, str, str]  # given, family, participant id
    by_name: tuple[str, str, int]
    by_birth: tuple[dt.date, int]


@pytest.fixture(scope="module")
def folded(people_85k: list[Person]) -> list[Folded]:
    return [
        Folded(
            p.participant_id,
            (fold(p.given), fold(p.family), fold(p.participant_id)),
            (fold(p.family), fold(p.given), p.pk),
            (p.born, p.pk),
        )
        for p in people_85k
    ]


def _starts(people: list[Folded], query: str) -> list[Folded]:
    start = fold(query)
    return [p for p in people if any(name.startswith(start) for name in p.starts)]


def _in_order(found: list[Folded], sort: CaseSort, descending: bool) -> list[str]:
    def key(p: Folded) -> tuple[object, ...]:
        return p.by_name if sort is CaseSort.NAME else p.by_birth

    return [p.participant_id for p in sorted(found, key=key, reverse=descending)]


@pytest.mark.parametrize(("query", "way"), CASES, indirect=["way"])
def test_a_short_search_pages_every_name_start_in_order_whichever_way_it_runs(
    big: Cache, folded: list[Folded], query: str, way: str
) -> None:
    found = _starts(folded, query)
    assert found, "the synthetic names should start so"
    with big.read() as session:
        assert count_caseload(session, text=query, today=TODAY) == len(found)
        for sort, descending in SORTS:
            expected = _in_order(found, sort, descending)
            pages = [
                row.participant_id
                for offset in (0, 4_000)
                for row in search_caseload(
                    session,
                    text=query,
                    sort=sort,
                    descending=descending,
                    offset=offset,
                    limit=200,
                    today=TODAY,
                )
            ]
            wanted = expected[:200] + expected[4_000:4_200]
            assert pages == wanted, (query, way, sort, descending)


@pytest.mark.parametrize("way", WAYS[:3], indirect=True)  # the whole list: not from a range
def test_every_participant_whose_name_starts_so_is_listed_once(
    big: Cache, folded: list[Folded], way: str
) -> None:
    found = _in_order(_starts(folded, "ni"), CaseSort.NAME, False)
    with big.read() as session:
        listed = [
            row.participant_id
            for row in search_caseload(session, text="Ni", limit=len(found) + 10, today=TODAY)
        ]
    assert listed == found


def test_one_or_two_digits_of_an_nhs_number_count_exactly(
    big: Cache, people_85k: list[Person]
) -> None:
    with big.read() as session:
        for typed in ("9", "99", " 9 ", "1", "98"):
            expected = sum(1 for p in people_85k if p.nhs.startswith(typed.strip()))
            assert count_caseload(session, text=typed, today=TODAY) == expected, typed
            capped = count_caseload_capped(session, cap=1_000, text=typed, today=TODAY)
            assert capped == CappedCount(min(expected, 1_000), expected >= 1_000)
        first = search_caseload(session, text="99", sort=CaseSort.NHS_NUMBER, today=TODAY)
    assert [r.nhs_number for r in first] == sorted(p.nhs for p in people_85k)[:200]
