"""Store test fixtures: a real SQLCipher cache with a few cases, and the run's 85,000 cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from counsellor_app.domain.participant import Participant
from counsellor_app.store.bulk import insert_records
from counsellor_app.store.engine import Cache, open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.store.search_text import participant_search_text
from counsellor_app.store.tables import ParticipantRow

from . import factories as f

TODAY = dt.date(2025, 3, 1)


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return Profile.at(tmp_path / "profile")


@pytest.fixture
def cache(profile: Profile) -> Iterator[Cache]:
    opened = open_cache(profile, KeyProvider(profile), create=True)
    yield opened
    opened.close()


@pytest.fixture
def people() -> list[Participant]:
    return [
        f.participant(1, "Siân", "Ó Súilleabháin"),
        f.participant(2, "Gwilym", "ap Rhys"),
        f.participant(3, "Zoë", "D'Arcy", born=dt.date(2008, 6, 1)),
        f.participant(4, "Anne-Marie", "Łukasiewicz", deceased=True),
        f.participant(5, "Dafydd", "Wŷn", born=dt.date(2015, 2, 2)),
    ]


@pytest.fixture
def filled(cache: Cache, people: list[Participant]) -> Cache:
    """The cache with five participants, their cases, a result, a request and a decision."""
    cases = [f.case(p) for p in people]
    with cache.write() as session:
        insert_records(
            session,
            participants=people,
            cases=cases,
            results=[f.result(cases[0]), f.result(cases[1], outcome=f.ResultOutcome.UNCERTAIN)],
            requests=[f.request(cases[1])],
            decisions=[f.decision(people[0], 1)],
            today=TODAY,
        )
    return cache


@dataclass(frozen=True, slots=True)
class Person:
    """One participant of the 85,000 cache as the tests read it back."""

    pk: int
    participant_id: str
    given: str
    family: str
    nhs: str
    born: dt.date
    programme: str
    search: str


@pytest.fixture(scope="session")
def big(cache_85k: Cache) -> Cache:
    """The run's shared 85,000 cache (tests/shared_85k.py); expected rows are read back from it."""
    return cache_85k


@pytest.fixture(scope="session")
def people_85k(big: Cache) -> list[Person]:
    """Every participant of the 85,000 cache, read plainly (no search index, no summary
    columns)."""
    P = ParticipantRow
    with big.read() as session:
        rows = session.execute(
            select(
                P.pk,
                P.participant_id,
                P.given_name,
                P.family_name,
                P.nhs_number,
                P.date_of_birth,
                P.programme,
            )
        ).all()
    return [
        Person(
            pk,
            pid,
            given,
            family,
            nhs,
            born,
            programme,
            participant_search_text(pid, nhs, given, family),
        )
        for pk, pid, given, family, nhs, born, programme in rows
    ]
