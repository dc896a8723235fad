"""The inbox tree model: sections (new results, requests, re-consent, sync problems) and items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from counsellor_app.domain.nhs_number import format_nhs_number
from counsellor_app.ui.models.labels import plain_tooltip, short_day

ITEM_ROLE = Qt.ItemDataRole.UserRole + 20
"""The ``InboxItem`` behind a row (None on a section row)."""

_Index = QModelIndex | QPersistentModelIndex
_SECTION = 0  # internal id of a section row; item rows carry their section number + 1

HEADERS = ("Item", "Participant", "NHS number", "Date or due", "Detail")


@dataclass(frozen=True, slots=True)
class InboxItem:
    """One thing to act on, and where in the case record it is dealt with.

    ``tab`` is a ``CaseTab`` value; ``select`` the id of the result or request to choose there.
    ``urgent`` marks an overdue request or a problem that blocks letters; ``resolves_conflict``
    a consent conflict (``select`` is its decision id), which opening resolves (rule 5).
    """

    participant_id: str
    name: str
    nhs_number: str | None
    title: str
    when: dt.date | None
    detail: str
    tab: int
    select: str | None = None
    urgent: bool = False
    resolves_conflict: bool = False


@dataclass(frozen=True, slots=True)
class InboxSection:
    title: str
    items: tuple[InboxItem, ...]
    more: int = 0  # items not loaded (the section is capped; the caseload filters find them)

    @property
    def heading(self) -> str:
        """"Open collaboration requests (88, 33 overdue)": the count, and how many are urgent."""
        count = len(self.items) + self.more
        urgent = sum(1 for item in self.items if item.urgent)
        if urgent and self.title.startswith("Open"):
            return f"{self.title} ({count:,}, {urgent:,} overdue)"
        return f"{self.title} ({count:,})"


class InboxModel(QAbstractItemModel):
    """Two levels: each section, then its items (already in the order the store gave)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sections: tuple[InboxSection, ...] = ()

    def set_sections(self, sections: Sequence[InboxSection]) -> None:
        self.beginResetModel()
        self._sections = tuple(sections)
        self.endResetModel()

    def sections(self) -> tuple[InboxSection, ...]:
        return self._sections

    def item(self, index: _Index) -> InboxItem | None:
        if not index.isValid() or index.internalId() == _SECTION:
            return None
        return self._sections[index.internalId() - 1].items[index.row()]

    # ----------------------------------------------------------------- Qt model API

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(HEADERS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._sections):
                return QModelIndex()
            return self.createIndex(row, column, _SECTION)
        if parent.internalId() != _SECTION or parent.column() != 0:
            return QModelIndex()
        section = parent.row()
        if row >= len(self._sections[section].items):
            return QModelIndex()
        return self.createIndex(row, column, section + 1)

    def parent(self, child: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == _SECTION:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _SECTION)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._sections)
        if parent.internalId() == _SECTION and parent.column() == 0:
            return len(self._sections[parent.row()].items)
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _SECTION:
            return self._section_data(self._sections[index.row()], index.column(), role)
        item = self.item(index)
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _item_text(item, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(_item_text(item, index.column()))
        if role == ITEM_ROLE:
            return item
        if role == Qt.ItemDataRole.FontRole and item.urgent and index.column() == 3:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _section_data(self, section: InboxSection, column: int, role: int) -> Any:
        """A heading row: bold on a quiet band; an empty section's heading is muted."""
        empty = not section.items and not section.more
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{section.title}: none" if empty else section.heading
            if column == len(HEADERS) - 1 and section.more:
                return f"Showing the first {len(section.items):,}; filter the caseload for more"
            return ""
        if role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setBold(not empty)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and empty:
            return QGuiApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.BackgroundRole and not empty:
            return QGuiApplication.palette().color(QPalette.ColorRole.Button)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Items and the headings of sections with items are selectable; an empty one is not."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == _SECTION and not self._sections[index.row()].items:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def first_item(self) -> QModelIndex:
        """The first item of the first section that has any (invalid if the inbox is empty)."""
        for row, section in enumerate(self._sections):
            if section.items:
                return self.index(0, 0, self.index(row, 0))
        return QModelIndex()

    def find(self, participant_id: str, select: str | None, title: str) -> QModelIndex:
        """The item for this participant, record and title (after a reload), or invalid."""
        for row, section in enumerate(self._sections):
            for position, item in enumerate(section.items):
                if (item.participant_id, item.select, item.title) == (
                    participant_id, select, title
                ):
                    return self.index(position, 0, self.index(row, 0))
        return QModelIndex()


def _item_text(item: InboxItem, column: int) -> str:
    if column == 0:
        return item.title
    if column == 1:
        return item.name
    if column == 2:
        return format_nhs_number(item.nhs_number) if item.nhs_number else ""
    if column == 3:
        return short_day(item.when)
    return item.detail
