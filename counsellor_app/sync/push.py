"""Pushing the outbox: oldest first, in batches, every answer kept on its row."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from counsellor_app.protocol.outbox import MAX_BATCH, ItemAnswer, OutboxAnswer
from counsellor_app.store.engine import Cache
from counsellor_app.store.outbox import (
    OutboxItem,
    OutboxState,
    due_items,
    mark_sent,
    record_answer,
    record_failure,
    waiting_count,
)
from counsellor_app.sync.errors import HubResponseInvalid, SyncError
from counsellor_app.sync.outbox_wire import wire_item
from counsellor_app.sync.progress import Phase, ProgressCallback, check_cancelled
from counsellor_app.sync.report import SyncReport
from counsellor_app.sync.session import HubSession

log = logging.getLogger(__name__)


class Pusher:
    """Sends what is waiting in the outbox and stores the hub's answer on each row.

    Rows go in creation order, ``batch_size`` at a time. A row is marked ``sent`` (and its
    attempt counted) before its batch goes out, so a crash leaves it to be sent again; the hub
    recognises the resent UUID and answers ``duplicate``, never recording it twice. A network
    failure or server error (after the transport's retries) keeps the rows waiting, with the
    error noted on them. ``rejected`` and ``conflict`` answers are kept with their reason for a
    person to see.
    """

    def __init__(
        self,
        session: HubSession,
        cache: Cache,
        *,
        batch_size: int,
        progress: ProgressCallback,
        cancel: threading.Event,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self._hub = session
        self._cache = cache
        self._batch_size = max(1, min(batch_size, MAX_BATCH))
        self._progress = progress
        self._cancel = cancel
        self._clock = clock

    def run(self, report: SyncReport) -> None:
        with self._cache.read() as session:
            total = waiting_count(session)
        sent_this_run: set[str] = set()
        self._progress(Phase.PUSH, 0, total)
        while True:
            check_cancelled(self._cancel)
            with self._cache.read() as session:
                # every waiting row, even one whose backoff has not run out: a sync the user
                # asked for sends everything
                batch = [
                    item
                    for item in due_items(session, now=_far_future(), limit=self._batch_size * 2)
                    if item.id not in sent_this_run
                ][: self._batch_size]
                body = {"items": [wire_item(session, item) for item in batch]}
            if not batch:
                return
            sent_this_run.update(item.id for item in batch)
            self._send(batch, body, report)
            self._progress(Phase.PUSH, report.pushed, max(total, report.pushed))

    def _send(self, batch: list[OutboxItem], body: dict[str, Any], report: SyncReport) -> None:
        ids = [item.id for item in batch]
        with self._cache.write() as session:
            mark_sent(session, ids, now=self._clock())
        try:
            response = self._hub.post("/outbox", body)
            answer = self._parse(response.content)
        except SyncError as exc:
            with self._cache.write() as session:
                now = self._clock()
                record_failure(session, ids, str(exc), retry_at=now, now=now)
            raise
        known = set(ids)
        now = self._clock()
        with self._cache.write() as session:
            for item_answer in answer.answers:
                if item_answer.id not in known:
                    continue
                state = _state_of(item_answer)
                record_answer(session, item_answer.id, state, reason=item_answer.reason, now=now)
                report.pushed += 1
                setattr(report, state.value, getattr(report, state.value) + 1)
                if state.needs_attention:
                    report.attention.append(
                        {"id": item_answer.id, "outcome": state.value,
                         "reason": item_answer.reason or ""}
                    )
        unanswered = known - {a.id for a in answer.answers}
        if unanswered:
            log.warning("hub left %d outbox item(s) unanswered; they stay queued", len(unanswered))

    def _parse(self, content: bytes) -> OutboxAnswer:
        try:
            return OutboxAnswer.model_validate_json(content)
        except ValidationError:
            raise HubResponseInvalid(
                "The hub's answer to the changes sent was not understood. They stay queued and "
                "will be sent again (the hub never records one twice)."
            ) from None


def _state_of(answer: ItemAnswer) -> OutboxState:
    """The state to keep for an answer. A resent item that the hub first answered ``rejected``
    or ``conflict`` (its answer was lost on the way) keeps that first answer, so it is still
    shown to a person rather than passing as a harmless duplicate."""
    if answer.outcome == "duplicate" and answer.original in ("rejected", "conflict"):
        return OutboxState(answer.original)
    return OutboxState(answer.outcome)


def _far_future() -> dt.datetime:
    return dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
