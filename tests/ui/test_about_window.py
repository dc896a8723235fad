"""The About window tells the version, licence, where the cache and its key are, and the logs."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from counsellor_app import __version__
from counsellor_app.store.engine import open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.ui.about import LICENCE, AboutDialog, about_facts
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.settings_store import AppSettings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    profile = Profile.at(tmp_path / "profile").ensure()
    provider = KeyProvider(profile)
    cache = open_cache(profile, provider, create=True)
    yield AppContext(
        profile=profile, cache=cache, user_name="J. Evans", hub_url="https://hub.example.nhs.uk",
        settings=AppSettings(), key_provider=provider,
    )
    cache.close()


def test_about_shows_version_licence_cache_and_key_store(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = AboutDialog(about_facts(context))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.values["Version"].text() == __version__
    assert dialog.values["Licence"].text() == LICENCE
    assert dialog.values["Cache"].text() == str(context.profile.cache_file)
    assert dialog.values["Cache key kept in"].text() == context.key_provider.description  # type: ignore[union-attr]
    assert dialog.values["Cache key kept in"].text().startswith("the system credential store")
    assert dialog.values["Log files"].text() == str(context.profile.logs_dir)
    assert dialog.values["Hub"].text() == "https://hub.example.nhs.uk"


def test_about_names_the_key_file_when_the_key_is_passphrase_protected(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    import keyring.backends.fail

    keyring.set_keyring(keyring.backends.fail.Keyring())  # conftest restores the test keyring
    profile = Profile.at(tmp_path / "profile").ensure()
    provider = KeyProvider(profile, environ={"COUNSELLOR_PASSPHRASE": "a long passphrase"})
    with open_cache(profile, provider, create=True) as cache:
        context = AppContext(profile=profile, cache=cache, user_name="J. Evans", hub_url="",
                             settings=AppSettings(), key_provider=provider)
        facts = about_facts(context)
    assert facts.key_store == "a passphrase-protected key file beside the cache"
    assert "Hub: not set" in facts.as_text()


def test_copy_details_puts_the_facts_on_the_clipboard(qtbot: QtBot, context: AppContext) -> None:
    dialog = AboutDialog(about_facts(context))
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert f"Version: {__version__}" in copied
    assert f"Cache: {context.profile.cache_file}" in copied


def test_licence_shown_is_the_project_licence() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert LICENCE == f"{project['license']['text']} licence"
