"""One read at a time on a worker thread, and only the newest question's answer delivered."""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QObject, QThreadPool, Signal

from counsellor_app.ui.background import BackgroundJob, Job


class LatestQuery(QObject):
    """Runs reads of the cache off the GUI thread for a view that is asked again and again
    (a search box, a refresh after each sync).

    ``ask(job)`` while a read runs makes ``job`` the next one (replacing any waiting one), so
    typing fast never queues stale queries; ``answered(result)`` carries only the answer to
    the newest question, ``failed(message)`` a sentence for people. Each job opens its own
    session; none touches a widget.
    """

    answered = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._waiting: Job | None = None
        self._running = False
        # The last two jobs are kept: with one worker thread, a job older than the one that
        # just reported is certainly finished with, by Python and by Qt's pool.
        self._kept: deque[BackgroundJob] = deque(maxlen=2)

    @property
    def busy(self) -> bool:
        return self._running

    def ask(self, job: Job) -> None:
        if self._running:
            self._waiting = job
        else:
            self._start(job)

    def wait(self, msecs: int = 10_000) -> bool:
        """Waits for the running read to end (closing the window, tests)."""
        self._waiting = None
        return self._pool.waitForDone(msecs)

    def _start(self, job: Job) -> None:
        self._running = True
        background = BackgroundJob(job, self._pool)
        self._kept.append(background)
        background.signals.succeeded.connect(self._succeeded)
        background.signals.failed.connect(self._failed)
        background.start()

    def _next(self) -> bool:
        self._running = False
        if self._waiting is None:
            return False
        job, self._waiting = self._waiting, None
        self._start(job)  # the answer just in is stale: the newest question goes next
        return True

    def _succeeded(self, result: object) -> None:
        if not self._next():
            self.answered.emit(result)

    def _failed(self, message: str) -> None:
        if not self._next():
            self.failed.emit(message)
