"""Unhandled errors in the desktop app: an incident number in the log and a plain message.

The app keeps running after such an error, so open windows and dialogs keep what was typed in
them. The log entry holds the error's type and where it happened (files, lines, functions) but
never its message, which could quote patient data from a library (SQL parameters, say).
"""

from __future__ import annotations

import logging
import secrets
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from counsellor_app.logging_setup import active_log_file

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def new_incident_id() -> str:
    """A short id that a counsellor can read out on the phone: "CD-7K3Q-X9PA"."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
    chars = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"CD-{chars[:4]}-{chars[4:]}"


def describe_without_messages(error: BaseException) -> str:
    """The error's type and stack, and those of its causes, without any exception message."""
    blocks: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        lines = [f"{kind.__module__}.{kind.__qualname__} (message withheld)"]
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {_short(frame.filename)}:{frame.lineno} in {frame.name}")
        blocks.append("\n".join(lines))
        current = current.__cause__ or current.__context__
    return "\ncaused by or raised while handling:\n".join(blocks)


def _short(filename: str) -> str:
    """The path from the package folder on (no home folder or user name in the log)."""
    parts = Path(filename).parts
    for anchor in ("counsellor_app", "site-packages"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + (anchor == "site-packages"):])
    return Path(filename).name


def crash_message(incident: str, log_folder: Path | None) -> str:
    where = f" The details are in the log files in {log_folder}." if log_folder else ""
    return (
        "Something went wrong inside Counsellor Desk. Your open windows and what you typed in "
        "them are still there: check them, save what you were doing, and carry on. If it "
        "happens again, call your IT service desk and give them this incident number: "
        f"{incident}.{where}"
    )


class CrashHandler(QObject):
    """Installed as ``sys.excepthook`` (and ``threading.excepthook``) while the UI runs.

    Each unhandled error gets an incident id, one log entry with that id, and one non-blocking
    message (a second error while the message is open adds its id to the same message).
    ``crashed`` carries the incident id; it is delivered on the GUI thread.
    """

    crashed = Signal(str)

    def __init__(self, parent_window: QWidget | None = None, log_folder: Path | None = None):
        super().__init__()
        self.parent_window = parent_window
        self.log_folder = log_folder
        self.box: QMessageBox | None = None
        self.incidents: list[str] = []
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self._installed = False
        self.crashed.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> CrashHandler:
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread
        self._installed = True
        return self

    def uninstall(self) -> None:
        if self._installed:
            sys.excepthook = self._previous_hook
            threading.excepthook = self._previous_thread_hook
            self._installed = False

    def handle(
        self,
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
    ) -> None:
        """Log the error under a new incident id and ask the GUI thread to say so."""
        if issubclass(kind, KeyboardInterrupt):
            self._previous_hook(kind, error, trace)
            return
        if error.__traceback__ is None and trace is not None:
            error = error.with_traceback(trace)
        incident = new_incident_id()
        try:
            log.error(
                "unhandled error, incident %s:\n%s", incident, describe_without_messages(error)
            )
        except Exception:  # noqa: S110 - the message below must still appear
            pass
        self.crashed.emit(incident)  # queued: shown by the GUI thread whichever thread failed

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return  # as threading's own hook: a thread ending itself is not an error
        self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    def shown_log_folder(self) -> Path | None:
        """Where the incident's log entry really is (the file being written), else the given."""
        current = active_log_file()
        return current.parent if current is not None else self.log_folder

    @Slot(str)
    def _show(self, incident: str) -> None:
        self.incidents.append(incident)
        if self.box is not None and self.box.isVisible():
            self.box.setText(
                crash_message(", ".join(self.incidents[-5:]), self.shown_log_folder())
            )
            return
        self.incidents = [incident]
        box = QMessageBox(self.parent_window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Counsellor Desk: something went wrong")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(crash_message(incident, self.shown_log_folder()))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setWindowModality(Qt.WindowModality.NonModal)  # every window stays usable
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._closed)
        self.box = box
        box.show()

    def _closed(self) -> None:
        self.box = None
        self.incidents = []


def install_crash_handler(
    parent_window: QWidget | None = None, log_folder: Path | None = None
) -> CrashHandler:
    """Install the UI's handler for unhandled errors; keep the returned object alive."""
    return CrashHandler(parent_window, log_folder).install()
