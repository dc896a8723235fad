"""Reading the cache while the sign-in dialog waits, so "Sign in" shows the main window at once."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from counsellor_app.store.paths import Profile

if TYPE_CHECKING:  # loaded on the read-ahead thread, never before the dialog has painted
    from counsellor_app.store.caseload import CaseRow
    from counsellor_app.store.engine import Cache
    from counsellor_app.store.keys import KeyProvider
    from counsellor_app.ui.models.caseload_model import CaseloadFilters
    from counsellor_app.ui.models.inbox_model import InboxSection

log = logging.getLogger(__name__)

Fingerprint = tuple[tuple[int, int], ...]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class FirstAnswers:
    """What the main window shows first, read from the cache before the user signed in."""

    today: dt.date
    filters: CaseloadFilters
    caseload: tuple[int, list[CaseRow]]  # (how many match, the first page)
    inbox: list[InboxSection]
    fingerprint: Fingerprint  # the cache files as they were when these were read


def cache_fingerprint(profile: Profile) -> Fingerprint:
    """Size and modification time of the cache file and its write-ahead log: any commit (by
    this process or another) changes one of them."""
    marks = []
    for path in (profile.cache_file, profile.cache_file.with_name("cache.db-wal")):
        try:
            found = os.stat(path)
            marks.append((found.st_mtime_ns, found.st_size))
        except FileNotFoundError:
            marks.append((0, -1))
    return tuple(marks)


class ReadAhead:
    """Opens the profile's cache and reads the first caseload page and the inbox on a thread
    while the sign-in dialog waits for the password.

    Only where the key needs nobody to type anything (the credential store, or
    ``COUNSELLOR_PASSPHRASE``); otherwise, or on any problem, it reads nothing and the sign-in
    opens the cache as before (and words any error). Nothing read is shown until the sign-in
    has succeeded: :meth:`take` hands the open cache to the sign-in job, and
    :meth:`answers_for` gives the answers only for that cache, the same day and unchanged
    files. Whatever is not taken is closed by :meth:`close`.
    """

    def __init__(
        self,
        profile: Profile,
        *,
        clock: Callable[[], dt.datetime] = _utc_now,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.profile = profile
        self._clock = clock
        self._environ = environ
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._cache: Cache | None = None
        self._keys: KeyProvider | None = None
        self._answers: FirstAnswers | None = None
        self._taken: Cache | None = None
        self._closed = False
        self.started = False  # run() has begun (close() then waits for it to end)

    def done(self) -> bool:
        """Whether the reading has ended (with answers or without)."""
        return self._done.is_set()

    def wait(self, seconds: float | None = None) -> bool:
        return self._done.wait(seconds)

    def run(self) -> None:
        """Reads (call it on a worker thread; it never raises)."""
        try:
            self._read()
        except Exception as exc:  # the sign-in opens the cache itself and words the problem
            log.info("the cache was not read ahead of sign-in (%s)", type(exc).__name__)
            self._discard()
        finally:
            self._done.set()

    def _read(self) -> None:
        with self._lock:
            if self._closed:
                return  # the dialog went before the code behind it had loaded
            self.started = True
        if not self.profile.cache_file.exists():
            return  # first run: the sign-in makes the cache
        from counsellor_app.store.engine import open_cache
        from counsellor_app.store.keys import KeyProvider
        from counsellor_app.ui.models.caseload_model import (
            PAGE_SIZE,
            CacheCaseloadSource,
            CaseloadFilters,
            first_page,
        )
        from counsellor_app.ui.models.inbox_sections import load_inbox

        keys = KeyProvider(self.profile, environ=self._environ)  # no passphrase asked for
        cache = open_cache(self.profile, keys, create=False)
        with self._lock:
            if self._closed:
                cache.close()
                return
            self._cache, self._keys = cache, keys
        today = self._clock().astimezone().date()
        filters = CaseloadFilters()
        caseload = first_page(CacheCaseloadSource(cache.sessions, lambda: today), filters,
                              PAGE_SIZE)
        with cache.read() as session:
            inbox = load_inbox(session, today)
        self._answers = FirstAnswers(today, filters, caseload, inbox,
                                     cache_fingerprint(self.profile))

    def take(self, seconds: float = 60.0) -> tuple[Cache, KeyProvider] | None:
        """The open cache and its key provider, once (the caller then owns the cache); None
        if nothing was opened. Waits for the reading to end."""
        self._done.wait(seconds)
        with self._lock:
            if self._cache is None or self._keys is None or self._taken is not None:
                return None
            self._taken = self._cache
            return self._cache, self._keys

    def answers_for(self, cache: Cache, today: dt.date) -> FirstAnswers | None:
        """The answers, if ``cache`` is the one read and nothing has changed since."""
        answers = self._answers
        if answers is None or cache is not self._taken or answers.today != today:
            return None
        if cache_fingerprint(self.profile) != answers.fingerprint:
            log.info("the cache changed after it was read ahead; reading it again")
            return None
        return answers

    def close(self, seconds: float = 60.0) -> None:
        """Closes the cache unless the sign-in took it (the dialog was cancelled, or failed);
        a reading under way is waited for (its thread is a daemon: never end it mid-way,
        say in a migration)."""
        with self._lock:
            self._closed = True
            started = self.started
        if started:
            self._done.wait(seconds)
        self._discard()

    def _discard(self) -> None:
        with self._lock:
            cache, taken = self._cache, self._taken
            self._cache = self._keys = None
            self._answers = None
        if cache is not None and cache is not taken:
            cache.close()
