"""Respond to a collaboration request: review, ask the patient, accept or decline with a message."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.domain.consent_ledger import Answer
from counsellor_app.domain.consent_wording import long_date
from counsellor_app.domain.errors import DomainError
from counsellor_app.domain.nhs_number import format_nhs_number
from counsellor_app.domain.request import CollaborationRequest, RequestStatus
from counsellor_app.domain.workflow import advance_request, allowed_request_steps
from counsellor_app.store.case_detail import CaseRecord
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.parts import MessageLine, identity_label, plain_label
from counsellor_app.ui.dialogs.record_consent import RecordConsentDialog
from counsellor_app.ui.dialogs.record_store import (
    load_record,
    participant_of_request,
    save_request_step,
)

log = logging.getLogger(__name__)

STEP_LABELS = {
    RequestStatus.UNDER_REVIEW: "Start the clinical review",
    RequestStatus.AWAITING_PATIENT: "Ask the patient (their consent is needed)",
    RequestStatus.ACCEPTED: "Accept the request",
    RequestStatus.DECLINED: "Decline the request",
    RequestStatus.CLOSED: "Close the request",
}
KIND_WORDS = {
    "researcher_collaboration": "Researcher collaboration",
    "publication": "Publication",
    "expert_opinion": "Expert opinion",
    "clinical_trial": "Clinical trial",
    "patient_registry": "Patient registry",
    "sample_stored_dna": "Stored DNA sample",
    "sample_fresh": "Fresh sample",
}


class RespondToRequestDialog(QDialog):
    """Moves one request on through its workflow, with the response the requester will get.

    Where the request goes beyond the consent already given, "Record the patient's
    decision…" opens the consent dialog for this very request; accepting is possible only once
    the ledger holds a grant for it (rule 3). Emits ``responded(request_id)`` once saved.
    """

    responded = Signal(str)

    def __init__(self, context: AppContext, request_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Respond to a request")
        self.setMinimumWidth(560)
        self._context = context
        self._request_id = request_id
        self.consent_dialog: RecordConsentDialog | None = None
        participant_id = participant_of_request(context, request_id)
        self._facts: CaseRecord = load_record(context, participant_id)
        self._build()
        self.reload()

    @property
    def request(self) -> CollaborationRequest:
        return self._facts.request(self._request_id)

    def _build(self) -> None:
        participant = self._facts.participant
        request = self.request
        layout = QVBoxLayout(self)
        self.participant_line = identity_label(
            f"{participant.full_name}   NHS number {format_nhs_number(participant.nhs_number)}"
        )
        self.participant_line.setAccessibleName("Participant")
        layout.addWidget(self.participant_line)
        details = QFormLayout()
        layout.addLayout(details)
        requester = request.requester
        kind = KIND_WORDS.get(request.kind.value, request.kind.value)
        title = f" ({request.study_title})" if request.study_title else ""
        details.addRow("Request:", plain_label(f"{request.request_id}: {kind}{title}"))
        details.addRow(
            "From:",
            plain_label(
                f"{requester.name}, {requester.institution} ({requester.research_domain})"
            ),
        )
        details.addRow("Asks:", plain_label(request.asked))
        due = f", due {long_date(request.due_on)}" if request.due_on else ""
        details.addRow("Received:", plain_label(f"{long_date(request.received_on)}{due}"))
        beyond = (
            "Yes: the patient must be asked before it can be accepted."
            if request.beyond_existing_consent
            else "No: it is within the consent already given."
        )
        details.addRow("Beyond existing consent:", plain_label(beyond))
        self.status_line = plain_label("")
        details.addRow("Now:", self.status_line)
        self.consent_line = plain_label("")
        self.consent_line.setObjectName("consentLine")
        details.addRow("Consent:", self.consent_line)

        form = QFormLayout()
        layout.addLayout(form)
        self.step = QComboBox()
        self.step.setAccessibleName("What to do with the request")
        form.addRow("&Do:", self.step)
        self.response = QPlainTextEdit()
        self.response.setAccessibleName("Response the requester will receive")
        self.response.setTabChangesFocus(True)
        self.response.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        form.addRow("&Response to the requester:", self.response)

        self.record_consent_button = QPushButton("Record the patient's &decision…")
        self.record_consent_button.setAccessibleName("Record the patient's decision")
        self.record_consent_button.clicked.connect(self.open_consent_dialog)
        layout.addWidget(self.record_consent_button)

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
        self.response.textChanged.connect(self.refresh)

    # --- state ---------------------------------------------------------------------------

    def consent_answer(self) -> Answer:
        request = self.request
        return self._facts.ledger.may_act_on_request(
            request.request_id,
            request.kind.consent_scope,
            self._context.today(),
            research_contact=request.kind.is_research_contact,
        )

    def reload(self) -> None:
        """Reads the request and ledger again (after the patient's decision was recorded)."""
        self._facts = load_record(self._context, self._facts.participant.participant_id)
        request = self.request
        self.status_line.setText(request.status.value.replace("_", " "))
        answer = self.consent_answer()
        self.consent_line.setText(answer.reason)
        chosen = self.step.currentData()
        self.step.blockSignals(True)
        self.step.clear()
        order = list(STEP_LABELS)
        for status in sorted(allowed_request_steps(request), key=order.index):
            self.step.addItem(STEP_LABELS[status], status)
        index = self.step.findData(chosen) if chosen is not None else -1
        self.step.setCurrentIndex(max(index, 0))
        self.step.blockSignals(False)
        needs_consent = request.beyond_existing_consent and request.status in (
            RequestStatus.UNDER_REVIEW,
            RequestStatus.AWAITING_PATIENT,
        )
        self.record_consent_button.setVisible(needs_consent and not answer.allowed)
        self.refresh()

    def chosen_step(self) -> RequestStatus | None:
        data = self.step.currentData()
        return RequestStatus(data) if data is not None else None

    def refresh(self) -> None:
        """Checks the chosen step against the workflow and the consent rules, before saving."""
        self.problem.clear_message()
        step = self.chosen_step()
        if step is None:
            self.problem.show_problem(
                "This request is closed: there is nothing more to do with it here."
            )
            self.save_button.setEnabled(False)
            return
        try:
            advance_request(
                self.request, step, self.response.toPlainText(), consent=self.consent_answer()
            )
        except DomainError as exc:
            self.problem.show_problem(str(exc))
            self.save_button.setEnabled(False)
            return
        self.save_button.setEnabled(True)

    # --- actions ---------------------------------------------------------------------------

    def open_consent_dialog(self) -> None:
        """Opens the consent dialog for this very request (not blocking)."""
        request = self.request
        dialog = RecordConsentDialog(
            self._context,
            request.participant_id,
            self,
            scope=request.kind.consent_scope,
            request_id=request.request_id,
        )
        dialog.recorded.connect(lambda _decision_id: self.reload())
        self.consent_dialog = dialog
        dialog.open()

    def save(self) -> None:
        self.refresh()
        step = self.chosen_step()
        if step is None or not self.save_button.isEnabled():
            return
        try:
            save_request_step(self._context, self._request_id, step, self.response.toPlainText())
        except DomainError as exc:
            self.problem.show_problem(str(exc))
            self.save_button.setEnabled(False)
            return
        log.info("request moved to %s", step.value)
        self.responded.emit(self._request_id)
        self.accept()
