"""A returning user's start (``ui.app.DesktopStart`` as ``counsellor-app`` runs it): straight
on the main window when the last sign-in kept them signed in; sync with the stored sign-in; a
refused sign-in said in one sentence with the offer to sign in again; the dialog again after
"keep me signed in" was unticked, after signing out, and for a passphrase-protected key; the
idle lock's password hash in the cache."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update
from ui_hub import PASSWORD, USER, start_hub

from counsellor_app.hub.server import RunningHub
from counsellor_app.hub.tables import Token
from counsellor_app.store.caseload import count_caseload, search_caseload
from counsellor_app.store.paths import Profile
from counsellor_app.store.tables import ParticipantRow
from counsellor_app.store.unlock_hash import read_unlock_hash
from counsellor_app.sync.credentials import RefreshTokenStore
from counsellor_app.ui.app import DesktopStart
from counsellor_app.ui.dialogs.sign_in import SignInDialog
from counsellor_app.ui.dialogs.sign_in_again import STORED_SIGN_IN_REFUSED, SignInAgainDialog
from counsellor_app.ui.main_window import MainWindow
from counsellor_app.ui.models.caseload_model import PAGE_SIZE
from counsellor_app.ui.settings_store import load_settings, save_settings
from counsellor_app.ui.stored_sign_in import SIGN_OUT_EXPLAINED, confirm_sign_out
from counsellor_app.ui.unlock_secret import SECRET_NAME

WAIT_MS = 30_000
PASSPHRASE = "correct horse battery"


def no_wait(seconds: float, cancel: threading.Event) -> bool:
    return not cancel.is_set()


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).astimezone().date()


@pytest.fixture
def hub(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[RunningHub]:
    running, _url = start_hub(tmp_path_factory, tmp_path / "hub")
    yield running
    running.stop()


def begin(qtbot: QtBot, profile: Profile) -> DesktopStart:
    start = DesktopStart(profile, sleeper=no_wait, environ={})
    if start.dialog is not None:
        qtbot.addWidget(start.dialog)
    for window in start.windows:
        qtbot.addWidget(window)
    return start


def first_sign_in(
    qtbot: QtBot, profile: Profile, hub: RunningHub, *, keep: bool = True,
    passphrase: str | None = None,
) -> None:
    """Signs in once with the dialog (the cache made and synced), then closes the app."""
    start = begin(qtbot, profile)
    try:
        dialog = start.dialog
        assert dialog is not None
        assert dialog.keep_signed_in.isChecked()  # on by default
        assert dialog.keep_signed_in.isVisible() == (passphrase is None)
        dialog.keep_signed_in.setChecked(keep)
        dialog.hub_url.setText(hub.url)
        dialog.user.setText(USER)
        dialog.password.setText(PASSWORD)
        if passphrase is not None:
            dialog.passphrase.setText(passphrase)
            dialog.passphrase_again.setText(passphrase)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        window = main_window(qtbot, start)
        assert window.sync is not None
        with qtbot.waitSignal(window.sync.finished, timeout=WAIT_MS):
            pass
        qtbot.waitUntil(lambda: window.caseload_model.total() > 0, timeout=WAIT_MS)
        window.close()
    finally:
        start.close()


@pytest.fixture
def profile(qtbot: QtBot, tmp_path: Path, hub: RunningHub) -> Profile:
    """A returning user who ticked "Keep me signed in" at their last sign-in."""
    profile = Profile.at(tmp_path / "profile")
    first_sign_in(qtbot, profile, hub)
    return profile


def main_window(qtbot: QtBot, start: DesktopStart) -> MainWindow:
    qtbot.waitUntil(lambda: bool(start.windows), timeout=WAIT_MS)
    window = start.windows[0]
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.is_ready, timeout=WAIT_MS)
    return window


def synced(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.sync is not None, timeout=WAIT_MS)
    assert window.sync is not None
    if window.sync.last_report is None and window.sync.last_error is None:
        with qtbot.waitSignals([window.sync.finished], timeout=WAIT_MS):
            pass


def stored_token(profile: Profile, window: MainWindow) -> str | None:
    keys = window.context.key_provider
    assert keys is not None
    return RefreshTokenStore(keys, window.context.hub_url, USER).load()


def shown(window: MainWindow) -> list[str]:
    model = window.caseload_model
    return [model.row_record(row).participant_id for row in range(model.rowCount())]


def dialogs_shown() -> list[object]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, (SignInDialog, SignInAgainDialog)) and w.isVisible()]


def test_a_returning_user_opens_on_the_main_window_with_the_first_page_and_no_dialog(
    qtbot: QtBot, profile: Profile
) -> None:
    start = begin(qtbot, profile)
    try:
        assert start.dialog is None
        assert len(start.windows) == 1
        window = start.windows[0]
        assert window.is_ready  # filled when first shown: read before the window was made
        assert window.sync is None  # sync's code loads after the first paint
        assert dialogs_shown() == []
        with window.context.cache.read() as session:
            want = search_caseload(session, today=today(), limit=PAGE_SIZE)
            total = count_caseload(session, today=today())
        assert want and shown(window) == [row.participant_id for row in want]
        assert window.caseload_model.total() == total
        window.close()
    finally:
        start.close()


def test_sync_after_a_start_without_the_dialog_signs_in_with_the_stored_token(
    qtbot: QtBot, profile: Profile
) -> None:
    start = begin(qtbot, profile)
    try:
        window = start.windows[0]
        before = stored_token(profile, window)
        assert before is not None
        qtbot.waitUntil(lambda: window.sync is not None, timeout=WAIT_MS)
        assert window.sync is not None
        qtbot.waitUntil(lambda: window.sync is not None and (
            window.sync.last_report is not None or window.sync.last_error is not None),
            timeout=WAIT_MS)
        assert window.sync.last_error is None
        assert window.status.state.text() == "Online"
        after = stored_token(profile, window)
        assert after is not None and after != before  # the hub rotated it on use
        assert dialogs_shown() == []
        window.close()
    finally:
        start.close()


def revoke_every_token(hub: RunningHub) -> None:
    with hub.hub.db.writing() as session:
        session.execute(update(Token).values(revoked_at=dt.datetime.now(dt.UTC)))


def test_a_refused_stored_sign_in_is_one_sentence_and_an_offer_to_sign_in_again(
    qtbot: QtBot, profile: Profile, hub: RunningHub
) -> None:
    revoke_every_token(hub)  # expired or revoked at the hub since the last start
    start = begin(qtbot, profile)
    try:
        window = start.windows[0]
        qtbot.waitUntil(lambda: isinstance(window.dialog, SignInAgainDialog), timeout=WAIT_MS)
        offer = window.dialog
        assert isinstance(offer, SignInAgainDialog)
        assert offer.explanation.text() == STORED_SIGN_IN_REFUSED
        assert window.caseload_model.total() > 0  # the cached caseload stays usable
        assert window.status.state.text() == "Offline"
        offer.password.setText("not the password")
        qtbot.mouseClick(offer.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: offer.sign_in_button.isEnabled(), timeout=WAIT_MS)
        assert offer.message.text().startswith("The hub refused the sign-in")
        assert window.context.cache.path.exists()
        offer.password.setText(PASSWORD)
        assert window.sync is not None
        with qtbot.waitSignal(window.sync.finished, timeout=WAIT_MS):
            qtbot.mouseClick(offer.sign_in_button, Qt.MouseButton.LeftButton)
        assert window.dialog is None  # closed (and deleted)
        assert stored_token(profile, window) is not None
        assert load_settings(profile).keep_signed_in
        window.close()
    finally:
        start.close()


def test_unticking_keep_me_signed_in_shows_the_sign_in_dialog_next_time(
    qtbot: QtBot, tmp_path: Path, hub: RunningHub
) -> None:
    profile = Profile.at(tmp_path / "profile")
    first_sign_in(qtbot, profile, hub, keep=False)
    assert not load_settings(profile).keep_signed_in
    start = begin(qtbot, profile)
    try:
        assert start.dialog is not None and start.dialog.isVisible()
        assert start.windows == []
    finally:
        start.dialog.reject() if start.dialog is not None else None
        start.close()


def test_signing_out_forgets_the_stored_sign_in_and_shows_the_dialog_next_time(
    qtbot: QtBot, profile: Profile
) -> None:
    start = begin(qtbot, profile)
    try:
        window = start.windows[0]
        synced(qtbot, window)
        assert window.sign_out_action.isEnabled()
        box = confirm_sign_out(window)
        assert box.text() == SIGN_OUT_EXPLAINED
        sign_out = next(b for b in box.buttons()
                        if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
        sign_out.click()
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
        assert stored_token(profile, window) is None
        assert not load_settings(profile).keep_signed_in
        assert profile.cache_file.exists()  # the cache stays
    finally:
        start.close()
    again = begin(qtbot, profile)
    try:
        assert again.dialog is not None and again.windows == []
        assert again.dialog.hub_url.text() and again.dialog.user.text() == USER
        again.dialog.reject()
    finally:
        again.close()


def test_a_passphrase_protected_key_still_asks_for_its_passphrase(
    qtbot: QtBot, tmp_path: Path, hub: RunningHub
) -> None:
    keyring.set_keyring(fail.Keyring())  # no credential store: the key file and a passphrase
    profile = Profile.at(tmp_path / "profile")
    first_sign_in(qtbot, profile, hub, passphrase=PASSPHRASE)  # the box is not offered
    assert profile.wrapped_key_file.exists() and not load_settings(profile).keep_signed_in
    save_settings(profile, replace(load_settings(profile), keep_signed_in=True))  # even so
    start = begin(qtbot, profile)
    try:
        assert start.dialog is not None and start.windows == []
        assert start.dialog.passphrase.isVisible()
        start.dialog.reject()
    finally:
        start.close()


def test_the_idle_lock_checks_the_password_kept_in_the_cache_after_a_start_without_the_dialog(
    qtbot: QtBot, profile: Profile
) -> None:
    start = begin(qtbot, profile)
    try:
        window = start.windows[0]
        kept = read_unlock_hash(window.context.cache)
        assert kept is not None and kept.startswith("$argon2id$") and PASSWORD not in kept
        keys = window.context.key_provider
        assert keys is not None and keys.read_secret(SECRET_NAME) is None  # not beside the key
        lock = window.idle_lock
        assert lock is not None
        lock.lock()
        assert lock.is_locked
        assert not lock.try_unlock("not the password")
        assert lock.is_locked
        assert lock.try_unlock(PASSWORD)
        assert not lock.is_locked
        window.close()
    finally:
        start.close()


def test_a_start_without_the_dialog_logs_nothing_identifying(
    qtbot: QtBot, profile: Profile, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    start = begin(qtbot, profile)
    try:
        window = start.windows[0]
        synced(qtbot, window)
        token = stored_token(profile, window)
        with window.context.cache.read() as session:
            people = session.execute(select(ParticipantRow.given_name, ParticipantRow.family_name,
                                            ParticipantRow.nhs_number)).all()
        window.close()
    finally:
        start.close()
    text = caplog.text
    assert "returning user" in text
    assert token is not None and token not in text and PASSWORD not in text
    for given, family, nhs in people:
        assert nhs not in text
        assert f"{given} {family}" not in text and family not in text
