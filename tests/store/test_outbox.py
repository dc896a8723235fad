"""The outbox life cycle the sync engine drives: due, sent, answered, retried, shown."""

from __future__ import annotations

import datetime as dt

import pytest

from counsellor_app.store.engine import Cache
from counsellor_app.store.errors import NotFound
from counsellor_app.store.inbox import inbox_counts, sync_problems
from counsellor_app.store.outbox import (
    OutboxKind,
    OutboxState,
    due_items,
    enqueue,
    mark_sent,
    record_answer,
    record_failure,
    waiting_count,
)

from .conftest import TODAY

T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


def test_items_go_out_oldest_first_and_each_answer_is_kept(cache: Cache) -> None:
    with cache.write() as session:
        ids = [
            enqueue(
                session,
                OutboxKind.CONSENT_DECISION,
                {"n": n},
                record_type="consent",
                record_id=f"D{n}",
                now=T0 + dt.timedelta(minutes=n),
            )
            for n in range(4)
        ]
    with cache.write() as session:
        due = due_items(session, now=T0 + dt.timedelta(hours=1))
        assert [item.id for item in due] == ids
        assert due[0].payload == {"n": 0}
        mark_sent(session, ids, now=T0 + dt.timedelta(hours=1))
        record_answer(session, ids[0], OutboxState.APPLIED)
        record_answer(session, ids[1], OutboxState.DUPLICATE)
        record_answer(session, ids[2], OutboxState.REJECTED, reason="unknown participant")
    with cache.write() as session:
        retry_at = T0 + dt.timedelta(hours=2)
        record_failure(session, [ids[3]], "connection refused", retry_at=retry_at)
        assert due_items(session, now=T0 + dt.timedelta(hours=1, minutes=30)) == []
        (again,) = due_items(session, now=retry_at)
        assert again.id == ids[3] and again.attempts == 1 and again.last_error
        assert waiting_count(session) == 1
    with cache.read() as session:
        (problem,) = sync_problems(session)
        assert problem.id == ids[2] and problem.answer_reason == "unknown participant"
        assert problem.state.needs_attention
        assert inbox_counts(session, today=TODAY).sync_problems == 1


def test_an_answer_must_be_final_and_for_a_known_item(cache: Cache) -> None:
    with cache.write() as session:
        item = enqueue(session, OutboxKind.RESULT_STATE, {"result_id": "R1"})
        with pytest.raises(ValueError):
            record_answer(session, item, OutboxState.PENDING)
        with pytest.raises(NotFound):
            record_answer(session, "no-such-item", OutboxState.APPLIED)
