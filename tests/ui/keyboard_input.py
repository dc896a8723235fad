"""Typing into widgets as a user would, including characters QTest cannot (ŵ, Ł, Greek)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Key presses for every character; QTest's ASCII table aborts on anything else."""
    for char in text:
        if char.isascii() and char.isprintable():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def replace_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Select everything in a line edit (or spin box), delete it, and type ``text``."""
    select_all = getattr(widget, "selectAll", None)
    if select_all is not None:
        select_all()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)
