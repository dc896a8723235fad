"""Generate one letter from a case record: kind, subject, format, recipient; refusals explained."""

from __future__ import annotations

import logging
from pathlib import Path

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

from counsellor_app.domain.consent_wording import describe, long_date, scope_label
from counsellor_app.domain.errors import DomainError
from counsellor_app.domain.letter import LetterKind, Recipient
from counsellor_app.domain.nhs_number import format_nhs_number
from counsellor_app.domain.participant import LetterFormat
from counsellor_app.letters.case_record import CaseRecord
from counsellor_app.letters.generator import LetterGenerator
from counsellor_app.letters.rules import default_recipient
from counsellor_app.letters.spec import REQUEST_KINDS, REQUESTS_FOR_KIND, RESULT_KINDS, LetterSpec
from counsellor_app.store.case_detail import load_case
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.parts import MessageLine, identity_label
from counsellor_app.ui.letters.letter_store import (
    export_stored_letter,
    keep_letter,
    load_case_record,
    make_generator,
    mark_printed,
)
from counsellor_app.ui.letters.preview import LetterPreviewDialog
from counsellor_app.ui.letters.wording import app_sentence

log = logging.getLogger(__name__)

KIND_LABELS = {
    LetterKind.RESULT: "Result letter",
    LetterKind.ADDITIONAL_FINDINGS: "Additional findings letter",
    LetterKind.COLLABORATION: "Collaboration or consent invitation",
    LetterKind.TRIAL: "Clinical trial or registry information",
    LetterKind.SAMPLE: "Sample request",
    LetterKind.CONSENT_CONFIRMATION: "Consent decision confirmation",
}
FORMAT_LABELS = {
    LetterFormat.STANDARD: "Standard",
    LetterFormat.LARGE_PRINT: "Large print",
    LetterFormat.EASY_READ: "Easy read",
}
RECIPIENT_LABELS = {
    Recipient.PARTICIPANT: "The participant",
    Recipient.REPRESENTATIVE: "Their representative",
    Recipient.GP: "Copy for the GP (with a cover note)",
}


def _words(value: str) -> str:
    return value.replace("_", " ")


