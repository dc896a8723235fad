"""A letters refusal that gives command-line advice reads as advice for the app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_cases import CHILD, TODAY, make_context

from counsellor_app.domain.result import Result, ResultKind, ResultOutcome
from counsellor_app.store.bulk import insert_records
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.letters.batch_dialog import BatchLettersDialog, targets_for_participants
from counsellor_app.ui.letters.wording import app_sentence


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    ctx = make_context(tmp_path / "profile")
    second = Result(
        "RES-CHILD-2", f"C-{CHILD}", CHILD, ResultKind.REANALYSIS,
        ResultOutcome.NO_CAUSATIVE_VARIANT, 1, dt.date(2026, 10, 1), "No variant found.",
    )
    with ctx.cache.write() as session:
        insert_records(session, participants=[], cases=[], results=[second], requests=[],
                       decisions=[], today=TODAY)
    yield ctx
    ctx.cache.close()


def test_a_batch_refusal_for_a_case_with_two_results_says_what_to_do_in_the_app(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = BatchLettersDialog(context, targets=targets_for_participants(context, [CHILD]))
    qtbot.addWidget(dialog)
    dialog.open()
    with qtbot.waitSignal(dialog.batch_finished, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    [refusal] = blocker.args[0].refused
    assert refusal.reason.endswith("choose one with --result.")  # the core's CLI sentence
    shown = dialog.refusals.item(0).text()
    assert "--" not in shown
    assert shown.endswith(
        f"(C-{CHILD}): Case C-{CHILD} has 2 current results: write this letter from the case "
        "record's Letters tab and choose the result it is about."
    )


def test_other_refusals_are_kept_word_for_word() -> None:
    reason = "No result letter can be written: the participant has withdrawn from contact."
    assert app_sentence(reason) == reason
    several = "Case C-1 has 2 open requests for a sample letter: choose one with --request."
    assert app_sentence(several) == (
        "Case C-1 has 2 open requests for a sample letter: write this letter from the case "
        "record's "
        "Letters tab and choose the request it answers."
    )
