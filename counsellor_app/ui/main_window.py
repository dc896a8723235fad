"""The main window: Inbox, Caseload and the open case record, with menus and the status bar."""

from __future__ import annotations

import logging
from enum import IntEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTabWidget, QWidget

from counsellor_app.domain.errors import DomainError
from counsellor_app.store.case_detail import load_case
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.models.caseload_model import CacheCaseloadSource, CaseloadModel
from counsellor_app.ui.views.case_record import CaseRecordView, CaseTab
from counsellor_app.ui.views.caseload_view import CaseloadView
from counsellor_app.ui.views.inbox_view import InboxView
from counsellor_app.ui.views.status_bar import SyncStatusBar

log = logging.getLogger(__name__)


class Page(IntEnum):
    INBOX = 0
    CASELOAD = 1
    CASE = 2


class MainWindow(QMainWindow):
    """Inbox (Ctrl+1), Caseload (Ctrl+2) and the case record (Ctrl+3); Ctrl+F finds a case."""

    case_opened = Signal(str, int)  # participant_id, CaseTab

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Counsellor Desk")
        self.setObjectName("mainWindow")
        self.pages = QTabWidget(self)
        self.pages.setAccessibleName("Main sections")
        self.pages.setDocumentMode(True)
        self.inbox = InboxView(context, self)
        source = CacheCaseloadSource(context.sessions, context.today)
        self.caseload_model = CaseloadModel(source, self)
        self.caseload = CaseloadView(self.caseload_model, self)
        self.case_record = CaseRecordView(self)
        self.pages.addTab(self.inbox, "Inbox")
        self.pages.addTab(self.caseload, "Caseload")
        self.pages.addTab(self.case_record, "Case record")
        self.pages.setTabEnabled(Page.CASE, False)
        self.setCentralWidget(self.pages)
        self.status = SyncStatusBar(context, self)
        self.setStatusBar(self.status)
        self._build_actions()
        self.inbox.open_case.connect(self.open_case)
        self.caseload.open_case.connect(self.open_case)
        self.resize(1280, 800)

    # ----------------------------------------------------------------- actions and menus

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.sync_action = self._action("&Sync now", QKeySequence(Qt.Key.Key_F5))
        self.sync_action.setEnabled(False)  # wired once a sync controller is attached
        file_menu.addAction(self.sync_action)
        self.settings_action = self._action("S&ettings…", QKeySequence.StandardKey.Preferences)
        self.settings_action.setEnabled(False)
        file_menu.addAction(self.settings_action)
        self.lock_action = self._action("&Lock", QKeySequence("Ctrl+L"))
        self.lock_action.setEnabled(False)
        file_menu.addAction(self.lock_action)
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
        help_menu = menu.addMenu("&Help")
        about = self._action("&About Counsellor Desk")
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _action(self, text: str, shortcut: QKeySequence | None = None) -> QAction:
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

    def refresh(self) -> None:
        """Reads the cache again (after a sync or a recorded decision): every page shown."""
        self.inbox.reload()
        self.caseload_model.reload()
        participant_id = self.case_record.participant_id
        if participant_id is not None:
            try:
                self._show_case(participant_id, self.case_record.current_tab(), None)
            except DomainError:
                self.pages.setTabEnabled(Page.CASE, False)
        self.status.refresh()

    def load_initial(self) -> None:
        """First page of the caseload and the inbox: all start-up needs before it is usable."""
        self.caseload.apply_filters()
        self.inbox.reload()
        self.status.refresh()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Counsellor Desk",
            "Counsellor Desk: caseload, consent and letters for NHS clinical genetics teams.",
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        log.info("main window closed")
        super().closeEvent(event)
