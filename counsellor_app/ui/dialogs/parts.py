"""Small widgets every dialog uses: plain-text labels and the message line for problems."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = True) -> QLabel:
    """A label that shows ``text`` literally: a name with ``<b>`` or ``&amp;`` stays as typed."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    return label


class MessageLine(QLabel):
    """One plain sentence under a form: what went wrong and what to do, or what will happen."""

    def __init__(self, parent: QWidget | None = None, *, name: str = "message") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setAccessibleName(name.replace("_", " "))
        self.hide()

    def show_problem(self, text: str) -> None:
        self.setProperty("kind", "problem")
        self._show(text)

    def show_info(self, text: str) -> None:
        self.setProperty("kind", "info")
        self._show(text)

    def clear_message(self) -> None:
        self.setText("")
        self.hide()

    def _show(self, text: str) -> None:
        # An accent line beside the text: NHS red for a problem, NHS blue otherwise. The text
        # keeps the palette's colour, so light and dark themes both read well.
        accent = "#d5281b" if self.property("kind") == "problem" else "#005eb8"
        self.setStyleSheet(
            "QLabel { border-style: solid; border-width: 0px 0px 0px 3px; "
            f"border-color: {accent}; padding-left: 6px; }}"
        )
        self.setText(text)
        self.setVisible(bool(text))


def identity_label(text: str, parent: QWidget | None = None) -> QLabel:
    """Who a dialog is about, in bold plain text, so nothing is recorded on the wrong person."""
    label = plain_label(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName("Participant")
    return label
