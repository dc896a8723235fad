"""The sign-in dialog: hub address, user name, password, and the cache passphrase if needed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.store.errors import KeyStoreError
from counsellor_app.store.paths import Profile
from counsellor_app.sync.backoff import Sleeper, event_sleeper
from counsellor_app.ui.background import BackgroundJob, Progress
from counsellor_app.ui.dialogs.key_situation import KeySituation, key_situation
from counsellor_app.ui.dialogs.parts import MessageLine, plain_label
from counsellor_app.ui.settings_store import load_settings, save_settings

if TYPE_CHECKING:  # the cache, sync and HTTP load while the dialog waits (ui.app warms them)
    import httpx

    from counsellor_app.ui.context import AppContext
    from counsellor_app.ui.dialogs.sign_in_job import SignInOutcome
    from counsellor_app.ui.read_ahead import ReadAhead

log = logging.getLogger(__name__)

KEEP_SIGNED_IN_NOTE = (
    "Next time Counsellor Desk opens on your caseload without asking for your password; the "
    "idle lock still asks for it."
)


def default_http() -> httpx.Client:
    """The HTTP client a sign-in uses (httpx loaded only when a sign-in starts)."""
    import httpx

    return httpx.Client(timeout=20.0)


class SignInDialog(QDialog):
    """First run, and every start unless the last sign-in here kept the user signed in: signs
    in to the hub and opens the encrypted cache.

    It says where the cache key is (or will be) kept and asks for the passphrase only where no
    credential store is usable. The work runs on a worker thread (with ``read_ahead``, started
    by the caller, on the cache it opened while the dialog waited); problems (wrong password,
    unreachable hub, wrong passphrase) appear as one sentence in the dialog. On success it
    emits ``signed_in(context: AppContext)`` and closes; the caller owns the context's cache.
    """

    signed_in = Signal(object)

    def __init__(
        self,
        profile: Profile,
        parent: QWidget | None = None,
        *,
        http_factory: Callable[[], httpx.Client] = default_http,
        sleeper: Sleeper = event_sleeper,
        environ: dict[str, str] | None = None,
        read_ahead: ReadAhead | None = None,
        remember_password_later: bool = False,
    ) -> None:
        super().__init__(parent)
        self.read_ahead = read_ahead
        self._remember_later = remember_password_later
        self.remember_password: Callable[[], None] | None = None
        """After a sign-in with ``remember_password_later``: keeps the password's hash for
        the idle lock (the caller runs it off the GUI thread once the main window is up)."""
        self.setWindowTitle("Sign in to Counsellor Desk")
        self.setMinimumWidth(460)
        self._profile = profile
        self._http_factory = http_factory
        self._sleeper = sleeper
        self._environ = environ
        self._settings = load_settings(profile)
        self._job: BackgroundJob | None = None
        self.context: AppContext | None = None
        self.offline = False
        self._cancelled = False
        self._passphrase_wanted = threading.Event()
        self._situation = key_situation(profile, environ)
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.hub_url = QLineEdit(self._settings.hub_url)
        self.hub_url.setPlaceholderText("https://hub.example.nhs.uk")
        self.hub_url.setAccessibleName("Hub address")
        form.addRow("Hub &address:", self.hub_url)
        self.user = QLineEdit(self._settings.user_name)
        self.user.setAccessibleName("User name")
        form.addRow("&User name:", self.user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        form.addRow("&Password:", self.password)

        situation = self._situation
        if situation.needs_passphrase and situation.creating:
            from counsellor_app.store.keys import MIN_PASSPHRASE_LENGTH  # loaded: a first run

            where = (
                "This computer has no usable credential store, so the cache key will be kept "
                "in a key file beside the cache, protected by a passphrase you choose now "
                f"(at least {MIN_PASSPHRASE_LENGTH} characters). Without it the cache cannot "
                "be opened."
            )
        elif situation.needs_passphrase:
            where = (
                "The cache key is kept in a key file beside the cache, protected by your "
                "passphrase. Type it to open the cache."
            )
        else:
            where = f"The cache key is kept in {situation.description}."
        self.key_note = plain_label(where)
        self.key_note.setObjectName("keyNote")
        layout.addWidget(self.key_note)

        self.passphrase_box = QWidget()
        passphrase_form = QFormLayout(self.passphrase_box)
        passphrase_form.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.passphrase_box)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Cache passphrase")
        self.passphrase_label = QLabel("Pass&phrase:")
        self.passphrase_label.setBuddy(self.passphrase)
        passphrase_form.addRow(self.passphrase_label, self.passphrase)
        self.passphrase_again = QLineEdit()
        self.passphrase_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_again.setAccessibleName("Cache passphrase again")
        self.passphrase_again_label = QLabel("Passphrase a&gain:")
        self.passphrase_again_label.setBuddy(self.passphrase_again)
        passphrase_form.addRow(self.passphrase_again_label, self.passphrase_again)
        self.passphrase_box.setVisible(situation.needs_passphrase)
        creating = situation.needs_passphrase and situation.creating
        self.passphrase_again.setVisible(creating)
        self.passphrase_again_label.setVisible(creating)

        self.keep_signed_in = QCheckBox("&Keep me signed in on this computer")
        self.keep_signed_in.setChecked(True)
        layout.addWidget(self.keep_signed_in)
        self.keep_note = plain_label(KEEP_SIGNED_IN_NOTE)
        self.keep_note.setObjectName("keepNote")
        layout.addWidget(self.keep_note)
        self._show_keep_choice(not situation.needs_passphrase)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName("Signing in")
        self.busy.hide()
        layout.addWidget(self.busy)
        self.message = MessageLine(self)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText("&Sign in")
        self.buttons.accepted.connect(self.start_sign_in)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        first_empty = next(
            (w for w in (self.hub_url, self.user, self.password) if not w.text()), self.password
        )
        first_empty.setFocus()

    # --- the form --------------------------------------------------------------------------

    def _show_keep_choice(self, shown: bool) -> None:
        """Only where the key is in the credential store: a passphrase is asked at every start."""
        self.keep_signed_in.setVisible(shown)
        self.keep_note.setVisible(shown)

    def _form_problem(self) -> str | None:
        if not self.hub_url.text().strip():
            return "Type the hub address your IT team gave you (it starts with https://)."
        if not self.user.text().strip():
            return "Type your hub user name."
        if not self.password.text():
            return "Type your hub password."
        if self._situation.needs_passphrase and not self.passphrase.text():
            return "Type the passphrase that protects the cache key."
        if self._situation.needs_passphrase and self._situation.creating:
            from counsellor_app.store.keys import MIN_PASSPHRASE_LENGTH

            if len(self.passphrase.text()) < MIN_PASSPHRASE_LENGTH:
                return (
                    f"The passphrase is too short: use at least {MIN_PASSPHRASE_LENGTH} "
                    "characters."
                )
            if self.passphrase.text() != self.passphrase_again.text():
                return "The two passphrases are not the same. Type them again."
        return None

    def _set_working(self, working: bool) -> None:
        for widget in (self.hub_url, self.user, self.password, self.passphrase,
                       self.passphrase_again, self.keep_signed_in, self.sign_in_button):
            widget.setEnabled(not working)
        self.busy.setVisible(working)

    @property
    def is_working(self) -> bool:
        return self._job is not None and self._job.running

    def start_sign_in(self) -> None:
        """Checks the form, then signs in on a worker thread (the dialog stays responsive)."""
        if self.is_working:
            return
        problem = self._form_problem()
        if problem:
            self.message.show_problem(problem)
            return
        self.message.show_info("Signing in…")
        self._set_working(True)
        profile = self._profile
        hub, user = self.hub_url.text().strip(), self.user.text().strip()
        password = self.password.text()
        passphrase = self.passphrase.text() if self._situation.needs_passphrase else None
        http_factory, sleeper, environ = self._http_factory, self._sleeper, self._environ
        passphrase_wanted = self._passphrase_wanted
        passphrase_wanted.clear()
        read_ahead, remember_now = self.read_ahead, not self._remember_later
        from counsellor_app.ui.dialogs.sign_in_job import SIGN_IN_BACKOFF, sign_in

        def job(_progress: Progress, cancel: threading.Event) -> SignInOutcome:
            opened = read_ahead.take() if read_ahead is not None else None
            try:
                return sign_in(
                    profile, hub, user, password, passphrase, http_factory=http_factory,
                    cancel=cancel, backoff=SIGN_IN_BACKOFF, sleeper=sleeper, environ=environ,
                    opened=opened, remember_now=remember_now,
                )
            except KeyStoreError:
                if passphrase is None and not profile.cache_file.exists():
                    passphrase_wanted.set()  # the credential store would not keep the key
                raise

        self._job = BackgroundJob(job)
        self._job.signals.succeeded.connect(self._succeeded)
        self._job.signals.failed.connect(self._failed)
        self._job.start()

    def _succeeded(self, outcome: object) -> None:
        from counsellor_app.ui.context import AppContext
        from counsellor_app.ui.dialogs.sign_in_job import SignInOutcome

        assert isinstance(outcome, SignInOutcome)
        if self._cancelled:
            outcome.cache.close()  # cancelled while signing in: nothing stays open
            return
        settings = replace(
            self._settings,
            hub_url=outcome.hub_url,
            user_name=outcome.user_name,
            keep_signed_in=self.keep_signed_in.isChecked() and not self._situation.needs_passphrase,
        )
        try:
            save_settings(self._profile, settings)
        except OSError:
            log.warning("settings could not be saved after sign-in")
        self.password.clear()
        self.passphrase.clear()
        self.passphrase_again.clear()
        self.context = AppContext(
            profile=outcome.profile,
            cache=outcome.cache,
            user_name=outcome.user_name,
            hub_url=outcome.hub_url,
            settings=settings,
            key_provider=outcome.keys,
        )
        self.offline = outcome.offline
        self.remember_password = outcome.remember_password
        log.info("signed in%s", " (offline)" if outcome.offline else "")
        self.signed_in.emit(self.context)
        self.accept()

    def _failed(self, message: str) -> None:
        self._set_working(False)
        self.message.show_problem(message)
        self.password.setFocus()
        if self._passphrase_wanted.is_set():
            self._ask_for_new_passphrase()

    def _ask_for_new_passphrase(self) -> None:
        """The credential store looked usable but would not keep the key: use a passphrase."""
        from counsellor_app.store.keys import MIN_PASSPHRASE_LENGTH

        self._situation = KeySituation(
            "a passphrase-protected key file beside the cache", True, True
        )
        self.key_note.setText(
            "The credential store on this computer would not keep the cache key, so it will be "
            "kept in a key file beside the cache, protected by a passphrase you choose now "
            f"(at least {MIN_PASSPHRASE_LENGTH} characters)."
        )
        self._show_keep_choice(False)
        self.passphrase_box.show()
        self.passphrase_again.show()
        self.passphrase_again_label.show()
        self.passphrase.setFocus()

    def reject(self) -> None:
        if self.is_working and self._job is not None:
            self._cancelled = True
            self._job.cancel()
        super().reject()

    def wait_for_worker(self, msecs: int = 10_000) -> bool:
        """Waits for a running sign-in to end (tests, and closing the app)."""
        return self._job.wait(msecs) if self._job is not None else True

