"""The settings dialog writes exactly what was typed to the profile, and Cancel writes nothing."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from keyboard_input import replace_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from counsellor_app.letters.letterhead import load_letterhead
from counsellor_app.store.paths import Profile
from counsellor_app.ui.dialogs.settings import SettingsDialog
from counsellor_app.ui.settings_store import AppSettings, load_settings


def test_settings_saved_as_typed_and_read_by_the_letters_core(qtbot: QtBot, tmp_path: Path) -> None:
    profile = Profile.at(tmp_path / "profile")
    dialog = SettingsDialog(SimpleNamespace(profile=profile))
    qtbot.addWidget(dialog)
    dialog.open()
    replace_text(qtbot, dialog.hub_url, "http://127.0.0.1:8765/")
    replace_text(qtbot, dialog.idle_minutes.lineEdit(), "7")
    replace_text(qtbot, dialog.sync_minutes.lineEdit(), "3")
    replace_text(qtbot, dialog.letterhead_fields["team"], "Ysbyty Gwynedd Genetics & Co <b>")
    replace_text(qtbot, dialog.letterhead_fields["signer_name"], "Siân Ŵyn")
    dialog.address.setPlainText("Penrhosgarnedd\n\nBangor \"North\"\n")

    with qtbot.waitSignal(dialog.saved) as blocker:
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    assert dialog.result() == dialog.DialogCode.Accepted
    assert blocker.args == [AppSettings("http://127.0.0.1:8765", "", 7, 3)]
    assert load_settings(profile) == AppSettings("http://127.0.0.1:8765", "", 7, 3)
    letterhead = load_letterhead(profile.root)
    assert letterhead.team == "Ysbyty Gwynedd Genetics & Co <b>"
    assert letterhead.signer_name == "Siân Ŵyn"
    assert letterhead.address == ("Penrhosgarnedd", 'Bangor "North"')
    assert (profile.settings_file.stat().st_mode & 0o777) == 0o600


def test_cancel_writes_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    profile = Profile.at(tmp_path / "profile")
    dialog = SettingsDialog(SimpleNamespace(profile=profile))
    qtbot.addWidget(dialog)
    dialog.open()
    replace_text(qtbot, dialog.hub_url, "https://hub.example.nhs.uk")
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not profile.settings_file.exists()
    assert not (profile.root / "letterhead.toml").exists()


def test_plain_http_hub_refused_with_a_sentence(qtbot: QtBot, tmp_path: Path) -> None:
    profile = Profile.at(tmp_path / "profile")
    dialog = SettingsDialog(SimpleNamespace(profile=profile))
    qtbot.addWidget(dialog)
    dialog.open()
    replace_text(qtbot, dialog.hub_url, "http://hub.example.nhs.uk")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.isVisible()
    assert dialog.message.text().startswith("Refusing to sync over plain http")
    assert not profile.settings_file.exists()


def test_empty_letterhead_line_is_named_and_nothing_saved(qtbot: QtBot, tmp_path: Path) -> None:
    profile = Profile.at(tmp_path / "profile")
    dialog = SettingsDialog(SimpleNamespace(profile=profile))
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.letterhead_fields["telephone"].clear()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.message.text() == (
        "The letterhead needs every line filled in; missing: telephone."
    )
    assert not profile.settings_file.exists()
