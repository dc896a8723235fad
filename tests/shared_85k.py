"""The one 85,000-participant cache of the test run, whose right answers are known by construction.

Participant ``k`` has a name, programme, case, results, requests and consent history that follow
from ``k`` alone, so a test can count in Python what the SQL must return (the UI tests), or read the
rows back plainly and compare (the store tests). The histories are not all alike: earlier and
superseded reports, closed requests beside open ones in every open state, young people who have
or have not re-consented at 16, adults' own decisions and declines.

Built once per run by the session fixture ``cache_85k`` (tests/conftest.py); kept under pytest's
cache folder with a stamp of what built it, so a changed loader, schema or this file rebuilds it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import shutil
import time
from pathlib import Path
from typing import IO

import keyring
from keyring.backends import fail

from counsellor_app.domain.case import Case, CaseStatus, Priority
from counsellor_app.domain.consent import ConsentDecision, ConsentScope, Decision, GivenBy, Method
from counsellor_app.domain.participant import Address, LifeStatus, Participant, Programme
from counsellor_app.domain.request import (
    CollaborationRequest,
    Requester,
    RequestKind,
    RequestStatus,
)
from counsellor_app.domain.result import CounsellorState, Result, ResultKind, ResultOutcome
from counsellor_app.store import bulk, engine, mapping, search_text, summary
from counsellor_app.store.engine import SCHEMA_HEAD, Cache, open_cache
from counsellor_app.store.keys import PASSPHRASE_ENV, Argon2Params, KeyProvider
from counsellor_app.store.paths import Profile

SIZE = 85_000
TODAY = dt.date(2026, 11, 27)
PASSPHRASE = "shared-85k-test-passphrase"
CHEAP = Argon2Params(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1)  # test speed only

GIVEN = ("Siân", "Llŷr", "Zoë", "Gwilym", "Anne-Marie", "Ffion", "Łucja", "Aoife", "Dafydd",
         "Mererid", "Tomasz", "Niamh", "Rhodri", "Eilís", "Bethan", "Cai", "Heledd")
FAMILY = ("Ó Súilleabháin", "ap Rhys", "D'Arcy", "Jones", "Wŷn", "Evans-Pritchard",
          "Łukasiewicz", "Ní Bhriain", "Thomas", "MacGiolla", "Prydderch", "Hughes",
          "Kowalczyk", "Ó Dónaill", "Llywelyn", "Bevan", "Fitzgerald", "Mac Cárthaigh",
          "Vaughan")
OUTCOMES = tuple(ResultOutcome)
OPEN_STATES = tuple(s for s in RequestStatus if s.is_open)
_AT = dt.time(10, tzinfo=dt.UTC)


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
    """The outcome of the latest current report (earlier and superseded ones differ)."""
    return OUTCOMES[(k // 5) % len(OUTCOMES)] if k % 5 == 0 else None


def has_open_request(k: int) -> bool:
    return k % 11 == 0


def has_closed_request(k: int) -> bool:
    return k % 13 == 0


def needs_reconsent(k: int) -> bool:
    """A parent's grant, the participant now 16 or over and not yet asked."""
    return k % 97 == 0


def reconsented(k: int) -> bool:
    """A parent's grant, then the young person's own after their 16th birthday."""
    return k % 89 == 0 and not needs_reconsent(k)


def date_of_birth(k: int) -> dt.date:
    if needs_reconsent(k) or reconsented(k):
        return dt.date(2008, 1 + k % 12, 1 + k % 28)  # 16 or over by TODAY
    return dt.date(1940 + k % 60, 1 + k % 12, 1 + k % 28)


def latest_issued(k: int) -> dt.date:
    return dt.date(2021, 1, 1) + dt.timedelta(days=k % 1500)


def request_due(k: int) -> dt.date:
    return dt.date(2026, 11, 1) + dt.timedelta(days=k % 90)


# ----------------------------------------------------------------- the records

def _other(result: ResultOutcome) -> ResultOutcome:
    return OUTCOMES[(OUTCOMES.index(result) + 1) % len(OUTCOMES)]


