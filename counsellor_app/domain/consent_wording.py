"""Plain-English wording of consent decisions: scope names, givers, dates and descriptions.

No wording here names a person other than the member of staff who recorded a decision: the
giver is described by role ("the participant's parent or guardian"), so that a reason can
appear in an error message or a log without a patient identifier.
"""

from __future__ import annotations

import datetime as dt

from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    GivenBy,
    WithdrawalLevel,
)

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_SCOPE_LABELS: dict[ConsentScope, str] = {
    ConsentScope.PROGRAMME: "Taking part in the programme",
    ConsentScope.CONTACT_FOR_RESEARCH: "Contact about research",
    ConsentScope.PRIMARY_FINDINGS: "Primary findings",
    ConsentScope.ADDITIONAL_FINDINGS: "Additional findings",
    ConsentScope.CARRIER_STATUS: "Carrier status findings",
    ConsentScope.SHARE_WITH_RESEARCHER: "Sharing information with the researcher",
    ConsentScope.PUBLICATION: "Publication",
    ConsentScope.FURTHER_SAMPLE: "Releasing a sample",
    ConsentScope.TRIAL_CONTACT: "Contact about a trial or registry",
}

_GIVERS: dict[GivenBy, str] = {
    GivenBy.SELF: "the participant",
    GivenBy.PARENT_OR_GUARDIAN: "the participant's parent or guardian",
    GivenBy.LASTING_POWER_OF_ATTORNEY: "the participant's lasting power of attorney",
    GivenBy.CONSULTEE: "the participant's consultee",
}

_LEVELS: dict[WithdrawalLevel, str] = {
    WithdrawalLevel.NO_FURTHER_CONTACT: "no further contact",
    WithdrawalLevel.NO_FURTHER_USE: "no further use",
}


def long_date(day: dt.date) -> str:
    """A date as people write it, e.g. 3 March 2019 (no locale involved)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def scope_label(scope: ConsentScope, request_id: str | None = None) -> str:
    """A scope in words; a per-request scope names its request: Publication (request R-17)."""
    label = _SCOPE_LABELS[scope]
    if scope.is_per_request and request_id:
        return f"{label} (request {request_id})"
    return label


def giver(given_by: GivenBy) -> str:
    """Who gave a decision, by role."""
    return _GIVERS[given_by]


def decision_words(event: ConsentDecision) -> str:
    """The decision in words: granted, declined, or withdrawn (no further contact)."""
    if event.decision is Decision.WITHDRAWN and event.withdrawal_level is not None:
        return f"withdrawn ({_LEVELS[event.withdrawal_level]})"
    return event.decision.value


def describe(event: ConsentDecision) -> str:
    """One event in words: what, by whom, effective when, recorded by whom and when.

    "declined by the participant's parent or guardian on 3 March 2019, recorded by J. Evans on
    4 March 2019"
    """
    effective = event.effective_from.date()
    recorded = event.recorded_at.date()
    text = f"{decision_words(event)} by {giver(event.given_by)}"
    if effective == recorded:
        return f"{text} on {long_date(effective)}, recorded by {event.recorded_by} the same day"
    return (
        f"{text}, effective {long_date(effective)}, recorded by {event.recorded_by} on "
        f"{long_date(recorded)}"
    )


def consequence(event: ConsentDecision) -> str:
    """One sentence saying what recording this decision will change, for the confirm dialog.

    "From 27 November 2026, additional findings will not be shown or written about for this
    participant."
    """
    start = f"From {long_date(event.effective_from.date())}, "
    granted = event.decision is Decision.GRANTED
    scope = event.scope
    request = f" for request {event.request_id}" if event.request_id else ""
    if scope is ConsentScope.PROGRAMME:
        if granted:
            return start + (
                "the participant takes part in the programme; this lifts an earlier withdrawal "
                "from further contact, but never a withdrawal from further use."
            )
        if event.withdrawal_level is WithdrawalLevel.NO_FURTHER_USE:
            return start + (
                "nobody will contact this participant and their data will no longer be used; "
                "this cannot be undone in the app (taking part again needs re-recruitment)."
            )
        if event.decision is Decision.WITHDRAWN:
            return start + (
                "nobody will contact this participant: every letter is refused until they give "
                "a new programme consent."
            )
        return start + (
            "the participant does not take part in the programme and will receive no "
            "research-initiated contact."
        )
    if scope is ConsentScope.CONTACT_FOR_RESEARCH:
        if granted:
            return start + "the participant may be contacted about research."
        return start + (
            "the participant will still receive the results of their own clinical testing, but "
            "no research-initiated contact (collaboration, trial, registry, sample or "
            "publication requests)."
        )
    if scope in (
        ConsentScope.PRIMARY_FINDINGS,
        ConsentScope.ADDITIONAL_FINDINGS,
        ConsentScope.CARRIER_STATUS,
    ):
        what = _SCOPE_LABELS[scope].lower()
        if granted:
            return start + f"{what} may be shown and written about for this participant."
        return start + f"{what} will not be shown or written about for this participant."
    if scope is ConsentScope.SHARE_WITH_RESEARCHER:
        verb = "may" if granted else "will not"
        return start + f"information {verb} be shared with the researcher{request}."
    if scope is ConsentScope.PUBLICATION:
        verb = "may" if granted else "will not"
        return start + f"this case {verb} be published{request}."
    if scope is ConsentScope.FURTHER_SAMPLE:
        verb = "may" if granted else "will not"
        return start + f"a sample {verb} be released{request}."
    verb = "may" if granted else "will not"
    return start + f"the participant {verb} be contacted about the trial or registry{request}."
