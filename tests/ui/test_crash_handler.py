"""An unhandled error in the UI: a plain message with an incident id found in the log, no data
lost (the app and its open dialogs stay), and no patient identifier in the log or the message."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLineEdit, QMessageBox, QPushButton, QVBoxLayout
from pytestqt.qtbot import QtBot

from counsellor_app.logging_setup import configure_logging, log_file_of, remove_handlers
from counsellor_app.store.paths import Profile
from counsellor_app.ui.crash import CrashHandler, describe_without_messages, new_incident_id

NAME = "Siân Evans"
NHS = "999 123 4560"

pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[Profile]:
    profile = Profile.at(tmp_path / "profile")
    root = logging.getLogger()
    level = root.level
    configure_logging(profile, stream=io.StringIO())
    yield profile
    remove_handlers(root)
    root.setLevel(level)
    logging.captureWarnings(False)


@pytest.fixture
def handler(profile: Profile) -> Iterator[CrashHandler]:
    handler = CrashHandler(None, profile.logs_dir).install()
    yield handler
    handler.uninstall()
    if handler.box is not None:
        handler.box.close()


def _failing_slot() -> None:
    raise RuntimeError(f"could not save the letter for {NAME}, NHS {NHS}")


def _log_text(profile: Profile) -> str:
    for h in logging.getLogger().handlers:
        h.flush()
    return log_file_of(profile).read_text(encoding="utf-8")


def test_error_in_a_slot_shows_an_incident_id_that_is_in_the_log(
    qtbot: QtBot, handler: CrashHandler, profile: Profile
) -> None:
    button = QPushButton("Save")
    qtbot.addWidget(button)
    button.clicked.connect(_failing_slot)
    with qtbot.waitSignal(handler.crashed) as blocker:
        button.click()
    incident = blocker.args[0]
    qtbot.waitUntil(lambda: handler.box is not None and handler.box.isVisible())
    assert handler.box is not None
    assert incident in handler.box.text()
    assert str(profile.logs_dir) in handler.box.text()
    log = _log_text(profile)
    assert f"incident {incident}" in log
    assert "RuntimeError" in log and "_failing_slot" in log


def test_neither_log_nor_message_repeats_the_error_text(
    qtbot: QtBot, handler: CrashHandler, profile: Profile
) -> None:
    button = QPushButton("Save")
    qtbot.addWidget(button)
    button.clicked.connect(_failing_slot)
    with qtbot.waitSignal(handler.crashed):
        button.click()
    qtbot.waitUntil(lambda: handler.box is not None)
    assert handler.box is not None
    for shown in (_log_text(profile), handler.box.text()):
        assert NAME not in shown
        assert NHS not in shown and NHS.replace(" ", "") not in shown
        assert "could not save the letter" not in shown


def test_work_in_an_open_dialog_survives_the_error(
    qtbot: QtBot, handler: CrashHandler
) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    note = QLineEdit(dialog)
    save = QPushButton("Save", dialog)
    layout.addWidget(note)
    layout.addWidget(save)
    save.clicked.connect(_failing_slot)
    dialog.open()
    qtbot.keyClicks(note, "Discussed by phone; will post the form")
    with qtbot.waitSignal(handler.crashed):
        save.click()
    qtbot.waitUntil(lambda: handler.box is not None and handler.box.isVisible())
    assert dialog.isVisible()
    assert note.text() == "Discussed by phone; will post the form"
    assert handler.box is not None
    assert handler.box.windowModality() == handler.box.windowModality().NonModal
    handler.box.button(QMessageBox.StandardButton.Ok).click()
    assert dialog.isVisible() and note.text().startswith("Discussed")


def test_error_in_a_worker_thread_is_shown_by_the_gui_thread(
    qtbot: QtBot, handler: CrashHandler, profile: Profile
) -> None:
    worker = threading.Thread(target=_failing_slot)
    with qtbot.waitSignal(handler.crashed) as blocker:
        worker.start()
        worker.join()
    qtbot.waitUntil(lambda: handler.box is not None and handler.box.isVisible())
    assert handler.box is not None
    assert blocker.args[0] in handler.box.text()
    assert f"incident {blocker.args[0]}" in _log_text(profile)


def test_a_second_error_adds_its_id_to_the_open_message(
    qtbot: QtBot, handler: CrashHandler
) -> None:
    ids = []
    for _ in range(2):
        try:
            _failing_slot()
        except RuntimeError as exc:
            with qtbot.waitSignal(handler.crashed) as blocker:
                handler.handle(type(exc), exc, exc.__traceback__)
            ids.append(blocker.args[0])
    qtbot.waitUntil(lambda: handler.box is not None and ids[1] in handler.box.text())
    assert handler.box is not None and ids[0] in handler.box.text()


def test_uninstall_restores_the_previous_hook(handler: CrashHandler) -> None:
    import sys

    assert sys.excepthook == handler.handle
    handler.uninstall()
    assert sys.excepthook != handler.handle


def test_description_keeps_types_and_places_of_chained_errors_only() -> None:
    try:
        try:
            raise KeyError(NHS)
        except KeyError as inner:
            raise ValueError(NAME) from inner
    except ValueError as exc:
        text = describe_without_messages(exc)
    assert "builtins.ValueError" in text and "builtins.KeyError" in text
    assert "test_crash_handler.py" in text
    assert NAME not in text and NHS not in text


def test_incident_ids_are_short_and_distinct() -> None:
    ids = {new_incident_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 12 and i.startswith("CD-") for i in ids)


def test_message_names_the_folder_the_log_is_really_written_to(
    qtbot: QtBot, profile: Profile, tmp_path: Path
) -> None:
    handler = CrashHandler(None, tmp_path / "a-demo-folder" / "logs").install()
    try:
        with qtbot.waitSignal(handler.crashed):
            try:
                _failing_slot()
            except RuntimeError as exc:
                handler.handle(type(exc), exc, exc.__traceback__)
        qtbot.waitUntil(lambda: handler.box is not None)
        assert handler.box is not None
        assert str(profile.logs_dir) in handler.box.text()
        assert "a-demo-folder" not in handler.box.text()
    finally:
        handler.uninstall()
        if handler.box is not None:
            handler.box.close()
