"""Start-up of the desktop application: display check, QApplication, style, first window."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from counsellor_app.store.paths import Profile
    from counsellor_app.ui.background import BackgroundJob
    from counsellor_app.ui.context import AppContext
    from counsellor_app.ui.dialogs.sign_in import SignInDialog
    from counsellor_app.ui.main_window import MainWindow
    from counsellor_app.ui.read_ahead import FirstAnswers
    from counsellor_app.ui.settings_store import AppSettings
    from counsellor_app.ui.sync_worker import SyncController

log = logging.getLogger(__name__)

APP_DISPLAY_NAME = "Counsellor Desk"
RESOURCES = Path(__file__).resolve().parents[2] / "resources"
ICON_FILE = RESOURCES / "icons" / "counsellor-desk.svg"
STYLE_FILE = RESOURCES / "style" / "app.qss"

AFTER_SIGN_IN = (
    "counsellor_app.ui.dialogs.sign_in_job",  # the cache (SQLAlchemy, SQLCipher) and sync
    "counsellor_app.ui.main_window",
    "counsellor_app.ui.sync_worker",
    "counsellor_app.ui.crash",
)
"""Loaded on a thread while the sign-in dialog waits for the password (none is needed to
paint it), so "Sign in" leads straight to the main window."""

NO_DISPLAY_MESSAGE = (
    "Counsellor Desk needs a display, and none was found (DISPLAY and WAYLAND_DISPLAY are not "
    "set). Run it on a desktop, or without one use QT_QPA_PLATFORM=offscreen "
    "(e.g. `QT_QPA_PLATFORM=offscreen counsellor-app --demo --screenshot inbox.png`) "
    "or a virtual display (`xvfb-run counsellor-app --demo`)."
)


def display_problem(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> str | None:
    """Why Qt could not open a window here (it would abort the process), or ``None``.

    Only Linux and the BSDs need a display server named in the environment; an explicit
    ``QT_QPA_PLATFORM`` (offscreen, vnc, wayland, ...) is trusted as it is.
    """
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if not (system.startswith("linux") or "bsd" in system):
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY_MESSAGE


def run_app(args: argparse.Namespace) -> int:
    """Runs the desktop application (or the demo) until its last window closes."""
    problem = display_problem()
    if problem is not None:
        print(f"counsellor-app: {problem}", file=sys.stderr)
        return 2
    app = create_application()
    if getattr(args, "demo", False):
        from counsellor_app.ui.demo import run_demo

        return run_demo(app, args)
    return run_desktop(app, args)


def run_desktop(app: QApplication, args: argparse.Namespace) -> int:
    """A returning user's main window at once, else sign in first (see :class:`DesktopStart`),
    with sync in the background, until the last window closes."""
    from counsellor_app.store.paths import Profile

    start = DesktopStart(Profile.from_option(getattr(args, "profile", None)))
    try:
        return app.exec()
    finally:
        start.close()


class DesktopStart:
    """The desktop app's start for ``profile``.

    A returning user (the last sign-in here chose "Keep me signed in", its refresh token is
    stored and the cache key is in the credential store: ``ui.returning``) gets the main
    window at once: the cache opened and the first caseload page and inbox read on a thread
    while this one loads the window's code; sync, with the stored refresh token, starts after
    the window's first paint. Anyone else, or if that cache cannot be opened, gets the sign-in
    dialog (``dialog``), shown; once it has painted, a thread loads the code that comes after
    it and, where the key needs nobody to type anything, opens the cache and reads the first
    page and the inbox (``ReadAhead``): "Sign in" then leads straight to a filled window.
    Sync, and keeping the password's hash for the idle lock, start after the window's first
    paint. ``http_factory``, ``sleeper`` and ``environ`` go to the dialog (tests).
    """

    def __init__(self, profile: Profile, **dialog_options: Any) -> None:
        from counsellor_app.ui.read_ahead import ReadAhead
        from counsellor_app.ui.returning import is_returning
        from counsellor_app.ui.settings_store import load_settings

        self.profile = profile
        self._dialog_options = dialog_options
        self.dialog: SignInDialog | None = None
        self.windows: list[MainWindow] = []
        self._pending: list[BackgroundJob] = []
        self.read_ahead = ReadAhead(profile, environ=dialog_options.get("environ"))
        settings = load_settings(profile)
        if is_returning(profile, settings) and self._open_returning(settings):
            return
        self._show_sign_in()

    def _open_returning(self, settings: AppSettings) -> bool:
        from counsellor_app.ui.read_ahead import ReadAhead
        from counsellor_app.ui.returning import open_returning

        opened = open_returning(self.profile, settings, self.read_ahead,
                                meanwhile=lambda: _import_now(MAIN_WINDOW_CODE))
        if opened is None:  # the sign-in dialog opens the cache itself and words any problem
            self.read_ahead = ReadAhead(self.profile, environ=self._dialog_options.get("environ"))
            return False
        context, first = opened
        log.info("returning user: main window without the sign-in dialog")
        self.windows.append(open_main_window(context, first=first, attach_after_paint=True))
        return True

    def _show_sign_in(self) -> None:
        from counsellor_app.ui.dialogs.sign_in import SignInDialog

        self.dialog = SignInDialog(self.profile, read_ahead=self.read_ahead,
                                   remember_password_later=True, **self._dialog_options)
        self.dialog.signed_in.connect(self._signed_in)
        self.dialog.show()
        # after the dialog's first paint (a thread started before it would slow that paint)
        when_painted(self.dialog, lambda: warm_imports(AFTER_SIGN_IN, then=self.read_ahead.run))

    def _signed_in(self, context: object) -> None:
        from counsellor_app.ui.context import AppContext

        assert isinstance(context, AppContext)
        assert self.dialog is not None
        first = self.read_ahead.answers_for(context.cache, context.today())
        window = open_main_window(context, first=first)
        self.windows.append(window)
        remember = self.dialog.remember_password
        if remember is not None:
            when_painted(window, lambda: self._pending.append(remember_password(window, remember)))

    def close(self) -> None:
        """After the last window has closed: waits for the workers, closes every cache."""
        if self.dialog is not None:
            self.dialog.wait_for_worker()
        for job in self._pending:
            job.wait(30_000)
        self.read_ahead.close()
        for window in self.windows:
            if window.sync is not None:
                window.sync.shutdown()
            window.context.cache.close()


MAIN_WINDOW_CODE = ("counsellor_app.ui.main_window", "counsellor_app.ui.crash")
"""What a returning user's start loads while a thread opens the cache (sync's code loads
after the window's first paint)."""


