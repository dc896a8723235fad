"""The Consent tab: where every scope stands and why, and the ledger as a timeline."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget

from counsellor_app.domain.consent_ledger import ConsentLedger
from counsellor_app.ui.models.case_models import consent_states_model, consent_timeline_model
from counsellor_app.ui.views.identity_block import plain_label
from counsellor_app.ui.views.tables import make_table, set_column_widths


class ConsentTab(QWidget):
    """Current state of every scope with its plain-English reason, then every decision."""

    record_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.states = consent_states_model(self)
        self.state_table = make_table("Current consent, scope by scope", self)
        self.state_table.setModel(self.states)
        set_column_widths(self.state_table, (34, 20))
        self._ledger: ConsentLedger | None = None
        self.timeline = consent_timeline_model(self._is_superseded, self)
        self.timeline_table = make_table("Consent decisions, oldest first", self)
        self.timeline_table.setModel(self.timeline)
        set_column_widths(self.timeline_table, (11, 30, 26, 36, 10, 16, 18, 24))
        self.summary = plain_label()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Consent summary")
        self.record_button = QPushButton("Record &consent decision…")
        self.record_button.setAccessibleName("Record a consent decision for this participant")
        self.record_button.setEnabled(False)
        self.record_button.clicked.connect(self.record_requested)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignTop)
        states_box = QWidget()
        states_layout = QVBoxLayout(states_box)
        states_layout.setContentsMargins(0, 0, 0, 0)
        states_layout.addWidget(plain_label("Where each scope stands today", name="sectionTitle"))
        states_layout.addWidget(self.state_table)
        timeline_box = QWidget()
        timeline_layout = QVBoxLayout(timeline_box)
        timeline_layout.setContentsMargins(0, 0, 0, 0)
        timeline_layout.addWidget(plain_label("Timeline of decisions", name="sectionTitle"))
        timeline_layout.addWidget(self.timeline_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(states_box)
        splitter.addWidget(timeline_box)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def _is_superseded(self, decision_id: str) -> bool:
        return self._ledger is not None and self._ledger.is_superseded(decision_id)

    def show_ledger(self, ledger: ConsentLedger, today: dt.date) -> None:
        self._ledger = ledger
        self.record_button.setEnabled(True)
        self.states.set_records(ledger.scope_states(today))
        self.timeline.set_records(ledger.timeline())
        self.summary.setText(consent_summary(ledger, today))


def consent_summary(ledger: ConsentLedger, today: dt.date) -> str:
    """What the team may not do today and why (the refusals only), or that nothing bars them."""
    lines = []
    conflicts = ledger.conflicts()
    if conflicts:
        lines.append(
            f"{len(conflicts)} decision(s) conflict with a withdrawal recorded elsewhere: "
            "letters are blocked until a person resolves it."
        )
    for answer in (
        ledger.may_contact_for_results(today),
        ledger.may_contact_for_research(today),
        ledger.may_share_additional_findings(today),
    ):
        if not answer:
            lines.append(answer.reason)
    return "\n".join(lines) or "No withdrawal, decline or conflict is in force."
