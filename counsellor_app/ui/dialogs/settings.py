"""The settings dialog: hub address, idle lock, sync interval and the team letterhead."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.domain.errors import DomainError
from counsellor_app.letters.letterhead import Letterhead
from counsellor_app.sync.hub_address import checked_hub_url
from counsellor_app.ui.dialogs.parts import MessageLine, plain_label
from counsellor_app.ui.settings_store import (
    MAX_IDLE_LOCK_MINUTES,
    MAX_SYNC_INTERVAL_MINUTES,
    AppSettings,
    load_settings,
    load_team_letterhead,
    save_settings,
    save_team_letterhead,
)

log = logging.getLogger(__name__)

_LETTERHEAD_LINES = (
    ("team", "&Team:"),
    ("hospital", "&Hospital:"),
    ("postcode", "Post&code:"),
    ("telephone", "Tele&phone:"),
    ("email", "&Email:"),
    ("glh", "&Genomic Laboratory Hub:"),
    ("signer_name", "Signed by (&name):"),
    ("signer_role", "Signed by (&role):"),
)


class SettingsDialog(QDialog):
    """Edits the profile's settings; ``saved`` carries the new settings after they are written.

    ``context`` needs a ``profile`` (``store.paths.Profile``). Nothing is written on Cancel.
    """

    saved = Signal(object)  # AppSettings

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._profile = context.profile
        self._settings = load_settings(self._profile)
        layout = QVBoxLayout(self)

        general = QGroupBox("Hub and security")
        form = QFormLayout(general)
        self.hub_url = QLineEdit(self._settings.hub_url)
        self.hub_url.setPlaceholderText("https://hub.example.nhs.uk")
        self.hub_url.setAccessibleName("Hub address")
        form.addRow("Hub &address:", self.hub_url)
        form.addRow("", plain_label("A new hub address is used at the next sign-in."))
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(1, MAX_IDLE_LOCK_MINUTES)
        self.idle_minutes.setSuffix(" minutes")
        self.idle_minutes.setValue(self._settings.idle_lock_minutes)
        self.idle_minutes.setAccessibleName("Lock after minutes without input")
        form.addRow("&Lock after:", self.idle_minutes)
        self.sync_minutes = QSpinBox()
        self.sync_minutes.setRange(1, MAX_SYNC_INTERVAL_MINUTES)
        self.sync_minutes.setSuffix(" minutes")
        self.sync_minutes.setValue(self._settings.sync_interval_minutes)
        self.sync_minutes.setAccessibleName("Sync every minutes")
        form.addRow("&Sync every:", self.sync_minutes)
        layout.addWidget(general)

        letterhead_box = QGroupBox("Team letterhead (printed on every letter)")
        letter_form = QFormLayout(letterhead_box)
        self.letterhead_fields: dict[str, QLineEdit] = {}
        try:
            current: Letterhead | None = load_team_letterhead(self._profile)
        except DomainError as exc:
            current = None
            self._initial_problem = str(exc)
        else:
            self._initial_problem = ""
        for name, label in _LETTERHEAD_LINES[:2]:
            self._add_letterhead_line(letter_form, name, label, current)
        self.address = QPlainTextEdit("\n".join(current.address) if current else "")
        self.address.setAccessibleName("Letterhead address, one line each")
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        letter_form.addRow("A&ddress (one line each):", self.address)
        for name, label in _LETTERHEAD_LINES[2:]:
            self._add_letterhead_line(letter_form, name, label, current)
        layout.addWidget(letterhead_box)

        self.message = MessageLine(self)
        layout.addWidget(self.message)
        if self._initial_problem:
            self.message.show_problem(self._initial_problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _add_letterhead_line(
        self, form: QFormLayout, name: str, label: str, current: Letterhead | None
    ) -> None:
        edit = QLineEdit(str(getattr(current, name)) if current else "")
        edit.setAccessibleName(label.replace("&", "").rstrip(":"))
        self.letterhead_fields[name] = edit
        form.addRow(label, edit)

    def entered_settings(self) -> AppSettings:
        return replace(
            self._settings,
            hub_url=self.hub_url.text().strip(),
            idle_lock_minutes=self.idle_minutes.value(),
            sync_interval_minutes=self.sync_minutes.value(),
        )

    def entered_letterhead(self) -> Letterhead:
        """The letterhead as typed; every line is required, as the letters core needs them."""
        values = {name: edit.text().strip() for name, edit in self.letterhead_fields.items()}
        address = tuple(
            line.strip() for line in self.address.toPlainText().splitlines() if line.strip()
        )
        missing = [name for name, value in values.items() if not value]
        if not address:
            missing.append("address")
        if missing:
            words = ", ".join(name.replace("_", " ") for name in missing)
            raise DomainError(f"The letterhead needs every line filled in; missing: {words}.")
        return Letterhead(address=address, **values)

    def save(self) -> None:
        """Checks and writes the settings; on a problem, says so and keeps the dialog open."""
        settings = self.entered_settings()
        try:
            if settings.hub_url:
                settings = replace(settings, hub_url=checked_hub_url(settings.hub_url))
            letterhead = self.entered_letterhead()
            save_settings(self._profile, settings)
            save_team_letterhead(self._profile, letterhead)
        except DomainError as exc:
            self.message.show_problem(str(exc))
            return
        except OSError:
            log.exception("settings could not be written")
            self.message.show_problem(
                "The settings could not be written to the profile folder. Check that the "
                "disk is not full and the folder is yours, then try again."
            )
            return
        self.saved.emit(settings)
        self.accept()
