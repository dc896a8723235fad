"""Batch letters: one letter per selected case on a worker, with progress, cancel and refusals."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from counsellor_app.domain.letter import LetterKind, Recipient
from counsellor_app.domain.participant import LetterFormat
from counsellor_app.domain.result import CounsellorState, ResultOutcome
from counsellor_app.letters.batch import BatchItem, BatchReport, generate_batch
from counsellor_app.letters.generator import LetterGenerator
from counsellor_app.letters.render_pool import renderer_for
from counsellor_app.letters.spec import RESULT_KINDS, LetterSpec
from counsellor_app.store.tables import CaseEntityRow, ParticipantRow, ResultRow
from counsellor_app.ui.background import BackgroundJob, Progress
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.parts import MessageLine, plain_label
from counsellor_app.ui.letters.generate_dialog import FORMAT_LABELS, KIND_LABELS, RECIPIENT_LABELS
from counsellor_app.ui.letters.letter_store import CacheBatchStorage, make_generator
from counsellor_app.ui.letters.wording import app_sentence

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BatchTarget:
    """One case to write to; ``label`` (the participant's name) appears only in the app."""

    case_id: str
    participant_id: str
    label: str
    result_id: str | None = None


def targets_for_participants(
    context: AppContext, participant_ids: Sequence[str]
) -> list[BatchTarget]:
    """Every case of the given participants, in the order given."""
    wanted = list(dict.fromkeys(participant_ids))
    with context.cache.read() as session:
        rows = session.execute(
            select(
                CaseEntityRow.case_id,
                CaseEntityRow.participant_id,
                ParticipantRow.given_name,
                ParticipantRow.family_name,
            )
            .join(ParticipantRow, ParticipantRow.participant_id == CaseEntityRow.participant_id)
            .where(CaseEntityRow.participant_id.in_(wanted))
            .order_by(CaseEntityRow.case_id)
        ).all()
    order = {pid: index for index, pid in enumerate(wanted)}
    targets = [
        BatchTarget(r.case_id, r.participant_id, f"{r.given_name} {r.family_name}") for r in rows
    ]
    return sorted(targets, key=lambda t: (order[t.participant_id], t.case_id))


def uncommunicated_results(
    context: AppContext, outcome: ResultOutcome | None = ResultOutcome.NO_CAUSATIVE_VARIANT
) -> list[BatchTarget]:
    """Current results (not superseded) whose patient has not been told yet, e.g. every
    "no causative variant" result not yet communicated; oldest first."""
    query = (
        select(
            ResultRow.result_id,
            ResultRow.case_id,
            ResultRow.participant_id,
            ParticipantRow.given_name,
            ParticipantRow.family_name,
        )
        .join(ParticipantRow, ParticipantRow.participant_id == ResultRow.participant_id)
        .where(
            ResultRow.counsellor_state != CounsellorState.PATIENT_INFORMED.value,
            ResultRow.superseded_by.is_(None),
        )
        .order_by(ResultRow.issued_on, ResultRow.result_id)
    )
    if outcome is not None:
        query = query.where(ResultRow.outcome == outcome.value)
    with context.cache.read() as session:
        rows = session.execute(query).all()
    return [
        BatchTarget(r.case_id, r.participant_id, f"{r.given_name} {r.family_name}", r.result_id)
        for r in rows
    ]


class BatchLettersDialog(QDialog):
    """Generates one letter per target on a worker thread, with a progress bar and Cancel.

    Each letter is checked by the letters core exactly as a single letter is; a refusal is
    listed at the end with its reason and the batch goes on. A large batch draws its PDFs in
    worker processes and stores a group of letters per transaction. Letters are kept as drafts
    in the cache (nothing is written to disk). Emits ``batch_finished(report: BatchReport)``.
    """

    batch_finished = Signal(object)

    def __init__(
        self,
        context: AppContext,
        participant_ids: Sequence[str] | None = None,
        parent: QWidget | None = None,
        *,
        targets: Sequence[BatchTarget] | None = None,
        kind: LetterKind = LetterKind.RESULT,
        generator: LetterGenerator | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Write letters for several cases")
        self.setMinimumWidth(600)
        self._context = context
        if targets is None:
            targets = targets_for_participants(context, participant_ids or ())
        self.targets = list(targets)
        self._labels = {t.case_id: t.label for t in self.targets}
        self._generator = generator or make_generator(context)
        self._job: BackgroundJob | None = None
        self.report: BatchReport | None = None
        self._build(kind)

    @classmethod
    def for_uncommunicated_results(
        cls,
        context: AppContext,
        parent: QWidget | None = None,
        outcome: ResultOutcome | None = ResultOutcome.NO_CAUSATIVE_VARIANT,
    ) -> BatchLettersDialog:
        """Result letters for every current result of ``outcome`` whose patient was not told."""
        return cls(context, parent=parent, targets=uncommunicated_results(context, outcome))

    def _build(self, kind: LetterKind) -> None:
        layout = QVBoxLayout(self)
        self.selection = plain_label(f"{len(self.targets)} case(s) selected.")
        layout.addWidget(self.selection)
        form = QFormLayout()
        layout.addLayout(form)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of letter")
        for letter_kind, label in KIND_LABELS.items():
            self.kind.addItem(label, letter_kind)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        form.addRow("&Letter:", self.kind)
        self.format = QComboBox()
        self.format.setAccessibleName("Letter format")
        self.format.addItem("From each participant's communication needs", None)
        for fmt, label in FORMAT_LABELS.items():
            self.format.addItem(label, fmt)
        form.addRow("&Format:", self.format)
        self.recipient = QComboBox()
        self.recipient.setAccessibleName("Who the letters are to")
        self.recipient.addItem("The usual person for each (a child's parent, an attorney…)", None)
        for recipient, label in RECIPIENT_LABELS.items():
            self.recipient.addItem(label, recipient)
        form.addRow("&To:", self.recipient)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Letters done")
        self.progress.setRange(0, max(1, len(self.targets)))
        self.progress.setValue(0)
        layout.addWidget(self.progress)
        self.summary = MessageLine(self, name="summary")
        layout.addWidget(self.summary)
        self.refusals = QListWidget()
        self.refusals.setAccessibleName("Letters refused, with the reasons")
        self.refusals.setWordWrap(True)
        self.refusals.hide()
        layout.addWidget(self.refusals, 1)

        self.buttons = QDialogButtonBox()
        self.start_button = QPushButton("&Generate letters")
        self.start_button.setAccessibleName("Generate the letters")
        self.start_button.setEnabled(bool(self.targets))
        self.cancel_button = QPushButton("Cancel")
        self.buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel_or_close)
        layout.addWidget(self.buttons)

    # --- running ---------------------------------------------------------------------------

    @property
    def is_running(self) -> bool:
        return self._job is not None and self._job.running

    def items(self) -> list[BatchItem]:
        kind = LetterKind(self.kind.currentData())
        fmt = self.format.currentData()
        recipient = self.recipient.currentData()
        items = []
        for target in self.targets:
            spec = LetterSpec(
                kind=kind,
                recipient=Recipient(recipient) if recipient is not None else None,
                letter_format=LetterFormat(fmt) if fmt is not None else None,
                result_id=target.result_id if kind in RESULT_KINDS else None,
            )
            items.append(BatchItem(target.case_id, spec))
        return items

    def start(self) -> None:
        """Starts the batch on a worker thread; the dialog stays responsive and can cancel."""
        if self.is_running or not self.targets:
            return
        items = self.items()
        context = self._context
        generator = self._generator

        def job(progress: Progress, cancel: threading.Event) -> BatchReport:
            return generate_batch(
                items,
                generator,
                storage=CacheBatchStorage(context),
                renderer=renderer_for(len(items)),
                generated_by=context.user_name,
                progress=lambda done, total: progress("letters", done, total),
                cancelled=cancel.is_set,
            )

        self._job = BackgroundJob(job)
        self._job.signals.progress.connect(self._progressed)
        self._job.signals.succeeded.connect(self._finished)
        self._job.signals.failed.connect(self._failed)
        for widget in (self.kind, self.format, self.recipient, self.start_button):
            widget.setEnabled(False)
        self.cancel_button.setText("&Stop")
        self.summary.show_info(f"Writing {len(items)} letter(s)…")
        self._job.start()

    def cancel_or_close(self) -> None:
        """While running: stop after the letters being written (what was made is kept)."""
        if self.is_running and self._job is not None:
            self._job.cancel()
            self.cancel_button.setEnabled(False)
            self.summary.show_info("Stopping after the letters being written…")
            return
        self.reject()

    def _progressed(self, _phase: str, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _finished(self, report: object) -> None:
        assert isinstance(report, BatchReport)
        self.report = report
        made, refused = len(report.generated), len(report.refused)
        if report.cancelled:
            text = (
                f"Stopped after {report.done} of {report.total}: {made} letter(s) kept as drafts, "
                f"{refused} refused. The rest were not written."
            )
        else:
            text = f"{made} letter(s) kept as drafts in the cache; {refused} refused."
        self.summary.show_info(text)
        self.refusals.clear()
        for refusal in report.refused:
            label = self._labels.get(refusal.case_id, "")
            self.refusals.addItem(f"{label} ({refusal.case_id}): {app_sentence(refusal.reason)}")
        self.refusals.setVisible(bool(report.refused))
        self._done()
        log.info("letter batch: %d made, %d refused, cancelled=%s", made, refused, report.cancelled)
        self.batch_finished.emit(report)

    def _failed(self, message: str) -> None:
        self.summary.show_problem(message)
        self._done()

    def _done(self) -> None:
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("&Close")

    def done(self, result: int) -> None:
        """Closing while running stops the batch after the letters being written."""
        if self.is_running and self._job is not None:
            self._job.cancel()
        super().done(result)

    def wait_for_worker(self, msecs: int = 30_000) -> bool:
        return self._job.wait(msecs) if self._job is not None else True
