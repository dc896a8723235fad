"""One way to set up a table view: fixed row heights, whole-row selection, plain text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def make_table(accessible_name: str, parent: QWidget | None = None) -> QTableView:
    """A read-only table with fixed row heights (no per-row measuring, cheap at any size)."""
    return setup_table(QTableView(parent), accessible_name)


def setup_table(table: QTableView, accessible_name: str) -> QTableView:
    """Sets up ``table`` (a QTableView or subclass) the way every table of the app looks."""
    table.setAccessibleName(accessible_name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    vertical = table.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 10)
    horizontal = table.horizontalHeader()
    horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    horizontal.setStretchLastSection(True)
    horizontal.setHighlightSections(False)
    return table


def set_column_widths(table: QTableView, characters: tuple[int, ...]) -> None:
    """Column widths in average characters of the current font (follows the system font),
    never narrower than the column's heading with room for the sort arrow."""
    metrics = table.fontMetrics()
    model = table.model()
    for column, count in enumerate(characters):
        heading = model.headerData(column, Qt.Orientation.Horizontal) if model else None
        needed = metrics.horizontalAdvance(str(heading)) + 28 if heading else 0
        table.setColumnWidth(column, max(count * metrics.averageCharWidth() + 16, needed))
