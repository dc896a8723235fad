"""Participants, their representatives, GP and communication needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class LifeStatus(StrEnum):
    ALIVE = "alive"
    DECEASED = "deceased"


class Programme(StrEnum):
    RARE_DISEASE = "rare_disease"
    CANCER = "cancer"


class Relationship(StrEnum):
    """Relationship to the proband within a family."""

    PROBAND = "proband"
    MOTHER = "mother"
    FATHER = "father"
    SIBLING = "sibling"
    CHILD = "child"
    OTHER = "other"


class RepresentativeKind(StrEnum):
    """Who may speak for a participant (NHS England Record of Discussion attorney types)."""

    PARENT_OR_GUARDIAN = "parent_or_guardian"  # GUARD / parent of a child
    LASTING_POWER_OF_ATTORNEY = "lasting_power_of_attorney"  # PRN
    CONSULTEE = "consultee"


class LetterFormat(StrEnum):
    """Accessible Information Standard formats a letter can be written in."""

    STANDARD = "standard"
    LARGE_PRINT = "large-print"
    EASY_READ = "easy-read"


@dataclass(frozen=True, slots=True)
class Address:
    lines: tuple[str, ...]
    postcode: str

    def as_lines(self) -> tuple[str, ...]:
        return (*self.lines, self.postcode)


@dataclass(frozen=True, slots=True)
class GeneralPractitioner:
    name: str
    practice: str
    address: Address


@dataclass(frozen=True, slots=True)
class CommunicationNeeds:
    """Accessible Information Standard needs recorded for a participant."""

    large_print: bool = False
    easy_read: bool = False
    braille: bool = False
    interpreter_language: str | None = None

    @property
    def preferred_format(self) -> LetterFormat:
        if self.easy_read:
            return LetterFormat.EASY_READ
        if self.large_print:
            return LetterFormat.LARGE_PRINT
        return LetterFormat.STANDARD

    @property
    def any(self) -> bool:
        return self.large_print or self.easy_read or self.braille or bool(self.interpreter_language)


@dataclass(frozen=True, slots=True)
class Representative:
    representative_id: str
    kind: RepresentativeKind
    name: str
    relationship: str  # in words: "mother", "son", "care home manager"
    address: Address


@dataclass(frozen=True, slots=True)
class Participant:
    participant_id: str  # the hub's pseudonymous id
    nhs_number: str  # ten digits, normalised
    given_name: str
    family_name: str
    date_of_birth: dt.date
    life_status: LifeStatus
    address: Address
    gp: GeneralPractitioner | None
    team: str  # clinical team id
    glh: str  # Genomic Laboratory Hub
    programme: Programme
    family_id: str | None = None
    relationship_to_proband: Relationship = Relationship.PROBAND
    title: str | None = None
    communication: CommunicationNeeds = field(default_factory=CommunicationNeeds)
    representatives: tuple[Representative, ...] = ()
    date_of_death: dt.date | None = None

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_deceased(self) -> bool:
        return self.life_status is LifeStatus.DECEASED

    def age_on(self, day: dt.date) -> int:
        """Completed years of age on ``day``."""
        return age_on(self.date_of_birth, day)

    def sixteenth_birthday(self) -> dt.date:
        return add_years(self.date_of_birth, 16)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later; 29 February becomes 1 March in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    years = day.year - date_of_birth.year
    return years if add_years(date_of_birth, years) <= day else years - 1