def _decision(
    k: int, tag: str, scope: ConsentScope, decision: Decision, given_by: GivenBy, day: dt.date
) -> ConsentDecision:
    at = dt.datetime.combine(day, _AT)
    who = "A parent" if given_by is GivenBy.PARENT_OR_GUARDIAN else None
    return ConsentDecision(f"D{k:06d}{tag}", participant_id(k), scope, decision, given_by, who,
                           Method.IN_PERSON, "J. Evans", at, at)


def _results(k: int, case_id: str) -> list[Result]:
    latest = outcome(k)
    if latest is None:
        return []
    pid, issued = participant_id(k), latest_issued(k)
    found: list[Result] = []
    if k % 10 == 0:  # an earlier report, already dealt with
        found.append(Result(f"R{k:06d}e", case_id, pid, ResultKind.INITIAL_ANALYSIS,
                            _other(latest), 1, issued - dt.timedelta(days=400), "Summary.",
                            counsellor_state=CounsellorState.PATIENT_INFORMED))
    if k % 20 == 0:  # the latest replaces a report with a different outcome
        found.append(Result(f"R{k:06d}a", case_id, pid, ResultKind.REANALYSIS, _other(latest), 1,
                            issued - dt.timedelta(days=30), "Summary.",
                            superseded_by=f"R{k:06d}", counsellor_state=CounsellorState.REVIEWED))
        found.append(Result(f"R{k:06d}", case_id, pid, ResultKind.REANALYSIS, latest, 2, issued,
                            "Summary.", supersedes=f"R{k:06d}a"))
    else:
        found.append(Result(f"R{k:06d}", case_id, pid, ResultKind.INITIAL_ANALYSIS, latest, 1,
                            issued, "Summary."))
    return found


