"""Result progress: reviewed, then told (and how); superseded reports cannot be marked told."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from ui_cases import make_context

from counsellor_app.domain.result import CounsellorState, InformedHow
from counsellor_app.store.tables import OutboxRow, ResultRow
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.result_progress import ResultProgressDialog


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    ctx = make_context(tmp_path / "profile")
    yield ctx
    ctx.cache.close()


def choose(combo, data) -> None:  # type: ignore[no-untyped-def]
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def result_state(context: AppContext, result_id: str) -> tuple[str, str | None]:
    with context.cache.read() as session:
        row = session.get(ResultRow, result_id)
        assert row is not None
        return row.counsellor_state, row.informed_how


def outbox_payloads(context: AppContext) -> list[dict[str, object]]:
    with context.cache.read() as session:
        rows = session.scalars(select(OutboxRow))
        payloads = [json.loads(row.payload) for row in rows]
    return sorted(payloads, key=lambda p: str(p.get("counsellor_state")))


def test_reviewed_then_told_by_phone_each_recorded_for_the_hub(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = ResultProgressDialog(context, "RES-CHILD-1")
    qtbot.addWidget(dialog)
    dialog.open()
    assert [dialog.step.itemData(i) for i in range(dialog.step.count())] == ["reviewed"]
    assert not dialog.how.isVisible()
    with qtbot.waitSignal(dialog.updated) as blocker:
        dialog.save_button.click()
    assert blocker.args == ["RES-CHILD-1"]
    assert result_state(context, "RES-CHILD-1") == ("reviewed", None)

    again = ResultProgressDialog(context, "RES-CHILD-1")
    qtbot.addWidget(again)
    again.open()
    choose(again.step, CounsellorState.PATIENT_INFORMED)
    assert again.how.isVisible()
    choose(again.how, InformedHow.PHONE)
    with qtbot.waitSignal(again.updated):
        again.save_button.click()
    assert result_state(context, "RES-CHILD-1") == ("patient_informed", "phone")
    payloads = outbox_payloads(context)
    assert [(p["result_id"], p["counsellor_state"], p["informed_how"]) for p in payloads] == [
        ("RES-CHILD-1", "patient_informed", "phone"),
        ("RES-CHILD-1", "reviewed", None),
    ]


def test_superseded_report_says_so_and_cannot_be_marked_told(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = ResultProgressDialog(context, "RES-ADULT-1")
    qtbot.addWidget(dialog)
    dialog.open()
    assert "SUPERSEDED by RES-ADULT-2" in dialog.result_line.text()
    assert dialog.step.findData(CounsellorState.PATIENT_INFORMED) == -1


def test_cancel_changes_nothing(qtbot: QtBot, context: AppContext) -> None:
    dialog = ResultProgressDialog(context, "RES-ADULT-2")
    qtbot.addWidget(dialog)
    dialog.open()
    with qtbot.waitSignal(dialog.rejected):
        dialog.buttons.rejected.emit()
    assert result_state(context, "RES-ADULT-2") == ("new", None)
    assert outbox_payloads(context) == []