def _import_now(modules: tuple[str, ...]) -> None:
    for name in modules:
        importlib.import_module(name)


def warm_imports(
    modules: tuple[str, ...], *, then: Callable[[], None] | None = None
) -> threading.Thread:
    """Imports ``modules`` on a daemon thread (Python's import lock makes a later import of
    the same module on the GUI thread wait for it, never load it twice), then runs ``then``.
    Only modules are loaded there (and ``then`` must make no Qt object either)."""

    def load() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # the GUI thread's own import will raise it where it matters
                log.warning("warming %s failed", name)
                break
        if then is not None:
            then()

    thread = threading.Thread(target=load, name="warm-imports", daemon=True)
    thread.start()
    return thread


def open_main_window(
    context: AppContext,
    *,
    start_sync: bool = True,
    first: FirstAnswers | None = None,
    attach_after_paint: bool = False,
) -> MainWindow:
    """The main window on a signed-in session: the first page of the caseload and the inbox
    (``first`` if read ahead, else read on workers), shown; sync attached at once (or, with
    ``attach_after_paint``, once its code has loaded after the first paint) and, with
    ``start_sync``, started after the window's first paint (so it does not compete with it).
    """
    from counsellor_app.ui.crash import install_crash_handler
    from counsellor_app.ui.main_window import MainWindow

    window = MainWindow(context)
    window.load_initial(first)
    window.show()
    window.crash_handler = install_crash_handler(window, context.profile.logs_dir)
    if attach_after_paint:
        attacher = _SyncAttacher(window, start=start_sync)
        when_painted(window, lambda: warm_imports(SYNC_CODE, then=attacher.code_loaded))
        return window
    sync = attach_sync(window, start=False)
    if start_sync:  # even if the cache could not be read: sync may be what mends it
        when_painted(window, sync.start_periodic)
    return window


