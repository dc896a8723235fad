"""Consent decisions: append-only events that the consent ledger folds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class ConsentScope(StrEnum):
    PROGRAMME = "programme"
    CONTACT_FOR_RESEARCH = "contact_for_research"
    PRIMARY_FINDINGS = "primary_findings"
    ADDITIONAL_FINDINGS = "additional_findings"
    CARRIER_STATUS = "carrier_status"
    # per request: a decision in these scopes always names its request
    SHARE_WITH_RESEARCHER = "share_with_researcher"
    PUBLICATION = "publication"
    FURTHER_SAMPLE = "further_sample"
    TRIAL_CONTACT = "trial_contact"

    @property
    def is_per_request(self) -> bool:
        return self in PER_REQUEST_SCOPES


PER_REQUEST_SCOPES = frozenset(
    {
        ConsentScope.SHARE_WITH_RESEARCHER,
        ConsentScope.PUBLICATION,
        ConsentScope.FURTHER_SAMPLE,
        ConsentScope.TRIAL_CONTACT,
    }
)


class Decision(StrEnum):
    GRANTED = "granted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class WithdrawalLevel(StrEnum):
    """How far a programme withdrawal goes."""

    NO_FURTHER_CONTACT = "no_further_contact"
    NO_FURTHER_USE = "no_further_use"


class GivenBy(StrEnum):
    SELF = "self"
    PARENT_OR_GUARDIAN = "parent_or_guardian"
    LASTING_POWER_OF_ATTORNEY = "lasting_power_of_attorney"
    CONSULTEE = "consultee"


class Method(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"
    LETTER = "letter"
    PAPER_FORM = "paper_form"


@dataclass(frozen=True, slots=True)
class ConsentDecision:
    """One recorded decision. Never edited: a correction is a new event that supersedes it.

    ``withdrawal_level`` is set for a ``programme`` decision of ``withdrawn`` (and only then);
    ``request_id`` is set for the per-request scopes (and only then).
    ``conflict`` is set when the hub found that this decision, recorded offline, was overtaken
    by a withdrawal recorded elsewhere earlier (rule 5); ``conflict_resolved`` once a person
    has resolved it.
    """

    decision_id: str
    participant_id: str
    scope: ConsentScope
    decision: Decision
    given_by: GivenBy
    given_by_name: str | None
    method: Method
    recorded_by: str
    recorded_at: dt.datetime
    effective_from: dt.datetime
    withdrawal_level: WithdrawalLevel | None = None
    request_id: str | None = None
    note: str | None = None
    supersedes: str | None = None
    conflict: bool = False
    conflict_reason: str | None = None
    conflict_resolved: bool = False

    def sort_key(self) -> tuple[dt.datetime, dt.datetime, str]:
        """Fold order: effective time, then recorded time, then id (arrival order never counts)."""
        return (self.effective_from, self.recorded_at, self.decision_id)

    def same_decision_as(self, other: ConsentDecision) -> bool:
        """Whether two events record the same decision (rule 6: recorded once)."""
        return _content(self) == _content(other)


def _content(d: ConsentDecision) -> tuple[object, ...]:
    return (
        d.participant_id,
        d.scope,
        d.decision,
        d.given_by,
        d.given_by_name,
        d.method,
        d.effective_from,
        d.withdrawal_level,
        d.request_id,
    )
