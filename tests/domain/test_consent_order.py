"""The order in which decisions arrive never changes an answer (generated histories)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    GivenBy,
    Method,
    WithdrawalLevel,
)
from counsellor_app.domain.consent_ledger import Answer, ConsentLedger, ScopeState
from counsellor_app.domain.consent_wording import long_date
from counsellor_app.domain.participant import LifeStatus

START = dt.datetime(2015, 1, 1, 9, tzinfo=dt.UTC)
DAYS_ASKED = (dt.date(2016, 6, 1), dt.date(2020, 8, 20), dt.date(2026, 11, 27))
REQUESTS = ("REQ-A", "REQ-B")


@st.composite
def decisions(draw: st.DrawFn) -> ConsentDecision:
    scope = draw(st.sampled_from(list(ConsentScope)))
    outcome = draw(st.sampled_from(list(Decision)))
    level = None
    if scope is ConsentScope.PROGRAMME and outcome is Decision.WITHDRAWN:
        level = draw(st.sampled_from([*WithdrawalLevel, None]))
    # few distinct days and ids, so that ties and duplicate ids are common
    effective = START + dt.timedelta(days=400 * draw(st.integers(0, 10)))
    recorded = effective + dt.timedelta(hours=draw(st.integers(0, 3)))
    return ConsentDecision(
        decision_id=f"D-{draw(st.integers(0, 14))}",
        participant_id="P-0001",
        scope=scope,
        decision=outcome,
        given_by=draw(st.sampled_from(list(GivenBy))),
        given_by_name=None,
        method=draw(st.sampled_from([Method.IN_PERSON, Method.LETTER])),
        recorded_by=draw(st.sampled_from(["J. Evans", "Ł. Nowak"])),
        recorded_at=recorded,
        effective_from=effective,
        withdrawal_level=level,
        request_id=draw(st.sampled_from(REQUESTS)) if scope.is_per_request else None,
        supersedes=draw(st.one_of(st.none(), st.integers(0, 14).map(lambda n: f"D-{n}"))),
        conflict=draw(st.booleans()),
        conflict_resolved=draw(st.booleans()),
    )


def everything_asked(book: ConsentLedger) -> list[object]:
    answers: list[object] = [book.timeline(), book.conflicts()]
    for on in DAYS_ASKED:
        answers += [
            *book.scope_states(on),
            book.needs_reconsent(on),
            book.may_contact_for_results(on),
            book.may_contact_for_research(on),
            book.may_share_additional_findings(on),
            book.may_share_findings(ConsentScope.PRIMARY_FINDINGS, on),
            *(
                book.may_act_on_request(r, s, on)
                for r in REQUESTS
                for s in ConsentScope
                if s.is_per_request
            ),
        ]
    return answers


@settings(max_examples=150, deadline=None)
@given(
    events=st.lists(decisions(), max_size=14),
    order=st.randoms(use_true_random=False),
    repeats=st.lists(st.integers(0, 13), max_size=4),
    deceased=st.booleans(),
)
def test_shuffled_and_repeated_events_give_the_same_answers_each_with_its_recorder(
    events: list[ConsentDecision], order: object, repeats: list[int], deceased: bool
) -> None:
    facts = {
        "date_of_birth": dt.date(2004, 2, 29),
        "life_status": LifeStatus.DECEASED if deceased else LifeStatus.ALIVE,
    }
    book = ConsentLedger(events, **facts)  # type: ignore[arg-type]
    expected = everything_asked(book)
    for answer in expected:
        if isinstance(answer, Answer | ScopeState) and answer.deciding is not None:
            recorded = answer.deciding.recorded_at.date()
            assert answer.deciding.recorded_by in answer.reason
            assert long_date(recorded) in answer.reason or "the same day" in answer.reason
    arrived = list(events) + [events[i] for i in repeats if i < len(events)]
    order.shuffle(arrived)  # type: ignore[attr-defined]
    assert everything_asked(ConsentLedger(arrived, **facts)) == expected  # type: ignore[arg-type]