SYNC_CODE = ("counsellor_app.ui.sync_worker", "counsellor_app.ui.stored_sign_in")
"""Sync's code (httpx, pydantic, the engine): on a returning user's start, loaded on a thread
after the window's first paint, so the window answers meanwhile."""


class _SyncAttacher(QObject):
    """Attaches sync to ``window`` on the GUI thread once :meth:`code_loaded` has been called
    (from the thread that loaded sync's code); nothing if the window has gone meanwhile."""

    _loaded = Signal()

    def __init__(self, window: MainWindow, *, start: bool) -> None:
        super().__init__(window)
        self._window = window
        self._start = start
        self._loaded.connect(self._attach)  # queued: this object lives on the GUI thread

    def code_loaded(self) -> None:
        try:
            self._loaded.emit()
        except RuntimeError:  # the window, and this object with it, were deleted
            log.info("the window closed before sync's code had loaded")

    @Slot()
    def _attach(self) -> None:
        if self._window.sync is None and self._window.isVisible():  # not after closing
            attach_sync(self._window, start=self._start)


class _AfterPaint(QObject):
    """Runs a callback once, on the event loop, after the widget's next paint (or after
    ``AFTER_PAINT_AT_MOST_MS`` if no paint comes, say for a window started minimised)."""

    def __init__(self, widget: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(widget)
        self._callback: Callable[[], object] | None = callback
        widget.installEventFilter(self)
        widget.update()  # a paint is coming even if nothing else asks for one
        QTimer.singleShot(AFTER_PAINT_AT_MOST_MS, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._fire)
        return False

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            callback()


AFTER_PAINT_AT_MOST_MS = 3_000


def when_painted(widget: QWidget, callback: Callable[[], object]) -> None:
    """Calls ``callback`` once ``widget`` has painted (work that can wait for the first paint:
    sync, keeping the password's hash); soon if the widget is not shown."""
    if not widget.isVisible():
        QTimer.singleShot(0, callback)
        return
    _AfterPaint(widget, callback)


def remember_password(window: MainWindow, remember: Callable[[], None]) -> BackgroundJob:
    """Keeps the password's hash for the idle lock on a worker (an Argon2 hash); if the
    credential store refuses, the status bar says so (the idle lock could not be unlocked)."""
    from counsellor_app.ui.background import BackgroundJob

    job = BackgroundJob(lambda _progress, _cancel: remember())
    job.signals.failed.connect(window.status.showMessage)  # gone with the window
    job.start()
    return job


def attach_sync(window: MainWindow, *, start: bool) -> SyncController:
    """Background sync for the window: at once (with ``start``), every few minutes, and F5.
    It signs in with the refresh token stored at sign-in, never asks for a password; if the
    hub refuses that token, the window says so and offers to sign in again."""
    from counsellor_app.ui.stored_sign_in import StoredSignInOnly, watch_stored_sign_in
    from counsellor_app.ui.sync_worker import SyncController

    password = StoredSignInOnly()
    sync = SyncController(window.context, window, password=password)
    window.attach_sync(sync)
    watch_stored_sign_in(window, password)
    if start:
        sync.start_periodic()
    return sync


def create_application() -> QApplication:
    """The one QApplication, with name, icon and the style sheet over the system palette."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("counsellor-desk")
    app.setDesktopFileName("org.counsellordesk.CounsellorDesk")  # packaging/linux: Wayland app id
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setOrganizationName("counsellor-desk")
    app.setWindowIcon(QIcon(str(ICON_FILE)))
    app.setStyleSheet(load_style_sheet())
    return app


def load_style_sheet() -> str:
    """The application style sheet (colours from the system palette, so light and dark work)."""
    try:
        return STYLE_FILE.read_text(encoding="utf-8")
    except OSError:
        log.warning("The style sheet could not be read; using the plain system style.")
        return ""
