"""The letter buttons of the case record's Letters tab: write a letter, open a kept one."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from counsellor_app.domain.errors import DomainError
from counsellor_app.domain.letter import LetterRecord
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.parts import MessageLine
from counsellor_app.ui.letters.generate_dialog import (
    FORMAT_LABELS,
    KIND_LABELS,
    RECIPIENT_LABELS,
    GenerateLetterDialog,
)
from counsellor_app.ui.letters.letter_store import export_stored_letter, mark_printed, stored_pdf
from counsellor_app.ui.letters.preview import LetterPreviewDialog
from counsellor_app.ui.letters.wording import app_sentence

log = logging.getLogger(__name__)


def open_stored_letter(
    context: AppContext, letter: LetterRecord, parent: QWidget | None = None
) -> LetterPreviewDialog:
    """Previews a letter kept in the cache (checked against its SHA-256); print and export
    go through the cache (audited) and make a draft final. Opened, not blocking."""
    pdf = stored_pdf(context, letter.letter_id)
    heading = (
        f"{KIND_LABELS[letter.kind]} to "
        f"{RECIPIENT_LABELS.get(letter.recipient, 'the clinician').lower()}, "
        f"{FORMAT_LABELS[letter.format].lower()} ({letter.status.value})"
    )
    dialog = LetterPreviewDialog(
        pdf,
        heading=heading,
        export_name=f"letter-{letter.letter_id[:8]}.pdf",
        parent=parent,
        exporter=lambda path: export_stored_letter(context, letter.letter_id, Path(path)),
    )
    dialog.printed.connect(lambda pages: mark_printed(context, letter.letter_id, pages))
    dialog.open()
    return dialog


class LetterTools(QObject):
    """Adds "Write a letter…" and "Open letter…" to a Letters tab.

    ``tab`` is the case record's Letters tab: it has ``tools`` (a box layout for buttons),
    ``table`` (the letters table) and ``model.record(row)`` giving a ``LetterRecord``. Call
    :meth:`set_case` when a case is shown. ``changed`` is emitted when a letter was made,
    printed or exported (refresh the case then).
    """

    changed = Signal()

    def __init__(self, context: AppContext, tab: Any, window: QWidget | None = None) -> None:
        super().__init__(tab)
        self._context = context
        self._tab = tab
        self._window = window
        self._participant_id: str | None = None
        self._case_id: str | None = None
        self.dialog: QWidget | None = None
        self.write_button = QPushButton("&Write a letter…")
        self.write_button.setAccessibleName("Write a letter for this case")
        self.open_button = QPushButton("&Open letter…")
        self.open_button.setAccessibleName("Open the chosen letter to print or export it")
        self.message = MessageLine(name="letter_problem")
        tab.tools.insertWidget(0, self.write_button)
        tab.tools.insertWidget(1, self.open_button)
        tab.tools.insertWidget(2, self.message)
        self.write_button.clicked.connect(self.write_letter)
        self.open_button.clicked.connect(self.open_selected)
        tab.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.set_case(None)

    def set_case(self, participant_id: str | None, case_id: str | None = None) -> None:
        self._participant_id = participant_id
        self._case_id = case_id
        self.write_button.setEnabled(participant_id is not None)
        self.open_button.setEnabled(participant_id is not None)
        self.message.clear_message()

    def selected_letter(self) -> LetterRecord | None:
        index = self._tab.table.currentIndex()
        if not index.isValid():
            return None
        row = index.row()
        proxy = self._tab.table.model()
        if proxy is not self._tab.model and hasattr(proxy, "mapToSource"):
            row = proxy.mapToSource(index).row()
        record = self._tab.model.record(row)
        return record if isinstance(record, LetterRecord) else None

    def write_letter(self) -> GenerateLetterDialog | None:
        if self._participant_id is None:
            return None
        try:
            dialog = GenerateLetterDialog(
                self._context, self._participant_id, self._window, case_id=self._case_id
            )
        except DomainError as exc:
            self.message.show_problem(app_sentence(str(exc)))
            return None
        dialog.generated.connect(lambda _letter_id: self.changed.emit())
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_selected(self) -> LetterPreviewDialog | None:
        letter = self.selected_letter()
        if letter is None:
            self.message.show_problem("Choose a letter in the list first.")
            return None
        try:
            dialog = open_stored_letter(self._context, letter, self._window)
        except DomainError as exc:
            self.message.show_problem(app_sentence(str(exc)))
            return None
        dialog.printed.connect(lambda _pages: self.changed.emit())
        dialog.exported.connect(lambda _path: self.changed.emit())
        self.message.clear_message()
        self.dialog = dialog
        return dialog
