"""Background jobs for the UI: run a plain function on a worker thread, report through signals."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from counsellor_app.domain.errors import DomainError

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]
"""``(phase, done, total)``; ``total`` is None when not known in advance."""

Job = Callable[[Progress, threading.Event], Any]
"""A job: plain Python, no Qt, no widgets; gets a progress callback and a cancel event."""

UNEXPECTED = (
    "Something went wrong that Counsellor Desk did not expect; nothing half-done was kept. "
    "Try again, and if it happens again tell your IT team (the details are in the log)."
)


class JobSignals(QObject):
    """The signals a job reports through; made in the GUI thread, connected before the start."""

    progress = Signal(str, int, int)  # phase, done, total (-1: not known)
    succeeded = Signal(object)
    failed = Signal(str)


class _WorkerSignals(QObject):
    """Emitted on the worker thread; delivered (queued) to the BackgroundJob in the GUI thread."""

    progress = Signal(str, int, int)
    succeeded = Signal(object)
    failed = Signal(str)


class _Runnable(QRunnable):
    def __init__(
        self, job: Job, signals: _WorkerSignals, cancel: threading.Event, ended: threading.Event
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the BackgroundJob keeps it alive until it reports
        self._job = job
        self._signals = signals
        self._cancel = cancel
        self._ended = ended

    def run(self) -> None:
        def progress(phase: str, done: int, total: int | None) -> None:
            self._signals.progress.emit(str(phase), int(done), -1 if total is None else int(total))

        try:
            result = self._job(progress, self._cancel)
        except DomainError as exc:
            self._signals.failed.emit(str(exc))
        except Exception as exc:
            # The type and the code path only: an exception's message can quote data (a
            # database error quotes the row), and no patient identifier may reach a log.
            where = "".join(traceback.format_tb(exc.__traceback__))
            log.error("background job failed with %s at:\n%s", type(exc).__name__, where)
            self._signals.failed.emit(UNEXPECTED)
        else:
            self._signals.succeeded.emit(result)
        finally:
            self._ended.set()


class BackgroundJob(QObject):
    """One job on a thread pool. ``signals`` are connected by the caller before :meth:`start`.

    The job must not touch widgets or application singletons: it gets what it needs as
    arguments (the cache, a key provider, an HTTP client factory) and returns plain data.
    Without a parent the job keeps itself alive until it has reported, so a dialog closed
    while it runs neither blocks nor leaves the worker emitting into deleted objects (Qt
    drops the connections to the closed dialog).
    """

    _alive: set[BackgroundJob] = set()

    def __init__(
        self, job: Job, pool: QThreadPool | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.signals = JobSignals(self)
        self.cancel_event = threading.Event()
        self.ended = threading.Event()
        self._worker_signals = _WorkerSignals(self)
        self._runnable = _Runnable(job, self._worker_signals, self.cancel_event, self.ended)
        self._pool = pool if pool is not None else QThreadPool.globalInstance()
        self.running = False
        self._worker_signals.progress.connect(self.signals.progress)
        self._worker_signals.succeeded.connect(self._succeeded)
        self._worker_signals.failed.connect(self._failed)

    def start(self) -> None:
        self.running = True
        BackgroundJob._alive.add(self)
        self._pool.start(self._runnable)

    def wait(self, msecs: int) -> bool:
        """Waits (blocking) until the worker has returned; True if it has."""
        return self.ended.wait(msecs / 1000.0) if self.running else True

    def cancel(self) -> None:
        self.cancel_event.set()

    # Each handler runs in the GUI thread: ``running`` is already False when the caller's
    # slots see the outcome.
    def _succeeded(self, result: object) -> None:
        self.running = False
        BackgroundJob._alive.discard(self)
        self.signals.succeeded.emit(result)

    def _failed(self, message: str) -> None:
        self.running = False
        BackgroundJob._alive.discard(self)
        self.signals.failed.emit(message)
