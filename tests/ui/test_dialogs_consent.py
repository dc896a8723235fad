"""The record consent dialog: consequence before saving, refusals explained, exact saving."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from ui_cases import (
    ADULT,
    CHILD,
    GONE,
    GREEK_PARENT,
    MARKUP_FAMILY,
    MARKUP_GIVEN,
    NOW,
    TEEN,
    make_context,
)

from counsellor_app.domain.consent import ConsentScope, Decision, GivenBy, Method, WithdrawalLevel
from counsellor_app.store.mapping import to_decision
from counsellor_app.store.tables import AuditRow, ConsentDecisionRow, OutboxRow
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.record_consent import RecordConsentDialog


@pytest.fixture
def context(tmp_path: Path) -> AppContext:
    ctx = make_context(tmp_path / "profile")
    yield ctx
    ctx.cache.close()


def counts(context: AppContext) -> tuple[int, int, int]:
    with context.cache.read() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(table))
            for table in (ConsentDecisionRow, OutboxRow, AuditRow)
        )


def choose(combo, data) -> None:  # type: ignore[no-untyped-def]
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_names_with_markup_and_non_latin_letters_show_literally(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = RecordConsentDialog(context, ADULT)
    qtbot.addWidget(dialog)
    assert dialog.participant_line().startswith(f"{MARKUP_GIVEN} {MARKUP_FAMILY}")
    assert "999 000 0018" in dialog.participant_line()
    teen = RecordConsentDialog(context, TEEN)
    qtbot.addWidget(teen)
    assert GREEK_PARENT in teen.given_by.itemText(1)


def test_consequence_shown_before_saving(qtbot: QtBot, context: AppContext) -> None:
    dialog = RecordConsentDialog(context, ADULT)
    qtbot.addWidget(dialog)
    dialog.open()
    choose(dialog.scope, ConsentScope.ADDITIONAL_FINDINGS)
    choose(dialog.decision, Decision.DECLINED)
    assert dialog.consequence.text() == (
        "From 27 November 2026, additional findings will not be shown or written about for "
        "this participant."
    )
    assert dialog.save_button.isEnabled()


def test_parent_decision_for_a_young_person_over_16_is_explained_and_not_saved(
    qtbot: QtBot, context: AppContext
) -> None:
    before = counts(context)
    dialog = RecordConsentDialog(context, TEEN)
    qtbot.addWidget(dialog)
    dialog.open()
    choose(dialog.scope, ConsentScope.ADDITIONAL_FINDINGS)
    choose(dialog.decision, Decision.GRANTED)
    choose(dialog.given_by, "REP-TEEN")
    assert not dialog.save_button.isEnabled()
    assert "a parent or guardian cannot decide for them" in dialog.problem.text()
    assert dialog.problem.isVisible()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    dialog.save()
    assert dialog.isVisible()
    assert counts(context) == before


def test_grant_after_no_further_use_is_refused(qtbot: QtBot, context: AppContext) -> None:
    before = counts(context)
    dialog = RecordConsentDialog(context, GONE)
    qtbot.addWidget(dialog)
    choose(dialog.scope, ConsentScope.PROGRAMME)
    choose(dialog.decision, Decision.GRANTED)
    assert not dialog.save_button.isEnabled()
    assert "cannot be lifted in the app" in dialog.problem.text()
    dialog.save()
    assert counts(context) == before


def test_per_request_scope_chooses_among_the_participants_requests(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = RecordConsentDialog(context, ADULT)
    qtbot.addWidget(dialog)
    dialog.open()
    assert not dialog.request.isVisible()
    choose(dialog.scope, ConsentScope.PUBLICATION)
    assert dialog.request.isVisible()
    assert [dialog.request.itemData(i) for i in range(dialog.request.count())] == ["R-2"]
    choose(dialog.scope, ConsentScope.SHARE_WITH_RESEARCHER)
    assert [dialog.request.itemData(i) for i in range(dialog.request.count())] == ["R-1"]
    choose(dialog.scope, ConsentScope.TRIAL_CONTACT)
    assert dialog.request.count() == 0
    assert not dialog.save_button.isEnabled()
    assert "no request of that kind" in dialog.problem.text()
    choose(dialog.scope, ConsentScope.PUBLICATION)
    assert dialog.consequence.text() == (
        "From 27 November 2026, this case may be published for request R-2."
    )


def test_cancel_changes_nothing(qtbot: QtBot, context: AppContext) -> None:
    before = counts(context)
    dialog = RecordConsentDialog(context, ADULT)
    qtbot.addWidget(dialog)
    dialog.open()
    choose(dialog.scope, ConsentScope.ADDITIONAL_FINDINGS)
    with qtbot.waitSignal(dialog.rejected):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert counts(context) == before


def test_saved_decision_outbox_and_audit_hold_exactly_what_was_entered(
    qtbot: QtBot, context: AppContext
) -> None:
    before = counts(context)
    dialog = RecordConsentDialog(context, ADULT)
    qtbot.addWidget(dialog)
    dialog.open()
    choose(dialog.scope, ConsentScope.PUBLICATION)
    choose(dialog.request, "R-2")
    choose(dialog.decision, Decision.DECLINED)
    choose(dialog.method, Method.PHONE)
    dialog.effective.setDate(QDate(2026, 11, 20))
    qtbot.keyClicks(dialog.note, "Said no on the phone; letter to follow.")
    with qtbot.waitSignal(dialog.recorded) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    decision_id = blocker.args[0]
    assert counts(context) == (before[0] + 1, before[1] + 1, before[2] + 1)
    with context.cache.read() as session:
        row = session.get(ConsentDecisionRow, decision_id)
        assert row is not None
        saved = to_decision(row)
        outbox = session.scalars(select(OutboxRow)).one()
        audit = session.scalars(select(AuditRow)).one()
    assert saved.participant_id == ADULT
    assert (saved.scope, saved.request_id, saved.decision) == (
        ConsentScope.PUBLICATION, "R-2", Decision.DECLINED
    )
    assert (saved.given_by, saved.given_by_name, saved.method) == (GivenBy.SELF, None, Method.PHONE)
    assert saved.effective_from.date() == dt.date(2026, 11, 20)
    assert saved.note == "Said no on the phone; letter to follow."
    assert saved.recorded_by == "J. Evans"
    assert saved.withdrawal_level is None
    assert (outbox.record_id, outbox.state) == (decision_id, "pending")
    assert (audit.record_id, audit.actor) == (decision_id, "J. Evans")
    assert audit.action == "consent.recorded"


def test_representative_and_programme_withdrawal_recorded_with_level(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = RecordConsentDialog(context, CHILD)
    qtbot.addWidget(dialog)
    dialog.open()
    assert not dialog.level.isVisible()
    choose(dialog.scope, ConsentScope.PROGRAMME)
    choose(dialog.decision, Decision.WITHDRAWN)
    assert dialog.level.isVisible()
    choose(dialog.level, WithdrawalLevel.NO_FURTHER_CONTACT)
    choose(dialog.given_by, "REP-CHILD")
    choose(dialog.method, Method.LETTER)
    assert dialog.consequence.text().startswith("From 27 November 2026, nobody will contact")
    with qtbot.waitSignal(dialog.recorded) as blocker:
        dialog.save_button.click()
    with context.cache.read() as session:
        saved = to_decision(session.get(ConsentDecisionRow, blocker.args[0]))
    assert (saved.given_by, saved.given_by_name) == (GivenBy.PARENT_OR_GUARDIAN, "Rhys Morgan")
    assert saved.withdrawal_level is WithdrawalLevel.NO_FURTHER_CONTACT
    assert saved.effective_from == NOW


def test_keyboard_only_recording(qtbot: QtBot, context: AppContext) -> None:
    """A counsellor on the phone: mnemonics, arrow keys and Enter, no mouse."""
    before = counts(context)
    dialog = RecordConsentDialog(context, ADULT)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.open()
        dialog.activateWindow()
    qtbot.keyClick(dialog.note, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)  # &What about
    assert dialog.scope.hasFocus()
    for _ in range(3):
        qtbot.keyClick(dialog.scope, Qt.Key.Key_Down)
    assert dialog.chosen_scope() is ConsentScope.ADDITIONAL_FINDINGS
    qtbot.keyClick(dialog, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # &Decision
    qtbot.keyClick(dialog.decision, Qt.Key.Key_Down)
    qtbot.keyClick(dialog, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # &How
    qtbot.keyClick(dialog.method, Qt.Key.Key_Down)
    assert dialog.consequence.text().endswith(
        "additional findings will not be shown or written about for this participant."
    )
    with qtbot.waitSignal(dialog.recorded) as blocker:
        qtbot.keyClick(dialog.method, Qt.Key.Key_Return)
    with context.cache.read() as session:
        saved = to_decision(session.get(ConsentDecisionRow, blocker.args[0]))
    assert (saved.scope, saved.decision, saved.method) == (
        ConsentScope.ADDITIONAL_FINDINGS, Decision.DECLINED, Method.PHONE
    )
    assert counts(context) == (before[0] + 1, before[1] + 1, before[2] + 1)
