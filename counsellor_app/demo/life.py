"""One synthetic participant's timeline (recruitment, later decisions, death) and id counters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count

from counsellor_app.demo.fast_enums import fast_members
from counsellor_app.demo.scenarios import PersonPlan, Story
from counsellor_app.domain.consent import GivenBy
from counsellor_app.domain.participant import Programme

GIVEN_BY = fast_members(GivenBy)
STORY = fast_members(Story)


class Ids:
    """Counters behind every id: sequential, so an id says nothing about the person.

    Each attribute is a callable that returns the next id ("P000001", "P000002", ...).
    """

    __slots__ = (
        "participant", "case", "result", "request", "decision", "representative", "family",
    )

    def __init__(self) -> None:
        self.participant = _counter("P{:06d}")
        self.case = _counter("C{:06d}")
        self.result = _counter("R{:07d}")
        self.request = _counter("Q{:06d}")
        self.decision = _counter("D{:07d}")
        self.representative = _counter("REP{:06d}")
        self.family = _counter("F{:05d}")


def _counter(pattern: str) -> Callable[[], str]:
    return map(pattern.format, count(1)).__next__


@dataclass(slots=True)
class Life:
    """What the histories need to know about one participant, with the key days of their story.

    ``recruited`` is the consent conversation at recruitment (the case was opened that day);
    ``first_change`` and ``second_change`` are when any later consent events happen; ``end`` is
    the last day on which the participant can decide anything (the day before death, or the
    reference date).
    """

    participant_id: str
    plan: PersonPlan
    programme: Programme
    reason: str
    date_of_birth: dt.date
    sixteenth_birthday: dt.date
    recruited: dt.date
    first_change: dt.date
    second_change: dt.date
    end: dt.date
    reference_date: dt.date
    staff: tuple[str, ...]
    date_of_death: dt.date | None = None
    parent_name: str | None = None  # who consents while the participant is a child
    proxy: GivenBy | None = None  # attorney or consultee for an adult who lacks capacity
    proxy_name: str | None = None
    carrier_testing: bool = False  # a parent in a trio is asked about carrier status
    reconsented_on: dt.date | None = None  # own decision recorded after the 16th birthday
    stories: frozenset[Story] = field(default_factory=frozenset)

    def giver(self, day: dt.date) -> tuple[GivenBy, str | None]:
        """Who gives consent on ``day``: a parent before 16, a proxy, or the participant."""
        if self.parent_name is not None and day < self.sixteenth_birthday:
            return GIVEN_BY.PARENT_OR_GUARDIAN, self.parent_name
        if self.proxy is not None:
            return self.proxy, self.proxy_name
        return GIVEN_BY.SELF, None

    def contact_blocked_from(self) -> dt.date | None:
        """From when nobody may contact the participant (death or a standing withdrawal)."""
        if self.date_of_death is not None:
            return self.date_of_death
        if STORY.NO_FURTHER_CONTACT in self.stories or STORY.NO_FURTHER_USE in self.stories:
            return self.first_change
        return None

    def may_be_contacted_about_research(self, day: dt.date) -> bool:
        blocked = self.contact_blocked_from()
        if blocked is not None and day >= blocked:
            return False
        return STORY.RESEARCH_DECLINED not in self.stories
