"""Search, filters and sorting of the caseload give the right rows at 85,000 participants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from keyboard_input import type_text
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from shared_85k import (
    SIZE,
    date_of_birth,
    family_name,
    given_name,
    has_open_request,
    needs_reconsent,
    nhs_numbers,
    outcome,
    participant_id,
    programme,
)

from counsellor_app.domain.nhs_number import format_nhs_number
from counsellor_app.domain.participant import Programme
from counsellor_app.domain.result import ResultOutcome
from counsellor_app.store.engine import Cache
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.main_window import MainWindow
from counsellor_app.ui.models.caseload_model import (
    PAGE_SIZE,
    PARTICIPANT_ID_ROLE,
    CacheCaseloadSource,
)
from counsellor_app.ui.settings_store import AppSettings

HUB = "http://127.0.0.1:9"


@pytest.fixture
def window(qtbot: QtBot, cache_85k: Cache) -> MainWindow:
    context = AppContext(
        profile=cache_85k.profile,
        cache=cache_85k,
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
    main.focus_search()
    return main


def expected(test: Callable[[int], bool]) -> set[str]:
    return {participant_id(k) for k in range(SIZE) if test(k)}


def shown_ids(window: MainWindow, qtbot: QtBot) -> set[str]:
    """Every participant id the caseload's current query matches.

    The rows on screen are the query's first page; the whole answer is the same query asked
    for every row at once (paging 28,000 rows through the view would only test OFFSET).
    """
    settle(qtbot, window)
    model = window.caseload_model
    on_screen = {
        model.data(model.index(row, 0), PARTICIPANT_ID_ROLE) for row in range(model.rowCount())
    }
    source = CacheCaseloadSource(window.context.sessions, window.context.today)
    every = {row.participant_id for row in source.page(model.filters, 0, model.total() + 1)}
    assert len(every) == model.total()
    assert on_screen <= every
    return every


def type_search(qtbot: QtBot, window: MainWindow, text: str, count: int) -> None:
    window.caseload.search.clear()
    type_text(qtbot, window.caseload.search, text)  # QTest's keyClicks aborts on ŷ
    qtbot.waitUntil(lambda: window.caseload_model.filters.text == text.strip())
    settle(qtbot, window)
    assert window.caseload_model.total() == count


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Waits until the newest caseload query (run on a worker) is on screen."""
    qtbot.waitUntil(lambda: not window.caseload_model.busy)


def test_start_loads_only_the_first_page_of_85000(window: MainWindow) -> None:
    model = window.caseload_model
    assert model.total() == SIZE
    assert model.rowCount() == PAGE_SIZE
    assert window.caseload.count.text() == "85,000 participants"
    first = model.row_record(0)
    assert (first.family_name, first.given_name) == ("ap Rhys", "Anne-Marie")  # folded order


def test_search_by_name_parts_in_any_order_ignoring_accents(
    qtbot: QtBot, window: MainWindow
) -> None:
    want = expected(lambda k: family_name(k) == "Ó Súilleabháin" and given_name(k) == "Llŷr")
    type_search(qtbot, window, "suilleabhain llyr", len(want))
    assert shown_ids(window, qtbot) == want
    want = expected(lambda k: family_name(k) == "Wŷn")
    type_search(qtbot, window, "Wŷn", len(want))
    assert shown_ids(window, qtbot) == want


def test_search_by_nhs_number_with_or_without_spaces(qtbot: QtBot, window: MainWindow) -> None:
    k = 61_234
    number = nhs_numbers(k + 1)[k]
    type_search(qtbot, window, format_nhs_number(number), 1)
    assert shown_ids(window, qtbot) == {participant_id(k)}
    type_search(qtbot, window, number, 1)
    assert shown_ids(window, qtbot) == {participant_id(k)}


def test_search_by_participant_id(qtbot: QtBot, window: MainWindow) -> None:
    type_search(qtbot, window, "P084999", 1)
    assert shown_ids(window, qtbot) == {"P084999"}


def test_each_filter_gives_exactly_the_right_rows(qtbot: QtBot, window: MainWindow) -> None:
    view = window.caseload
    view.programme.setCurrentIndex(view.programme.findData(Programme.CANCER.value))
    assert shown_ids(window, qtbot) == expected(lambda k: programme(k) is Programme.CANCER)
    view.programme.setCurrentIndex(0)

    view.outcome.setCurrentIndex(view.outcome.findData(ResultOutcome.UNCERTAIN.value))
    assert shown_ids(window, qtbot) == expected(lambda k: outcome(k) is ResultOutcome.UNCERTAIN)
    view.outcome.setCurrentIndex(0)

    qtbot.mouseClick(view.open_request, Qt.MouseButton.LeftButton)
    assert shown_ids(window, qtbot) == expected(has_open_request)
    view.open_request.setChecked(False)

    view.reconsent.setChecked(True)
    assert shown_ids(window, qtbot) == expected(needs_reconsent)
    view.reconsent.setChecked(False)
    settle(qtbot, window)
    assert window.caseload_model.total() == SIZE


def test_filters_and_search_combine(qtbot: QtBot, window: MainWindow) -> None:
    view = window.caseload
    view.programme.setCurrentIndex(view.programme.findData(Programme.RARE_DISEASE.value))
    view.open_request.setChecked(True)
    want = expected(
        lambda k: programme(k) is Programme.RARE_DISEASE
        and has_open_request(k)
        and family_name(k) == "D'Arcy"
    )
    type_search(qtbot, window, "darcy", len(want))
    assert shown_ids(window, qtbot) == want


def test_sorting_by_a_column_header_is_done_by_the_query(
    qtbot: QtBot, window: MainWindow
) -> None:
    header = window.caseload.table.horizontalHeader()
    header.setSortIndicator(2, Qt.SortOrder.DescendingOrder)  # date of birth, youngest first
    settle(qtbot, window)
    model = window.caseload_model
    assert model.rowCount() == PAGE_SIZE
    youngest = max(date_of_birth(k) for k in range(SIZE))
    assert model.row_record(0).date_of_birth == youngest
    dates = [model.row_record(r).date_of_birth for r in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)
