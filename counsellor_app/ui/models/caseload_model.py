"""The caseload table model: pages of participants fetched from SQL as the view scrolls."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from sqlalchemy.orm import Session, sessionmaker

from counsellor_app.domain.nhs_number import format_nhs_number
from counsellor_app.domain.participant import Programme
from counsellor_app.domain.result import ResultOutcome
from counsellor_app.store.caseload import CaseRow, CaseSort, count_caseload, search_caseload
from counsellor_app.ui.background import Progress
from counsellor_app.ui.models.labels import label, plain_tooltip, short_day
from counsellor_app.ui.models.latest_query import LatestQuery

PARTICIPANT_ID_ROLE = Qt.ItemDataRole.UserRole + 10
PAGE_SIZE = 200

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class CaseloadFilters:
    """What the search box and filters ask for; ``sort`` names a column key of the store."""

    text: str = ""
    programme: str | None = None
    outcome: str | None = None
    has_open_request: bool = False
    needs_reconsent: bool = False
    sort: str = "name"
    descending: bool = False


class CaseloadSource(Protocol):
    """Where the rows come from: counts and pages, filtered and sorted in SQL."""

    def count(self, filters: CaseloadFilters) -> int: ...

    def page(self, filters: CaseloadFilters, offset: int, limit: int) -> Sequence[CaseRow]: ...


class CacheCaseloadSource:
    """The case list of the encrypted cache (``store.caseload``), one short session per query."""

    def __init__(self, sessions: sessionmaker[Session], today: Callable[[], dt.date]) -> None:
        self._sessions = sessions
        self._today = today

    def _where(self, filters: CaseloadFilters) -> dict[str, Any]:
        return {
            "text": filters.text or None,
            "programme": Programme(filters.programme) if filters.programme else None,
            "outcome": ResultOutcome(filters.outcome) if filters.outcome else None,
            "has_open_request": True if filters.has_open_request else None,
            "needs_reconsent": True if filters.needs_reconsent else None,
            "today": self._today(),
        }

    def count(self, filters: CaseloadFilters) -> int:
        with self._sessions() as session:
            return count_caseload(session, **self._where(filters))

    def page(self, filters: CaseloadFilters, offset: int, limit: int) -> Sequence[CaseRow]:
        with self._sessions() as session:
            return search_caseload(
                session,
                **self._where(filters),
                sort=CaseSort(filters.sort),
                descending=filters.descending,
                offset=offset,
                limit=limit,
            )


def consent_flags(row: CaseRow) -> str:
    """The consent flags of a case-list row, most serious first, in a few words."""
    words = list(row.flags)
    if row.withdrawal_level and "withdrawn" in words:
        words[words.index("withdrawn")] = f"withdrawn ({label(row.withdrawal_level).lower()})"
    return ", ".join(words).capitalize()


def latest_result_text(row: CaseRow) -> str:
    if row.latest_result_outcome is None:
        return "No result yet"
    new = " · new" if row.new_result_count else ""
    return f"{label(row.latest_result_outcome)} ({short_day(row.latest_result_date)}){new}"


def open_requests_text(row: CaseRow) -> str:
    if not row.open_request_count:
        return ""
    due = f" · due {short_day(row.next_request_due)}" if row.next_request_due else ""
    return f"{row.open_request_count}{due}"


@dataclass(frozen=True, slots=True)
class _Column:
    header: str
    sort: CaseSort | None  # None: the store cannot sort by it
    text: Callable[[CaseRow], str]


COLUMNS: tuple[_Column, ...] = (
    _Column("Name", CaseSort.NAME, lambda r: f"{r.family_name}, {r.given_name}"),
    _Column("NHS number", CaseSort.NHS_NUMBER, lambda r: format_nhs_number(r.nhs_number)),
    _Column("Date of birth", CaseSort.DATE_OF_BIRTH, lambda r: short_day(r.date_of_birth)),
    _Column("Programme", CaseSort.PROGRAMME, lambda r: label(r.programme)),
    _Column("Latest result", CaseSort.LATEST_RESULT_DATE, latest_result_text),
    _Column("Open requests", CaseSort.NEXT_DUE, open_requests_text),
    _Column("Consent flags", None, consent_flags),
)


def sortable(column: int) -> bool:
    return 0 <= column < len(COLUMNS) and COLUMNS[column].sort is not None


def first_page(
    source: CaseloadSource, filters: CaseloadFilters, size: int
) -> tuple[int, list[CaseRow]]:
    """How many rows match ``filters``, and the first ``size`` of them."""
    return source.count(filters), list(source.page(filters, 0, size))


class CaseloadModel(QAbstractTableModel):
    """Shows ``PAGE_SIZE`` rows at first and fetches more as the view scrolls (``fetchMore``).

    Sorting a column and every filter change run a new SQL query; nothing is sorted or filtered
    in Python, so 85,000 participants cost no more than the rows on screen. With
    ``background=True`` those queries run on a worker thread (typing never waits for SQL):
    ``busy`` is True meanwhile, only the newest query's answer is shown, and ``loaded`` is
    emitted when it is (``failed(message)`` if it could not be read).
    """

    loaded = Signal()
    failed = Signal(str)

    def __init__(
        self,
        source: CaseloadSource,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
        background: bool = False,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._page_size = page_size
        self._filters = CaseloadFilters()
        self._rows: list[CaseRow] = []
        self._total = 0
        self._loaded = False
        self._worker: LatestQuery | None = None
        if background:
            self._worker = LatestQuery(self)
            self._worker.answered.connect(self._show)
            self._worker.failed.connect(self.failed)

    # ----------------------------------------------------------------- queries

    @property
    def filters(self) -> CaseloadFilters:
        return self._filters

    @property
    def busy(self) -> bool:
        """A query is running on the worker (the rows shown are the previous answer)."""
        return self._worker is not None and self._worker.busy

    def total(self) -> int:
        """How many participants match (all pages, not just the fetched ones)."""
        return self._total

    def reload(self) -> None:
        """Runs the current query again from the first page (after a sync or a change)."""
        source, filters, size = self._source, self._filters, self._page_size
        if self._worker is None:
            self._show(first_page(source, filters, size))
            return

        def query(_progress: Progress, _cancel: threading.Event) -> object:
            return first_page(source, filters, size)

        self._worker.ask(query)

    def show_first_page(
        self, filters: CaseloadFilters, answer: tuple[int, list[CaseRow]]
    ) -> None:
        """Shows ``answer`` (from :func:`first_page` for ``filters``, read a moment ago, e.g.
        while the sign-in dialog waited) as the current query's, without asking again."""
        if self.busy:
            return  # a newer question is being answered
        self._filters = filters
        self._show(answer)

    def wait_for_worker(self, msecs: int = 10_000) -> bool:
        """Waits for a running query to end (closing the window)."""
        return self._worker is None or self._worker.wait(msecs)

    def _show(self, answer: object) -> None:
        assert isinstance(answer, tuple)
        self.beginResetModel()
        self._total, self._rows = answer
        self._loaded = True
        self.endResetModel()
        self.loaded.emit()

    def set_filters(
        self,
        *,
        text: str = "",
        programme: str | None = None,
        outcome: str | None = None,
        has_open_request: bool = False,
        needs_reconsent: bool = False,
    ) -> None:
        wanted = replace(
            self._filters,
            text=text.strip(),
            programme=programme,
            outcome=outcome,
            has_open_request=has_open_request,
            needs_reconsent=needs_reconsent,
        )
        if wanted != self._filters or not (self._loaded or self.busy):
            self._filters = wanted
            self.reload()

    def row_record(self, row: int) -> CaseRow:
        return self._rows[row]

    # ----------------------------------------------------------------- Qt model API

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index) -> bool:
        # Not while a new query runs: its answer replaces these rows.
        return not parent.isValid() and not self.busy and len(self._rows) < self._total

    def fetchMore(self, parent: _Index) -> None:
        if parent.isValid():
            return
        start = len(self._rows)
        page = list(self._source.page(self._filters, start, self._page_size))
        if not page:
            self._total = start  # the cache changed under us; stop asking
            return
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()].text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(COLUMNS[index.column()].text(row))
        if role == PARTICIPANT_ID_ROLE:
            return row.participant_id
        if role == Qt.ItemDataRole.AccessibleTextRole and index.column() == 0:
            return f"{row.given_name} {row.family_name}"
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section].header
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting by a column header: a new SQL query with ORDER BY (never sorted here)."""
        sort = COLUMNS[column].sort if 0 <= column < len(COLUMNS) else None
        if sort is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        wanted = replace(self._filters, sort=sort.value, descending=descending)
        if wanted == self._filters and self._loaded:
            return
        self._filters = wanted
        if self._loaded:  # before the first query, only remember the order
            self.reload()
