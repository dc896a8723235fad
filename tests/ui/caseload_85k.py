"""An 85,000-participant caseload whose right answers are known by construction.

Participant ``k`` has a name, programme, result, request and consent history that follow from
``k`` alone, so a test can count in Python what the SQL behind the caseload must return. The
filled cache is kept under pytest's cache folder (passphrase-wrapped key), so it is built once
per checkout, not once per run.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import keyring
from keyring.backends import fail
from main_window_data import TODAY, HandDataset

from counsellor_app.domain.case import Case, CaseStatus, Priority
from counsellor_app.domain.consent import ConsentDecision, ConsentScope, Decision, GivenBy, Method
from counsellor_app.domain.participant import Address, LifeStatus, Participant, Programme
from counsellor_app.domain.request import (
    CollaborationRequest,
    Requester,
    RequestKind,
    RequestStatus,
)
from counsellor_app.domain.result import Result, ResultKind, ResultOutcome
from counsellor_app.store.bulk import load_dataset
from counsellor_app.store.engine import Cache, open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile

SIZE = 85_000
VERSION = "1"  # change when the data below change, so a stale cache is rebuilt
PASSPHRASE = "ui-85k-test-passphrase"

GIVEN = ("Siân", "Llŷr", "Zoë", "Gwilym", "Anne-Marie", "Ffion", "Łucja", "Aoife", "Dafydd",
         "Mererid", "Tomasz", "Niamh", "Rhodri", "Eilís", "Bethan", "Cai", "Heledd")
FAMILY = ("Ó Súilleabháin", "ap Rhys", "D'Arcy", "Jones", "Wŷn", "Evans-Pritchard",
          "Łukasiewicz", "Ní Bhriain", "Thomas", "MacGiolla", "Prydderch", "Hughes",
          "Kowalczyk", "Ó Dónaill", "Llywelyn", "Bevan", "Fitzgerald", "Mac Cárthaigh",
          "Vaughan")
OUTCOMES = tuple(ResultOutcome)


def nhs_numbers(count: int) -> list[str]:
    """The first ``count`` valid NHS numbers of the never-issued 999 range."""
    numbers: list[str] = []
    base = 0
    while len(numbers) < count:
        digits = f"999{base:06d}"
        base += 1
        check = 11 - sum(int(d) * (10 - i) for i, d in enumerate(digits)) % 11
        if check != 10:
            numbers.append(digits + str(0 if check == 11 else check))
    return numbers


# ----------------------------------------------------------------- the truths, by k

def participant_id(k: int) -> str:
    return f"P{k:06d}"


def given_name(k: int) -> str:
    return GIVEN[k % len(GIVEN)]


def family_name(k: int) -> str:
    return FAMILY[(k // len(GIVEN)) % len(FAMILY)]


def programme(k: int) -> Programme:
    return Programme.CANCER if k % 3 == 0 else Programme.RARE_DISEASE


def outcome(k: int) -> ResultOutcome | None:
    return OUTCOMES[(k // 5) % len(OUTCOMES)] if k % 5 == 0 else None


def has_open_request(k: int) -> bool:
    return k % 11 == 0


def needs_reconsent(k: int) -> bool:
    return k % 97 == 0


def date_of_birth(k: int) -> dt.date:
    if needs_reconsent(k):
        return dt.date(2008, 1 + k % 12, 1 + k % 28)  # 16 or over by TODAY
    return dt.date(1940 + k % 60, 1 + k % 12, 1 + k % 28)


# ----------------------------------------------------------------- the records

def dataset() -> HandDataset:
    data = HandDataset()
    address = Address(("1 Heol y Castell",), "CF10 1AA")
    numbers = nhs_numbers(SIZE)
    for k in range(SIZE):
        pid = participant_id(k)
        data.participants.append(
            Participant(
                participant_id=pid, nhs_number=numbers[k], given_name=given_name(k),
                family_name=family_name(k), date_of_birth=date_of_birth(k),
                life_status=LifeStatus.ALIVE, address=address, gp=None, team="cardiff",
                glh="Wales", programme=programme(k),
            )
        )
        result, request = outcome(k), has_open_request(k)
        if result is not None or request:
            data.cases.append(
                Case(f"C{k:06d}", pid, "Cardiomyopathy", CaseStatus.OPEN, Priority.ROUTINE,
                     "J. Evans", dt.date(2020, 1, 6))
            )
        if result is not None:
            data.results.append(
                Result(f"R{k:06d}", f"C{k:06d}", pid, ResultKind.INITIAL_ANALYSIS, result, 1,
                       dt.date(2021, 1, 1) + dt.timedelta(days=k % 1500), "Summary.")
            )
        if request:
            data.requests.append(
                CollaborationRequest(
                    f"Q{k:06d}", f"C{k:06d}", pid, RequestKind.RESEARCHER_COLLABORATION,
                    Requester("Dr A. Researcher", "Cardiff University", "cardiology"),
                    "Share the variant data.", False, dt.date(2026, 10, 1),
                    dt.date(2026, 12, 1), RequestStatus.NEW,
                )
            )
        if needs_reconsent(k):
            at = dt.datetime(2015, 6, 1, 10, tzinfo=dt.UTC)
            data.decisions.append(
                ConsentDecision(f"D{k:06d}", pid, ConsentScope.PROGRAMME, Decision.GRANTED,
                                GivenBy.PARENT_OR_GUARDIAN, "A parent", Method.IN_PERSON,
                                "J. Evans", at, at)
            )
    return data


def open_85k_cache(folder: Path) -> Cache:
    """The 85,000 cache in ``folder``: opened if complete, otherwise (re)built there."""
    profile = Profile.at(folder / f"profile-v{VERSION}")
    done = profile.root / "complete"
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # never the machine's real credential store
    try:
        provider = KeyProvider(profile, environ={"COUNSELLOR_PASSPHRASE": PASSPHRASE})
        if done.exists():
            return open_cache(profile, provider, create=False)
        if profile.root.exists():
            shutil.rmtree(profile.root)
        cache = open_cache(profile, provider, create=True)
        load_dataset(cache, dataset(), today=TODAY)
        done.write_text("built\n", encoding="utf-8")
        return cache
    finally:
        keyring.set_keyring(previous)
