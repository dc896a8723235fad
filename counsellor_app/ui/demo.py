"""``counsellor-app --demo``: a seeded hub on loopback, a real sign-in and first sync, the window.

Nothing is faked: the hub is the real server with a fresh SQLite database seeded with synthetic
participants, the client signs in as a demo counsellor and fills its encrypted cache through
the real sync engine. With ``--screenshot FILE.png`` it waits for that first sync and the
window's paint, saves a picture of the window and exits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from counsellor_app.demo.synthetic import DEFAULT_TEAMS
from counsellor_app.domain.errors import DomainError
from counsellor_app.hub.seed import DEMO_PASSWORD, demo_users, seed
from counsellor_app.hub.server import RunningHub, run_in_thread
from counsellor_app.store.inbox import new_results
from counsellor_app.store.keys import usable_backend
from counsellor_app.store.paths import Profile, private_umask
from counsellor_app.sync.report import SyncReport
from counsellor_app.ui.app import open_main_window
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.sign_in_job import sign_in
from counsellor_app.ui.main_window import MainWindow, Page
from counsellor_app.ui.settings_store import AppSettings, save_settings
from counsellor_app.ui.views.case_record import CaseTab

log = logging.getLogger(__name__)

DEFAULT_PARTICIPANTS = 3000
DEMO_MARKER = "counsellor-demo-folder"
KEPT = "logs"  # the app's log folder, made before the demo starts
SCREENSHOT_VIEWS = ("inbox", "caseload", "case")


@dataclass
class DemoSession:
    """The demo's hub and folders; ``close()`` stops the hub and removes a temporary folder."""

    folder: Path
    temporary: bool
    hub: RunningHub | None = None
    context: AppContext | None = None
    report: SyncReport | None = field(default=None, repr=False)

    @property
    def profile(self) -> Profile:
        return Profile.at(self.folder)

    def close(self) -> None:
        if self.context is not None:
            self.context.cache.close()
        if self.hub is not None:
            self.hub.stop()
        if self.temporary:
            shutil.rmtree(self.folder, ignore_errors=True)


def prepare_folder(option: Path | None) -> DemoSession:
    """A fresh folder for the demo's hub database and client profile.

    Without ``--profile`` a private temporary folder (removed at exit). With it, the folder is
    the demo's profile: it must be new, or hold only logs, or be one an earlier demo made (then
    everything but its logs is removed first) — a real profile is never touched.
    """
    if option is None:
        with private_umask():
            return DemoSession(Path(tempfile.mkdtemp(prefix="counsellor-demo-")), True)
    folder = Path(option).expanduser().absolute()
    if folder.exists():
        others = [p for p in folder.iterdir() if p.name not in (KEPT, DEMO_MARKER)]
        if others and not (folder / DEMO_MARKER).exists():
            raise DomainError(
                "The demo starts from nothing each time, so --profile must name a new folder "
                "(or one an earlier demo made); that folder holds other files. Choose a new "
                "folder, or leave out --profile to use a temporary one."
            )
        for path in others:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
    with private_umask():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / DEMO_MARKER).write_text("made by counsellor-app --demo\n", encoding="utf-8")
    return DemoSession(folder, False)


def start_demo(session: DemoSession, participants: int) -> AppContext:
    """Seeds and starts the hub, signs in as the first team's counsellor (opening the cache)."""
    if participants < 1:
        raise DomainError("The demo needs at least one participant (--participants 1 or more).")
    hub_folder = session.folder / "demo-hub"
    with private_umask():
        hub_folder.mkdir(parents=True, exist_ok=True)
    session.hub = run_in_thread(f"sqlite:///{hub_folder / 'demo-hub.db'}")
    hub = session.hub.hub
    report = seed(hub.db, hub.settings, participants, teams=DEFAULT_TEAMS)
    log.info("demo hub seeded: %d participants in %d teams", report.participants, len(report.teams))
    user = demo_users(DEFAULT_TEAMS)[0].name  # the first team's counsellor (the showcase team)
    passphrase: str | None = None
    if usable_backend() is None:
        passphrase = secrets.token_urlsafe(24)
        log.warning(
            "no usable credential store in this session: the demo cache key is protected by "
            "a generated demo passphrase (kept only in this process)"
        )
    outcome = sign_in(
        session.profile, session.hub.url, user, DEMO_PASSWORD, passphrase,
        http_factory=lambda: httpx.Client(timeout=30.0), cancel=threading.Event(),
    )
    settings = AppSettings(hub_url=outcome.hub_url, user_name=outcome.user_name)
    save_settings(session.profile, settings)
    session.context = AppContext(
        profile=outcome.profile,
        cache=outcome.cache,
        user_name=outcome.user_name,
        hub_url=outcome.hub_url,
        settings=settings,
        key_provider=outcome.keys,
    )
    log.info("signed in to the demo hub as the demo counsellor; first sync starting")
    return session.context


def show_screenshot_view(window: MainWindow, view: str) -> None:
    """Puts the window on the view the screenshot is of (a case with a reissued report)."""
    if view == "caseload":
        window.show_page(Page.CASELOAD)
        return
    if view == "case":
        with window.context.cache.read() as s:
            fresh = new_results(s, limit=200)
        chosen = next((r for r in fresh if r.report_version > 1), fresh[0] if fresh else None)
        if chosen is not None:
            window.open_case(chosen.participant_id, CaseTab.RESULTS, chosen.result_id)
            return
    window.show_page(Page.INBOX)


def run_demo(app: QApplication, args: argparse.Namespace) -> int:
    """Runs the demo until the window closes (or, with ``--screenshot``, until it is saved)."""
    session = prepare_folder(getattr(args, "profile", None))
    try:
        context = start_demo(session, int(getattr(args, "participants", DEFAULT_PARTICIPANTS)))
        window = open_main_window(context, start_sync=False)
        screenshot: Path | None = getattr(args, "screenshot", None)
        if screenshot is not None:
            view = getattr(args, "screenshot_view", "inbox")
            _save_after_first_sync(app, window, screenshot, view)
        assert window.sync is not None
        window.sync.start_periodic()
        return app.exec()
    finally:
        session.close()


def _save_after_first_sync(app: QApplication, window: MainWindow, path: Path, view: str) -> None:
    assert window.sync is not None
    started = dt.datetime.now(dt.UTC)

    def finished(report: object) -> None:
        # The window refreshes every view after a sync that changed something; the inbox
        # then comes back from a worker.
        if isinstance(report, SyncReport) and (report.pulled_total or report.pushed):
            window.inbox.loaded.connect(inbox_back, Qt.ConnectionType.SingleShotConnection)
        else:
            inbox_back()

    def inbox_back() -> None:
        show_screenshot_view(window, view)
        QTimer.singleShot(0, save)  # after the layout has been painted

    def save() -> None:
        window.repaint()
        app.processEvents()
        target = Path(path).expanduser().absolute()
        target.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(target), "PNG"):
            log.error("the screenshot could not be written")
            app.exit(1)
            return
        seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
        log.info("screenshot saved %.1f s after the window opened", seconds)
        window.close()
        app.exit(0)

    def failed(message: str) -> None:
        log.error("the first sync failed: %s", message)
        window.close()
        app.exit(1)

    window.sync.finished.connect(finished)
    window.sync.failed.connect(failed)
