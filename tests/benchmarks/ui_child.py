"""A whole desktop process for rows 6 and 7, started by ``ui_rows`` and timed from outside.

    python -m tests.benchmarks.ui_child app PROFILE   the app's main window on a filled cache
    python -m tests.benchmarks.ui_child app-deferred PROFILE
                                                      the same, sync attached only after the
                                                      first paint (a proposed start-up order)
    python -m tests.benchmarks.ui_child lean PROFILE  an experiment: the key from the same
                                                      credential store, the first page read
                                                      with sqlcipher3 alone (no SQLAlchemy,
                                                      pydantic or sync), shown in one table
    python -m tests.benchmarks.ui_child floor         a bare PySide6 window with one table

Prints one JSON line on stdout when the window is usable (its first caseload page painted),
then, for ``app``, shows the caseload page too and reports the resident memory.
"""

from __future__ import annotations

import json
import resource
import sys
import time


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
    import keyring
    import sqlcipher3
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem

    from counsellor_app.store.keys import KeyProvider
    from counsellor_app.store.paths import Profile
    from tests.benchmarks.harness import MemoryKeyring

    keyring.set_keyring(MemoryKeyring.from_environment())
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


def app(profile_folder: str, *, deferred_sync: bool = False) -> int:
    import datetime as dt

    import keyring
    from PySide6.QtCore import QEventLoop, QTimer

    from counsellor_app.store.engine import open_cache
    from counsellor_app.store.keys import KeyProvider
    from counsellor_app.store.paths import Profile
    from counsellor_app.ui.app import attach_sync, create_application, open_main_window
    from counsellor_app.ui.context import AppContext
    from counsellor_app.ui.main_window import Page
    from counsellor_app.ui.settings_store import AppSettings
    from tests.benchmarks.harness import MemoryKeyring

    keyring.set_keyring(MemoryKeyring.from_environment())
    qt = create_application()
    profile = Profile.at(profile_folder)
    keys = KeyProvider(profile)
    cache = open_cache(profile, keys, create=False)
    context = AppContext(profile=profile, cache=cache, user_name="counsellor-cardiff",
                         hub_url="http://127.0.0.1:9", settings=AppSettings(),
                         key_provider=keys, clock=lambda: dt.datetime.now(dt.UTC))
    if deferred_sync:  # open_main_window's steps, with sync attached after the first paint
        from counsellor_app.ui.main_window import MainWindow

        window = MainWindow(context)
        window.load_initial()
        window.show()
    else:
        window = open_main_window(context, start_sync=False)
    waiting = {"caseload", "inbox"}
    loop = QEventLoop()

    def done(name: str) -> None:
        waiting.discard(name)
        if not waiting:
            loop.quit()

    window.caseload_model.loaded.connect(lambda: done("caseload"))
    window.inbox.loaded.connect(lambda: done("inbox"))
    QTimer.singleShot(120_000, loop.quit)
    if waiting:
        loop.exec()
    window.show_page(Page.CASELOAD)
    window.repaint()
    qt.processEvents()
    rows = window.caseload_model.rowCount()
    _say(event="ready", rows=rows, total=window.caseload_model.total())
    if deferred_sync:
        attach_sync(window, start=False)
    window.show_page(Page.INBOX)
    window.repaint()
    window.show_page(Page.CASELOAD)
    window.repaint()
    qt.processEvents()
    current, peak = _rss_mb()
    _say(event="memory", rss_mb=current, peak_mb=peak)
    window.close()
    qt.processEvents()
    cache.close()
    return 0 if rows else 1


if __name__ == "__main__":
    if sys.argv[1] == "floor":
        sys.exit(floor())
    if sys.argv[1] == "lean":
        sys.exit(lean(sys.argv[2]))
    sys.exit(app(sys.argv[2], deferred_sync=sys.argv[1] == "app-deferred"))
