"""Resolve a consent conflict the hub flagged (rule 5): say how, and letters are no longer held."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.domain.consent import ConsentScope
from counsellor_app.domain.consent_wording import describe, scope_label
from counsellor_app.domain.errors import DomainError
from counsellor_app.domain.nhs_number import format_nhs_number
from counsellor_app.store.consent_repo import resolve_conflict
from counsellor_app.store.errors import NotFound
from counsellor_app.store.tables import ConsentDecisionRow
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.parts import MessageLine, identity_label, plain_label
from counsellor_app.ui.dialogs.record_store import load_record

log = logging.getLogger(__name__)


class ResolveConflictDialog(QDialog):
    """Shows a decision recorded offline that the hub found overtaken, and the withdrawal now in
    force; the counsellor says how it was resolved (a note is required). Saving marks it
    resolved with an outbox row and an audit row, and emits ``resolved(decision_id)``.

    The decision itself is never changed: if the patient's wish differs from the ledger, record
    a new decision with the consent dialog.
    """

    resolved = Signal(str)

    def __init__(self, context: AppContext, decision_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Resolve a consent conflict")
        self.setMinimumWidth(520)
        self._context = context
        self._decision_id = decision_id
        with context.cache.read() as session:
            row = session.get(ConsentDecisionRow, decision_id)
            if row is None:
                raise NotFound(
                    "That consent decision is no longer in the cache. Sync, then try again."
                )
            participant_id = row.participant_id
        record = load_record(context, participant_id)
        decision = next(d for d in record.decisions if d.decision_id == decision_id)
        today = context.today()
        layout = QVBoxLayout(self)
        participant = record.participant
        self.participant_line = identity_label(
            f"{participant.full_name}   NHS number {format_nhs_number(participant.nhs_number)}"
        )
        layout.addWidget(self.participant_line)
        details = QFormLayout()
        layout.addLayout(details)
        label = scope_label(decision.scope, decision.request_id)
        details.addRow("Decision:", plain_label(f"{label}: {describe(decision)}."))
        details.addRow("The hub said:", plain_label(decision.conflict_reason or "no reason given."))
        programme = record.ledger.scope_state(ConsentScope.PROGRAMME, today)
        details.addRow("Programme now:", plain_label(programme.reason))
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("How the conflict was resolved")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(
            "For example: spoke to the patient on the phone; the withdrawal stands."
        )
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        layout.addWidget(plain_label("How was it resolved?"))
        layout.addWidget(self.note)
        self.problem = MessageLine(self, name="problem")
        layout.addWidget(self.problem)
        if not decision.conflict or decision.conflict_resolved:
            self.problem.show_problem("This decision has no conflict waiting to be resolved.")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Mark resolved")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._open = decision.conflict and not decision.conflict_resolved
        self.note.textChanged.connect(self._refresh)
        self._refresh()

    def _refresh(self) -> None:
        self.save_button.setEnabled(self._open and bool(self.note.toPlainText().strip()))

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        try:
            with self._context.cache.write() as session:
                resolve_conflict(
                    session,
                    self._decision_id,
                    actor=self._context.user_name,
                    note=self.note.toPlainText(),
                    today=self._context.today(),
                    now=self._context.now(),
                )
        except DomainError as exc:
            self.problem.show_problem(str(exc))
            return
        log.info("consent conflict resolved")
        self.resolved.emit(self._decision_id)
        self.accept()
