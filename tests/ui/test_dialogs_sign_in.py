"""Sign-in: first run, where the key is kept, passphrases, offline, each error as a sentence."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_hub import PASSWORD, USER, start_hub

from counsellor_app.hub.server import RunningHub
from counsellor_app.store.paths import Profile
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.sign_in import SignInDialog
from counsellor_app.ui.settings_store import load_settings
from counsellor_app.ui.sync_worker import SyncController
from counsellor_app.ui.unlock_secret import unlock_verifier

WAIT_MS = 30_000
PASSPHRASE = "correct horse battery"


def no_wait(seconds: float, cancel: threading.Event) -> bool:
    return not cancel.is_set()


@pytest.fixture
def running_hub(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[RunningHub]:
    hub, _url = start_hub(tmp_path_factory, tmp_path / "hub")
    yield hub
    hub.stop()


@pytest.fixture
def no_credential_store() -> None:
    """A machine without a usable credential store (the autouse fixture restores it after)."""
    keyring.set_keyring(fail.Keyring())


def make_dialog(qtbot: QtBot, profile: Profile) -> SignInDialog:
    dialog = SignInDialog(profile, sleeper=no_wait, environ={})
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def fill(qtbot: QtBot, dialog: SignInDialog, hub_url: str, password: str = PASSWORD) -> None:
    fields = ((dialog.hub_url, hub_url), (dialog.user, USER), (dialog.password, password))
    for widget, text in fields:
        widget.clear()
        qtbot.keyClicks(widget, text)


def sign_in_ok(qtbot: QtBot, dialog: SignInDialog) -> AppContext:
    with qtbot.waitSignal(dialog.signed_in, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    context = blocker.args[0]
    assert isinstance(context, AppContext)
    assert not dialog.isVisible()
    return context


def sign_in_fails(qtbot: QtBot, dialog: SignInDialog) -> str:
    """Clicks Sign in, waits for the worker, and returns the sentence the dialog shows."""
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_working, timeout=WAIT_MS)
    assert dialog.isVisible()
    assert dialog.sign_in_button.isEnabled()
    message = dialog.message.text()
    assert "Traceback" not in message
    assert message.endswith(".")
    return message


def test_first_sign_in_says_where_the_key_is_kept_and_opens_a_new_cache(
    qtbot: QtBot, running_hub: RunningHub, tmp_path: Path
) -> None:
    profile = Profile.at(tmp_path / "profile")
    dialog = make_dialog(qtbot, profile)
    assert dialog.key_note.text().startswith("The cache key is kept in the system credential store")
    assert not dialog.passphrase.isVisible()
    fill(qtbot, dialog, running_hub.url)
    context = sign_in_ok(qtbot, dialog)
    assert (context.hub_url, context.user_name) == (running_hub.url, USER)
    assert profile.cache_file.exists()
    assert load_settings(profile).hub_url == running_hub.url
    assert load_settings(profile).user_name == USER
    assert context.key_provider is not None
    assert unlock_verifier(context.cache, context.key_provider)(PASSWORD)
    assert not unlock_verifier(context.cache, context.key_provider)("not the password")
    assert dialog.password.text() == ""
    context.cache.close()


def test_wrong_password_is_a_sentence(
    qtbot: QtBot, running_hub: RunningHub, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, Profile.at(tmp_path / "profile"))
    fill(qtbot, dialog, running_hub.url, "wrong-password")
    assert sign_in_fails(qtbot, dialog) == (
        "The hub refused the sign-in: the user name or password is wrong, or the account is "
        "disabled. Check them and try again."
    )


def test_unreachable_hub_is_a_sentence(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, Profile.at(tmp_path / "profile"))
    fill(qtbot, dialog, "http://127.0.0.1:9")
    assert sign_in_fails(qtbot, dialog).startswith(
        "The hub could not be reached, so this first sign-in cannot be checked."
    )


def test_plain_http_to_another_machine_is_refused_with_a_sentence(
    qtbot: QtBot, tmp_path: Path
) -> None:
    profile = Profile.at(tmp_path / "profile")
    dialog = make_dialog(qtbot, profile)
    fill(qtbot, dialog, "http://hub.example.nhs.uk")
    assert sign_in_fails(qtbot, dialog).startswith("Refusing to sync over plain http")
    assert not profile.cache_file.exists()


def test_offline_sign_in_opens_the_cache_with_the_last_password_only(
    qtbot: QtBot, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    hub, _url = start_hub(tmp_path_factory, tmp_path / "hub")
    profile = Profile.at(tmp_path / "profile")
    first = make_dialog(qtbot, profile)
    fill(qtbot, first, hub.url)
    sign_in_ok(qtbot, first).cache.close()
    hub_url = hub.url
    hub.stop()

    wrong = make_dialog(qtbot, profile)
    assert wrong.hub_url.text() == hub_url and wrong.user.text() == USER
    fill(qtbot, wrong, hub_url, "wrong-password")
    assert sign_in_fails(qtbot, wrong).startswith(
        "The hub could not be reached, and that password is not the one last used"
    )
    right = make_dialog(qtbot, profile)
    fill(qtbot, right, hub_url)
    context = sign_in_ok(qtbot, right)
    assert right.offline
    context.cache.close()


def test_without_a_credential_store_a_passphrase_protects_the_key(
    qtbot: QtBot, running_hub: RunningHub, tmp_path: Path, no_credential_store: None
) -> None:
    profile = Profile.at(tmp_path / "profile")
    dialog = make_dialog(qtbot, profile)
    assert "protected by a passphrase you choose now" in dialog.key_note.text()
    assert dialog.passphrase.isVisible() and dialog.passphrase_again.isVisible()
    fill(qtbot, dialog, running_hub.url)
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClicks(dialog.passphrase_again, "something else")
    assert sign_in_fails(qtbot, dialog) == "The two passphrases are not the same. Type them again."
    dialog.passphrase_again.clear()
    qtbot.keyClicks(dialog.passphrase_again, PASSPHRASE)
    sign_in_ok(qtbot, dialog).cache.close()
    assert profile.wrapped_key_file.exists()

    again = make_dialog(qtbot, profile)
    assert again.key_note.text().startswith("The cache key is kept in a key file beside the cache")
    assert again.passphrase.isVisible() and not again.passphrase_again.isVisible()
    fill(qtbot, again, running_hub.url)
    qtbot.keyClicks(again.passphrase, "not the passphrase")
    assert sign_in_fails(qtbot, again).startswith("The passphrase did not unlock the cache key.")
    again.passphrase.clear()
    qtbot.keyClicks(again.passphrase, PASSPHRASE)
    context = sign_in_ok(qtbot, again)
    assert context.key_provider is not None
    unlock = unlock_verifier(context.cache, context.key_provider)  # the idle lock takes either
    assert unlock(PASSPHRASE) and unlock(PASSWORD)
    assert not unlock("neither of them")
    context.cache.close()


def test_cancel_makes_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    profile = Profile.at(tmp_path / "profile")
    dialog = make_dialog(qtbot, profile)
    fill(qtbot, dialog, "https://hub.example.nhs.uk")
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not profile.cache_file.exists()
    assert not profile.settings_file.exists()


class ForgetfulKeyring(KeyringBackend):
    """A credential store that looks usable but keeps nothing (a locked wallet, say)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        return None

    def delete_password(self, service: str, username: str) -> None:
        return None


