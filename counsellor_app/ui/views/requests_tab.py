"""The Requests tab: each collaboration request of the case, its details, and responding to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget

from counsellor_app.domain.request import CollaborationRequest
from counsellor_app.ui.models.case_models import requests_model
from counsellor_app.ui.models.labels import day, label
from counsellor_app.ui.views.identity_block import plain_label
from counsellor_app.ui.views.tables import make_table, set_column_widths


def request_details(request: CollaborationRequest, today: dt.date) -> str:
    """Everything about one request in plain text, for the detail pane."""
    r = request
    lines = [
        f"{label(r.kind)} request {r.request_id} — {label(r.status).lower()}",
        f"From {r.requester.name}, {r.requester.institution} ({r.requester.research_domain})",
        f"Received {day(r.received_on)}"
        + (f"; due {day(r.due_on)}" if r.due_on else "")
        + (" — overdue" if r.due_on and r.status.is_open and r.due_on < today else ""),
    ]
    if r.study_title:
        study = f" ({label(r.study_type).lower()})" if r.study_type else ""
        lines.append(f"Study: {r.study_title}{study}")
    lines.append(f"Asked: {r.asked}")
    lines.append(
        "Goes beyond the consent already given: the patient's decision must be recorded."
        if r.beyond_existing_consent
        else "Within the consent already given."
    )
    if r.response:
        lines.append(f"Response: {r.response}")
    return "\n".join(lines)


class RequestsTab(QWidget):
    """Requests of the case; the chosen one is shown in full and can be responded to."""

    respond_requested = Signal(str)  # request_id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = dt.date.today()
        self.model = requests_model(self._today, self)
        self.table = make_table("Collaboration requests", self)
        self.table.setModel(self.model)
        set_column_widths(self.table, (22, 38, 11, 20, 16, 13))
        self.detail = plain_label()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Chosen request")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.respond_button = QPushButton("&Respond…")
        self.respond_button.setAccessibleName("Respond to the chosen request")
        self.respond_button.setEnabled(False)
        self.respond_button.clicked.connect(self._ask_respond)
        lower = QWidget()
        row = QHBoxLayout(lower)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.detail, 1)
        row.addWidget(self.respond_button, 0, Qt.AlignmentFlag.AlignTop)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(splitter)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

    def show_requests(
        self, requests: Sequence[CollaborationRequest], today: dt.date, select: str | None = None
    ) -> None:
        self._today = today
        ordered = sorted(
            requests, key=lambda r: (not r.status.is_open, r.due_on or dt.date.max, r.request_id)
        )
        self.model.set_records(ordered)
        if ordered:
            row = next((i for i, r in enumerate(ordered) if r.request_id == select), 0)
            self.table.selectRow(row)
        else:
            self.detail.setText("No collaboration requests for this case.")
            self._update_button()

    def selected(self) -> CollaborationRequest | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        request = self.selected()
        if request is not None:
            self.detail.setText(request_details(request, self._today))
        self._update_button()

    def _update_button(self) -> None:
        request = self.selected()
        self.respond_button.setEnabled(request is not None and request.status.is_open)

    def _ask_respond(self) -> None:
        request = self.selected()
        if request is not None:
            self.respond_requested.emit(request.request_id)
