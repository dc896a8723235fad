"""Rule 5 in the main window: a consent conflict is resolved from the inbox or the consent tab,
and until a person has resolved it the letters are held."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from ui_cases import CONFLICTED, make_context

from counsellor_app.store.tables import ConsentDecisionRow, OutboxRow
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.record_store import load_record
from counsellor_app.ui.dialogs.resolve_conflict import ResolveConflictDialog
from counsellor_app.ui.main_window import MainWindow
from counsellor_app.ui.models.record_table import RECORD_ROLE
from counsellor_app.ui.views.case_record import CaseTab


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    ctx = make_context(tmp_path / "profile")
    yield ctx
    ctx.cache.close()


@pytest.fixture
def window(qtbot: QtBot, context: AppContext) -> MainWindow:
    main = MainWindow(context)
    qtbot.addWidget(main)
    with qtbot.waitSignals([main.inbox.loaded, main.caseload_model.loaded]):
        main.load_initial()
    with qtbot.waitExposed(main):
        main.show()
    return main


def _resolve_in_dialog(qtbot: QtBot, window: MainWindow, note: str) -> None:
    dialog = window.dialog
    assert isinstance(dialog, ResolveConflictDialog)
    qtbot.keyClicks(dialog.note, note)
    with qtbot.waitSignal(window.inbox.loaded):  # the save refreshes every view
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.dialog is None


def _held(context: AppContext) -> bool:
    with context.cache.read() as session:
        row = session.get(ConsentDecisionRow, "D-7")
        assert row is not None
        return bool(row.conflict and not row.conflict_resolved)


def test_the_inbox_conflict_opens_the_consent_tab_and_the_resolve_dialog(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    model = window.inbox.model
    problems = model.index(0, 0)
    assert model.data(problems) == "Sync conflicts and rejected changes (1)"
    conflict = model.index(0, 0, problems)
    assert window.inbox.tree.currentIndex() == conflict  # the first thing to act on is chosen
    qtbot.keyClick(window.inbox.tree, Qt.Key.Key_Return)
    assert window.case_record.participant_id == CONFLICTED
    assert window.case_record.current_tab() is CaseTab.CONSENT
    chosen = window.case_record.consent.timeline_table.currentIndex().data(RECORD_ROLE)
    assert chosen.decision_id == "D-7"
    assert window.case_record.consent.resolve_button.isVisible()
    assert _held(context)

    _resolve_in_dialog(qtbot, window, "Phoned the patient: the withdrawal stands.")

    assert not _held(context)
    assert load_record(context, CONFLICTED).ledger.conflicts() == ()
    with context.cache.read() as session:
        assert [o.kind for o in session.scalars(select(OutboxRow))] == ["conflict_resolved"]
    assert not window.case_record.consent.resolve_button.isVisible()
    assert "letters are blocked" not in window.case_record.consent.summary.text()
    model = window.inbox.model
    last = model.index(model.rowCount() - 1, 0)
    assert model.data(last) == "Sync conflicts and rejected changes: none"  # empty: last, muted
    assert not model.flags(last) & Qt.ItemFlag.ItemIsSelectable
    assert model.item(window.inbox.tree.currentIndex()) is not None


def test_the_consent_tab_resolves_the_conflict_from_the_keyboard(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    window.open_case(CONFLICTED, CaseTab.CONSENT)
    consent = window.case_record.consent
    assert "letters are blocked until a person resolves it" in consent.summary.text()
    assert consent.resolve_button.isVisible()
    assert consent.conflict_to_resolve() == "D-7"
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(consent.timeline_table, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(window.dialog, ResolveConflictDialog))  # Re&solve

    _resolve_in_dialog(qtbot, window, "Spoke to the patient in clinic.")

    assert not _held(context)
    assert not consent.resolve_button.isVisible()


def test_cancelling_the_dialog_keeps_the_letters_held(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    window.open_case(CONFLICTED, CaseTab.CONSENT)
    qtbot.mouseClick(window.case_record.consent.resolve_button, Qt.MouseButton.LeftButton)
    dialog = window.dialog
    assert isinstance(dialog, ResolveConflictDialog)
    qtbot.keyClicks(dialog.note, "Not yet.")
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert _held(context)
    assert window.case_record.consent.resolve_button.isVisible()
    with context.cache.read() as session:
        assert list(session.scalars(select(OutboxRow))) == []