def _requests(k: int, case_id: str) -> list[CollaborationRequest]:
    requester = Requester("Dr A. Researcher", "Cardiff University", "cardiology")
    found: list[CollaborationRequest] = []
    if has_open_request(k):
        found.append(CollaborationRequest(
            f"Q{k:06d}", case_id, participant_id(k), RequestKind.RESEARCHER_COLLABORATION,
            requester, "Share the variant data.", False, dt.date(2026, 10, 1), request_due(k),
            OPEN_STATES[(k // 11) % len(OPEN_STATES)],
        ))
    if has_closed_request(k):
        found.append(CollaborationRequest(
            f"Q{k:06d}c", case_id, participant_id(k), RequestKind.RESEARCHER_COLLABORATION,
            requester, "Share the variant data.", False, dt.date(2025, 3, 1),
            dt.date(2025, 5, 1), RequestStatus.CLOSED,
        ))
    return found


def _decisions(k: int) -> list[ConsentDecision]:
    scope, parent, own = ConsentScope.PROGRAMME, GivenBy.PARENT_OR_GUARDIAN, GivenBy.SELF
    if needs_reconsent(k):
        return [_decision(k, "p", scope, Decision.GRANTED, parent, dt.date(2015, 6, 1))]
    if reconsented(k):
        return [_decision(k, "p", scope, Decision.GRANTED, parent, dt.date(2015, 6, 1)),
                _decision(k, "o", scope, Decision.GRANTED, own, dt.date(2025, 6, 1))]
    found: list[ConsentDecision] = []
    if k % 4 == 0:
        found.append(_decision(k, "o", scope, Decision.GRANTED, own, dt.date(2019, 3, 4)))
    if k % 28 == 0:
        found.append(_decision(k, "a", ConsentScope.ADDITIONAL_FINDINGS, Decision.DECLINED, own,
                               dt.date(2019, 3, 4)))
    return found


def dataset() -> bulk.DatasetLike:
    """Every record of the 85,000 participants."""
    data = _Dataset()
    address = Address(("1 Heol y Castell",), "CF10 1AA")
    numbers = nhs_numbers(SIZE)
    for k in range(SIZE):
        pid, case_id = participant_id(k), f"C{k:06d}"
        data.participants.append(
            Participant(
                participant_id=pid, nhs_number=numbers[k], given_name=given_name(k),
                family_name=family_name(k), date_of_birth=date_of_birth(k),
                life_status=LifeStatus.ALIVE, address=address, gp=None, team="cardiff",
                glh="Wales", programme=programme(k),
            )
        )
        data.cases.append(Case(case_id, pid, "Cardiomyopathy", CaseStatus.OPEN,
                               Priority.ROUTINE, "J. Evans", dt.date(2020, 1, 6)))
        data.results += _results(k, case_id)
        data.requests += _requests(k, case_id)
        data.decisions += _decisions(k)
    return data


class _Dataset:
    def __init__(self) -> None:
        self.participants: list[Participant] = []
        self.cases: list[Case] = []
        self.results: list[Result] = []
        self.requests: list[CollaborationRequest] = []
        self.decisions: list[ConsentDecision] = []


# ----------------------------------------------------------------- the kept cache

def _stamp() -> str:
    """What the cache's contents depend on: this file, migrations, loader and summaries."""
    digest = hashlib.sha256(f"{SCHEMA_HEAD}|{SIZE}|{TODAY}".encode())
    sources = [Path(__file__)]
    sources += [Path(m.__file__ or "") for m in (bulk, mapping, search_text, summary)]
    sources += sorted((engine.MIGRATIONS_DIR / "versions").glob("*.py"))
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def key_provider(profile: Profile) -> KeyProvider:
    return KeyProvider(profile, argon2=CHEAP, environ={PASSPHRASE_ENV: PASSPHRASE})


_IN_USE: list[IO[str]] = []  # shared locks on the caches this process has open (kept till exit)


def open_85k_cache(folder: Path) -> tuple[Cache, dict[str, float]]:
    """The cache in ``folder`` (opened if complete and current, else rebuilt) and the times
    its build took.

    Several test runs may share one checkout's cache folder: one builds while the others wait
    (an exclusive lock on ``build.lock``), and a cache another run still has open (a shared
    lock on its ``.in-use`` file) is never deleted as stale.
    """
    stamp = _stamp()
    profile = Profile.at(folder / f"shared-85k-{stamp}")
    done = profile.root / "complete.json"
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # never the machine's real credential store
    try:
        with open(folder / "build.lock", "w", encoding="utf-8") as build_lock:
            fcntl.flock(build_lock, fcntl.LOCK_EX)
            in_use = open(folder / f"shared-85k-{stamp}.in-use", "w", encoding="utf-8")  # noqa: SIM115
            fcntl.flock(in_use, fcntl.LOCK_SH)
            _IN_USE.append(in_use)
            _remove_stale(folder, keep=profile.root.name)
            if done.exists():
                timings: dict[str, float] = json.loads(done.read_text(encoding="utf-8"))
                return open_cache(profile, key_provider(profile), create=False), timings
            shutil.rmtree(profile.root, ignore_errors=True)  # an interrupted build
            return _build(profile, done)
    finally:
        keyring.set_keyring(previous)


def _remove_stale(folder: Path, *, keep: str) -> None:
    """Deletes caches of other stamps that no running test process has open."""
    for old in folder.glob("shared-85k-*.in-use"):
        name = old.name.removesuffix(".in-use")
        if name == keep:
            continue
        with open(old, "w", encoding="utf-8") as probe:
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # another run is reading it
            shutil.rmtree(folder / name, ignore_errors=True)
            old.unlink(missing_ok=True)
    for orphan in folder.glob("shared-85k-*"):
        if orphan.is_dir() and orphan.name != keep and not orphan.with_suffix(".in-use").exists():
            shutil.rmtree(orphan, ignore_errors=True)


def _build(profile: Profile, done: Path) -> tuple[Cache, dict[str, float]]:
    started, cpu = time.perf_counter(), time.process_time()
    records = dataset()
    generated, generated_cpu = time.perf_counter(), time.process_time()
    cache = open_cache(profile, key_provider(profile), create=True)
    bulk.load_dataset(cache, records, today=TODAY)
    timings = {
        "generate_s": generated - started,
        "generate_cpu_s": generated_cpu - cpu,
        "load_s": time.perf_counter() - generated,
        "load_cpu_s": time.process_time() - generated_cpu,
    }
    done.write_text(json.dumps(timings), encoding="utf-8")
    return cache, timings
