"""Sync in the background: one sync at a time, at start, every few minutes, and on demand."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import httpx
from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from counsellor_app.sync.device import device_id
from counsellor_app.sync.engine import SyncEngine, SyncOptions
from counsellor_app.sync.errors import DeviceWiped
from counsellor_app.sync.report import SyncReport
from counsellor_app.sync.session import PasswordSource
from counsellor_app.ui.background import BackgroundJob, Progress
from counsellor_app.ui.context import AppContext

log = logging.getLogger(__name__)

HttpFactory = Callable[[], httpx.Client]
HTTP_TIMEOUT_SECONDS = 30.0


def default_http_client() -> httpx.Client:
    return httpx.Client(timeout=HTTP_TIMEOUT_SECONDS)


class SyncController(QObject):
    """Runs the sync engine on a worker thread and reports through signals.

    ``started()``, then ``progress(phase, done, total)`` (total -1 when not known), then
    ``finished(report: SyncReport)`` or ``failed(message)``. When the hub has revoked this
    device the engine deletes the cache and keys; then ``failed(message)`` and
    ``wipe_ordered()`` are emitted and the window must close (the cache is gone).

    The worker gets the open cache (it makes its own sessions from it), the key provider and a
    fresh ``httpx.Client``; it never touches a widget. ``http_factory`` and ``options`` are
    injectable for tests. The refresh token kept at sign-in signs each sync in; ``password``
    (called on the worker thread, so it must not ask through a widget) is the fallback.
    """

    started = Signal()
    progress = Signal(str, int, int)
    finished = Signal(object)
    failed = Signal(str)
    wipe_ordered = Signal()

    def __init__(
        self,
        context: AppContext,
        parent: QObject | None = None,
        *,
        http_factory: HttpFactory = default_http_client,
        options: SyncOptions | None = None,
        password: PasswordSource | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._password = password
        self._http_factory = http_factory
        self._options = options
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._job: BackgroundJob | None = None
        self._wiped = threading.Event()
        self.last_report: SyncReport | None = None
        self.last_error: str | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.sync_now)
        self.set_interval_minutes(context.settings.sync_interval_minutes)

    @property
    def is_running(self) -> bool:
        return self._job is not None and self._job.running

    def set_interval_minutes(self, minutes: int) -> None:
        """How often to sync on its own (from the settings); takes effect at the next tick."""
        self._timer.setInterval(max(1, int(minutes)) * 60_000)

    def start_periodic(self, *, sync_now: bool = True) -> None:
        """Syncs now (unless told not to) and then every interval."""
        self._timer.start()
        if sync_now:
            self.sync_now()

    def stop_periodic(self) -> None:
        self._timer.stop()

    def sync_now(self) -> bool:
        """Starts a sync unless one is running (then does nothing and returns False)."""
        if self.is_running:
            log.info("sync asked for while one is running; not starting another")
            return False
        job = BackgroundJob(self._sync_job(), self._pool, self)
        job.signals.progress.connect(self.progress)
        job.signals.succeeded.connect(self._succeeded)
        job.signals.failed.connect(self._failed)
        self._job = job
        self.started.emit()
        job.start()
        return True

    def cancel(self) -> None:
        """Asks a running sync to stop; pages already applied are kept."""
        if self._job is not None:
            self._job.cancel()

    def shutdown(self, wait_ms: int = 10_000) -> bool:
        """Stops the timer, cancels a running sync and waits for the worker (window closing)."""
        self._timer.stop()
        self.cancel()
        return self._pool.waitForDone(wait_ms)

    def _sync_job(self) -> Callable[[Progress, threading.Event], SyncReport]:
        context = self._context
        cache = context.cache
        keys = context.key_provider
        if keys is None:
            raise ValueError("SyncController needs a context with the key provider of the cache")
        hub_url = context.hub_url
        user = context.user_name
        device = device_id(context.profile)
        make_http = self._http_factory
        options = self._options
        wiped = self._wiped
        password = self._password

        def run(progress: Progress, cancel: threading.Event) -> SyncReport:
            with make_http() as http:
                engine = SyncEngine(
                    http, cache, keys, hub_url=hub_url, user=user, device_id=device,
                    progress=progress, cancel=cancel, options=options,
                    **({"password": password} if password is not None else {}),
                )
                try:
                    return engine.run()
                except DeviceWiped:
                    wiped.set()
                    raise

        return run

    def _succeeded(self, report: object) -> None:
        assert isinstance(report, SyncReport)
        self.last_report = report
        self.last_error = None
        log.info("sync finished: %d received, %d sent", report.pulled_total, report.pushed)
        self.finished.emit(report)

    def _failed(self, message: str) -> None:
        self.last_error = message
        log.info("sync failed")
        self.failed.emit(message)
        if self._wiped.is_set():
            self._timer.stop()
            self.wipe_ordered.emit()
