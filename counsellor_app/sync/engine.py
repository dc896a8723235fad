"""The sync engine: sign in, push the outbox, pull the change feed, report what happened."""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from counsellor_app.protocol.changes import MAX_PAGE_SIZE
from counsellor_app.store.engine import Cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.outbox import utc_now
from counsellor_app.sync.backoff import BackoffPolicy, Sleeper, event_sleeper
from counsellor_app.sync.credentials import RefreshTokenStore
from counsellor_app.sync.cursor import check_account
from counsellor_app.sync.errors import DeviceWiped
from counsellor_app.sync.hub_address import checked_hub_url
from counsellor_app.sync.progress import Phase, ProgressCallback, no_progress
from counsellor_app.sync.pull import Puller
from counsellor_app.sync.push import Pusher
from counsellor_app.sync.report import SyncReport
from counsellor_app.sync.session import HubSession, PasswordSource, WipeOrdered
from counsellor_app.sync.transport import RetryingTransport
from counsellor_app.sync.wipe import wipe_profile_data

log = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = MAX_PAGE_SIZE  # fewer, larger transactions: the first sync is faster
DEFAULT_BATCH_SIZE = 200


def _no_password() -> str | None:
    return None


@dataclass
class SyncOptions:
    """Tuning and test hooks; the defaults suit a desktop sync."""

    page_size: int = DEFAULT_PAGE_SIZE
    batch_size: int = DEFAULT_BATCH_SIZE
    backoff: BackoffPolicy = field(default_factory=BackoffPolicy)
    sleeper: Sleeper = event_sleeper
    clock: Callable[[], dt.datetime] = utc_now
    rng: random.Random | None = None


class SyncEngine:
    """Runs one sync of one cache with one hub, for one user on this device. No Qt.

    Everything comes in through the constructor: the ``httpx.Client`` (tests point it at a
    real hub on loopback, or put a fault-injecting transport in it), the open cache, the key
    provider that keeps the refresh token, how to get the password if one is needed, a
    progress callback ``(phase, done, total)`` and a cancel event. ``run()`` may be called
    from a worker thread, and again later (a periodic sync reuses the access token it holds
    in memory); one sync at a time per cache.
    """

    def __init__(
        self,
        http: httpx.Client,
        cache: Cache,
        keys: KeyProvider,
        *,
        hub_url: str,
        user: str,
        device_id: str,
        password: PasswordSource = _no_password,
        progress: ProgressCallback = no_progress,
        cancel: threading.Event | None = None,
        options: SyncOptions | None = None,
    ) -> None:
        self.hub_url = checked_hub_url(hub_url)
        self._cache = cache
        self._keys = keys
        self._user = user
        self._options = options or SyncOptions()
        self._progress = progress
        self._cancel = cancel if cancel is not None else threading.Event()
        self._transport = RetryingTransport(
            http,
            policy=self._options.backoff,
            sleeper=self._options.sleeper,
            cancel=self._cancel,
            rng=self._options.rng,
        )
        self.session = HubSession(
            self._transport,
            self.hub_url,
            user,
            device_id,
            RefreshTokenStore(keys, self.hub_url, user),
            password,
        )

    def run(self) -> SyncReport:
        """Signs in, sends the outbox, then pulls every new page of the change feed.

        Raises:
            DeviceWiped: the hub revoked this device; the cache and keys are gone.
            SyncError (and subclasses): what stopped the sync, in words for people.
        """
        report = SyncReport(hub_url=self.hub_url)
        started = time.perf_counter()
        options = self._options
        try:
            with self._cache.read() as session:
                check_account(session, self.hub_url, self._user)
            self._progress(Phase.SIGN_IN, 0, None)
            self.session.ensure_signed_in()
            Pusher(
                self.session, self._cache, batch_size=options.batch_size,
                progress=self._progress, cancel=self._cancel, clock=options.clock,
            ).run(report)
            Puller(
                self.session, self._cache, page_size=options.page_size,
                progress=self._progress, cancel=self._cancel, clock=options.clock,
            ).run(report)
        except WipeOrdered:
            left = wipe_profile_data(self._cache, self._keys)
            message = (
                "The hub's administrator has revoked this device, so its keys, its copy of "
                "the caseload and its backups have been deleted from this computer."
            )
            if left:
                message = (
                    "The hub's administrator has revoked this device, so its keys have been "
                    "deleted and its copy of the caseload can no longer be read; some cache "
                    f"files were in use and remain ({', '.join(left)}): delete them."
                )
            raise DeviceWiped(
                f"{message} Ask your administrator to set the device up again."
            ) from None
        finally:
            report.retries = self._transport.retries
            report.duration_seconds = round(time.perf_counter() - started, 3)
        self._progress(Phase.DONE, report.pulled_total + report.pushed, None)
        _log_report(report)
        return report


def _log_report(report: SyncReport) -> None:
    """One line for support staff (counts and ids only), and one per item needing attention."""
    log.info(
        "sync finished: received %d change(s) in %d page(s) %s; sent %d (%d applied, "
        "%d duplicate, %d rejected, %d conflict); %d retried request(s); %.1f s",
        report.pulled_total, report.pages, dict(sorted(report.pulled.items())), report.pushed,
        report.applied, report.duplicate, report.rejected, report.conflict, report.retries,
        report.duration_seconds,
    )
    for item in report.attention:
        log.warning("outbox item %s came back %s from the hub", item["id"], item["outcome"])
