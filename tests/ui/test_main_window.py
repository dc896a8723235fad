"""The main window on a real cache: inbox items open the right tab, names stay plain text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from main_window_data import (
    MARKUP_ID,
    MARKUP_NAME,
    OVERDUE_REQUEST,
    RESULT_V1,
    RESULT_V2,
    TODAY,
    YOUNG_ID,
    hand_dataset,
)
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from counsellor_app.store.bulk import load_dataset
from counsellor_app.store.engine import Cache, open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.main_window import MainWindow, Page
from counsellor_app.ui.models.inbox_model import InboxModel
from counsellor_app.ui.settings_store import AppSettings
from counsellor_app.ui.views.case_record import CaseTab

HUB = "http://127.0.0.1:9"


@pytest.fixture
def hand_cache(tmp_path: Path) -> Iterator[Cache]:
    profile = Profile.at(tmp_path / "profile")
    cache = open_cache(profile, KeyProvider(profile), create=True)
    load_dataset(cache, hand_dataset(), today=TODAY)
    yield cache
    cache.close()


@pytest.fixture
def window(qtbot: QtBot, hand_cache: Cache) -> MainWindow:
    context = AppContext(
        profile=hand_cache.profile,
        cache=hand_cache,
        user_name="j.evans",
        hub_url=HUB,
        settings=AppSettings(hub_url=HUB, user_name="j.evans"),
        clock=lambda: dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC),
    )
    main = MainWindow(context)
    qtbot.addWidget(main)
    with qtbot.waitSignals([main.inbox.loaded, main.caseload_model.loaded]):
        main.load_initial()
    with qtbot.waitExposed(main):
        main.show()
    return main


def _find_item(model: InboxModel, select: str) -> QModelIndex:
    for section in range(model.rowCount()):
        parent = model.index(section, 0)
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            item = model.item(index)
            if item is not None and item.select == select:
                return index
    raise AssertionError(f"{select} is not in the inbox")


def test_main_window_opens_on_the_inbox_with_the_caseload_loaded(window: MainWindow) -> None:
    assert window.pages.currentIndex() == Page.INBOX
    assert window.caseload_model.total() == 3
    headings = [s.heading for s in window.inbox.model.sections()]
    assert "New results: reanalysis (1)" in headings
    assert "Open collaboration requests (1, 1 overdue)" in headings
    assert "Re-consent needed (now 16 or over) (1)" in headings
    assert window.status.key_store.text().startswith("Cache key: ")


def test_new_result_in_the_inbox_opens_the_case_at_that_result(
    qtbot: QtBot, window: MainWindow
) -> None:
    index = _find_item(window.inbox.model, RESULT_V2)
    window.inbox.tree.setCurrentIndex(index)
    qtbot.keyClick(window.inbox.tree, Qt.Key.Key_Return)
    assert window.pages.currentIndex() == Page.CASE
    assert window.case_record.current_tab() is CaseTab.RESULTS
    selected = window.case_record.results.selected()
    assert selected is not None and selected.result_id == RESULT_V2


def test_overdue_request_opens_the_case_at_the_requests_tab(
    qtbot: QtBot, window: MainWindow
) -> None:
    index = _find_item(window.inbox.model, OVERDUE_REQUEST)
    assert window.inbox.model.item(index).urgent  # overdue
    window.inbox.tree.setCurrentIndex(index)
    qtbot.keyClick(window.inbox.tree, Qt.Key.Key_Enter)
    assert window.case_record.current_tab() is CaseTab.REQUESTS
    assert "overdue" in window.case_record.requests.detail.text()


def test_reconsent_item_opens_the_consent_tab_with_reasons(
    qtbot: QtBot, window: MainWindow
) -> None:
    model = window.inbox.model
    section = next(
        model.index(i, 0) for i in range(model.rowCount())
        if model.sections()[i].title.startswith("Re-consent")
    )
    window.inbox.tree.setCurrentIndex(model.index(0, 0, section))
    qtbot.keyClick(window.inbox.tree, Qt.Key.Key_Return)
    assert window.case_record.participant_id == YOUNG_ID
    assert window.case_record.current_tab() is CaseTab.CONSENT
    states = window.case_record.consent.states
    rows = {states.data(states.index(r, 0)): r for r in range(states.rowCount())}
    programme = rows["Taking part in the programme"]
    assert states.data(states.index(programme, 1)) == "Re-consent needed"
    assert "16 since 1 March 2025" in states.data(states.index(programme, 2))
    additional = rows["Additional findings"]
    assert states.data(states.index(additional, 1)) == "Declined"
    assert "declined by the participant's parent or guardian on 1 June 2015" in states.data(
        states.index(additional, 2)
    )
    assert "recorded by J. Evans" in states.data(states.index(additional, 2))


def test_case_record_marks_the_superseded_report(window: MainWindow) -> None:
    window.open_case(MARKUP_ID, CaseTab.RESULTS, RESULT_V1)
    results = window.case_record.results
    chosen = results.selected()
    assert chosen is not None and chosen.result_id == RESULT_V1
    assert "superseded by a later report: do not act on this one" in results.detail.text()
    model = results.model
    status = {model.data(model.index(r, 0)): model.data(model.index(r, 1)) for r in range(2)}
    assert status == {"v1": "Superseded", "v2": "Current"}
    assert model.data(model.index(1, 0), Qt.ItemDataRole.FontRole).italic()


def test_names_with_markup_and_non_latin1_show_literally(window: MainWindow) -> None:
    window.open_case(MARKUP_ID)
    literal = " ".join(MARKUP_NAME)
    name = window.case_record.identity.name
    assert name.text() == literal
    assert name.textFormat() == Qt.TextFormat.PlainText
    for label in window.findChildren(QLabel):
        if "Llŷr" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    assert "Angharad Ó Súilleabháin" in window.case_record.identity.value("Representatives").text()


def test_keyboard_ctrl_f_finds_and_enter_opens_a_case(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentIndex() == Page.CASELOAD
    assert window.caseload.search.hasFocus()
    qtbot.keyClicks(window.caseload.search, "999 000 0026")
    qtbot.waitUntil(lambda: window.caseload_model.total() == 1)
    qtbot.keyClick(window.caseload.search, Qt.Key.Key_Return)
    assert window.pages.currentIndex() == Page.CASE
    assert window.case_record.participant_id == YOUNG_ID
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentIndex() == Page.INBOX
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentIndex() == Page.CASELOAD


def test_record_consent_from_the_case_record_saves_and_refreshes_the_timeline(
    qtbot: QtBot, window: MainWindow
) -> None:
    from counsellor_app.domain.consent import ConsentScope, Decision, Method
    from counsellor_app.ui.dialogs.record_consent import RecordConsentDialog

    window.open_case(MARKUP_ID, CaseTab.CONSENT)
    timeline = window.case_record.consent.timeline
    before = timeline.rowCount()
    qtbot.mouseClick(window.case_record.consent.record_button, Qt.MouseButton.LeftButton)
    dialog = window.dialog
    assert isinstance(dialog, RecordConsentDialog)
    for combo, value in (
        (dialog.scope, ConsentScope.CARRIER_STATUS),
        (dialog.decision, Decision.GRANTED),
        (dialog.method, Method.PHONE),
    ):
        combo.setCurrentIndex(combo.findData(value))
    with qtbot.waitSignal(window.refreshed), qtbot.waitSignal(window.inbox.loaded):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert timeline.rowCount() == before + 1
    states = window.case_record.consent.states
    carrier = next(
        r for r in range(states.rowCount())
        if states.data(states.index(r, 0)) == "Carrier status findings"
    )
    assert states.data(states.index(carrier, 1)) == "Granted"
    assert "recorded by j.evans" in states.data(states.index(carrier, 2))
    assert window.status.unsynced.text() == "1 change(s) not yet synced"


def test_result_progress_is_offered_for_the_current_report_only(window: MainWindow) -> None:
    from counsellor_app.ui.dialogs.result_progress import ResultProgressDialog

    window.open_case(MARKUP_ID, CaseTab.RESULTS, RESULT_V1)
    assert not window.case_record.results.progress_button.isEnabled()  # superseded (H4)
    window.open_case(MARKUP_ID, CaseTab.RESULTS, RESULT_V2)
    assert window.case_record.results.progress_button.isEnabled()
    window.case_record.results.progress_button.click()
    assert isinstance(window.dialog, ResultProgressDialog)
    window.dialog.reject()


def test_respond_opens_for_the_chosen_request(window: MainWindow) -> None:
    from counsellor_app.ui.dialogs.respond_request import RespondToRequestDialog

    window.open_case(MARKUP_ID, CaseTab.REQUESTS, OVERDUE_REQUEST)
    window.case_record.requests.respond_button.click()
    dialog = window.dialog
    assert isinstance(dialog, RespondToRequestDialog)
    assert dialog.request.request_id == OVERDUE_REQUEST
    dialog.reject()


def test_letters_tab_offers_writing_a_letter_for_the_open_case(window: MainWindow) -> None:
    from counsellor_app.ui.letters.generate_dialog import GenerateLetterDialog

    window.open_case(MARKUP_ID, CaseTab.LETTERS)
    tools = window.letter_tools
    assert tools is not None and tools.write_button.isEnabled()
    assert window.case_record.letters.empty.isVisible()  # none written yet
    dialog = tools.write_letter()
    assert isinstance(dialog, GenerateLetterDialog)
    dialog.reject()


def test_about_and_batch_letters_open_from_the_menus(window: MainWindow) -> None:
    from counsellor_app.ui.about import AboutDialog
    from counsellor_app.ui.letters.batch_dialog import BatchLettersDialog

    window.show_about()
    assert isinstance(window.dialog, AboutDialog)
    window.dialog.reject()
    window.write_batch_letters()
    assert isinstance(window.dialog, BatchLettersDialog)
    window.dialog.reject()


def test_open_main_window_attaches_background_sync_and_f5(
    qtbot: QtBot, hand_cache: Cache
) -> None:
    from counsellor_app.ui.app import open_main_window

    context = AppContext(
        profile=hand_cache.profile, cache=hand_cache, user_name="j.evans", hub_url=HUB,
        settings=AppSettings(hub_url=HUB, user_name="j.evans"),
    )
    main = open_main_window(context, start_sync=False)
    qtbot.addWidget(main)
    qtbot.waitUntil(lambda: main.inbox.model.rowCount() > 0)
    assert main.isVisible()
    assert main.sync is not None and not main.sync.is_running
    assert main.sync_action.isEnabled()
    assert main.sync_action.shortcut().toString() == "F5"


def test_a_change_the_hub_rejected_is_in_the_inbox_and_opens_its_case(
    qtbot: QtBot, window: MainWindow, hand_cache: Cache
) -> None:
    from counsellor_app.store.outbox import OutboxKind, OutboxState, enqueue, record_answer

    with hand_cache.write() as session:
        item = enqueue(
            session, OutboxKind.REQUEST_RESPONSE, {"request_id": OVERDUE_REQUEST},
            record_type="request", record_id=OVERDUE_REQUEST, participant_id=MARKUP_ID,
        )
        session.flush()
        record_answer(
            session, item, OutboxState.REJECTED, reason="The request was closed on the hub."
        )
    with qtbot.waitSignal(window.inbox.loaded):
        window.refresh()
    model = window.inbox.model
    problems = model.index(0, 0)
    assert model.data(problems) == "Sync conflicts and rejected changes (1)"
    item_index = model.index(0, 0, problems)
    assert model.data(model.index(0, 4, problems)) == "The request was closed on the hub."
    assert model.data(model.index(0, 1, problems)) == " ".join(MARKUP_NAME)
    window.inbox.tree.setCurrentIndex(item_index)
    qtbot.keyClick(window.inbox.tree, Qt.Key.Key_Return)
    assert window.case_record.current_tab() is CaseTab.REQUESTS
    chosen = window.case_record.requests.selected()
    assert chosen is not None and chosen.request_id == OVERDUE_REQUEST
