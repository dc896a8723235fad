"""Checks made before a new consent decision is recorded: what must never enter the ledger."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    GivenBy,
    WithdrawalLevel,
)
from counsellor_app.domain.consent_events import is_no_further_use
from counsellor_app.domain.consent_wording import long_date, scope_label
from counsellor_app.domain.errors import ConsentRefused
from counsellor_app.domain.participant import age_on

if TYPE_CHECKING:
    from counsellor_app.domain.consent_ledger import ConsentLedger

_AGE_OF_OWN_CONSENT = 16


def check_new_decision(ledger: ConsentLedger, decision: ConsentDecision, on: dt.date) -> None:
    """Raise ConsentRefused, with a plain reason, for a decision that must not be recorded.

    ``on`` is today. Recording the same decision again is not refused: rule 6 makes it a
    no-op (see ``ConsentLedger.is_recorded``).
    """
    if ledger.participant_id is not None and decision.participant_id != ledger.participant_id:
        raise ConsentRefused(
            "This decision names a different participant from the case it is being recorded "
            "on. Open the right case and record it there."
        )
    label = scope_label(decision.scope, decision.request_id)
    _check_shape(decision, label)
    effective = decision.effective_from.date()
    if effective > on:
        raise ConsentRefused(
            f"{label}: the decision takes effect on {long_date(effective)}, which is in the "
            "future. Record it on or after the day it was given."
        )
    if (
        ledger.is_deceased
        and ledger.date_of_death is not None
        and effective > (ledger.date_of_death)
    ):
        raise ConsentRefused(
            f"{label}: the participant is recorded as deceased before the date this decision "
            "takes effect, so it cannot be recorded. Check the date it was given."
        )
    if (
        decision.given_by is GivenBy.PARENT_OR_GUARDIAN
        and age_on(ledger.date_of_birth, effective) >= _AGE_OF_OWN_CONSENT
    ):
        raise ConsentRefused(
            f"{label}: the participant was 16 or over on {long_date(effective)}, so a parent or "
            "guardian cannot decide for them. Record the young person's own decision (or a "
            "lasting power of attorney's or consultee's, where they lack capacity)."
        )
    _check_against_ledger(ledger, decision, label)


def _check_shape(decision: ConsentDecision, label: str) -> None:
    if decision.scope.is_per_request and not decision.request_id:
        raise ConsentRefused(
            f"{label}: this decision is about one particular request; choose the request it "
            "answers."
        )
    if not decision.scope.is_per_request and decision.request_id:
        raise ConsentRefused(
            f"{label}: this decision is not about a single request, so it cannot name one. "
            "Record it without a request."
        )
    programme_withdrawal = (
        decision.scope is ConsentScope.PROGRAMME and decision.decision is Decision.WITHDRAWN
    )
    if decision.withdrawal_level is not None and not programme_withdrawal:
        raise ConsentRefused(
            f"{label}: a withdrawal level (no further contact or no further use) belongs only "
            "to a withdrawal from the programme. Record this decision without it."
        )
    if programme_withdrawal and decision.withdrawal_level is None:
        raise ConsentRefused(
            f"{label}: say how far the withdrawal goes: no further contact, or no further use."
        )
    if decision.decision_id == decision.supersedes:
        raise ConsentRefused(f"{label}: a decision cannot supersede itself.")


def _check_against_ledger(ledger: ConsentLedger, decision: ConsentDecision, label: str) -> None:
    if ledger.is_recorded(decision):
        return
    no_further_use = next(
        (
            e
            for e in ledger.timeline()
            if is_no_further_use(e) and e.effective_from <= decision.effective_from
        ),
        None,
    )
    if no_further_use is not None and decision.decision is Decision.GRANTED:
        raise ConsentRefused(
            f"{label}: the participant withdrew from the programme with no further use on "
            f"{long_date(no_further_use.effective_from.date())}. That cannot be lifted in the "
            "app: taking part again needs re-recruitment."
        )
    if decision.supersedes is None:
        return
    earlier = next((e for e in ledger.timeline() if e.decision_id == decision.supersedes), None)
    if earlier is None:
        raise ConsentRefused(
            f"{label}: the decision this one corrects is not in this participant's record. "
            "Sync, then try again."
        )
    if (earlier.scope, earlier.request_id) != (decision.scope, decision.request_id):
        raise ConsentRefused(
            f"{label}: a correction must be in the same scope as the decision it corrects "
            f"({scope_label(earlier.scope, earlier.request_id)}). Record a new decision instead."
        )
    if earlier.withdrawal_level is WithdrawalLevel.NO_FURTHER_USE:
        raise ConsentRefused(
            f"{label}: a withdrawal with no further use cannot be corrected or lifted in the app."
        )