class GenerateLetterDialog(QDialog):
    """Makes one letter for one participant's case, shows it, and keeps it in the cache.

    The letters core decides: a letter the rules refuse (withdrawn or deceased participant,
    additional findings without consent, a superseded report, consent the ledger lacks, an
    identity mismatch) shows the core's sentence and cannot be generated. A generated letter is
    kept as a draft, previewed, and becomes final when printed or exported. Emits
    ``generated(letter_id)``.
    """

    generated = Signal(str)

    def __init__(
        self,
        context: AppContext,
        participant_id: str,
        parent: QWidget | None = None,
        *,
        case_id: str | None = None,
        generator: LetterGenerator | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Write a letter")
        self.setMinimumWidth(560)
        self._context = context
        self._participant_id = participant_id
        self._generator = generator or make_generator(context)
        self.preview_dialog: LetterPreviewDialog | None = None
        self.letter_id: str | None = None
        with context.cache.read() as session:
            full = load_case(session, participant_id, audit_limit=0)
        self._cases = full.cases
        self._participant = full.participant
        self._record: CaseRecord | None = None
        self._confirmed: frozenset[str] = frozenset()
        self._build(case_id)
        self._load_case()

    # --- building --------------------------------------------------------------------------

    def _build(self, case_id: str | None) -> None:
        participant = self._participant
        layout = QVBoxLayout(self)
        self.participant_line = identity_label(
            f"{participant.full_name}   NHS number {format_nhs_number(participant.nhs_number)}"
            f"   born {participant.date_of_birth:%d/%m/%Y}"
        )
        self.participant_line.setAccessibleName("Participant")
        layout.addWidget(self.participant_line)
        form = QFormLayout()
        layout.addLayout(form)

        self.case = QComboBox()
        self.case.setAccessibleName("Case")
        for case in self._cases:
            self.case.addItem(f"{case.case_id}: {case.reason}", case.case_id)
        if case_id is not None and self.case.findData(case_id) >= 0:
            self.case.setCurrentIndex(self.case.findData(case_id))
        form.addRow("&Case:", self.case)

        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of letter")
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
        form.addRow("&Letter:", self.kind)

        self.subject = QComboBox()
        self.subject.setAccessibleName("What the letter is about")
        self.subject_label = QLabel("&About:")
        self.subject_label.setBuddy(self.subject)
        form.addRow(self.subject_label, self.subject)

        self.recipient = QComboBox()
        self.recipient.setAccessibleName("Who the letter is to")
        form.addRow("&To:", self.recipient)

        self.representative = QComboBox()
        self.representative.setAccessibleName("Which representative")
        for rep in participant.representatives:
            self.representative.addItem(f"{rep.name} ({rep.relationship})", rep.representative_id)
        self.representative_label = QLabel("&Representative:")
        self.representative_label.setBuddy(self.representative)
        form.addRow(self.representative_label, self.representative)

        self.format = QComboBox()
        self.format.setAccessibleName("Letter format")
        preferred = participant.communication.preferred_format
        for fmt, label in FORMAT_LABELS.items():
            suffix = " (from their communication needs)" if fmt is preferred else ""
            self.format.addItem(label + suffix, fmt)
        self.format.setCurrentIndex(self.format.findData(preferred))
        form.addRow("&Format:", self.format)

        self.problem = MessageLine(self, name="refusal")
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.generate_button = self.buttons.addButton(
            "&Generate and preview", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.generate_button.setAccessibleName("Generate and preview the letter")
        self.buttons.accepted.connect(self.generate)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.case.currentIndexChanged.connect(self._load_case)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for combo in (self.subject, self.recipient, self.format, self.representative):
            combo.currentIndexChanged.connect(self.refresh)

    def _load_case(self) -> None:
        case_id = self.case.currentData()
        if case_id is None:
            self._record = None
            self.refresh()
            return
        self._record, confirmed = load_case_record(self._context, case_id)
        self._confirmed = frozenset(confirmed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.chosen_kind()
        record = self._record
        self.subject.blockSignals(True)
        self.subject.clear()
        if record is not None:
            if kind in RESULT_KINDS:
                for result in sorted(record.results, key=lambda r: r.report_version, reverse=True):
                    text = (
                        f"{result.result_id}: {_words(result.kind.value)}, "
                        f"{_words(result.outcome.value)} (version {result.report_version}, "
                        f"{long_date(result.issued_on)})"
                    )
                    if result.is_superseded:
                        text += " SUPERSEDED"
                    self.subject.addItem(text, result.result_id)
            elif kind in REQUEST_KINDS:
                allowed = REQUESTS_FOR_KIND[kind]
                for request in record.requests:
                    if request.kind in allowed:
                        text = (
                            f"{request.request_id}: {_words(request.kind.value)} from "
                            f"{request.requester.institution}"
                        )
                        self.subject.addItem(text, request.request_id)
            else:
                for decision in reversed(record.decisions):
                    label = scope_label(decision.scope, decision.request_id)
                    self.subject.addItem(f"{label}: {describe(decision)}", decision.decision_id)
        self.subject.blockSignals(False)
        self.recipient.blockSignals(True)
        self.recipient.clear()
        for recipient, label in RECIPIENT_LABELS.items():
            self.recipient.addItem(label, recipient)
        if record is not None:
            default = default_recipient(record, self._context.today())
            self.recipient.setCurrentIndex(max(0, self.recipient.findData(default)))
        self.recipient.blockSignals(False)
        self.refresh()

    # --- the letter as chosen ----------------------------------------------------------------

    def chosen_kind(self) -> LetterKind:
        return LetterKind(self.kind.currentData())

    def spec(self) -> LetterSpec:
        kind = self.chosen_kind()
        subject = self.subject.currentData()
        recipient = Recipient(self.recipient.currentData())
        several = self.representative.count() > 1
        return LetterSpec(
            kind=kind,
            recipient=recipient,
            representative_id=(
                self.representative.currentData()
                if several and recipient is Recipient.REPRESENTATIVE
                else None
            ),
            letter_format=LetterFormat(self.format.currentData()),
            result_id=subject if kind in RESULT_KINDS else None,
            request_id=subject if kind in REQUEST_KINDS else None,
            decision_id=subject if kind is LetterKind.CONSENT_CONFIRMATION else None,
        )

    def refresh(self) -> None:
        """Asks the letters core whether this letter may be written; shows its refusal if not."""
        self.problem.clear_message()
        choose_representative = (
            self.representative.count() > 1
            and self.recipient.currentData() == Recipient.REPRESENTATIVE
        )
        self.representative.setVisible(choose_representative)
        self.representative_label.setVisible(choose_representative)
        if self._record is None:
            self.problem.show_problem("This participant has no case to write about.")
            self.generate_button.setEnabled(False)
            return
        try:
            self._generator.prepare(
                self._record, self.spec(), confirmed_decisions=self._confirmed,
                on=self._context.today(),
            )
        except DomainError as refusal:
            self.problem.show_problem(app_sentence(str(refusal)))
            self.generate_button.setEnabled(False)
            return
        self.generate_button.setEnabled(True)

    # --- generating ------------------------------------------------------------------------

    def generate(self) -> None:
        """Renders the letter, keeps it as a draft in the cache and opens the preview."""
        self.refresh()
        if self._record is None or not self.generate_button.isEnabled():
            return
        try:
            letter = self._generator.generate(
                self._record, self.spec(), generated_by=self._context.user_name,
                confirmed_decisions=self._confirmed,
            )
            kept = keep_letter(self._context, letter)
        except DomainError as refusal:
            self.problem.show_problem(app_sentence(str(refusal)))
            self.generate_button.setEnabled(False)
            return
        self.letter_id = kept.letter_id
        log.info("letter generated (%s, %s)", kept.kind.value, kept.format.value)
        self.generated.emit(kept.letter_id)
        letter_id = kept.letter_id
        heading = (
            f"{KIND_LABELS[kept.kind]} to {RECIPIENT_LABELS[kept.recipient].lower()}, "
            f"{FORMAT_LABELS[kept.format].lower()}: draft until printed or exported"
        )
        preview = LetterPreviewDialog(
            letter.pdf,
            heading=heading,
            export_name=f"letter-{letter_id[:8]}.pdf",
            parent=self.parentWidget(),
            exporter=lambda path: export_stored_letter(self._context, letter_id, Path(path)),
        )
        preview.printed.connect(lambda pages: mark_printed(self._context, letter_id, pages))
        self.preview_dialog = preview
        self.accept()
        preview.open()
