"""The inbox's order and which sections open: what a counsellor sees first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pytestqt.qtbot import QtBot
from ui_cases import make_context

from counsellor_app.ui.main_window import MainWindow
from counsellor_app.ui.models.inbox_model import InboxItem, InboxModel, InboxSection
from counsellor_app.ui.models.inbox_sections import arrange
from counsellor_app.ui.views.inbox_view import OPEN_UP_TO, opens_at_first


def _items(count: int, *, urgent: bool = False) -> tuple[InboxItem, ...]:
    return tuple(
        InboxItem(f"P{i}", f"Name {i}", None, "Item", dt.date(2026, 1, 1), "", 0, f"R{i}",
                  urgent=urgent and i % 2 == 0)
        for i in range(count)
    )


def test_new_results_come_first_a_sync_problem_above_all_and_empty_sections_last() -> None:
    results = InboxSection("New results: reanalysis", _items(3))
    requests = InboxSection("Open collaboration requests", _items(2))
    reconsent = InboxSection("Re-consent needed (now 16 or over)", ())
    quiet = InboxSection("Sync conflicts and rejected changes", ())
    assert arrange([results, requests, reconsent, quiet]) == [
        results, requests, reconsent, quiet
    ]
    problem = InboxSection("Sync conflicts and rejected changes", _items(1))
    assert arrange([results, requests, reconsent, problem]) == [
        problem, results, requests, reconsent
    ]


def test_short_sections_and_sync_problems_open_long_ones_show_their_heading() -> None:
    assert opens_at_first(InboxSection("New results: reanalysis", _items(OPEN_UP_TO)))
    assert not opens_at_first(InboxSection("New results: reanalysis", _items(OPEN_UP_TO + 1)))
    assert opens_at_first(InboxSection("Sync conflicts and rejected changes", _items(40)))
    assert not opens_at_first(InboxSection("Re-consent needed (now 16 or over)", ()))


def test_headings_count_items_and_overdue_requests_and_empty_ones_say_none(qtbot: QtBot) -> None:
    model = InboxModel()
    model.set_sections([
        InboxSection("Open collaboration requests", _items(4, urgent=True), more=10),
        InboxSection("Re-consent needed (now 16 or over)", ()),
    ])
    assert model.data(model.index(0, 0)) == "Open collaboration requests (14, 2 overdue)"
    assert model.data(model.index(1, 0)) == "Re-consent needed (now 16 or over): none"
    assert model.first_item() == model.index(0, 0, model.index(0, 0))


def test_a_section_the_reader_closed_stays_closed_after_a_refresh(
    qtbot: QtBot, tmp_path: Path
) -> None:
    context = make_context(tmp_path / "profile")
    try:
        window = MainWindow(context)
        qtbot.addWidget(window)
        with qtbot.waitSignals([window.inbox.loaded, window.caseload_model.loaded]):
            window.load_initial()
        tree, model = window.inbox.tree, window.inbox.model
        first = model.index(0, 0)
        assert tree.isExpanded(first)  # the sync problem (a consent conflict) is open
        tree.setExpanded(first, False)
        with qtbot.waitSignal(window.inbox.loaded):
            window.refresh()
        assert not tree.isExpanded(model.index(0, 0))
    finally:
        window.close()
        context.cache.close()
