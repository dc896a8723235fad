"""Start-up of the desktop application: display check, QApplication, style, first window."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from counsellor_app.ui.context import AppContext
    from counsellor_app.ui.main_window import MainWindow
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
    """Sign in (the dialog opens the cache), then the main window with sync in the background."""
    from counsellor_app.store.paths import Profile
    from counsellor_app.ui.dialogs.sign_in import SignInDialog

    profile = Profile.from_option(getattr(args, "profile", None))
    dialog = SignInDialog(profile)
    opened: list[MainWindow] = []

    def signed_in(context: object) -> None:
        from counsellor_app.ui.context import AppContext

        assert isinstance(context, AppContext)
        opened.append(open_main_window(context))

    dialog.signed_in.connect(signed_in)
    dialog.show()
    QTimer.singleShot(0, lambda: warm_imports(AFTER_SIGN_IN))  # after the dialog's first paint
    code = app.exec()
    dialog.wait_for_worker()
    for window in opened:
        window.context.cache.close()
    return code


def warm_imports(modules: tuple[str, ...]) -> threading.Thread:
    """Imports ``modules`` on a daemon thread (Python's import lock makes a later import of
    the same module on the GUI thread wait for it, never load it twice). Only modules are
    loaded there: no Qt object is made off the GUI thread."""

    def load() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # the GUI thread's own import will raise it where it matters
                log.warning("warming %s failed", name)
                return

    thread = threading.Thread(target=load, name="warm-imports", daemon=True)
    thread.start()
    return thread


def open_main_window(context: AppContext, *, start_sync: bool = True) -> MainWindow:
    """The main window on a signed-in session: first page of the caseload and the inbox
    loaded, shown, then sync attached (and started) once the window is up."""
    from counsellor_app.ui.crash import install_crash_handler
    from counsellor_app.ui.main_window import MainWindow

    window = MainWindow(context)
    window.load_initial()
    window.show()
    window.crash_handler = install_crash_handler(window, context.profile.logs_dir)
    attach_sync(window, start=start_sync)
    return window


def attach_sync(window: MainWindow, *, start: bool) -> SyncController:
    """Background sync for the window: at once (with ``start``), every few minutes, and F5."""
    from counsellor_app.ui.sync_worker import SyncController

    sync = SyncController(window.context, window)
    window.attach_sync(sync)
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
