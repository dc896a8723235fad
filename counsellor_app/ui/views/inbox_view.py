"""The Inbox page: what needs the team's attention, each item opening its case at the right tab."""

from __future__ import annotations

import threading

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QVBoxLayout, QWidget

from counsellor_app.ui.background import Progress
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.models.inbox_model import InboxModel, InboxSection
from counsellor_app.ui.models.inbox_sections import load_inbox
from counsellor_app.ui.models.latest_query import LatestQuery
from counsellor_app.ui.views.case_record import CaseTab
from counsellor_app.ui.views.identity_block import plain_label


class InboxTree(QTreeView):
    """Enter or Return on an item opens its case (as a double-click does)."""

    open_requested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class InboxView(QWidget):
    """Sections (new results by kind, open requests, re-consent, sync problems) and items."""

    open_case = Signal(str, object, object)  # participant_id, CaseTab, selected id or None
    resolve_conflict = Signal(str)  # decision_id: after open_case, for a consent conflict
    loaded = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._reader = LatestQuery(self)
        self._reader.answered.connect(self._show)
        self._reader.failed.connect(self._failed)
        self.model = InboxModel(self)
        self.summary = plain_label()
        self.summary.setAccessibleName("Inbox summary")
        self.tree = InboxTree(self)
        self.tree.setAccessibleName("Inbox")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)  # fixed row heights: no per-row measuring
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setExpandsOnDoubleClick(False)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        width = self.tree.fontMetrics().averageCharWidth()
        for column, chars in enumerate((46, 28, 14, 14)):
            self.tree.setColumnWidth(column, chars * width + 16)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self.tree.doubleClicked.connect(self._open_index)
        self.tree.open_requested.connect(self._open_index)

    def reload(self) -> None:
        """Reads the inbox again on a worker thread (its own session); ``loaded`` says when
        it is shown. A reload asked for while one runs supersedes it."""
        cache, today = self.context.cache, self.context.today()

        def read(_progress: Progress, _cancel: threading.Event) -> object:
            with cache.read() as session:
                return load_inbox(session, today)

        if not self.model.rowCount():
            self.summary.setText("Reading the inbox…")
        self._reader.ask(read)

    def show_sections(self, sections: list[InboxSection]) -> None:
        """Shows ``sections`` read a moment ago (``load_inbox``, e.g. while the sign-in dialog
        waited) as this view's reading, unless a newer reading is under way."""
        if not self._reader.busy:
            self._show(sections)

    def wait_for_worker(self, msecs: int = 10_000) -> bool:
        """Waits for a running read to end (closing the window, tests)."""
        return self._reader.wait(msecs)

    def _show(self, sections: object) -> None:
        """Shows a fresh reading; the item chosen before stays chosen if it is still there,
        else the first item to act on if its section is open (never an empty heading).
        Sections keep the reader's open or closed choice across readings; see
        ``opens_at_first`` for a new one."""
        assert isinstance(sections, list)
        chosen = self.model.item(self.tree.currentIndex())
        model = self.model
        was_open = {
            section.title: self.tree.isExpanded(model.index(row, 0))
            for row, section in enumerate(model.sections())
            if section.items  # an empty section is closed by nobody's choice
        }
        model.set_sections(sections)
        for row, section in enumerate(sections):  # a section's heading uses the whole row
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
            is_open = was_open.get(section.title, opens_at_first(section))
            self.tree.setExpanded(model.index(row, 0), is_open)
        self.summary.setText(inbox_summary(sections))
        again = (
            model.find(chosen.participant_id, chosen.select, chosen.title)
            if chosen is not None
            else QModelIndex()
        )
        target = again if again.isValid() else model.first_item()
        if target.isValid() and self.tree.isExpanded(target.parent()):
            self.tree.setCurrentIndex(target)
        else:
            self.tree.selectionModel().clearSelection()
        self.loaded.emit()

    def _failed(self, message: str) -> None:
        self.summary.setText(f"The inbox could not be read: {message}")

    def _open_index(self, index: QModelIndex) -> None:
        item = self.model.item(index.siblingAtColumn(0))
        if item is None:
            self.tree.setExpanded(index.siblingAtColumn(0), not self.tree.isExpanded(index))
            return
        self.open_case.emit(item.participant_id, CaseTab(item.tab), item.select)
        if item.resolves_conflict and item.select is not None:
            self.resolve_conflict.emit(item.select)


OPEN_UP_TO = 12
"""A section of this many items or fewer opens at once; a longer one shows its heading only."""


def opens_at_first(section: InboxSection) -> bool:
    """Whether a section is open when first shown: a sync problem (it holds letters back) and
    every short one; a long one shows its heading and count, so every heading is on screen."""
    if not section.items:
        return False
    return section.title.startswith("Sync") or len(section.items) <= OPEN_UP_TO


def inbox_summary(sections: list[InboxSection]) -> str:
    """"29 new results · 14 open requests (6 overdue) · 2 need re-consent · 1 sync problem"."""

    def total(section: InboxSection) -> int:
        return len(section.items) + section.more

    results = sum(total(s) for s in sections if s.title.startswith("New results"))
    requests = next((s for s in sections if s.title.startswith("Open")), None)
    reconsent = sum(total(s) for s in sections if s.title.startswith("Re-consent"))
    problems = sum(total(s) for s in sections if s.title.startswith("Sync"))
    parts = [f"{results:,} new result{'s' if results != 1 else ''}"]
    if requests is not None:
        overdue = sum(1 for item in requests.items if item.urgent)
        parts.append(f"{total(requests):,} open request{'s' if total(requests) != 1 else ''}"
                     + (f" ({overdue:,} overdue)" if overdue else ""))
    parts.append(f"{reconsent:,} need{'s' if reconsent == 1 else ''} re-consent")
    parts.append(f"{problems:,} sync problem{'s' if problems != 1 else ''}")
    return " · ".join(parts)
