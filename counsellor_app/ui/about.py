"""The About window: version, licence, where the cache and its key are, where the logs are."""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counsellor_app import __version__
from counsellor_app.store.paths import Profile
from counsellor_app.ui.context import AppContext

LICENCE = "MIT licence"  # pyproject.toml's licence (a test keeps the two in step)
SUMMARY = "Caseload, consent and letters for NHS clinical genetics teams."


@dataclass(frozen=True, slots=True)
class AboutFacts:
    """What the About window shows; also the plain text support staff ask for."""

    version: str
    licence: str
    cache_file: Path
    key_store: str
    log_folder: Path
    hub_url: str
    build: str

    def as_text(self) -> str:
        """The facts as lines of "label: value" (copied to the clipboard for support)."""
        return "\n".join(f"{label}: {value}" for label, value in self.rows())

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("Version", self.version),
            ("Licence", self.licence),
            ("Cache", str(self.cache_file)),
            ("Cache key kept in", self.key_store),
            ("Log files", str(self.log_folder)),
            ("Hub", self.hub_url or "not set"),
            ("Build", self.build),
        ]


def build_description() -> str:
    """How this copy runs: bundle or source, with the Python and Qt versions."""
    how = "installed bundle" if getattr(sys, "frozen", False) else "from source"
    return (
        f"{how}; Python {platform.python_version()}, Qt for Python {pyside_version}, "
        f"{platform.system()} {platform.machine()}"
    )


def about_facts(context: AppContext) -> AboutFacts:
    """The facts of this session; the key's place comes from the store's key provider."""
    profile: Profile = context.profile
    if context.key_provider is not None:
        key_store = context.key_provider.description
    else:
        key_store = context.key_description
    return AboutFacts(
        version=__version__,
        licence=LICENCE,
        cache_file=context.cache.path,
        key_store=key_store,
        log_folder=profile.logs_dir,
        hub_url=context.hub_url,
        build=build_description(),
    )


class AboutDialog(QDialog):
    """Shows ``AboutFacts`` as plain text; "Copy details" puts them on the clipboard."""

    def __init__(self, facts: AboutFacts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facts = facts
        self.setWindowTitle("About Counsellor Desk")
        self.setObjectName("aboutDialog")
        layout = QVBoxLayout(self)
        title = QLabel(f"Counsellor Desk {facts.version}", self)
        title.setTextFormat(Qt.TextFormat.PlainText)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        summary = QLabel(SUMMARY, self)
        summary.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(summary)
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for label, value in facts.rows():
            shown = QLabel(value, self)
            shown.setTextFormat(Qt.TextFormat.PlainText)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            form.addRow(f"{label}:", shown)
            self.values[label] = shown
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("&Copy details", self)
        self.copy_button.setToolTip("Copy these details to give to your IT service desk")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.facts.as_text())
