"""The Caseload page: search box, filters and the team's participants, queried in SQL."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.domain.participant import Programme
from counsellor_app.domain.result import ResultOutcome
from counsellor_app.ui.models.caseload_model import (
    PARTICIPANT_ID_ROLE,
    CaseloadFilters,
    CaseloadModel,
    sortable,
)
from counsellor_app.ui.models.labels import label
from counsellor_app.ui.views.identity_block import plain_label
from counsellor_app.ui.views.tables import set_column_widths, setup_table

SEARCH_DEBOUNCE_MS = 60  # long enough to skip the rows of a fast typist, short enough to feel live


class CaseTable(QTableView):
    """The caseload table; Enter or Return opens the current row's case."""

    open_requested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class CaseloadView(QWidget):
    """Search and filter the caseload; Enter (or double-click) opens a case."""

    open_case = Signal(str)  # participant_id

    def __init__(self, model: CaseloadModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name, NHS number or participant id  (Ctrl+F)")
        self.search.setAccessibleName("Search the caseload")
        self.search.setClearButtonEnabled(True)
        self.programme = QComboBox()
        self.programme.setAccessibleName("Programme filter")
        self.programme.addItem("All programmes", None)
        for programme in Programme:
            self.programme.addItem(label(programme), programme.value)
        self.outcome = QComboBox()
        self.outcome.setAccessibleName("Latest result filter")
        self.outcome.addItem("Any latest result", None)
        for outcome in ResultOutcome:
            self.outcome.addItem(label(outcome), outcome.value)
        self.open_request = QCheckBox("Has open &request")
        self.open_request.setAccessibleName("Only participants with an open request")
        self.reconsent = QCheckBox("Needs re-&consent")
        self.reconsent.setAccessibleName("Only participants who need re-consent")
        self.count = plain_label()
        self.count.setAccessibleName("Number of participants shown")
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.programme)
        filters.addWidget(self.outcome)
        filters.addWidget(self.open_request)
        filters.addWidget(self.reconsent)
        filters.addWidget(self.count)
        self.table = CaseTable(self)
        setup_table(self.table, "Caseload")
        self.table.setModel(model)
        header = self.table.horizontalHeader()
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # before sorting is enabled
        self.table.setSortingEnabled(True)
        self._sorted_by = (0, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._on_sort_indicator)
        set_column_widths(self.table, (28, 13, 12, 12, 44, 18))
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._open_first_row)
        self.programme.currentIndexChanged.connect(self.apply_filters)
        self.outcome.currentIndexChanged.connect(self.apply_filters)
        self.open_request.toggled.connect(self.apply_filters)
        self.reconsent.toggled.connect(self.apply_filters)
        self.table.doubleClicked.connect(self._open_index)
        self.table.open_requested.connect(self._open_index)
        model.modelReset.connect(self._after_reset)
        model.loaded.connect(self._after_load)
        model.failed.connect(self._show_problem)
        self._open_when_loaded = False
        self._show_count()

    def apply_filters(self) -> None:
        """Query again now (the search box calls this after a short pause in typing)."""
        self._debounce.stop()
        self.model.set_filters(
            text=self.search.text(),
            programme=self.programme.currentData(),
            outcome=self.outcome.currentData(),
            has_open_request=self.open_request.isChecked(),
            needs_reconsent=self.reconsent.isChecked(),
        )

    def filters_wanted(self) -> CaseloadFilters:
        """What :meth:`apply_filters` would ask the model for now."""
        return replace(
            self.model.filters,
            text=self.search.text().strip(),
            programme=self.programme.currentData(),
            outcome=self.outcome.currentData(),
            has_open_request=self.open_request.isChecked(),
            needs_reconsent=self.reconsent.isChecked(),
        )

    def _on_sort_indicator(self, column: int, order: Qt.SortOrder) -> None:
        """Columns the store cannot sort by keep the previous sort (and its indicator)."""
        if sortable(column):
            self._sorted_by = (column, order)
            return
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(*self._sorted_by)
        header.blockSignals(False)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _show_count(self) -> None:
        total = self.model.total()
        self.count.setText(f"{total:,} participant{'s' if total != 1 else ''}")

    def _after_reset(self) -> None:
        self._show_count()
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _after_load(self) -> None:
        if self._open_when_loaded:
            self._open_when_loaded = False
            self._open_first_row()

    def _show_problem(self, message: str) -> None:
        self._open_when_loaded = False
        self.count.setText("The caseload could not be read")
        self.count.setToolTip(message)

    def _open_first_row(self) -> None:
        """Enter in the search box: open the first match (once the newest query is back)."""
        self.apply_filters()
        if self.model.busy:
            self._open_when_loaded = True
        elif self.model.rowCount():
            self._open_index(self.model.index(0, 0))

    def _open_index(self, index: QModelIndex) -> None:
        participant_id = self.model.data(index, PARTICIPANT_ID_ROLE)
        if participant_id:
            self.open_case.emit(participant_id)

