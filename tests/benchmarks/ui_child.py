"""A whole desktop process for rows 6 and 7, started by ``ui_rows`` and timed from outside.

    python -m tests.benchmarks.ui_child returning PROFILE
                                    ``counsellor-app --profile PROFILE`` (cli.main) as a returning
                                    user meets it (the last sign-in kept them signed in): the
                                    main window at once, no dialog; sync starts after its paint
    python -m tests.benchmarks.ui_child app-typing PROFILE
                                    the same for a user who must sign in (first sign-in on the
                                    computer, or "Keep me signed in" unticked): the sign-in
                                    dialog, the password (from
                                    COUNSELLOR_BENCH_PASSWORD) typed once the app has read the
                                    cache behind the dialog, checked by the hub the profile's
                                    settings name, then the main window
    python -m tests.benchmarks.ui_child app PROFILE
                                    the same, the password typed as soon as the dialog paints
    python -m tests.benchmarks.ui_child lean PROFILE
                                    an experiment: the key from the same credential store, the
                                    first page read with sqlcipher3 alone (no SQLAlchemy,
                                    pydantic or sync, no sign-in), shown in one table
    python -m tests.benchmarks.ui_child floor
                                    a bare PySide6 window with one table

Prints JSON lines on stdout ("sign-in shown", "sign-in pressed", then "ready" when the main
window's first caseload page is painted and the inbox shown; the floor, lean and returning
only "ready"),
each with the process's CPU time so far; then, for the app, the resident memory once the inbox
and caseload pages have both been shown.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any


def _rss_mb() -> tuple[float, float]:
    """Current and peak resident memory of this process, in MB (Linux /proc)."""
    current = 0.0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return current, peak


def _say(**values: object) -> None:
    values["cpu"] = time.process_time()
    print(json.dumps(values), flush=True)


def floor() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    table = QTableWidget(200, 8, window)
    for row in range(200):
        for column in range(8):
            table.setItem(row, column, QTableWidgetItem(f"{row}:{column}"))
    window.setCentralWidget(table)
    window.resize(1280, 800)
    window.show()
    window.repaint()
    app.processEvents()
    _say(event="ready")
    window.close()
    return 0


def lean(profile_folder: str) -> int:
    import sqlcipher3
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem

    from counsellor_app.store.keys import KeyProvider
    from counsellor_app.store.paths import Profile

    qt = QApplication(sys.argv[:1])
    profile = Profile.at(profile_folder)
    key = KeyProvider(profile).key(create=False)
    connection = sqlcipher3.connect(str(profile.cache_file))
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    rows = connection.execute(
        "SELECT participant_id, given_name, family_name, nhs_number, date_of_birth, programme, "
        "latest_result_outcome, open_request_count FROM participants "
        "ORDER BY family_fold, given_fold, pk LIMIT 200").fetchall()
    total = connection.execute("SELECT count(*) FROM participants").fetchone()[0]
    window = QMainWindow()
    table = QTableWidget(len(rows), 8, window)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(str(value)))
    window.setCentralWidget(table)
    window.resize(1280, 800)
    window.show()
    window.repaint()
    qt.processEvents()
    _say(event="ready", rows=len(rows), total=total)
    window.close()
    connection.close()
    return 0


PASSWORD_ENV = "COUNSELLOR_BENCH_PASSWORD"  # the hub password the harness "types"


class _StartWatcher:
    """Plays the user of ``counsellor-app``: types the password into the sign-in dialog once it
    has painted (at once, or with ``wait_for_read_ahead`` once the app has read the cache
    behind it, as it does while a person types), then waits for the main window's first
    caseload page and inbox, and reports each step as a JSON line. It watches the
    application's events only until the dialog has painted."""

    def __init__(
        self, password: str, *, wait_for_read_ahead: bool, returning: bool = False
    ) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.returning = returning
        self.password = password
        self.wait_for_read_ahead = wait_for_read_ahead
        self.dialog: Any = None
        self.window: Any = None
        self.finished = False
        paint = QEvent.Type.Paint
        watcher = self

        class Filter(QObject):
            def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 (Qt's name)
                if event.type() == paint:
                    watcher.painted(obj)
                return False

        self.filter = Filter()

    def painted(self, widget: Any) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QWidget

        from counsellor_app.ui.dialogs.sign_in import SignInDialog

        if self.dialog is not None or self.window is not None or not isinstance(widget, QWidget):
            return
        window = widget.window()
        if self.returning:
            self.returning_painted(window)
            return
        if isinstance(window, SignInDialog):
            QApplication.instance().removeEventFilter(self.filter)  # type: ignore[union-attr]
            self.dialog = window
            _say(event="sign-in shown")
            window.signed_in.connect(self.signed_in)  # after the app's own slot
            QTimer.singleShot(0, self.type_password)

    def returning_painted(self, window: Any) -> None:
        """A returning user's start: the main window's first paint (a sign-in dialog here
        means the profile is not a returning user's: said, and the process ends)."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from counsellor_app.ui.dialogs.sign_in import SignInDialog
        from counsellor_app.ui.main_window import MainWindow

        if isinstance(window, SignInDialog):
            print("the sign-in dialog was shown: not a returning user's profile", file=sys.stderr)
            QApplication.closeAllWindows()
            return
        if not isinstance(window, MainWindow):
            return
        QApplication.instance().removeEventFilter(self.filter)  # type: ignore[union-attr]
        self.window = window
        window.ready.connect(self.main_window_ready)
        if window.is_ready:
            QTimer.singleShot(0, self.main_window_ready)

    def type_password(self) -> None:
        from PySide6.QtCore import QTimer

        read_ahead = self.dialog.read_ahead
        if self.wait_for_read_ahead and read_ahead is not None and not read_ahead.done():
            QTimer.singleShot(5, self.type_password)
            return
        self.dialog.password.setText(self.password)
        self.dialog.keep_signed_in.setChecked(False)  # a user who signs in at every start
        _say(event="sign-in pressed")
        self.dialog.start_sign_in()
        QTimer.singleShot(120_000, self.give_up)

    def give_up(self) -> None:
        """No main window after two minutes: says what the dialog says, and ends."""
        from PySide6.QtWidgets import QApplication

        if self.window is None:
            print(f"no main window; the sign-in dialog says: {self.dialog.message.text()}",
                  file=sys.stderr)
            QApplication.closeAllWindows()

    def signed_in(self, _context: object) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from counsellor_app.ui.main_window import MainWindow

        self.window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        self.window.ready.connect(self.main_window_ready)
        if self.window.is_ready:
            QTimer.singleShot(0, self.main_window_ready)

    def main_window_ready(self) -> None:
        from PySide6.QtWidgets import QApplication

        from counsellor_app.ui.main_window import Page

        window = self.window
        if self.finished or window is None:
            return
        self.finished = True
        qt = QApplication.instance()
        assert qt is not None
        window.show_page(Page.CASELOAD)
        window.repaint()
        qt.processEvents()
        model = window.caseload_model
        _say(event="ready", rows=model.rowCount(), total=model.total())
        window.show_page(Page.INBOX)
        window.repaint()
        window.show_page(Page.CASELOAD)
        window.repaint()
        qt.processEvents()
        current, peak = _rss_mb()
        _say(event="memory", rss_mb=current, peak_mb=peak)
        window.close()


def app(profile_folder: str, *, wait_for_read_ahead: bool, returning: bool = False) -> int:
    """``counsellor-app --profile PROFILE`` as a returning user meets it: ``cli.main``, the
    sign-in dialog (password checked at the hub), the main window with sync attached."""
    import os

    from PySide6.QtWidgets import QApplication

    # The credential store is the parent's (PYTHON_KEYRING_BACKEND, see ui_keyring). The
    # QApplication is made here only so the watcher sees every event; create_application
    # takes it as it is and sets it up exactly as for a user.
    qt = QApplication(sys.argv[:1])
    watcher = _StartWatcher(os.environ[PASSWORD_ENV], wait_for_read_ahead=wait_for_read_ahead,
                            returning=returning)
    qt.installEventFilter(watcher.filter)
    from PySide6.QtCore import QTimer

    QTimer.singleShot(180_000, QApplication.closeAllWindows)  # never hang the benchmark run
    from counsellor_app.cli import main

    code = main(["--profile", profile_folder])
    return code if watcher.finished else 1


if __name__ == "__main__":
    if sys.argv[1] == "floor":
        sys.exit(floor())
    if sys.argv[1] == "lean":
        sys.exit(lean(sys.argv[2]))
    sys.exit(app(sys.argv[2], wait_for_read_ahead=sys.argv[1] == "app-typing",
                 returning=sys.argv[1] == "returning"))
