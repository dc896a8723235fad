"""Pulling the change feed page after page, each page applied whole together with its cursor."""

from __future__ import annotations

import datetime as dt
import logging
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from typing import Protocol

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counsellor_app.protocol.changes import Change, ChangePage
from counsellor_app.store.bulk import collector_paused
from counsellor_app.store.engine import Cache
from counsellor_app.sync.cache_writer import PageWriter
from counsellor_app.sync.cursor import load_cursor, save_cursor
from counsellor_app.sync.errors import REFERS_TO_UNKNOWN, HubResponseInvalid
from counsellor_app.sync.first_load import FirstLoad, is_first_load
from counsellor_app.sync.load_statements import Op, run
from counsellor_app.sync.progress import Phase, ProgressCallback, check_cancelled
from counsellor_app.sync.report import SyncReport
from counsellor_app.sync.session import HubSession

log = logging.getLogger(__name__)

GROUP_CHANGES = 20_000  # commit after this many changes …
GROUP_SECONDS = 3.0  # … or after this long, whichever comes first


class Puller:
    """Asks for ``/changes`` since the stored cursor until the hub says there is no more.

    A page is parsed and checked in full before anything is written, then written whole
    together with its new cursor (its own savepoint inside a transaction that groups the pages
    of a few seconds, see ``_WriteGroup``): a crash or a bad page leaves the cache at a page
    boundary, and the next sync carries on from there. No page is ever half applied.

    The first sync into an empty cache is one bulk load instead (``_FirstLoadGroup``): all of
    it in one transaction, committed whole at the end — or at a cancel or refused page, with
    the pages before it — and rolled back whole by a crash, after which it starts over.
    """

    def __init__(
        self,
        session: HubSession,
        cache: Cache,
        *,
        page_size: int,
        progress: ProgressCallback,
        cancel: threading.Event,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self._hub = session
        self._cache = cache
        self._page_size = page_size
        self._progress = progress
        self._cancel = cancel
        self._clock = clock

    def run(self, report: SyncReport) -> None:
        with self._cache.read() as session:
            cursor = load_cursor(session, self._hub.hub_url)
            first = is_first_load(session, cursor)
        report.cursor = str(cursor)
        done = 0
        self._progress(Phase.PULL, done, None)
        check_cancelled(self._cancel)
        today = self._clock().date()
        group: _Group = _FirstLoadGroup(self._cache, today) if first else _WriteGroup(
            self._cache, today
        )
        try:
            # One page is fetched ahead while the previous one is written, so the hub's work
            # and the network overlap the cache's; pages are still applied strictly in order.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-fetch") as pool:
                ahead: Future[ChangePage] | None = pool.submit(self._fetch, cursor)
                while ahead is not None:
                    if not ahead.done():
                        group.commit()  # never hold the cache's write lock while waiting
                    waited = time.perf_counter()
                    page = ahead.result()
                    report.waited_on_hub += time.perf_counter() - waited
                    if page.more and page.next_cursor <= cursor:
                        raise HubResponseInvalid(
                            "The hub's change feed did not move forward, so sync stopped to "
                            "avoid looping. Nothing of that page was applied; tell the hub's "
                            "administrator."
                        )
                    check_cancelled(self._cancel)
                    ahead = pool.submit(self._fetch, page.next_cursor) if page.more else None
                    try:
                        counts = self._apply(group, page)
                    except BaseException:
                        if ahead is not None:
                            ahead.cancel()
                        raise
                    group.changes += len(page.changes)
                    if ahead is None or group.due():
                        group.commit()
                    for kind, n in counts.items():
                        report.count_pulled(kind, n)
                    report.pages += 1
                    cursor = page.next_cursor
                    report.cursor = str(cursor)
                    done += len(page.changes)
                    self._progress(Phase.PULL, done, None)
        finally:
            group.close()  # every page in it is whole (a failed page's savepoint rolled back)
            log.debug("pull: %d pages, %.2f s waiting for the hub", report.pages,
                      report.waited_on_hub)

    def _fetch(self, since: int) -> ChangePage:
        check_cancelled(self._cancel)
        response = self._hub.get("/changes", {"since": since, "limit": self._page_size})
        return self._parse(response.content)

    def _parse(self, content: bytes) -> ChangePage:
        try:
            return ChangePage.model_validate_json(content)
        except ValidationError as exc:
            log.warning("change page refused: %d validation problem(s)", exc.error_count())
            raise HubResponseInvalid(
                "The hub sent a page of changes that is not valid (a damaged or wrongly typed "
                "record), so none of that page was applied and sync stopped. The cache is as "
                "it was; try again later, and tell the hub's administrator if it persists."
            ) from None

    def _apply(self, group: _Group, page: ChangePage) -> dict[str, int]:
        """Applies one page with its cursor: all of it, or none of it."""
        now = self._clock()

        def cursor(session: Session) -> None:
            save_cursor(
                session,
                self._hub.hub_url,
                page.next_cursor,
                user=self._hub.user,
                device_id=self._hub.device_id,
                now=now,
            )

        try:
            return group.apply(page.changes, cursor)
        except IntegrityError as exc:
            log.warning("change page refused by the cache's constraints: %s", _constraint(exc))
            raise HubResponseInvalid(REFERS_TO_UNKNOWN) from None


class _Group(Protocol):
    """Where the pages of one pull are written: ``_WriteGroup`` or ``_FirstLoadGroup``."""

    changes: int

    def apply(self, changes: Sequence[Change], cursor: Callable[[Session], None]
              ) -> dict[str, int]: ...
    def due(self) -> bool: ...
    def commit(self) -> None: ...
    def close(self) -> None: ...


class _WriteGroup:
    """Consecutive pages written in one transaction, committed every few seconds.

    Each page (with its cursor) sits in its own savepoint, so a page is applied whole or not
    at all, and a commit always ends on a page boundary: a crash loses at most the pages of
    the open group, and the next sync fetches them again from the last cursor committed.
    Committing every page on its own would rewrite the same index pages of a large cache
    hundreds of times during a first sync.
    """

    def __init__(self, cache: Cache, today: dt.date) -> None:
        self._cache = cache
        self._today = today
        self._stack: ExitStack | None = None
        self._session: Session | None = None
        self._started = 0.0
        self.changes = 0

    def session(self) -> Session:
        if self._session is None:
            self._stack = ExitStack()
            self._session = self._stack.enter_context(self._cache.write())
            self._started = time.monotonic()
            self.changes = 0
        return self._session

    def apply(self, changes: Sequence[Change], cursor: Callable[[Session], None]
              ) -> dict[str, int]:
        """Writes one page and its cursor in the open transaction, inside a savepoint: a page
        the cache's constraints refuse leaves nothing behind."""
        session = self.session()
        with session.begin_nested():
            counts = PageWriter(session, today=self._today).apply(changes)
            cursor(session)
        return counts

    def due(self) -> bool:
        return self.changes >= GROUP_CHANGES or time.monotonic() - self._started >= GROUP_SECONDS

    def commit(self) -> None:
        stack, self._stack, self._session = self._stack, None, None
        if stack is not None:
            stack.close()

    def close(self) -> None:
        """The end of the pull, however it ended: commits the pages written."""
        self.commit()


class _FirstLoadGroup:
    """A first sync into an empty cache, as one bulk load (``FirstLoad``) in one transaction.

    Two steps run side by side: this thread checks each page and prepares its statements
    (Python work), a writer thread executes them in order on the cache (SQLite's work, done
    without the interpreter lock), so the two cores share the load. The writer finishes the
    load — summaries, search index, indexes — and commits once, however the pull ended: the
    feed's end, a cancel, a refused page (refused before any of it is prepared; the pages
    before it are kept, whole). Should the cache refuse a prepared page, nothing of the load is
    kept; a crash rolls it all back too. Either way the cache is empty again and the next sync
    starts over. Nobody else writes to an empty cache meanwhile.
    """

    def __init__(self, cache: Cache, today: dt.date) -> None:
        self._cache = cache
        self.changes = 0
        self._load = FirstLoad(today=today)
        # pages prepared ahead of the writer (about 2 MB each): enough that the summaries are
        # computed here while the writer still has pages to write
        self._queue: queue.Queue[_Page | None] = queue.Queue(maxsize=16)
        self._writer: threading.Thread | None = None
        self._error: BaseException | None = None
        self._raised = False
        self._collector = ExitStack()
        self._preparing = 0.0  # CPU seconds, for the log

    def apply(self, changes: Sequence[Change], cursor: Callable[[Session], None]
              ) -> dict[str, int]:
        if self._writer is None:
            self._collector.enter_context(collector_paused())  # resumed in close()
            self._collector.enter_context(_quick_handover())
            self._writer = threading.Thread(target=self._write, name="sync-write")
            self._writer.start()
        started = time.thread_time()
        counts, ops = self._load.prepare(changes)
        self._preparing += time.thread_time() - started
        self._queue.put((ops, cursor))  # never blocks for long: a failed writer drains it
        self._raise_failure()
        return counts

    def due(self) -> bool:
        return False

    def commit(self) -> None:
        """Only at the end (see ``close``): a reader must never see part of a bulk load."""

    def close(self) -> None:
        if self._writer is None:
            return
        if self._error is None:
            self._queue.put((self._load.summaries(), _no_cursor))
        self._queue.put(None)
        self._writer.join()
        log.debug("first load: pages prepared in %.2f s of CPU", self._preparing)
        self._collector.close()
        self._raise_failure()

    def _raise_failure(self) -> None:
        error = self._error
        if error is None or self._raised:
            return
        self._raised = True
        if isinstance(error, IntegrityError):
            log.warning("first load refused by the cache's constraints: %s", _constraint(error))
            raise HubResponseInvalid(REFERS_TO_UNKNOWN) from None
        raise error

    def _write(self) -> None:
        """The writer thread: every prepared page in order, then the finish and the commit."""
        ended = False
        writing = 0.0
        cpu = time.thread_time()
        try:
            with self._cache.write() as session:
                self._load.begin(session)
                while (page := self._queue.get()) is not None:
                    started = time.perf_counter()
                    ops, cursor = page
                    run(session, ops)
                    cursor(session)
                    writing += time.perf_counter() - started
                ended = True
                log.debug("first load: pages written in %.2f s (%.2f s of CPU)", writing,
                          time.thread_time() - cpu)
                self._load.finish(session)
        except BaseException as exc:  # reported to the pulling thread, which raises it
            self._error = exc
            while not ended and self._queue.get() is not None:
                pass  # let the pulling thread finish its puts; nothing more is written


_Page = tuple[list[Op], Callable[[Session], None]]


def _no_cursor(session: Session) -> None:
    return None


@contextmanager
def _quick_handover() -> Iterator[None]:
    """The interpreter lock handed between threads every 0.5 ms instead of 5 ms while a first
    load runs: the writer thread needs it briefly between SQLite's long calls, and waiting up
    to 5 ms each time for the preparing thread to yield left it idle half the time."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, 0.0005))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _constraint(exc: IntegrityError) -> str:
    """Which constraint refused a page, without the values (they may identify a patient)."""
    return str(exc.orig).splitlines()[0][:200] if exc.orig is not None else "unknown"
