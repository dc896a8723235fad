"""Consent events made ready to fold: one copy of each decision (rule 6), in fold order."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    WithdrawalLevel,
)

FoldKey = tuple[ConsentScope, str | None]


def fold_key(event: ConsentDecision) -> FoldKey:
    """The scope an event decides: a per-request scope is one scope per request."""
    return (event.scope, event.request_id if event.scope.is_per_request else None)


def is_no_further_use(event: ConsentDecision) -> bool:
    """A programme withdrawal that nothing in the app can lift or correct."""
    return (
        event.scope is ConsentScope.PROGRAMME
        and event.decision is Decision.WITHDRAWN
        and event.withdrawal_level is WithdrawalLevel.NO_FURTHER_USE
    )


def deduplicate(events: Iterable[ConsentDecision]) -> tuple[ConsentDecision, ...]:
    """Rule 6: one event per decision id, then one per identical decision, in fold order.

    Fold order is ``ConsentDecision.sort_key``: effective time, then recorded time, then id.
    Copies of one id may differ in the hub's conflict flags; they are merged (a flag once raised
    or resolved stays so), so the result never depends on which copy arrived first. Of two
    events recording the same decision under different ids, the first in fold order is kept.
    """
    by_id: dict[str, list[ConsentDecision]] = {}
    for event in events:
        copies = by_id.get(event.decision_id)
        if copies is None:
            by_id[event.decision_id] = [event]
        else:
            copies.append(event)
    merged = sorted(map(_merge, by_id.values()), key=ConsentDecision.sort_key)
    kept: list[ConsentDecision] = []
    seen: dict[tuple[FoldKey, dt.datetime], list[ConsentDecision]] = defaultdict(list)
    for event in merged:
        bucket = seen[((event.scope, event.request_id), event.effective_from)]
        if any(earlier.same_decision_as(event) for earlier in bucket):
            continue
        bucket.append(event)
        kept.append(event)
    return tuple(kept)


def superseded_ids(events: Iterable[ConsentDecision]) -> frozenset[str]:
    """Decisions that a correction took out of the fold (never a no-further-use withdrawal)."""
    events = tuple(events)
    named = {e.supersedes for e in events if e.supersedes and e.supersedes != e.decision_id}
    return frozenset(
        e.decision_id for e in events if e.decision_id in named and not is_no_further_use(e)
    )


def _merge(copies: list[ConsentDecision]) -> ConsentDecision:
    if len(copies) == 1:
        return copies[0]
    canonical = min(copies, key=lambda e: (e.sort_key(), repr(e)))
    reasons = sorted(e.conflict_reason for e in copies if e.conflict_reason)
    return replace(
        canonical,
        conflict=any(e.conflict for e in copies),
        conflict_resolved=any(e.conflict_resolved for e in copies),
        conflict_reason=reasons[0] if reasons else None,
    )
