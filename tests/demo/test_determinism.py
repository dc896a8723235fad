"""The same arguments give the same dataset; other seeds or dates give another."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import subprocess
import sys
import time

import pytest

from counsellor_app.demo import Dataset, generate

from .conftest import REFERENCE_DATE


def test_same_seed_gives_identical_dataset(medium: Dataset) -> None:
    again = generate(2000, seed=7, reference_date=REFERENCE_DATE)
    assert again == medium
    assert pickle.dumps(again) == pickle.dumps(medium)


def test_different_seed_gives_different_people(medium: Dataset) -> None:
    other = generate(2000, seed=8, reference_date=REFERENCE_DATE)
    assert [p.nhs_number for p in other.participants] != [p.nhs_number for p in medium.participants]
    assert other.decisions != medium.decisions


def test_generation_ignores_the_global_random_state() -> None:
    import random

    random.seed(1)
    first = generate(100, seed=3, reference_date=REFERENCE_DATE)
    random.seed(2)
    second = generate(100, seed=3, reference_date=REFERENCE_DATE)
    assert first == second


def test_exact_number_of_participants_for_any_size() -> None:
    for size in (0, 1, 2, 3, 4, 27, 28, 29, 31, 50, 101):
        dataset = generate(size, reference_date=REFERENCE_DATE)
        assert len(dataset.participants) == size
        assert len({p.participant_id for p in dataset.participants}) == size


def test_every_participant_has_a_case(medium: Dataset) -> None:
    with_case = {case.participant_id for case in medium.cases}
    assert with_case == {p.participant_id for p in medium.participants}


def test_teams_are_shared_round_robin() -> None:
    teams = ("team-a", "team-b")
    dataset = generate(300, teams=teams, reference_date=REFERENCE_DATE)
    assert dataset.teams == teams
    counts = {team: 0 for team in teams}
    for person in dataset.participants:
        counts[person.team] += 1
    assert all(count > 100 for count in counts.values())


def test_refuses_impossible_sizes_and_empty_teams() -> None:
    with pytest.raises(ValueError):
        generate(-1, reference_date=REFERENCE_DATE)
    with pytest.raises(ValueError):
        generate(10, teams=(), reference_date=REFERENCE_DATE)
    with pytest.raises(ValueError):
        generate(10, teams="team-cardiff", reference_date=REFERENCE_DATE)
    with pytest.raises(ValueError):
        generate(500_001, reference_date=REFERENCE_DATE)


def test_a_team_slice_holds_only_that_teams_records(medium: Dataset) -> None:
    team = medium.teams[1]
    part = medium.for_team(team)
    assert part.participants and all(p.team == team for p in part.participants)
    ids = {p.participant_id for p in part.participants}
    for records in (part.cases, part.results, part.requests, part.decisions):
        assert all(record.participant_id in ids for record in records)
    assert len(part.cases) == len(part.participants)


def test_two_thousand_participants_generate_quickly() -> None:
    started = time.process_time()
    generate(2000, seed=11, reference_date=dt.date(2025, 1, 1))
    assert time.process_time() - started < 5.0


def test_same_dataset_in_another_process_whatever_its_hash_seed() -> None:
    script = (
        "import datetime, hashlib, pickle\n"
        "from counsellor_app.demo import generate\n"
        "d = generate(300, seed=5, reference_date=datetime.date(2026, 11, 27))\n"
        "print(hashlib.sha256(pickle.dumps(d)).hexdigest())\n"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                              text=True, check=True)
        digests.add(done.stdout.strip())
    here = generate(300, seed=5, reference_date=REFERENCE_DATE)
    digests.add(hashlib.sha256(pickle.dumps(here)).hexdigest())
    assert len(digests) == 1
