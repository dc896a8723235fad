"""The main window and the stored sign-in: sync with it only, sign in again when the hub
refuses it, and "Sign out of this computer"."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from counsellor_app.ui.settings_store import load_settings, save_settings

if TYPE_CHECKING:
    from counsellor_app.ui.dialogs.sign_in_again import SignInAgainDialog
    from counsellor_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

SIGN_OUT_EXPLAINED = (
    "Signing out forgets this computer's stored sign-in to the hub and your choice to stay "
    "signed in: Counsellor Desk closes now and asks for your hub password next time it starts. "
    "The encrypted caseload cached on this computer stays for your next sign-in; signing out "
    "does not delete it and does not tell the hub (its administrator can revoke this device, "
    "which deletes the cache at its next sync)."
)


class StoredSignInOnly:
    """The sync's password source in the desktop app: never a password (sync signs in with the
    refresh token kept at sign-in, and no window may be opened from the sync's worker).
    ``wanted`` is set when the hub asked for one, i.e. it refused the stored sign-in."""

    def __init__(self) -> None:
        self.wanted = threading.Event()

    def __call__(self) -> str | None:
        self.wanted.set()
        return None


def watch_stored_sign_in(window: MainWindow, source: StoredSignInOnly) -> None:
    """After a sync that failed because the hub refused the stored sign-in: the sentence and
    the offer to sign in again (once per refusal; the cached caseload stays usable)."""
    sync = window.sync
    assert sync is not None

    def failed(_message: str) -> None:
        if source.wanted.is_set():
            source.wanted.clear()
            offer_sign_in_again(window)

    sync.failed.connect(failed)


def offer_sign_in_again(window: MainWindow) -> SignInAgainDialog | None:
    """Opens the sign-in-again dialog over ``window`` (window-modal, never blocking), unless
    another dialog is open there (then the status bar says it; F5 syncs and asks again)."""
    from counsellor_app.ui.dialogs.sign_in_again import STORED_SIGN_IN_REFUSED, SignInAgainDialog

    window.status.showMessage(STORED_SIGN_IN_REFUSED, 30_000)
    if window.dialog is not None or window.context.key_provider is None:
        return None
    dialog = SignInAgainDialog(window.context, window)

    def signed_in(keep: bool) -> None:
        _save_keep_choice(window, keep)
        window.sync_now()

    dialog.signed_in.connect(signed_in)
    dialog.wiped.connect(window.device_wiped)
    window.show_dialog(dialog)
    return dialog


def _save_keep_choice(window: MainWindow, keep: bool) -> None:
    context = window.context
    context.settings = replace(context.settings, keep_signed_in=keep)
    try:
        save_settings(context.profile, replace(load_settings(context.profile),
                                               keep_signed_in=keep))
    except OSError:
        log.warning("settings could not be saved after signing in again")


def confirm_sign_out(window: MainWindow) -> QMessageBox:
    """Asks (window-modal) before signing out; "Sign out" runs :func:`sign_out`."""
    box = QMessageBox(QMessageBox.Icon.Question, "Sign out of this computer",
                      SIGN_OUT_EXPLAINED, QMessageBox.StandardButton.Cancel, window)
    sign_out_button = box.addButton("Sign &out", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)

    def chosen() -> None:
        if box.clickedButton() is sign_out_button:
            sign_out(window)

    box.finished.connect(chosen)
    box.open()
    return box


def sign_out(window: MainWindow) -> None:
    """Forgets the stored sign-in and the keep-me choice, then closes the window (a sync
    running meanwhile is stopped first, so it cannot keep a new refresh token)."""
    from counsellor_app.ui.returning import forget_stored_sign_in

    if window.sync is not None:
        window.sync.shutdown()
    try:
        forget_stored_sign_in(window.context)
    except Exception:
        log.exception("signing out failed")
        QMessageBox.warning(
            window, "Counsellor Desk",
            "The stored sign-in could not be forgotten (the credential store or the profile "
            "folder refused). Check that the credential store is unlocked and try again.",
        )
        return
    log.info("signed out of this computer")
    window.close()
