"""The Results tab: every report version (superseded ones marked), its variants and review trail."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget

from counsellor_app.domain.result import Result, ResultKind, ReviewStage
from counsellor_app.ui.models.case_models import results_model, variants_model
from counsellor_app.ui.models.labels import label
from counsellor_app.ui.views.identity_block import plain_label
from counsellor_app.ui.views.tables import make_table, set_column_widths

# The researcher-identified review trail (DESIGN §3): how far along each stage is, and the
# path through the stages before it (returned_to_glh precedes the GLH's assessment).
_POSITION = {
    ReviewStage.SUBMITTED: 0,
    ReviewStage.CLINICAL_REVIEW: 1,
    ReviewStage.RETURNED_TO_GLH: 2,
    ReviewStage.NOT_RETURNED: 2,
    ReviewStage.GLH_ASSESSMENT: 3,
    ReviewStage.REPORT_REISSUED: 4,
    ReviewStage.NOT_CONFIRMED: 4,
}
_PATH = (
    ReviewStage.SUBMITTED,
    ReviewStage.CLINICAL_REVIEW,
    ReviewStage.RETURNED_TO_GLH,
    ReviewStage.GLH_ASSESSMENT,
)


def trail_text(stage: ReviewStage) -> str:
    """"Submitted ✓ → Clinical review ✓ → Returned to GLH (now)"."""
    done = [f"{label(step)} ✓" for step in _PATH[: _POSITION[stage]]]
    return " → ".join([*done, f"{label(stage)} (now)"])


class ResultsTab(QWidget):
    """Results of the case; choosing one shows its variants and, for researcher-identified
    variants, where the review trail has reached."""

    progress_requested = Signal(str)  # result_id: mark reviewed / patient informed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.model = results_model(self)
        self.table = make_table("Results", self)
        self.table.setModel(self.model)
        set_column_widths(self.table, (9, 12, 20, 24, 11, 24, 18))
        self.variants = variants_model(self)
        self.variant_table = make_table("Variants of the chosen result", self)
        self.variant_table.setModel(self.variants)
        set_column_widths(self.variant_table, (9, 14, 22, 18, 14, 22, 30, 8))
        self.detail = plain_label()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Chosen result")
        self.progress_button = QPushButton("Record &progress…")
        self.progress_button.setAccessibleName("Mark the chosen result reviewed or informed")
        self.progress_button.setEnabled(False)
        self.progress_button.clicked.connect(self._ask_progress)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.detail, 1)
        row.addWidget(self.progress_button, 0, Qt.AlignmentFlag.AlignTop)
        lower_layout.addLayout(row)
        lower_layout.addWidget(self.variant_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

    def show_results(self, results: Sequence[Result], select: str | None = None) -> None:
        ordered = sorted(results, key=lambda r: (r.issued_on, r.report_version), reverse=True)
        self.model.set_records(ordered)
        row = next((i for i, r in enumerate(ordered) if r.result_id == select), 0)
        if ordered:
            self.table.selectRow(row)
        else:
            self._show(None)

    def selected(self) -> Result | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show(self.selected())

    def _show(self, result: Result | None) -> None:
        if result is None:
            self.detail.setText("No results yet for this case.")
            self.variants.set_records(())
            self._update_button()
            return
        status = (
            "superseded by a later report: do not act on this one"
            if result.is_superseded
            else "the current report"
        )
        lines = [
            f"Report v{result.report_version} ({label(result.kind)}, "
            f"{label(result.outcome).lower()}) is {status}.",
            result.summary,
        ]
        if result.kind is ResultKind.RESEARCHER_IDENTIFIED and result.review_stage is not None:
            lines.append(f"Review trail: {trail_text(result.review_stage)}")
        if not result.variants:
            lines.append("No variants reported.")
        self.detail.setText("\n".join(lines))
        self.variants.set_records(result.variants)
        self._update_button()

    def _update_button(self) -> None:
        result = self.selected()
        self.progress_button.setEnabled(result is not None and not result.is_superseded)

    def _ask_progress(self) -> None:
        result = self.selected()
        if result is not None:
            self.progress_requested.emit(result.result_id)
