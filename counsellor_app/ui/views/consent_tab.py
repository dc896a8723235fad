"""The Consent tab: where every scope stands and why, and the ledger as a timeline."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget

from counsellor_app.domain.consent import ConsentDecision
from counsellor_app.domain.consent_ledger import ConsentLedger
from counsellor_app.ui.models.case_models import consent_states_model, consent_timeline_model
from counsellor_app.ui.models.record_table import RECORD_ROLE
from counsellor_app.ui.views.identity_block import plain_label
from counsellor_app.ui.views.tables import make_table, set_column_widths


class ConsentTab(QWidget):
    """Current state of every scope with its plain-English reason, then every decision.

    While a decision conflicts with a withdrawal recorded elsewhere (rule 5), "Resolve
    conflict…" asks for ``ResolveConflictDialog`` on the chosen conflicting decision (or the
    first one): letters stay held until a person has done it.
    """

    record_requested = Signal()
    resolve_requested = Signal(str)  # decision_id

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
        self.resolve_button = QPushButton("Re&solve conflict…")
        self.resolve_button.setAccessibleName("Resolve the consent conflict holding letters back")
        self.resolve_button.hide()
        self.resolve_button.clicked.connect(self._ask_resolve)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.resolve_button, 0, Qt.AlignmentFlag.AlignTop)
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

    def show_ledger(
        self, ledger: ConsentLedger, today: dt.date, select: str | None = None
    ) -> None:
        """Shows the ledger; ``select`` (a decision id) is chosen in the timeline."""
        self._ledger = ledger
        self.record_button.setEnabled(True)
        self.states.set_records(ledger.scope_states(today))
        timeline = ledger.timeline()
        self.timeline.set_records(timeline)
        self.summary.setText(consent_summary(ledger, today))
        self.resolve_button.setVisible(bool(ledger.conflicts()))
        row = next((i for i, d in enumerate(timeline) if d.decision_id == select), None)
        if row is not None:
            self.timeline_table.selectRow(row)
            self.timeline_table.scrollTo(self.timeline.index(row, 0))

    def conflict_to_resolve(self) -> str | None:
        """The chosen decision if it is an unresolved conflict, else the first conflict."""
        conflicts = self._ledger.conflicts() if self._ledger is not None else ()
        if not conflicts:
            return None
        chosen = self.timeline_table.currentIndex()
        decision = chosen.data(RECORD_ROLE) if chosen.isValid() else None
        ids = [d.decision_id for d in conflicts]
        if isinstance(decision, ConsentDecision) and decision.decision_id in ids:
            return decision.decision_id
        return ids[0]

    def _ask_resolve(self) -> None:
        decision_id = self.conflict_to_resolve()
        if decision_id is not None:
            self.resolve_requested.emit(decision_id)


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
