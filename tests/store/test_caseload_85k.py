"""The case list at 85,000 synthetic participants: every search, filter and sort checked
against a plain Python reading of the same rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from shared_85k import SIZE, TODAY
from sqlalchemy import func, select

from counsellor_app.domain.consent import GivenBy
from counsellor_app.domain.consent_ledger import ConsentLedger
from counsellor_app.domain.participant import LifeStatus, Programme
from counsellor_app.domain.request import RequestStatus
from counsellor_app.domain.result import ResultOutcome
from counsellor_app.store.caseload import (
    CappedCount,
    CaseSort,
    count_caseload,
    count_caseload_capped,
    search_caseload,
)
from counsellor_app.store.engine import Cache
from counsellor_app.store.mapping import to_decision
from counsellor_app.store.search_text import fold
from counsellor_app.store.tables import (
    CaseEntityRow,
    ConsentDecisionRow,
    ParticipantRow,
    RequestRow,
    ResultRow,
)

from .conftest import Person

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def people(people_85k: list[Person]) -> list[Person]:
    return people_85k


def _all_ids(session: object, **filters: object) -> list[str]:
    found: list[str] = []
    while True:
        page = search_caseload(
            session,
            offset=len(found),
            limit=20_000,
            today=TODAY,
            **filters,  # type: ignore[arg-type]
        )
        found += [row.participant_id for row in page]
        if len(page) < 20_000:
            return found


def _expected_text(people: list[Person], query: str) -> set[str]:
    words = fold(query).split()
    return {p.participant_id for p in people if all(w in p.search for w in words)}


def test_the_cache_holds_85000_participants(big: Cache, people: list[Person]) -> None:
    assert len(people) == SIZE
    with big.read() as session:
        assert count_caseload(session, today=TODAY) == SIZE


@pytest.mark.parametrize(
    ("query", "must_find"),
    [
        ("sian", ("Siân", None)),  # accents folded
        ("SIÂN", ("Siân", None)),
        ("osuilleabhain", (None, "Ó Súilleabháin")),  # spaces and accents gone
        ("ó súilleabháin", (None, "Ó Súilleabháin")),
        ("darcy", (None, "D'Arcy")),  # apostrophe joined
        ("rhys ap", (None, None)),  # name parts in any order
        ("jones", (None, "Jones")),
        ("anne marie", ("Anne-Marie", None)),
    ],
)
def test_name_search_finds_exactly_the_participants_whose_names_match(
    big: Cache, people: list[Person], query: str, must_find: tuple[str | None, str | None]
) -> None:
    expected = _expected_text(people, query)
    assert expected, "the synthetic names should include this one"
    given, family = must_find
    if given or family:
        assert any(
            (given is None or p.given == given) and (family is None or p.family == family)
            for p in people
            if p.participant_id in expected
        )
    with big.read() as session:
        assert set(_all_ids(session, text=query)) == expected
        assert count_caseload(session, text=query, today=TODAY) == len(expected)


def test_one_and_two_letter_searches_match_the_start_of_a_name(
    big: Cache, people: list[Person]
) -> None:
    for query in ("z", "Zo", "ll"):
        start = fold(query)
        expected = {
            p.participant_id
            for p in people
            if fold(p.given).startswith(start) or fold(p.family).startswith(start)
        }
        with big.read() as session:
            assert set(_all_ids(session, text=query)) == expected, query


def test_nhs_number_search_with_or_without_spaces_or_hyphens_full_or_part(
    big: Cache, people: list[Person]
) -> None:
    someone = people[41_234]
    n = someone.nhs
    with big.read() as session:
        for typed in (n, f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]}-{n[3:6]}-{n[6:]}", f" {n} "):
            assert [
                r.participant_id for r in search_caseload(session, text=typed, today=TODAY)
            ] == [someone.participant_id]
        part = f"{n[3:6]} {n[6:8]}"
        expected = {p.participant_id for p in people if n[3:8] in p.nhs}
        assert someone.participant_id in expected
        assert set(_all_ids(session, text=part)) >= expected
        nhs = {p.participant_id: p.nhs for p in people}
        assert {pid for pid in _all_ids(session, text=part) if n[3:8] not in nhs[pid]} <= {
            p.participant_id for p in people if n[3:8] in p.search
        }


def test_participant_id_search_finds_that_participant(big: Cache, people: list[Person]) -> None:
    someone = people[60_001]
    with big.read() as session:
        rows = search_caseload(session, text=someone.participant_id, today=TODAY)
    assert someone.participant_id in [r.participant_id for r in rows]
    assert rows[0].nhs_number == someone.nhs


def test_filters_match_the_rows_they_summarise(big: Cache, people: list[Person]) -> None:
    with big.read() as session:
        results = session.execute(
            select(
                ResultRow.participant_id,
                ResultRow.outcome,
                ResultRow.issued_on,
                ResultRow.report_version,
                ResultRow.result_id,
            ).where(ResultRow.superseded_by.is_(None))
        ).all()
        requests = session.execute(select(RequestRow.participant_id, RequestRow.status)).all()
        latest: dict[str, tuple[dt.date, int, str, str]] = {}
        for pid, outcome, issued, version, rid in results:
            key = (issued, version, rid, outcome)
            if pid not in latest or key > latest[pid]:
                latest[pid] = key
        open_requests = {pid for pid, status in requests if RequestStatus(status).is_open}
        cancer = {p.participant_id for p in people if p.programme == Programme.CANCER.value}
        for outcome in ResultOutcome:
            with_outcome = {pid for pid, key in latest.items() if key[3] == outcome.value}
            assert count_caseload(session, outcome=outcome, today=TODAY) == len(with_outcome)
            if outcome in (ResultOutcome.CONFIRMED_DIAGNOSIS, ResultOutcome.UNCERTAIN):
                assert set(_all_ids(session, outcome=outcome)) == with_outcome
        assert set(_all_ids(session, has_open_request=True)) == open_requests
        assert set(_all_ids(session, programme=Programme.CANCER, has_open_request=False)) == (
            cancer - open_requests
        )


def test_reconsent_filter_matches_the_consent_ledger(big: Cache, people: list[Person]) -> None:
    with big.read() as session:
        parental = session.scalars(
            select(ConsentDecisionRow.participant_id).where(
                ConsentDecisionRow.given_by == GivenBy.PARENT_OR_GUARDIAN.value
            )
        ).all()
        later = TODAY + dt.timedelta(days=3 * 365)
        sixteen_by_later = dt.date(later.year - 16, later.month, later.day)
        old_enough = set(
            session.scalars(
                select(ParticipantRow.participant_id).where(
                    ParticipantRow.date_of_birth <= sixteen_by_later
                )
            )
        )
        candidates = set(parental) & old_enough  # younger ones cannot need it yet (rule 4)
        decisions: dict[str, list[ConsentDecisionRow]] = defaultdict(list)
        for row in session.scalars(
            select(ConsentDecisionRow).where(ConsentDecisionRow.participant_id.in_(candidates))
        ):
            decisions[row.participant_id].append(row)
        facts = {
            pid: (born, status, died)
            for pid, born, status, died in session.execute(
                select(
                    ParticipantRow.participant_id,
                    ParticipantRow.date_of_birth,
                    ParticipantRow.life_status,
                    ParticipantRow.date_of_death,
                ).where(ParticipantRow.participant_id.in_(candidates))
            )
        }
        for day in (TODAY, later):
            expected = {
                pid
                for pid in candidates
                if ConsentLedger(
                    [to_decision(r) for r in decisions[pid]],
                    date_of_birth=facts[pid][0],
                    life_status=LifeStatus(facts[pid][1]),
                    date_of_death=facts[pid][2],
                ).needs_reconsent(day)
            }
            found = search_caseload(session, needs_reconsent=True, today=day, limit=100_000)
            assert {r.participant_id for r in found} == expected
            assert all(r.needs_reconsent for r in found)
    assert expected, "the synthetic data should hold young people needing re-consent"


def test_sorting_and_paging_walk_every_participant_once_in_order(
    big: Cache, people: list[Person]
) -> None:
    by_pk = {p.participant_id: p for p in people}
    with big.read() as session:
        names = _all_ids(session, sort=CaseSort.NAME)
        born_desc = [
            row.participant_id
            for offset in (0, 60_000)
            for row in search_caseload(
                session,
                sort=CaseSort.DATE_OF_BIRTH,
                descending=True,
                offset=offset,
                limit=2_000,
                today=TODAY,
            )
        ]
        pages = [
            row.participant_id
            for offset in range(0, 1_000, 200)
            for row in search_caseload(
                session, sort=CaseSort.NHS_NUMBER, offset=offset, limit=200, today=TODAY
            )
        ]
    assert len(names) == len(set(names)) == SIZE
    keys = [(fold(by_pk[i].family), fold(by_pk[i].given), by_pk[i].pk) for i in names]
    assert keys == sorted(keys)
    everyone_born = sorted(((p.born, p.pk) for p in people), reverse=True)
    born = [(by_pk[i].born, by_pk[i].pk) for i in born_desc]
    assert born == everyone_born[:2_000] + everyone_born[60_000:62_000]
    assert pages == [p.participant_id for p in sorted(people, key=lambda p: (p.nhs, p.pk))][:1_000]


def test_ascending_sort_by_next_due_date_puts_participants_without_one_last(
    big: Cache,
) -> None:
    with big.read() as session:
        with_due = session.scalar(
            select(func.count()).where(ParticipantRow.next_request_due.is_not(None))
        )
        assert with_due
        rows = search_caseload(session, sort=CaseSort.NEXT_DUE, limit=with_due + 500, today=TODAY)
    dues = [r.next_request_due for r in rows]
    assert all(d is not None for d in dues[:with_due])
    assert all(d is None for d in dues[with_due:]) and len(dues) == with_due + 500
    assert dues[:with_due] == sorted(dues[:with_due])  # type: ignore[type-var]


def _expected_search(people: list[Person], query: str) -> set[str]:
    """What the search box finds: each long word anywhere in the search text; with only short
    words, the first one starts a given or family name (the rest start any word)."""
    words = fold(query).split()
    long = [w for w in words if len(w) >= 3]
    if long:
        return _expected_text(people, query)
    first = words[0]
    return {
        p.participant_id
        for p in people
        if fold(p.given).startswith(first) or fold(p.family).startswith(first)
    }


@pytest.mark.parametrize(
    ("query", "programme", "sort", "descending"),
    [
        (None, Programme.CANCER, CaseSort.NAME, False),  # broad filter: walks the name index
        ("a", Programme.CANCER, CaseSort.DATE_OF_BIRTH, True),  # broad letter and filter
        ("jo", Programme.RARE_DISEASE, CaseSort.NAME, False),  # a few thousand: a set of ids
        ("smi", None, CaseSort.DATE_OF_BIRTH, False),  # a few hundred: read and sorted
        ("999", Programme.CANCER, CaseSort.NAME, True),  # every NHS number matches
        ("z", Programme.RARE_DISEASE, CaseSort.DATE_OF_BIRTH, True),
    ],
)
def test_filtered_searches_give_every_match_once_in_order_whichever_index_drives_them(
    big: Cache,
    people: list[Person],
    query: str | None,
    programme: Programme | None,
    sort: CaseSort,
    descending: bool,
) -> None:
    found_by_text = None if query is None else _expected_search(people, query)
    matching = [
        p
        for p in people
        if (found_by_text is None or p.participant_id in found_by_text)
        and (programme is None or p.programme == programme.value)
    ]
    if sort is CaseSort.NAME:
        matching.sort(key=lambda p: (fold(p.family), fold(p.given), p.pk), reverse=descending)
    else:
        matching.sort(key=lambda p: (p.born, p.pk), reverse=descending)
    with big.read() as session:
        first_page = search_caseload(
            session, text=query, programme=programme, sort=sort, descending=descending, today=TODAY
        )
        found = _all_ids(session, text=query, programme=programme, sort=sort, descending=descending)
        total = count_caseload(session, text=query, programme=programme, today=TODAY)
        capped = count_caseload_capped(
            session, cap=1_000, text=query, programme=programme, today=TODAY
        )
    expected = [p.participant_id for p in matching]
    assert [r.participant_id for r in first_page] == expected[:200]
    assert found == expected
    assert total == len(expected)
    assert capped == CappedCount(min(1_000, total), total >= 1_000)


def test_a_whole_case_id_finds_its_participant_among_85000(big: Cache) -> None:
    with big.read() as session:
        cases = session.execute(select(func.count()).select_from(CaseEntityRow)).scalar_one()
        case_id, owner = session.execute(
            select(CaseEntityRow.case_id, CaseEntityRow.participant_id)
            .order_by(CaseEntityRow.case_id)
            .offset(cases // 2)
            .limit(1)
        ).one()
        rows = search_caseload(session, text=case_id.lower(), today=TODAY)
    assert [r.participant_id for r in rows] == [owner]
