"""Signing in again when the hub refuses the stored sign-in: the password, for sync only."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import httpx
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.sync.backoff import Sleeper, event_sleeper
from counsellor_app.ui.background import BackgroundJob, Progress
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.parts import MessageLine, plain_label
from counsellor_app.ui.dialogs.sign_in import KEEP_SIGNED_IN_NOTE, default_http

log = logging.getLogger(__name__)

STORED_SIGN_IN_REFUSED = (
    "The hub no longer accepts this computer's stored sign-in, so Counsellor Desk cannot sync "
    "until you sign in again; the caseload already on this computer stays usable."
)


class SignInAgainDialog(QDialog):
    """Says that the stored sign-in was refused and offers to sign in with the password (the
    hub and user of this session; the cache stays open). On success it emits
    ``signed_in(keep: bool)`` and closes; the caller saves the choice and syncs. ``wiped`` is
    emitted if the hub ordered this device wiped meanwhile (the cache is gone)."""

    signed_in = Signal(bool)
    wiped = Signal()

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        http_factory: Callable[[], httpx.Client] = default_http,
        sleeper: Sleeper = event_sleeper,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._http_factory = http_factory
        self._sleeper = sleeper
        self._job: BackgroundJob | None = None
        self.setWindowTitle("Sign in to sync")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.explanation = plain_label(STORED_SIGN_IN_REFUSED)
        layout.addWidget(self.explanation)
        form = QFormLayout()
        layout.addLayout(form)
        form.addRow("Hub:", plain_label(context.hub_url))
        form.addRow("User name:", plain_label(context.user_name))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        form.addRow("&Password:", self.password)
        self.keep_signed_in = QCheckBox("&Keep me signed in on this computer")
        self.keep_signed_in.setChecked(True)
        layout.addWidget(self.keep_signed_in)
        layout.addWidget(plain_label(KEEP_SIGNED_IN_NOTE))
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        layout.addWidget(self.busy)
        self.message = MessageLine(self)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText("&Sign in")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Not now")
        self.buttons.accepted.connect(self.start_sign_in)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.password.setFocus()

    def start_sign_in(self) -> None:
        """Checks the password at the hub on a worker thread."""
        if self._job is not None and self._job.running:
            return
        if not self.password.text():
            self.message.show_problem("Type your hub password.")
            return
        from counsellor_app.sync.errors import DeviceWiped
        from counsellor_app.ui.dialogs.sign_in_job import sign_in_again

        context, password = self.context, self.password.text()
        keys = context.key_provider
        if keys is None:
            raise ValueError("SignInAgainDialog needs a context with the cache's key provider")
        http_factory, sleeper = self._http_factory, self._sleeper
        wiped = threading.Event()

        def job(_progress: Progress, cancel: threading.Event) -> None:
            try:
                sign_in_again(context.cache, keys, context.hub_url, context.user_name, password,
                              http_factory=http_factory, cancel=cancel, sleeper=sleeper)
            except DeviceWiped:
                wiped.set()
                raise

        self.message.show_info("Signing in…")
        self._set_working(True)
        self._job = BackgroundJob(job)
        self._job.signals.succeeded.connect(self._succeeded)
        self._job.signals.failed.connect(lambda message: self._failed(message, wiped.is_set()))
        self._job.start()

    def _set_working(self, working: bool) -> None:
        for widget in (self.password, self.keep_signed_in, self.sign_in_button):
            widget.setEnabled(not working)
        self.busy.setVisible(working)

    def _succeeded(self, _result: object) -> None:
        self.password.clear()
        log.info("signed in again for sync")
        self.signed_in.emit(self.keep_signed_in.isChecked())
        self.accept()

    def _failed(self, message: str, wiped: bool) -> None:
        self._set_working(False)
        self.message.show_problem(message)
        if wiped:
            self.wiped.emit()
            self.reject()
            return
        self.password.setFocus()

    def reject(self) -> None:
        if self._job is not None and self._job.running:
            self._job.cancel()
        super().reject()

    def wait_for_worker(self, msecs: int = 10_000) -> bool:
        """Waits for a running sign-in to end (tests, and closing the app)."""
        return self._job.wait(msecs) if self._job is not None else True
