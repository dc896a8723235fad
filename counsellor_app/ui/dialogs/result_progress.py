"""Result progress: mark a result reviewed, or the patient told (by letter, phone or in clinic)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.domain.consent_wording import long_date
from counsellor_app.domain.errors import DomainError
from counsellor_app.domain.nhs_number import format_nhs_number
from counsellor_app.domain.result import CounsellorState, InformedHow, Result
from counsellor_app.domain.workflow import advance_result, allowed_result_steps
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.parts import MessageLine, identity_label, plain_label
from counsellor_app.ui.dialogs.record_store import (
    load_record,
    participant_of_result,
    save_result_step,
)

log = logging.getLogger(__name__)

STATE_LABELS = {
    CounsellorState.NEW: "New: not yet reviewed",
    CounsellorState.REVIEWED: "Reviewed by the clinical team",
    CounsellorState.PATIENT_INFORMED: "The patient has been told",
}
STEP_LABELS = {
    CounsellorState.REVIEWED: "Mark as reviewed",
    CounsellorState.PATIENT_INFORMED: "Mark the patient as told",
}
HOW_LABELS = {
    InformedHow.LETTER: "By letter",
    InformedHow.PHONE: "By phone",
    InformedHow.CLINIC: "In clinic",
}


def describe_result(result: Result) -> str:
    """One line: kind, outcome, report version and date, and whether it was replaced."""
    kind = result.kind.value.replace("_", " ")
    outcome = result.outcome.value.replace("_", " ")
    text = (
        f"{kind.capitalize()}: {outcome}, report version {result.report_version} "
        f"issued {long_date(result.issued_on)}"
    )
    if result.is_superseded:
        text += f". SUPERSEDED by {result.superseded_by}: act on the current report."
    return text


class ResultProgressDialog(QDialog):
    """Records the clinical team's next step on one result (state, outbox row, audit row).

    Emits ``updated(result_id)`` once saved; the sync sends it to the hub.
    """

    updated = Signal(str)

    def __init__(self, context: AppContext, result_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Result progress")
        self.setMinimumWidth(480)
        self._context = context
        self._result_id = result_id
        record = load_record(context, participant_of_result(context, result_id))
        self._participant = record.participant
        self._result = record.result(result_id)
        self._build()
        self.refresh()

    @property
    def result_record(self) -> Result:
        return self._result

    def _build(self) -> None:
        participant = self._participant
        layout = QVBoxLayout(self)
        self.participant_line = identity_label(
            f"{participant.full_name}   NHS number {format_nhs_number(participant.nhs_number)}"
        )
        self.participant_line.setAccessibleName("Participant")
        layout.addWidget(self.participant_line)
        self.result_line = plain_label(describe_result(self._result))
        self.result_line.setAccessibleName("Result")
        layout.addWidget(self.result_line)
        self.state_line = plain_label(f"Now: {STATE_LABELS[self._result.counsellor_state]}")
        layout.addWidget(self.state_line)

        form = QFormLayout()
        layout.addLayout(form)
        self.step = QComboBox()
        self.step.setAccessibleName("Next step for this result")
        for state in (CounsellorState.REVIEWED, CounsellorState.PATIENT_INFORMED):
            if state in allowed_result_steps(self._result):
                self.step.addItem(STEP_LABELS[state], state)
        form.addRow("&Step:", self.step)
        self.how = QComboBox()
        self.how.setAccessibleName("How the patient was told")
        for how, label in HOW_LABELS.items():
            self.how.addItem(label, how)
        self.how_label = QLabel("&How the patient was told:")
        self.how_label.setBuddy(self.how)
        form.addRow(self.how_label, self.how)

        self.problem = MessageLine(self, name="problem")
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.step.currentIndexChanged.connect(self.refresh)
        self.how.currentIndexChanged.connect(self.refresh)

    def chosen_step(self) -> tuple[CounsellorState, InformedHow | None] | None:
        data = self.step.currentData()
        if data is None:
            return None
        state = CounsellorState(data)
        if state is not CounsellorState.PATIENT_INFORMED:
            return state, None
        return state, InformedHow(self.how.currentData())

    def refresh(self) -> None:
        self.problem.clear_message()
        chosen = self.chosen_step()
        telling = chosen is not None and chosen[0] is CounsellorState.PATIENT_INFORMED
        self.how.setVisible(telling)
        self.how_label.setVisible(telling)
        if chosen is None:
            if self._result.is_superseded:
                reason = (
                    "This report has been replaced by a later version: record progress on the "
                    "current report instead."
                )
            else:
                reason = "Nothing more to record: the patient has been told about this result."
            self.problem.show_problem(reason)
            self.save_button.setEnabled(False)
            return
        try:
            advance_result(self._result, *chosen)
        except DomainError as exc:
            self.problem.show_problem(str(exc))
            self.save_button.setEnabled(False)
            return
        self.save_button.setEnabled(True)

    def save(self) -> None:
        self.refresh()
        chosen = self.chosen_step()
        if chosen is None or not self.save_button.isEnabled():
            return
        try:
            self._result = save_result_step(self._context, self._result_id, *chosen)
        except DomainError as exc:
            self.problem.show_problem(str(exc))
            self.save_button.setEnabled(False)
            return
        log.info("result marked %s", chosen[0].value)
        self.updated.emit(self._result_id)
        self.accept()
