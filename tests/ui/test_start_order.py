"""The desktop start as ``counsellor-app`` runs it (``ui.app.DesktopStart``): the cache read
while the sign-in dialog waits, shown at "Sign in" only if it is still what the cache holds;
search at once; a wrong key a sentence that changes nothing; the idle lock's hash after."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import update
from ui_hub import PASSWORD, USER, start_hub

from counsellor_app.hub.server import RunningHub
from counsellor_app.store.caseload import count_caseload, search_caseload
from counsellor_app.store.engine import open_cache
from counsellor_app.store.keys import SERVICE, KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.store.tables import ParticipantRow
from counsellor_app.ui.app import DesktopStart
from counsellor_app.ui.main_window import MainWindow
from counsellor_app.ui.models.caseload_model import PAGE_SIZE
from counsellor_app.ui.models.inbox_sections import load_inbox
from counsellor_app.ui.unlock_secret import unlock_verifier

WAIT_MS = 30_000


def no_wait(seconds: float, cancel: threading.Event) -> bool:
    return not cancel.is_set()


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).astimezone().date()  # the app's "today" (real clock)


@pytest.fixture
def hub(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[RunningHub]:
    running, _url = start_hub(tmp_path_factory, tmp_path / "hub")
    yield running
    running.stop()


@pytest.fixture
def profile(qtbot: QtBot, tmp_path: Path, hub: RunningHub) -> Profile:
    """A returning user's profile who chose not to stay signed in (so every start shows the
    sign-in dialog): signed in once (the cache made, its key in the credential store) and
    synced from the hub, which has nothing newer since."""
    profile = Profile.at(tmp_path / "profile")
    start = begin(qtbot, profile)
    try:
        start.dialog.keep_signed_in.setChecked(False)
        start.dialog.hub_url.setText(hub.url)
        start.dialog.user.setText(USER)
        sign_in(qtbot, start)
        qtbot.waitUntil(lambda: bool(start.windows), timeout=WAIT_MS)
        window = start.windows[0]
        qtbot.addWidget(window)
        assert window.sync is not None
        with qtbot.waitSignal(window.sync.finished, timeout=WAIT_MS):
            pass
        qtbot.waitUntil(lambda: window.caseload_model.total() > 0, timeout=WAIT_MS)
        window.close()
    finally:
        start.close()
    return profile


def begin(qtbot: QtBot, profile: Profile) -> DesktopStart:
    start = DesktopStart(profile, sleeper=no_wait)
    qtbot.addWidget(start.dialog)
    return start


def sign_in(qtbot: QtBot, start: DesktopStart, password: str = PASSWORD) -> None:
    start.dialog.password.setText(password)
    qtbot.mouseClick(start.dialog.sign_in_button, Qt.MouseButton.LeftButton)


def main_window(qtbot: QtBot, start: DesktopStart) -> MainWindow:
    qtbot.waitUntil(lambda: bool(start.windows), timeout=WAIT_MS)
    window = start.windows[0]
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.is_ready, timeout=WAIT_MS)
    return window


def ready_when_signed_in(start: DesktopStart) -> list[bool]:
    """Whether the window was filled the moment it was made (from the read-ahead)."""
    seen: list[bool] = []
    start.dialog.signed_in.connect(lambda _context: seen.append(start.windows[0].is_ready))
    return seen


def shown(window: MainWindow) -> list[str]:
    model = window.caseload_model
    return [model.row_record(row).participant_id for row in range(model.rowCount())]


def test_sign_in_shows_at_once_the_first_page_and_inbox_read_while_the_dialog_waited(
    qtbot: QtBot, profile: Profile
) -> None:
    start = begin(qtbot, profile)
    try:
        qtbot.waitUntil(start.read_ahead.done, timeout=WAIT_MS)
        at_once = ready_when_signed_in(start)
        sign_in(qtbot, start)
        window = main_window(qtbot, start)
        assert at_once == [True]
        with window.context.cache.read() as session:
            want = search_caseload(session, today=today(), limit=PAGE_SIZE)
            total = count_caseload(session, today=today())
            inbox = load_inbox(session, today())
        assert shown(window) == [row.participant_id for row in want]
        assert window.caseload_model.total() == total
        assert list(window.inbox.model.sections()) == inbox
        assert window.caseload.count.text() == f"{total:,} participants"
        window.close()
    finally:
        start.close()


def test_a_search_typed_right_after_sign_in_is_answered(qtbot: QtBot, profile: Profile) -> None:
    start = begin(qtbot, profile)
    try:
        sign_in(qtbot, start)  # at once: the sign-in waits for the read-ahead
        window = main_window(qtbot, start)
        first = window.caseload_model.row_record(0)
        window.focus_search()
        with qtbot.waitSignal(window.caseload_model.loaded, timeout=WAIT_MS):
            qtbot.keyClicks(window.caseload.search, first.family_name)
        with window.context.cache.read() as session:
            want = search_caseload(session, text=first.family_name, today=today(),
                                   limit=PAGE_SIZE)
        assert want and shown(window) == [row.participant_id for row in want]
        window.close()
    finally:
        start.close()


def test_a_cache_changed_after_it_was_read_ahead_is_read_again_at_sign_in(
    qtbot: QtBot, profile: Profile
) -> None:
    start = begin(qtbot, profile)
    try:
        qtbot.waitUntil(start.read_ahead.done, timeout=WAIT_MS)
        other = open_cache(profile, KeyProvider(profile), create=False)  # e.g. the CLI
        try:
            with other.read() as session:
                first = search_caseload(session, today=today(), limit=1)[0]
            with other.write() as session:
                session.execute(update(ParticipantRow)
                                .where(ParticipantRow.participant_id == first.participant_id)
                                .values(given_name="Changed-since"))
        finally:
            other.close()
        at_once = ready_when_signed_in(start)
        sign_in(qtbot, start)
        window = main_window(qtbot, start)
        assert at_once == [False]  # not the answers read before the change
        assert window.caseload_model.row_record(0).given_name == "Changed-since"
        window.close()
    finally:
        start.close()


def test_a_wrong_key_is_one_sentence_and_changes_nothing(
    qtbot: QtBot, profile: Profile
) -> None:
    keys = KeyProvider(profile)
    keys.key(create=False)
    import keyring

    keyring.get_keyring().set_password(SERVICE, f"cache-key@{profile.identity}",
                                       secrets.token_bytes(32).hex())
    before = hashlib.sha256(profile.cache_file.read_bytes()).hexdigest()
    start = begin(qtbot, profile)
    try:
        qtbot.waitUntil(start.read_ahead.done, timeout=WAIT_MS)
        sign_in(qtbot, start)
        qtbot.waitUntil(lambda: not start.dialog.is_working, timeout=WAIT_MS)
        message = start.dialog.message.text()
        assert message == (
            "The cache could not be opened with this key. Check the passphrase (or that you "
            "are signed in as the user who made the cache) and try again; the cache was not "
            "changed."
        )
        assert start.windows == []
        assert start.dialog.isVisible()
    finally:
        start.close()
    assert hashlib.sha256(profile.cache_file.read_bytes()).hexdigest() == before


def test_the_idle_lock_knows_the_password_once_the_window_has_painted(
    qtbot: QtBot, profile: Profile
) -> None:
    start = begin(qtbot, profile)
    try:
        sign_in(qtbot, start)
        window = main_window(qtbot, start)
        keys, cache = window.context.key_provider, window.context.cache
        assert keys is not None
        qtbot.waitUntil(lambda: unlock_verifier(cache, keys)(PASSWORD), timeout=WAIT_MS)
        assert not unlock_verifier(cache, keys)("not the password")
        window.close()
    finally:
        start.close()


def test_cancelling_the_sign_in_closes_the_cache_read_behind_it(
    qtbot: QtBot, profile: Profile
) -> None:
    start = begin(qtbot, profile)
    qtbot.waitUntil(start.read_ahead.done, timeout=WAIT_MS)
    start.dialog.reject()
    start.close()
    assert start.read_ahead.take(0) is None  # closed, and nothing left to hand over
    assert start.windows == []


def test_closing_before_the_dialog_has_painted_reads_nothing(
    qtbot: QtBot, profile: Profile
) -> None:
    start = DesktopStart(profile, sleeper=no_wait)
    qtbot.addWidget(start.dialog)
    start.dialog.reject()
    start.close()  # returns at once: the reading never began
    assert not start.read_ahead.started
    assert start.read_ahead.take(0) is None
