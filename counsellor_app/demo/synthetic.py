"""Deterministic synthetic datasets for the demo, the hub's seed command, tests and benchmarks."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Sequence
from dataclasses import dataclass

from counsellor_app.demo.draws import FastRandom
from counsellor_app.demo.households import HouseholdWriter
from counsellor_app.demo.places import DEFAULT_TEAMS, TEAM_GLH, TEAM_NAMES
from counsellor_app.demo.random_plans import random_household
from counsellor_app.demo.showcase import SHOWCASE
from counsellor_app.domain.case import Case
from counsellor_app.domain.consent import ConsentDecision
from counsellor_app.domain.participant import Participant
from counsellor_app.domain.request import CollaborationRequest
from counsellor_app.domain.result import Result

__all__ = ["DEFAULT_TEAMS", "TEAM_GLH", "TEAM_NAMES", "Dataset", "generate"]

# The 999 range holds about 909,000 valid NHS numbers; drawing most of them would crawl.
MAX_PARTICIPANTS = 500_000


@dataclass
class Dataset:
    """Everything one synthetic caseload holds, in the order it was generated.

    Every record is a frozen domain object; ids are sequential and say nothing about anyone:
    participants "P000001", cases "C000001" (one per participant), results "R0000001",
    requests "Q000001", consent decisions "D0000001", representatives "REP000001", families
    "F00001". Each participant's decisions are listed in the order they happened.
    """

    participants: list[Participant]
    cases: list[Case]
    results: list[Result]
    requests: list[CollaborationRequest]
    decisions: list[ConsentDecision]
    teams: tuple[str, ...]

    def for_team(self, team: str) -> Dataset:
        """The part of the dataset that belongs to one team's participants."""
        ids = {p.participant_id for p in self.participants if p.team == team}
        return Dataset(
            [p for p in self.participants if p.participant_id in ids],
            [c for c in self.cases if c.participant_id in ids],
            [r for r in self.results if r.participant_id in ids],
            [q for q in self.requests if q.participant_id in ids],
            [d for d in self.decisions if d.participant_id in ids],
            (team,),
        )


def generate(
    participants: int,
    *,
    seed: int = 1,
    teams: Sequence[str] = DEFAULT_TEAMS,
    reference_date: dt.date,
) -> Dataset:
    """A synthetic caseload of exactly ``participants`` people, the same for the same arguments.

    The first 28 participants (the showcase, in the first team) hold one of each special
    situation; the rest are drawn in realistic proportions and shared round-robin between the
    teams. Dates fall on or before ``reference_date`` (request due dates may fall after it).
    """
    if participants < 0:
        raise ValueError("The number of participants cannot be negative.")
    if participants > MAX_PARTICIPANTS:
        raise ValueError(
            f"At most {MAX_PARTICIPANTS:,} synthetic participants can be made: their NHS "
            "numbers all come from the 999 test range."
        )
    if isinstance(teams, str):
        raise ValueError("Give the teams as a list of team ids, not a single string.")
    team_ids = tuple(teams)
    if not team_ids:
        raise ValueError("At least one team is needed.")
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of acyclic records: the cycle collector only slows us
    try:
        return _generate(participants, FastRandom(seed), team_ids, reference_date)
    finally:
        if collecting:
            gc.enable()


def _generate(
    participants: int, rng: FastRandom, team_ids: tuple[str, ...], reference_date: dt.date
) -> Dataset:
    writer = HouseholdWriter(rng, reference_date)
    written = 0
    for plan in SHOWCASE:
        if written >= participants:
            break
        written += writer.write(plan, team_ids[0], participants - written, showcase=True)
    households = 0
    while written < participants:
        team = team_ids[(households + 1) % len(team_ids)]
        written += writer.write(random_household(rng), team, participants - written,
                                showcase=False)
        households += 1
    records = writer.records
    return Dataset(records.participants, records.cases, records.results, records.requests,
                   records.decisions, team_ids)
