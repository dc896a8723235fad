"""The case record: identity block over tabs for results, requests, consent, letters, audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from counsellor_app.domain.audit import AuditEvent
from counsellor_app.domain.consent import ConsentScope
from counsellor_app.domain.letter import LetterRecord
from counsellor_app.store.case_detail import CaseRecord
from counsellor_app.ui.models.case_models import audit_model, letters_model
from counsellor_app.ui.views.consent_tab import ConsentTab
from counsellor_app.ui.views.identity_block import IdentityBlock, plain_label
from counsellor_app.ui.views.requests_tab import RequestsTab
from counsellor_app.ui.views.results_tab import ResultsTab
from counsellor_app.ui.views.tables import make_table, set_column_widths


class CaseTab(IntEnum):
    """The tabs of a case record, in order (an inbox item opens the case at one of them)."""

    RESULTS = 0
    REQUESTS = 1
    CONSENT = 2
    LETTERS = 3
    AUDIT = 4


class LettersTab(QWidget):
    """Letters kept in the cache for this case; ``tools`` holds the letter tools' buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = letters_model(self)
        self.table = make_table("Letters for this case", self)
        self.table.setModel(self.model)
        set_column_widths(self.table, (18, 22, 14, 12, 8, 20))
        self.empty = plain_label("No letters have been written for this case yet.")
        self.tools = QHBoxLayout()
        self.tools.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.tools)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def show_letters(self, letters: Sequence[LetterRecord]) -> None:
        self.model.set_records(sorted(letters, key=lambda x: x.generated_at, reverse=True))
        self.empty.setVisible(not letters)


class AuditTab(QWidget):
    """Who did what on this record, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = audit_model(self)
        self.table = make_table("Audit trail of this record", self)
        self.table.setModel(self.model)
        set_column_widths(self.table, (20, 16, 24, 30))
        QVBoxLayout(self).addWidget(self.table)

    def show_events(self, events: Sequence[AuditEvent]) -> None:
        self.model.set_records(sorted(events, key=lambda e: e.at, reverse=True))


class CaseRecordView(QWidget):
    """One participant's record. Buttons ask for dialogs through signals; the window opens them."""

    record_consent_requested = Signal(str)  # participant_id
    respond_requested = Signal(str)  # request_id
    progress_requested = Signal(str)  # result_id
    resolve_conflict_requested = Signal(str)  # decision_id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.participant_id: str | None = None
        self.identity = IdentityBlock(self)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Case record sections")
        self.tabs.setDocumentMode(True)
        self.results = ResultsTab()
        self.requests = RequestsTab()
        self.consent = ConsentTab()
        self.letters = LettersTab()
        self.audit = AuditTab()
        for widget, title in (
            (self.results, "&Results"),
            (self.requests, "Re&quests"),
            (self.consent, "C&onsent"),
            (self.letters, "&Letters"),
            (self.audit, "&Audit"),
        ):
            self.tabs.addTab(widget, title)
        layout = QVBoxLayout(self)
        layout.addWidget(self.identity)
        layout.addWidget(self.tabs, 1)
        self.results.progress_requested.connect(self.progress_requested)
        self.requests.respond_requested.connect(self.respond_requested)
        self.consent.record_requested.connect(self._ask_record_consent)
        self.consent.resolve_requested.connect(self.resolve_conflict_requested)

    def show_record(
        self,
        record: CaseRecord,
        today: dt.date,
        *,
        tab: CaseTab | None = None,
        select: str | None = None,
    ) -> None:
        """Fills every part; ``tab`` and ``select`` (a result, request or consent decision id)
        say where to look."""
        participant = record.participant
        ledger = record.ledger
        self.participant_id = participant.participant_id
        flags = []
        if ledger.needs_reconsent(today):
            flags.append("Re-consent needed")
        if ledger.conflicts():
            flags.append("Consent conflict")
        programme = ledger.scope_state(ConsentScope.PROGRAMME, today)
        if programme.withdrawal_level is not None:
            flags.append(f"Withdrawn: {programme.withdrawal_level.value.replace('_', ' ')}")
        self.identity.show_participant(participant, record.cases, flags, today)
        self.results.show_results(record.results, select if tab is CaseTab.RESULTS else None)
        self.requests.show_requests(
            record.requests, today, select if tab is CaseTab.REQUESTS else None
        )
        self.consent.show_ledger(ledger, today, select if tab is CaseTab.CONSENT else None)
        self.letters.show_letters(record.letters)
        self.audit.show_events(record.audit)
        if tab is not None:
            self.tabs.setCurrentIndex(int(tab))

    def current_tab(self) -> CaseTab:
        return CaseTab(self.tabs.currentIndex())

    def _ask_record_consent(self) -> None:
        if self.participant_id is not None:
            self.record_consent_requested.emit(self.participant_id)
