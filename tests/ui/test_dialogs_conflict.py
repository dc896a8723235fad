"""Resolving a consent conflict (rule 5): a note is required, and letters are no longer held."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from ui_cases import CONFLICTED, make_context

from counsellor_app.store.tables import AuditRow, ConsentDecisionRow, OutboxRow
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.record_store import load_record
from counsellor_app.ui.dialogs.resolve_conflict import ResolveConflictDialog


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    ctx = make_context(tmp_path / "profile")
    yield ctx
    ctx.cache.close()


def test_conflict_resolved_with_a_note_releases_the_hold_on_letters(
    qtbot: QtBot, context: AppContext
) -> None:
    ledger = load_record(context, CONFLICTED).ledger
    assert [d.decision_id for d in ledger.conflicts()] == ["D-7"]
    dialog = ResolveConflictDialog(context, "D-7")
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.participant_line.text().startswith("Eleni Σταύρου")
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.note, "Phoned the patient: the withdrawal stands.")
    with qtbot.waitSignal(dialog.resolved) as blocker:
        dialog.save_button.click()
    assert blocker.args == ["D-7"]
    with context.cache.read() as session:
        row = session.get(ConsentDecisionRow, "D-7")
        assert row is not None and row.conflict_resolved
        assert [o.kind for o in session.scalars(select(OutboxRow))] == ["conflict_resolved"]
        assert [a.action for a in session.scalars(select(AuditRow))] == [
            "consent.conflict_resolved"
        ]
    assert load_record(context, CONFLICTED).ledger.conflicts() == ()


def test_a_decision_without_a_conflict_cannot_be_marked_resolved(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = ResolveConflictDialog(context, "D-1")
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.keyClicks(dialog.note, "Nothing to do.")
    assert not dialog.save_button.isEnabled()
    assert dialog.problem.text() == "This decision has no conflict waiting to be resolved."


def test_cancel_changes_nothing(qtbot: QtBot, context: AppContext) -> None:
    dialog = ResolveConflictDialog(context, "D-7")
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.keyClicks(dialog.note, "Not yet.")
    with qtbot.waitSignal(dialog.rejected):
        dialog.reject()
    assert [d.decision_id for d in load_record(context, CONFLICTED).ledger.conflicts()] == ["D-7"]
