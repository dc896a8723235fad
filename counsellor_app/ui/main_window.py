"""The main window: Inbox, Caseload and the open case record, with menus and the status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.domain.errors import DomainError
from counsellor_app.store.case_detail import load_case
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.idle_lock import IdleLock
from counsellor_app.ui.models.caseload_model import CacheCaseloadSource, CaseloadModel
from counsellor_app.ui.settings_store import AppSettings
from counsellor_app.ui.unlock_secret import unlock_verifier
from counsellor_app.ui.views.case_record import CaseRecordView, CaseTab
from counsellor_app.ui.views.caseload_view import CaseloadView
from counsellor_app.ui.views.inbox_view import InboxView
from counsellor_app.ui.views.status_bar import SyncStatusBar

if TYPE_CHECKING:  # imported when first needed: start-up shows the window without them
    from counsellor_app.ui.letters.letter_tools import LetterTools
    from counsellor_app.ui.read_ahead import FirstAnswers
    from counsellor_app.ui.sync_worker import SyncController

log = logging.getLogger(__name__)


class Page(IntEnum):
    INBOX = 0
    CASELOAD = 1
    CASE = 2


class MainWindow(QMainWindow):
    """Inbox (Ctrl+1), Caseload (Ctrl+2) and the case record (Ctrl+3); Ctrl+F finds a case.

    Dialogs open window-modal and never block: after one saves, every view reads the cache
    again and a sync is asked for, so the hub learns of the change. ``dialog`` is the one open.
    """

    case_opened = Signal(str, int)  # participant_id, CaseTab
    refreshed = Signal()
    ready = Signal()  # once: the first caseload page and the inbox are both shown

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.sync: SyncController | None = None
        self.dialog: QDialog | None = None
        self.letter_tools: LetterTools | None = None  # made with the first case shown
        self.crash_handler: object | None = None  # kept alive here (see ui.crash)
        self.setWindowTitle("Counsellor Desk")
        self.setObjectName("mainWindow")
        self.pages = QTabWidget(self)
        self.pages.setAccessibleName("Main sections")
        self.pages.setDocumentMode(True)
        self.inbox = InboxView(context, self)
        source = CacheCaseloadSource(context.sessions, context.today)
        self.caseload_model = CaseloadModel(source, self, background=True)
        self.caseload = CaseloadView(self.caseload_model, self)
        self._case_record: CaseRecordView | None = None  # made when a case is first opened
        self.case_page = QWidget(self)
        QVBoxLayout(self.case_page).setContentsMargins(0, 0, 0, 0)
        self.pages.addTab(self.inbox, "Inbox")
        self.pages.addTab(self.caseload, "Caseload")
        self.pages.addTab(self.case_page, "Case record")
        self.pages.setTabEnabled(Page.CASE, False)
        self.setCentralWidget(self.pages)
        self.status = SyncStatusBar(context, self)
        self.setStatusBar(self.status)
        self.idle_lock: IdleLock | None = None
        if context.key_provider is not None:
            self.idle_lock = IdleLock(
                self,
                context.settings.idle_lock_minutes,
                verify=unlock_verifier(context.cache, context.key_provider),
                prompt="Counsellor Desk locked itself. Type your hub password to carry on.",
            )
        self._build_actions()
        self.inbox.open_case.connect(self.open_case)
        self.inbox.resolve_conflict.connect(self.resolve_conflict)
        self.caseload.open_case.connect(self.open_case)
        self._waiting_for = {"caseload", "inbox"}
        self.caseload_model.loaded.connect(lambda: self._first_shown("caseload"))
        self.inbox.loaded.connect(lambda: self._first_shown("inbox"))
        self.resize(1280, 800)

    @property
    def case_record(self) -> CaseRecordView:
        """The case record page (made when first needed: building its tabs is a good part
        of the window's cost, and many sessions start from the inbox or the caseload)."""
        if self._case_record is None:
            view = CaseRecordView(self.case_page)
            layout = self.case_page.layout()
            assert layout is not None
            layout.addWidget(view)
            view.record_consent_requested.connect(self.record_consent)
            view.respond_requested.connect(self.respond_to_request)
            view.progress_requested.connect(self.record_result_progress)
            view.resolve_conflict_requested.connect(self.resolve_conflict)
            self._case_record = view
        return self._case_record

    @property
    def is_ready(self) -> bool:
        """Whether the first caseload page and the inbox have been shown (``ready``)."""
        return not self._waiting_for

    def _first_shown(self, part: str) -> None:
        if part in self._waiting_for:
            self._waiting_for.discard(part)
            if not self._waiting_for:
                self.ready.emit()

    # ----------------------------------------------------------------- actions and menus

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.sync_action = self._action("&Sync now", QKeySequence(Qt.Key.Key_F5))
        self.sync_action.setEnabled(False)  # until a sync controller is attached
        self.sync_action.triggered.connect(self.sync_now)
        file_menu.addAction(self.sync_action)
        self.settings_action = self._action("S&ettings…", QKeySequence.StandardKey.Preferences)
        self.settings_action.triggered.connect(self.open_settings)
        file_menu.addAction(self.settings_action)
        # Ctrl+L belongs to the idle lock itself (it works over dialogs too).
        self.lock_action = self._action("&Lock now (Ctrl+L)")
        self.lock_action.setEnabled(self.idle_lock is not None)
        if self.idle_lock is not None:
            self.lock_action.triggered.connect(self.idle_lock.lock)
        file_menu.addAction(self.lock_action)
        self.sign_out_action = self._action("Sign &out of this computer…")
        self.sign_out_action.setEnabled(self.context.key_provider is not None)
        self.sign_out_action.triggered.connect(self.sign_out)
        file_menu.addAction(self.sign_out_action)
        file_menu.addSeparator()
        quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = menu.addMenu("&View")
        for page, title, key in (
            (Page.INBOX, "&Inbox", "Ctrl+1"),
            (Page.CASELOAD, "&Caseload", "Ctrl+2"),
            (Page.CASE, "Case &record", "Ctrl+3"),
        ):
            action = self._action(title, QKeySequence(key))
            action.triggered.connect(lambda _=False, p=page: self.show_page(p))
            view_menu.addAction(action)
        find = self._action("&Find a participant", QKeySequence.StandardKey.Find)
        find.triggered.connect(self.focus_search)
        view_menu.addAction(find)
        refresh = self._action("&Refresh from the cache", QKeySequence("Ctrl+R"))
        refresh.triggered.connect(self.refresh)
        view_menu.addAction(refresh)
        letters_menu = menu.addMenu("&Letters")
        batch = self._action("Write letters for results not yet &communicated…")
        batch.triggered.connect(self.write_batch_letters)
        letters_menu.addAction(batch)
        help_menu = menu.addMenu("&Help")
        about = self._action("&About Counsellor Desk")
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _action(
        self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(action)
        return action

    # ----------------------------------------------------------------- navigation

    def show_page(self, page: Page) -> None:
        if self.pages.isTabEnabled(page):
            self.pages.setCurrentIndex(int(page))

    def focus_search(self) -> None:
        self.show_page(Page.CASELOAD)
        self.caseload.focus_search()

    def open_case(
        self, participant_id: str, tab: CaseTab | None = None, select: str | None = None
    ) -> None:
        """Shows one participant's record, at ``tab`` with ``select`` (result/request) chosen."""
        try:
            self._show_case(participant_id, tab, select)
        except DomainError as exc:
            QMessageBox.warning(self, "Case record", str(exc))
            return
        self.pages.setTabEnabled(Page.CASE, True)
        self.pages.setCurrentIndex(int(Page.CASE))
        self.case_record.tabs.currentWidget().setFocus()
        self.case_opened.emit(participant_id, int(self.case_record.current_tab()))

    def _show_case(self, participant_id: str, tab: CaseTab | None, select: str | None) -> None:
        with self.context.cache.read() as session:
            record = load_case(session, participant_id)
        self.case_record.show_record(record, self.context.today(), tab=tab, select=select)
        chosen = next((r for r in record.results if r.result_id == select), None)
        case_id = chosen.case_id if chosen is not None else None
        if case_id is None and len(record.cases) == 1:
            case_id = record.cases[0].case_id
        self._letter_tools().set_case(participant_id, case_id)

    def _letter_tools(self) -> LetterTools:
        """The Letters tab's buttons (the letters core loads with the first case opened)."""
        if self.letter_tools is None:
            from counsellor_app.ui.letters.letter_tools import LetterTools

            self.letter_tools = LetterTools(self.context, self.case_record.letters, self)
            self.letter_tools.changed.connect(self._after_local_change)
        return self.letter_tools

    def load_initial(self, first: FirstAnswers | None = None) -> None:
        """The first page of the caseload and the inbox: ``first`` when it answers what the
        window asks (read while the sign-in dialog waited), else each read on a worker
        (``ready`` says when both are shown)."""
        if first is not None and self.caseload.filters_wanted() == first.filters:
            self.caseload_model.show_first_page(first.filters, first.caseload)
            self.inbox.show_sections(first.inbox)
        else:
            self.caseload.apply_filters()
            self.inbox.reload()
        self.status.refresh()

    def refresh(self) -> None:
        """Reads the cache again (after a sync or a recorded decision): every page shown
        (the inbox on a worker: ``inbox.loaded`` says when it is back)."""
        self.inbox.reload()
        self.caseload_model.reload()
        participant_id = self._case_record.participant_id if self._case_record else None
        if participant_id is not None:
            try:
                self._show_case(participant_id, self.case_record.current_tab(), None)
            except DomainError:
                self.pages.setTabEnabled(Page.CASE, False)
        self.status.refresh()
        self.refreshed.emit()

    # ----------------------------------------------------------------- dialogs

    def record_consent(self, participant_id: str) -> None:
        from counsellor_app.ui.dialogs.record_consent import RecordConsentDialog

        self._open_dialog(
            lambda: RecordConsentDialog(self.context, participant_id, self), "recorded"
        )

    def respond_to_request(self, request_id: str) -> None:
        from counsellor_app.ui.dialogs.respond_request import RespondToRequestDialog

        self._open_dialog(
            lambda: RespondToRequestDialog(self.context, request_id, self), "responded"
        )

    def record_result_progress(self, result_id: str) -> None:
        from counsellor_app.ui.dialogs.result_progress import ResultProgressDialog

        self._open_dialog(lambda: ResultProgressDialog(self.context, result_id, self), "updated")

    def resolve_conflict(self, decision_id: str) -> None:
        """Rule 5: a person says how a consent conflict was resolved; letters are held till then."""
        from counsellor_app.ui.dialogs.resolve_conflict import ResolveConflictDialog

        self._open_dialog(
            lambda: ResolveConflictDialog(self.context, decision_id, self), "resolved"
        )

    def open_settings(self) -> None:
        from counsellor_app.ui.dialogs.settings import SettingsDialog

        dialog = self._open_dialog(lambda: SettingsDialog(self.context, self), None)
        if isinstance(dialog, SettingsDialog):
            dialog.saved.connect(self._apply_settings)

    def _open_dialog(
        self, make: Callable[[], QDialog], saved_signal: str | None
    ) -> QDialog | None:
        """Opens a dialog window-modal (never a blocking exec); a save refreshes and syncs."""
        try:
            dialog = make()
        except DomainError as exc:
            QMessageBox.warning(self, "Counsellor Desk", str(exc))
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if saved_signal is not None:
            signal: SignalInstance = getattr(dialog, saved_signal)
            signal.connect(self._after_local_change)
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def show_dialog(self, dialog: QDialog) -> None:
        """Opens ``dialog`` window-modal as the window's one dialog (never a blocking exec)."""
        self._open_dialog(lambda: dialog, None)

    def sign_out(self) -> None:
        """Signs out of this computer, after a confirmation that says what it does."""
        from counsellor_app.ui.stored_sign_in import confirm_sign_out

        confirm_sign_out(self)

    def _dialog_closed(self) -> None:
        self.dialog = None

    def _after_local_change(self) -> None:
        self.refresh()
        if self.sync is not None:
            self.sync.sync_now()  # tell the hub now; the outbox keeps it if offline

    def _apply_settings(self, settings: object) -> None:
        assert isinstance(settings, AppSettings)
        self.context.settings = settings
        if self.idle_lock is not None:
            self.idle_lock.set_minutes(settings.idle_lock_minutes)
        if self.sync is not None:
            self.sync.set_interval_minutes(settings.sync_interval_minutes)

    # ----------------------------------------------------------------- sync

    def attach_sync(self, sync: SyncController) -> None:
        """Shows the sync's progress and state; a finished sync refreshes every view."""
        self.sync = sync
        self.sync_action.setEnabled(True)
        sync.started.connect(self._sync_started)
        sync.progress.connect(self._sync_progress)
        sync.finished.connect(self._sync_finished)
        sync.failed.connect(self._sync_failed)
        sync.wipe_ordered.connect(self.device_wiped)

    def sync_now(self) -> None:
        if self.sync is not None:
            self.sync.sync_now()

    def _sync_started(self) -> None:
        self.status.show_state("Syncing…")
        self.status.show_progress(0, None)

    def _sync_progress(self, phase: str, done: int, total: int) -> None:
        self.status.show_progress(done, total if total >= 0 else None)

    def _sync_finished(self, report: object) -> None:
        from counsellor_app.sync.report import SyncReport

        self.status.hide_progress()
        self.status.show_state("Online")
        if isinstance(report, SyncReport) and not report.pulled_total and not report.pushed:
            self.status.refresh()  # nothing came or went: the views are already right
            return
        self.refresh()

    def _sync_failed(self, message: str) -> None:
        self.status.hide_progress()
        self.status.show_state("Offline")
        self.status.state.setToolTip(message)
        self.status.showMessage(message, 15_000)

    def device_wiped(self) -> None:
        """The hub revoked this device and its cache is gone: says so and closes."""
        QMessageBox.critical(
            self,
            "Counsellor Desk",
            "This device was revoked by the hub's administrator; its copy of the caseload has "
            "been deleted. Counsellor Desk will close.",
        )
        self.close()

    def show_about(self) -> None:
        from counsellor_app.ui.about import AboutDialog, about_facts

        self._open_dialog(lambda: AboutDialog(about_facts(self.context), self), None)

    def write_batch_letters(self) -> None:
        """Letters for every current result whose patient has not been told (team admin)."""
        from counsellor_app.ui.letters.batch_dialog import (
            BatchLettersDialog,
            uncommunicated_results,
        )

        self._open_dialog(
            lambda: BatchLettersDialog(
                self.context, parent=self, targets=uncommunicated_results(self.context)
            ),
            "batch_finished",
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.sync is not None:
            self.sync.shutdown()
        self.inbox.wait_for_worker()
        self.caseload_model.wait_for_worker()
        super().closeEvent(event)
