"""Where one consent scope stands on a day: answers, scope states, the folds of rules 1 and 4."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    GivenBy,
    WithdrawalLevel,
)
from counsellor_app.domain.consent_events import is_no_further_use
from counsellor_app.domain.consent_wording import describe, long_date, scope_label

AGE_OF_OWN_CONSENT = 16


@dataclass(frozen=True, slots=True)
class Answer:
    """A yes or no with its reason: the deciding event, or the fact (deceased, age) that decided.

    Truthy when allowed, so ``if ledger.may_contact_for_results(today):`` reads naturally.
    """

    allowed: bool
    reason: str
    deciding: ConsentDecision | None = None
    fact: str | None = None

    def __bool__(self) -> bool:
        return self.allowed


@dataclass(frozen=True, slots=True)
class ScopeState:
    """Where one scope (or one request's scope) stands on a given day.

    ``decision`` is the decision in force (None when nothing is recorded); ``permits`` whether a
    grant is in force that permits what the scope covers; ``reconsent_needed`` when the grant in
    force was a parent's and the participant is now 16 or over (rule 4); ``withdrawal_level``
    for a programme withdrawal in force.
    """

    scope: ConsentScope
    request_id: str | None
    decision: Decision | None
    permits: bool
    reconsent_needed: bool
    reason: str
    deciding: ConsentDecision | None
    withdrawal_level: WithdrawalLevel | None = None


@dataclass(frozen=True, slots=True)
class Age:
    """The participant's age on the day asked, and the day they turned (or turn) 16."""

    years: int
    sixteenth_birthday: dt.date

    @property
    def own_consent(self) -> bool:
        return self.years >= AGE_OF_OWN_CONSENT


def fold_scope(
    scope: ConsentScope,
    request_id: str | None,
    in_force: Sequence[ConsentDecision],
    age: Age,
) -> ScopeState:
    """The latest decision in force decides (rules 2 and 3); a parent's grant lapses at 16."""
    label = scope_label(scope, request_id)
    latest = in_force[-1] if in_force else None
    if latest is None:
        return ScopeState(
            scope, request_id, None, False, False, f"{label}: no decision recorded.", None
        )
    if _parent_grant_lapsed(latest, age):
        reason = _reconsent_reason(label, latest, age)
        return ScopeState(scope, request_id, latest.decision, False, True, reason, latest)
    permits = latest.decision is Decision.GRANTED
    reason = f"{label}: {describe(latest)}."
    return ScopeState(scope, request_id, latest.decision, permits, False, reason, latest)


def fold_programme(in_force: Sequence[ConsentDecision], age: Age) -> ScopeState:
    """Rule 1: a withdrawal stands until the participant (or someone entitled) grants again.

    ``no_further_use`` stands for ever. A decline never lifts a withdrawal. A parent may lift one
    only while the participant is under 16 (rule 4): at 16 that lifting lapses too.
    """
    scope = ConsentScope.PROGRAMME
    label = scope_label(scope)
    for event in in_force:
        if is_no_further_use(event):
            reason = (
                f"{label}: {describe(event)}. This cannot be lifted in the app: the data are "
                "no longer used, and taking part again needs re-recruitment."
            )
            return ScopeState(
                scope, None, Decision.WITHDRAWN, False, False, reason, event,
                WithdrawalLevel.NO_FURTHER_USE,
            )  # fmt: skip
    current: ConsentDecision | None = None
    not_lifted: ConsentDecision | None = None
    for event in in_force:
        withdrawn = current is not None and current.decision is Decision.WITHDRAWN
        if not withdrawn:
            current = event
        elif event.decision is Decision.WITHDRAWN or (
            event.decision is Decision.GRANTED and _may_lift_withdrawal(event, age)
        ):
            current, not_lifted = event, None
        elif event.decision is Decision.GRANTED:
            not_lifted = event
    if current is None or current.decision is not Decision.WITHDRAWN:
        return fold_scope(scope, None, (current,) if current else (), age)
    reason = f"{label}: {describe(current)}."
    if not_lifted is not None:
        reason += (
            f" A later grant ({describe(not_lifted)}) does not lift it: only the participant, "
            "or a representative entitled to decide for them, can."
        )
    return ScopeState(
        scope, None, Decision.WITHDRAWN, False, False, reason, current,
        WithdrawalLevel.NO_FURTHER_CONTACT,
    )  # fmt: skip


def _may_lift_withdrawal(grant: ConsentDecision, age: Age) -> bool:
    """The participant, or a representative where they lack capacity or are a child."""
    if grant.given_by is GivenBy.PARENT_OR_GUARDIAN:
        return not age.own_consent
    return True


def _parent_grant_lapsed(event: ConsentDecision, age: Age) -> bool:
    return (
        event.decision is Decision.GRANTED
        and event.given_by is GivenBy.PARENT_OR_GUARDIAN
        and age.own_consent
    )


def _reconsent_reason(label: str, event: ConsentDecision, age: Age) -> str:
    return (
        f"{label}: re-consent needed — {describe(event)}; the participant has been 16 since "
        f"{long_date(age.sixteenth_birthday)}, so a parent's consent permits nothing more until "
        "the young person records their own decision."
    )