def test_a_credential_store_that_keeps_nothing_leads_to_a_passphrase(
    qtbot: QtBot, running_hub: RunningHub, tmp_path: Path
) -> None:
    keyring.set_keyring(ForgetfulKeyring())
    profile = Profile.at(tmp_path / "profile")
    dialog = make_dialog(qtbot, profile)
    assert not dialog.passphrase.isVisible()
    fill(qtbot, dialog, running_hub.url)
    assert "cache key is protected by a passphrase" in sign_in_fails(qtbot, dialog)
    assert dialog.passphrase.isVisible() and dialog.passphrase_again.isVisible()
    assert "would not keep the cache key" in dialog.key_note.text()
    assert not profile.cache_file.exists()
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClicks(dialog.passphrase_again, PASSPHRASE)
    sign_in_ok(qtbot, dialog).cache.close()
    assert profile.wrapped_key_file.exists()


def test_another_user_cannot_open_this_profiles_cache(
    qtbot: QtBot, running_hub: RunningHub, tmp_path: Path
) -> None:
    profile = Profile.at(tmp_path / "profile")
    first = make_dialog(qtbot, profile)
    fill(qtbot, first, running_hub.url)
    context = sign_in_ok(qtbot, first)
    sync = SyncController(context)  # signs in with the refresh token kept at sign-in
    with qtbot.waitSignal(sync.finished, timeout=WAIT_MS):
        sync.sync_now()
    context.cache.close()

    other = make_dialog(qtbot, profile)
    fill(qtbot, other, running_hub.url)
    other.user.clear()
    qtbot.keyClicks(other.user, "clinician-cardiff")
    assert sign_in_fails(qtbot, other).startswith("This cache belongs to another hub user.")
