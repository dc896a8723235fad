"""Consent decisions from a client's outbox: rule 6 (recorded once) and rule 5 (overtaken).

Rule 5 as the hub applies it: a grant is *overtaken* by a withdrawal, in the same scope or from
the whole programme, that took effect at or before the grant, that the grant does not name in
``supersedes`` and that someone else recorded (so the person recording the grant cannot be
assumed to have known of it). A deliberate re-consent names the withdrawal it lifts. An
overtaken grant is kept, flagged as a conflict with the reason, and answered ``conflict``; the
ledger then holds every letter until a person resolves it. The same check runs the other way:
a backdated withdrawal arriving after such a grant flags the grant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from counsellor_app.domain.consent import ConsentDecision, ConsentScope, Decision
from counsellor_app.domain.consent_ledger import ConsentLedger
from counsellor_app.domain.consent_recording import check_new_decision
from counsellor_app.domain.consent_wording import long_date, scope_label
from counsellor_app.domain.errors import ConsentRefused
from counsellor_app.hub.records import Records
from counsellor_app.protocol.entities import ConsentDecisionWire, ParticipantWire

Answer = tuple[str, str | None]


def overtakes(withdrawal: ConsentDecision, grant: ConsentDecision) -> bool:
    """Whether ``withdrawal``, recorded elsewhere, overtakes ``grant`` (rule 5)."""
    if withdrawal.decision is not Decision.WITHDRAWN or grant.decision is not Decision.GRANTED:
        return False
    same_scope = (withdrawal.scope, withdrawal.request_id) == (grant.scope, grant.request_id)
    if not (withdrawal.scope is ConsentScope.PROGRAMME or same_scope):
        return False
    return (
        withdrawal.effective_from <= grant.effective_from
        and grant.supersedes != withdrawal.decision_id
        and withdrawal.recorded_by != grant.recorded_by
    )


def conflict_reason(withdrawal: ConsentDecision) -> str:
    return (
        f"A withdrawal recorded elsewhere overtook this decision: "
        f"{scope_label(withdrawal.scope, withdrawal.request_id)} withdrawn, effective "
        f"{long_date(withdrawal.effective_from.date())}, recorded by {withdrawal.recorded_by}. "
        "The decision is kept and letters are held until a person resolves the conflict."
    )


def apply_decision(
    records: Records, participant: ParticipantWire, wire: ConsentDecisionWire, today: dt.date
) -> Answer:
    """Record one decision; the answer is (outcome, reason)."""
    existing = records.decision(wire.decision_id)
    if existing is not None:
        return _again(records, participant, existing, wire)
    if wire.request_id is not None:
        request = records.request(wire.request_id)
        if request is None or request.participant_id != participant.participant_id:
            raise ConsentRefused(
                "The decision names a request that is not this participant's. Sync, then "
                "record it on the right request."
            )
    # What the hub knows about conflicts is the hub's to say, never the client's.
    decision = replace(
        wire.to_domain(), conflict=False, conflict_reason=None, conflict_resolved=False
    )
    events = [d.to_domain() for d in records.decisions_of(participant.participant_id)]
    ledger = ConsentLedger.for_participant(participant.to_domain(), events)
    if ledger.is_recorded(decision):
        return "duplicate", "The same decision is already recorded for this participant."
    overtaking = [e for e in events if overtakes(e, decision)]
    if overtaking:
        # Checked against what the recorder could have known: the record without them.
        known = [e for e in events if e not in overtaking]
        check_new_decision(
            ConsentLedger.for_participant(participant.to_domain(), known), decision, today
        )
        first = min(overtaking, key=ConsentDecision.sort_key)
        reason = conflict_reason(first)
        records.put_decision(
            ConsentDecisionWire.from_domain(replace(decision, conflict=True,
                                                    conflict_reason=reason)),
            participant.team,
        )
        return "conflict", reason
    check_new_decision(ledger, decision, today)
    records.put_decision(ConsentDecisionWire.from_domain(decision), participant.team)
    flagged = 0
    for grant in events:
        if not grant.conflict and overtakes(decision, grant):
            records.put_decision(
                ConsentDecisionWire.from_domain(
                    replace(grant, conflict=True, conflict_reason=conflict_reason(decision))
                ),
                participant.team,
            )
            flagged += 1
    if flagged:
        return "applied", (
            f"Recorded. {flagged} later grant(s) recorded elsewhere now conflict with this "
            "withdrawal and are held for a person to resolve."
        )
    return "applied", None


def _again(
    records: Records,
    participant: ParticipantWire,
    stored: ConsentDecisionWire,
    wire: ConsentDecisionWire,
) -> Answer:
    """A decision id the hub already has: the same decision, a resolution, or a refusal."""
    mine, theirs = stored.to_domain(), wire.to_domain()
    if not (mine.same_decision_as(theirs) and mine.supersedes == theirs.supersedes
            and mine.note == theirs.note and mine.recorded_by == theirs.recorded_by):
        raise ConsentRefused(
            "A different decision is already recorded under this decision id. Decisions are "
            "never edited: record a new decision that supersedes it."
        )
    if wire.conflict_resolved and stored.conflict and not stored.conflict_resolved:
        records.put_decision(
            ConsentDecisionWire.from_domain(replace(mine, conflict_resolved=True)),
            participant.team,
        )
        return "applied", "The conflict on this decision is marked as resolved."
    return "duplicate", "This decision is already recorded."
