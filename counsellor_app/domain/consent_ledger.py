"""The consent ledger: a participant's decision events folded into answers that carry reasons.

DESIGN §3 "Consent rules" 1-6. Every question takes the day it is asked for (``on``), because
age (rule 4) and effective dates decide answers. Events are folded in the order of
``ConsentDecision.sort_key`` (effective time, recorded time, id), so the order in which they
arrived never changes an answer.

Reasons name the scope, the decision, who gave it (as a role, never a person's name, so that a
reason can go into an error message or a log safely), when it took effect, who recorded it and
when. The deciding event is attached to every answer for the UI to show in full.

Choices made where the rules are silent (kept conservative, because a wrong "yes" is a hazard):
- Research-initiated contact needs a grant in force: ``contact_for_research`` if recorded,
  otherwise ``programme``. With neither recorded, research contact is refused.
- Clinical results (and primary findings) need no grant: only rule 1's bars stop them.
- ``carrier_status``, like ``additional_findings``, is shared only with a grant.
- A ``programme`` withdrawal without a level counts as ``no_further_contact``.
- A decision that another one ``supersedes`` leaves the fold, except a ``no_further_use``
  withdrawal, which nothing in the app can undo.
- Acting on a request (rule 3) also needs contact to be allowed (research contact for every
  kind except a clinician's expert opinion).
- A decision is in force from the day of its ``effective_from``; one dated after ``on`` is not
  yet. A ``programme`` decline stops research contact but not the participant's own results.
- While any conflict (rule 5) is unresolved, every contact answer is no, naming the conflict.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    GivenBy,
    WithdrawalLevel,
)
from counsellor_app.domain.consent_events import (
    FoldKey,
    deduplicate,
    fold_key,
    superseded_ids,
)
from counsellor_app.domain.consent_recording import check_new_decision
from counsellor_app.domain.consent_state import (
    AGE_OF_OWN_CONSENT,
    Age,
    Answer,
    ScopeState,
    fold_programme,
    fold_scope,
)
from counsellor_app.domain.consent_wording import consequence, describe, scope_label
from counsellor_app.domain.participant import LifeStatus, Participant, add_years, age_on
from counsellor_app.domain.request import RequestKind

FINDINGS_SCOPES = frozenset(
    {ConsentScope.PRIMARY_FINDINGS, ConsentScope.ADDITIONAL_FINDINGS, ConsentScope.CARRIER_STATUS}
)
GENERAL_SCOPES: tuple[ConsentScope, ...] = (
    ConsentScope.PROGRAMME,
    ConsentScope.CONTACT_FOR_RESEARCH,
    ConsentScope.PRIMARY_FINDINGS,
    ConsentScope.ADDITIONAL_FINDINGS,
    ConsentScope.CARRIER_STATUS,
)

__all__ = [
    "AGE_OF_OWN_CONSENT",
    "FINDINGS_SCOPES",
    "GENERAL_SCOPES",
    "Answer",
    "ConsentLedger",
    "ScopeState",
    "check_new_decision",
    "consequence",
]


class ConsentLedger:
    """The fold of one participant's consent decisions, with the questions the product asks."""

    def __init__(
        self,
        events: Iterable[ConsentDecision],
        *,
        date_of_birth: dt.date,
        life_status: LifeStatus = LifeStatus.ALIVE,
        date_of_death: dt.date | None = None,
        participant_id: str | None = None,
    ) -> None:
        given = tuple(events)
        if participant_id is not None and any(e.participant_id != participant_id for e in given):
            raise ValueError("A consent decision for another participant was given to this ledger.")
        self.date_of_birth = date_of_birth
        self.life_status = life_status
        self.date_of_death = date_of_death
        self.participant_id = participant_id
        self._events = deduplicate(given)
        self._superseded = superseded_ids(self._events)
        by_key: dict[FoldKey, list[ConsentDecision]] = defaultdict(list)
        for event in self._events:
            if event.decision_id in self._superseded:
                continue
            if event.scope.is_per_request and not event.request_id:
                continue  # names no request, so it covers none (rule 3)
            by_key[fold_key(event)].append(event)
        self._by_key = {key: tuple(items) for key, items in by_key.items()}
        self._states: dict[tuple[FoldKey, dt.date], ScopeState] = {}
        self._ages: dict[dt.date, Age] = {}
        self._parent_granted = any(
            e.given_by is GivenBy.PARENT_OR_GUARDIAN and e.decision is Decision.GRANTED
            for items in self._by_key.values()
            for e in items
        )

    @classmethod
    def for_participant(
        cls, participant: Participant, events: Iterable[ConsentDecision]
    ) -> ConsentLedger:
        """The ledger of ``participant`` (events of anyone else are refused)."""
        return cls(
            events,
            date_of_birth=participant.date_of_birth,
            life_status=participant.life_status,
            date_of_death=participant.date_of_death,
            participant_id=participant.participant_id,
        )

    # ----------------------------------------------------------------- the record itself

    def timeline(self) -> tuple[ConsentDecision, ...]:
        """Every decision once (rule 6), in fold order, superseded ones included."""
        return self._events

    def is_superseded(self, decision_id: str) -> bool:
        """Whether a later correction took this decision out of the fold."""
        return decision_id in self._superseded

    def is_recorded(self, decision: ConsentDecision) -> bool:
        """Whether this decision is already in the ledger (same id or same content: rule 6)."""
        return any(
            e.decision_id == decision.decision_id or e.same_decision_as(decision)
            for e in self._events
        )

    def conflicts(self) -> tuple[ConsentDecision, ...]:
        """Decisions the hub flagged as overtaken and that nobody has resolved yet (rule 5)."""
        return tuple(e for e in self._events if e.conflict and not e.conflict_resolved)

    def age_on(self, on: dt.date) -> int:
        """Completed years of age on ``on`` (29 February birthdays fall on 1 March)."""
        return age_on(self.date_of_birth, _day(on))

    @property
    def is_deceased(self) -> bool:
        return self.life_status is LifeStatus.DECEASED

    # ----------------------------------------------------------------- scope states

    def scope_state(
        self, scope: ConsentScope, on: dt.date, request_id: str | None = None
    ) -> ScopeState:
        """Where ``scope`` (for ``request_id`` when it is a per-request scope) stands on ``on``."""
        on = _day(on)
        key: FoldKey = (scope, request_id if scope.is_per_request else None)
        known = self._states.get((key, on))
        if known is not None:
            return known
        if scope is ConsentScope.PROGRAMME:
            state = fold_programme(self._in_force(key, on), self._age(on))
        else:
            state = fold_scope(scope, key[1], self._in_force(key, on), self._age(on))
        self._states[(key, on)] = state
        return state

    def scope_states(self, on: dt.date) -> tuple[ScopeState, ...]:
        """Every general scope, then every request with a decision, as they stand on ``on``."""
        general = tuple(self.scope_state(scope, on) for scope in GENERAL_SCOPES)
        requests = sorted(
            (key for key in self._by_key if key[0].is_per_request and key[1] is not None),
            key=lambda key: (key[0].value, key[1] or ""),
        )
        return general + tuple(self.scope_state(scope, on, rid) for scope, rid in requests)

    def needs_reconsent(self, on: dt.date) -> bool:
        """Whether a grant in force rests on a parent's decision and the participant is now 16+.

        False for a deceased participant and after a ``no_further_use`` withdrawal (nobody can
        be asked).
        """
        return bool(self.reconsent_scopes(on))

    def reconsent_scopes(self, on: dt.date) -> tuple[ScopeState, ...]:
        """The scopes whose grant lapsed at the 16th birthday (rule 4), with reasons."""
        if not self._parent_granted or self.is_deceased or self.age_on(on) < AGE_OF_OWN_CONSENT:
            return ()
        if self._programme_state(on).withdrawal_level is WithdrawalLevel.NO_FURTHER_USE:
            return ()
        return tuple(state for state in self.scope_states(on) if state.reconsent_needed)

    # ----------------------------------------------------------------- questions (rules 1-5)

    def may_contact_for_results(self, on: dt.date) -> Answer:
        """Rule 1: may we write to or call this person about their own clinical results?"""
        bar = self._contact_bar(on)
        if bar is not None:
            return bar
        programme = self._programme_state(on)
        if programme.deciding is None:
            return Answer(
                True,
                "Contact about the participant's own results is allowed: "
                "no withdrawal is recorded.",
            )
        return Answer(
            True,
            "Contact about the participant's own results is allowed: no withdrawal is in force "
            f"({programme.reason})",
            programme.deciding,
        )

    def may_contact_for_research(self, on: dt.date) -> Answer:
        """Rule 1: may we contact this person for research (invitations, trials, samples)?"""
        bar = self._contact_bar(on)
        if bar is not None:
            return bar
        programme = self._programme_state(on)
        if programme.decision is Decision.DECLINED:
            return Answer(False, f"No research contact: {programme.reason}", programme.deciding)
        research = self.scope_state(ConsentScope.CONTACT_FOR_RESEARCH, on)
        if research.decision is None:
            research = programme
        if research.deciding is None:
            return Answer(
                False,
                "No research contact: no consent to be contacted about research is recorded.",
            )
        if research.permits:
            return Answer(
                True, f"Research contact is allowed: {research.reason}", research.deciding
            )
        return self._refused("No research contact:", research, on)

    def may_contact_about_request(self, kind: RequestKind, on: dt.date) -> Answer:
        """Rule 1 for a letter about a request: research contact, except a clinician's own ask."""
        if kind.is_research_contact:
            return self.may_contact_for_research(on)
        return self.may_contact_for_results(on)

    def may_share_findings(self, scope: ConsentScope, on: dt.date) -> Answer:
        """Rule 2 (and rule 1): may findings of this kind be shown and written about?

        Additional findings and carrier status need a grant in force that was not later
        withdrawn or declined; primary findings (the participant's own results) are stopped
        only by a decline or withdrawal.
        """
        if scope not in FINDINGS_SCOPES:
            raise ValueError(f"{scope.value} is not a kind of findings.")
        bar = self._contact_bar(on)
        if bar is not None:
            return bar
        state = self.scope_state(scope, on)
        if state.permits:
            return Answer(True, f"May be shown and written about. {state.reason}", state.deciding)
        if scope is ConsentScope.PRIMARY_FINDINGS and state.decision in (None, Decision.GRANTED):
            return Answer(
                True,
                f"May be shown and written about: primary findings are the participant's own "
                f"results and no decline is recorded. {state.reason}",
                state.deciding,
            )
        if state.deciding is None:
            return Answer(
                False,
                f"Not to be shown or written about: {state.reason[:-1]}, and these are shared "
                "only with the participant's consent.",
            )
        return self._refused("Not to be shown or written about.", state, on)

    def may_share_additional_findings(self, on: dt.date) -> Answer:
        """Rule 2: may additional (secondary) findings be shown and written about?"""
        return self.may_share_findings(ConsentScope.ADDITIONAL_FINDINGS, on)

    def may_act_on_request(
        self,
        request_id: str,
        scope: ConsentScope,
        on: dt.date,
        *,
        research_contact: bool = True,
    ) -> Answer:
        """Rule 3: may we share data, release a sample or publish for this very request?

        ``research_contact`` is False only for a clinician's expert-opinion request
        (``RequestKind.is_research_contact``).
        """
        if not scope.is_per_request:
            raise ValueError(f"{scope.value} is not a per-request consent scope.")
        contact = (
            self.may_contact_for_research(on)
            if research_contact
            else self.may_contact_for_results(on)
        )
        if not contact:
            return contact
        state = self.scope_state(scope, on, request_id)
        if state.permits:
            return Answer(True, f"Allowed. {state.reason}", state.deciding)
        if state.deciding is None:
            return Answer(
                False,
                f"Not allowed: {state.reason[:-1]}; a decision for another request never "
                "covers this one.",
            )
        return self._refused("Not allowed.", state, on)

    # ----------------------------------------------------------------- the fold

    def _in_force(self, key: FoldKey, on: dt.date) -> tuple[ConsentDecision, ...]:
        return tuple(e for e in self._by_key.get(key, ()) if e.effective_from.date() <= on)

    def _age(self, on: dt.date) -> Age:
        age = self._ages.get(on)
        if age is None:
            age = Age(self.age_on(on), add_years(self.date_of_birth, AGE_OF_OWN_CONSENT))
            self._ages[on] = age
        return age

    def _programme_state(self, on: dt.date) -> ScopeState:
        return self.scope_state(ConsentScope.PROGRAMME, on)

    def _refused(self, verdict: str, state: ScopeState, on: dt.date) -> Answer:
        """A refusal resting on ``state``; a parent's lapsed grant names the age that decided."""
        fact = f"age {self.age_on(on)}" if state.reconsent_needed else None
        return Answer(False, f"{verdict} {state.reason}", state.deciding, fact)

    def _contact_bar(self, on: dt.date) -> Answer | None:
        """Rule 1 and rule 5: what stops every contact (deceased, withdrawn, a conflict)."""
        if self.is_deceased:
            return Answer(
                False,
                "No contact: the participant is recorded as deceased.",
                fact="deceased",
            )
        programme = self._programme_state(on)
        if programme.decision is Decision.WITHDRAWN:
            return Answer(False, f"No contact: {programme.reason}", programme.deciding)
        conflicts = self.conflicts()
        if conflicts:
            first = conflicts[0]
            why = f" The hub said: {first.conflict_reason}" if first.conflict_reason else ""
            return Answer(
                False,
                "Letters are held: a decision recorded offline was overtaken by a withdrawal "
                f"recorded elsewhere ({scope_label(first.scope, first.request_id)}: "
                f"{describe(first)}). A person must resolve the conflict first.{why}",
                first,
                fact="unresolved conflict",
            )
        return None


def _day(on: dt.date) -> dt.date:
    """The day asked about (a datetime counts as its date)."""
    return on.date() if isinstance(on, dt.datetime) else on
