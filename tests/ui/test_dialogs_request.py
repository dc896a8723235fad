"""Responding to a collaboration request: rule 3 enforced in the dialog, exact saving."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from ui_cases import MARKUP_FAMILY, MARKUP_GIVEN, make_context

from counsellor_app.domain.consent import ConsentScope, Decision
from counsellor_app.domain.request import RequestStatus
from counsellor_app.store.tables import AuditRow, OutboxRow, RequestRow
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.respond_request import RespondToRequestDialog


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    ctx = make_context(tmp_path / "profile")
    yield ctx
    ctx.cache.close()


def choose(combo, data) -> None:  # type: ignore[no-untyped-def]
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def request_row(context: AppContext, request_id: str) -> tuple[str, str | None]:
    with context.cache.read() as session:
        row = session.get(RequestRow, request_id)
        assert row is not None
        return row.status, row.response


def outbox_kinds(context: AppContext) -> list[str]:
    with context.cache.read() as session:
        return sorted(row.kind for row in session.scalars(select(OutboxRow)))


def test_request_beyond_consent_is_accepted_only_after_the_patients_grant(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = RespondToRequestDialog(context, "R-1")
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.participant_line.text().startswith(f"{MARKUP_GIVEN} {MARKUP_FAMILY}")
    choose(dialog.step, RequestStatus.ACCEPTED)
    qtbot.keyClicks(dialog.response, "Yes, the family agrees to share.")
    assert not dialog.save_button.isEnabled()
    assert dialog.problem.text().startswith("The request cannot be accepted.")
    assert dialog.record_consent_button.isVisible()

    dialog.record_consent_button.click()
    consent = dialog.consent_dialog
    assert consent is not None
    assert consent.chosen_scope() is ConsentScope.SHARE_WITH_RESEARCHER
    assert consent.request.currentData() == "R-1"
    choose(consent.decision, Decision.GRANTED)
    with qtbot.waitSignal(consent.recorded):
        consent.save_button.click()

    assert dialog.chosen_step() is RequestStatus.ACCEPTED
    assert dialog.consent_line.text().startswith("Allowed.")
    assert not dialog.record_consent_button.isVisible()
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.responded) as blocker:
        dialog.save_button.click()
    assert blocker.args == ["R-1"]
    assert request_row(context, "R-1") == ("accepted", "Yes, the family agrees to share.")
    assert outbox_kinds(context) == sorted(["consent_decision", "request_response"])
    with context.cache.read() as session:
        actions = sorted(row.action for row in session.scalars(select(AuditRow)))
    assert actions == ["consent.recorded", "request.accepted"]


def test_decline_needs_a_response_and_saves_it(qtbot: QtBot, context: AppContext) -> None:
    dialog = RespondToRequestDialog(context, "R-2")
    qtbot.addWidget(dialog)
    dialog.open()
    choose(dialog.step, RequestStatus.DECLINED)
    assert not dialog.save_button.isEnabled()
    assert "Write the response the requester will receive" in dialog.problem.text()
    qtbot.keyClicks(dialog.response, "The family would rather not take part.")
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.responded):
        dialog.save_button.click()
    assert request_row(context, "R-2") == ("declined", "The family would rather not take part.")


def test_cancel_changes_nothing(qtbot: QtBot, context: AppContext) -> None:
    dialog = RespondToRequestDialog(context, "R-2")
    qtbot.addWidget(dialog)
    dialog.open()
    choose(dialog.step, RequestStatus.ACCEPTED)
    qtbot.keyClicks(dialog.response, "Fine.")
    with qtbot.waitSignal(dialog.rejected):
        dialog.reject()
    assert request_row(context, "R-2") == ("under_review", None)
    assert outbox_kinds(context) == []
