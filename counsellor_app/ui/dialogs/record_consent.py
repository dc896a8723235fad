"""Record consent dialog: one decision, its consequence in a sentence, saved in one transaction."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    GivenBy,
    Method,
    WithdrawalLevel,
)
from counsellor_app.domain.consent_ledger import ConsentLedger
from counsellor_app.domain.consent_recording import check_new_decision
from counsellor_app.domain.consent_wording import consequence, scope_label
from counsellor_app.domain.errors import DomainError
from counsellor_app.domain.nhs_number import format_nhs_number
from counsellor_app.domain.participant import RepresentativeKind
from counsellor_app.store.case_detail import CaseRecord
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.parts import MessageLine, identity_label
from counsellor_app.ui.dialogs.record_store import load_record, save_decision

log = logging.getLogger(__name__)

SCOPE_ORDER: tuple[ConsentScope, ...] = (
    ConsentScope.PROGRAMME,
    ConsentScope.CONTACT_FOR_RESEARCH,
    ConsentScope.PRIMARY_FINDINGS,
    ConsentScope.ADDITIONAL_FINDINGS,
    ConsentScope.CARRIER_STATUS,
    ConsentScope.SHARE_WITH_RESEARCHER,
    ConsentScope.PUBLICATION,
    ConsentScope.FURTHER_SAMPLE,
    ConsentScope.TRIAL_CONTACT,
)
DECISION_LABELS = {
    Decision.GRANTED: "Granted (yes)",
    Decision.DECLINED: "Declined (no)",
    Decision.WITHDRAWN: "Withdrawn (an earlier yes taken back)",
}
METHOD_LABELS = {
    Method.IN_PERSON: "In person",
    Method.PHONE: "By phone",
    Method.VIDEO: "By video call",
    Method.LETTER: "By letter",
    Method.PAPER_FORM: "On a paper consent form",
}
LEVEL_LABELS = {
    WithdrawalLevel.NO_FURTHER_CONTACT: "No further contact (data may still be used)",
    WithdrawalLevel.NO_FURTHER_USE: "No further use (cannot be undone in the app)",
}
REPRESENTATIVE_GIVER = {
    RepresentativeKind.PARENT_OR_GUARDIAN: GivenBy.PARENT_OR_GUARDIAN,
    RepresentativeKind.LASTING_POWER_OF_ATTORNEY: GivenBy.LASTING_POWER_OF_ATTORNEY,
    RepresentativeKind.CONSULTEE: GivenBy.CONSULTEE,
}
REPRESENTATIVE_WORDS = {
    RepresentativeKind.PARENT_OR_GUARDIAN: "parent or guardian",
    RepresentativeKind.LASTING_POWER_OF_ATTORNEY: "lasting power of attorney",
    RepresentativeKind.CONSULTEE: "consultee",
}


def local_midday_utc(day: dt.date) -> dt.datetime:
    """A past day as a moment: midday local time, so no time zone moves it to another day."""
    return dt.datetime.combine(day, dt.time(12, 0)).astimezone().astimezone(dt.UTC)


class RecordConsentDialog(QDialog):
    """Records one consent decision for ``participant_id``.

    The consequence of the decision, as the consent rules word it, is shown as the form is
    filled; a decision the rules forbid says why and Save stays disabled. Saving writes the
    decision, its outbox row and an audit row in one transaction, then emits
    ``recorded(decision_id)``.
    """

    recorded = Signal(str)

    def __init__(
        self,
        context: AppContext,
        participant_id: str,
        parent: QWidget | None = None,
        *,
        scope: ConsentScope | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record a consent decision")
        self.setMinimumWidth(520)
        self._context = context
        self._facts: CaseRecord = load_record(context, participant_id)
        self._ledger = ConsentLedger.for_participant(self._facts.participant, self._facts.decisions)
        self.pending: ConsentDecision | None = None
        self._build()
        if scope is not None:
            self.scope.setCurrentIndex(self.scope.findData(scope))
        if request_id is not None:
            index = self.request.findData(request_id)
            if index >= 0:
                self.request.setCurrentIndex(index)
        self.refresh()

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        participant = self._facts.participant
        layout = QVBoxLayout(self)
        who = identity_label(
            f"{participant.full_name}   NHS number {format_nhs_number(participant.nhs_number)}"
            f"   born {participant.date_of_birth:%d/%m/%Y}"
        )
        who.setObjectName("participantLine")
        who.setAccessibleName("Participant")
        layout.addWidget(who)
        form = QFormLayout()
        layout.addLayout(form)

        self.scope = QComboBox()
        self.scope.setAccessibleName("Consent scope")
        for scope in SCOPE_ORDER:
            self.scope.addItem(scope_label(scope), scope)
        form.addRow("&What about:", self.scope)

        self.request = QComboBox()
        self.request.setAccessibleName("Request this decision answers")
        self.request_label = QLabel("&Request:")
        self.request_label.setBuddy(self.request)
        form.addRow(self.request_label, self.request)

        self.decision = QComboBox()
        self.decision.setAccessibleName("Decision")
        for decision, label in DECISION_LABELS.items():
            self.decision.addItem(label, decision)
        form.addRow("&Decision:", self.decision)

        self.level = QComboBox()
        self.level.setAccessibleName("How far the withdrawal goes")
        for level, label in LEVEL_LABELS.items():
            self.level.addItem(label, level)
        self.level_label = QLabel("&Withdrawal:")
        self.level_label.setBuddy(self.level)
        form.addRow(self.level_label, self.level)

        self.given_by = QComboBox()
        self.given_by.setAccessibleName("Who gave the decision")
        self.given_by.addItem(f"The participant ({participant.full_name})", None)
        for rep in participant.representatives:
            words = REPRESENTATIVE_WORDS[rep.kind]
            label = f"{rep.name} ({rep.relationship}; {words})"
            self.given_by.addItem(label, rep.representative_id)
        form.addRow("&Given by:", self.given_by)

        self.method = QComboBox()
        self.method.setAccessibleName("How the decision was given")
        for method, label in METHOD_LABELS.items():
            self.method.addItem(label, method)
        form.addRow("&How:", self.method)

        today = self._context.today()
        self.effective = QDateEdit(QDate(today.year, today.month, today.day))
        self.effective.setCalendarPopup(True)
        self.effective.setDisplayFormat("d MMMM yyyy")
        self.effective.setMaximumDate(QDate(today.year, today.month, today.day))
        self.effective.setAccessibleName("Date the decision was given")
        form.addRow("Given &on:", self.effective)

        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        form.addRow("&Note:", self.note)

        self.current_state = MessageLine(self, name="current_state")
        layout.addWidget(self.current_state)
        self.consequence = MessageLine(self, name="consequence")
        layout.addWidget(self.consequence)
        self.problem = MessageLine(self, name="problem")
        layout.addWidget(self.problem)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._fill_requests()
        self.scope.currentIndexChanged.connect(self._fill_requests)
        combos = (self.scope, self.request, self.decision, self.level, self.given_by, self.method)
        for combo in combos:
            combo.currentIndexChanged.connect(self.refresh)
        self.effective.dateChanged.connect(self.refresh)
        self.note.textChanged.connect(self.refresh)

    # --- the decision as entered -----------------------------------------------------------

    def entered_decision(self) -> ConsentDecision:
        """The decision as the form stands (not yet checked against the rules)."""
        scope = self.chosen_scope()
        decision = Decision(self.decision.currentData())
        rep_id = self.given_by.currentData()
        given_by, given_by_name = GivenBy.SELF, None
        if rep_id is not None:
            reps = self._facts.participant.representatives
            rep = next(r for r in reps if r.representative_id == rep_id)
            given_by, given_by_name = REPRESENTATIVE_GIVER[rep.kind], rep.name
        chosen = self.effective.date()
        day = dt.date(chosen.year(), chosen.month(), chosen.day())
        now = self._context.now()
        effective = now if day >= self._context.today() else local_midday_utc(day)
        withdrawn_programme = scope is ConsentScope.PROGRAMME and decision is Decision.WITHDRAWN
        note = self.note.toPlainText().strip() or None
        return ConsentDecision(
            decision_id=self._decision_id(),
            participant_id=self._facts.participant.participant_id,
            scope=scope,
            decision=decision,
            given_by=given_by,
            given_by_name=given_by_name,
            method=Method(self.method.currentData()),
            recorded_by=self._context.user_name,
            recorded_at=now,
            effective_from=effective,
            withdrawal_level=(
                WithdrawalLevel(self.level.currentData()) if withdrawn_programme else None
            ),
            request_id=self.request.currentData() if scope.is_per_request else None,
            note=note,
        )

    def _fill_requests(self) -> None:
        """The participant's requests this scope can answer, newest first (rule 3: a decision
        names its very request)."""
        scope = self.chosen_scope()
        chosen = self.request.currentData()
        self.request.blockSignals(True)
        self.request.clear()
        fitting = [r for r in self._facts.requests if r.kind.consent_scope is scope]
        for request in sorted(fitting, key=lambda r: (r.received_on, r.request_id), reverse=True):
            text = f"{request.request_id}: {request.kind.value.replace('_', ' ')}"
            text += f" from {request.requester.institution}"
            self.request.addItem(text, request.request_id)
        index = self.request.findData(chosen) if chosen is not None else -1
        self.request.setCurrentIndex(max(index, 0) if self.request.count() else -1)
        self.request.blockSignals(False)

    def chosen_scope(self) -> ConsentScope:
        # Qt hands an enum stored as item data back as its plain string value.
        return ConsentScope(self.scope.currentData())

    def _decision_id(self) -> str:
        if self.pending is None:
            return str(uuid.uuid4())
        return self.pending.decision_id

    def refresh(self) -> None:
        """Shows or hides the request and withdrawal fields; says what saving would do."""
        scope = self.chosen_scope()
        decision = Decision(self.decision.currentData())
        per_request = scope.is_per_request
        self.request.setVisible(per_request)
        self.request_label.setVisible(per_request)
        withdrawn_programme = scope is ConsentScope.PROGRAMME and decision is Decision.WITHDRAWN
        self.level.setVisible(withdrawn_programme)
        self.level_label.setVisible(withdrawn_programme)
        self.problem.clear_message()
        self.consequence.clear_message()
        self.current_state.clear_message()
        request_id = self.request.currentData() if per_request else None
        if not per_request or request_id is not None:
            state = self._ledger.scope_state(scope, self._context.today(), request_id)
            self.current_state.show_info(f"Now: {state.reason}")
        if per_request and self.request.count() == 0:
            self.pending = None
            self.problem.show_problem(
                f"{scope_label(scope)}: this participant has no request of that kind to answer, "
                "so there is nothing to record here."
            )
            self.save_button.setEnabled(False)
            return
        candidate = self.entered_decision()
        try:
            check_new_decision(self._ledger, candidate, self._context.today())
        except DomainError as exc:
            self.pending = None
            self.problem.show_problem(str(exc))
            self.save_button.setEnabled(False)
            return
        self.pending = candidate
        if self._ledger.is_recorded(candidate):
            self.consequence.show_info(
                "This decision is already recorded; saving it again changes nothing."
            )
        else:
            self.consequence.show_info(consequence(candidate))
        self.save_button.setEnabled(True)

    # --- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        """Checks once more and saves; a refusal is shown and nothing is written."""
        self.refresh()
        if self.pending is None:
            return
        decision = self.pending
        try:
            saved_id = save_decision(self._context, decision)
        except DomainError as exc:
            self.problem.show_problem(str(exc))
            self.save_button.setEnabled(False)
            return
        log.info("consent decision recorded (%s)", decision.scope.value)
        self.recorded.emit(saved_id)
        self.accept()

    @property
    def facts(self) -> CaseRecord:
        return self._facts

    def participant_line(self) -> str:
        label = self.findChild(QLabel, "participantLine")
        return label.text() if label is not None else ""

