"""Every item model of the main window passes qtmodeltester and shows names as plain text."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from main_window_data import MARKUP_ID, MARKUP_NAME, TODAY, hand_dataset
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from counsellor_app.domain.consent_ledger import ConsentLedger
from counsellor_app.store.bulk import load_dataset
from counsellor_app.store.caseload import CaseRow
from counsellor_app.store.engine import Cache, open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.ui.models.case_models import (
    audit_model,
    consent_states_model,
    consent_timeline_model,
    letters_model,
    requests_model,
    results_model,
    variants_model,
)
from counsellor_app.ui.models.caseload_model import (
    PARTICIPANT_ID_ROLE,
    CacheCaseloadSource,
    CaseloadFilters,
    CaseloadModel,
)
from counsellor_app.ui.models.inbox_model import InboxItem, InboxModel, InboxSection


@pytest.fixture
def hand_cache(tmp_path: Path) -> Iterator[Cache]:
    profile = Profile.at(tmp_path / "profile")
    cache = open_cache(profile, KeyProvider(profile), create=True)
    load_dataset(cache, hand_dataset(), today=TODAY)
    yield cache
    cache.close()


def test_caseload_model_passes_qtmodeltester_and_pages_in_sql(
    qtmodeltester: ModelTester, hand_cache: Cache
) -> None:
    source = CacheCaseloadSource(hand_cache.sessions, lambda: TODAY)
    model = CaseloadModel(source, page_size=2)
    model.reload()
    assert model.total() == 3
    assert model.rowCount() == 2
    assert model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 3
    assert not model.canFetchMore(QModelIndex())
    # Qt's tester fetches more inside its reset handler, so a re-sorted model is checked afresh.
    by_age = CaseloadModel(source, page_size=2)
    by_age.sort(2, Qt.SortOrder.DescendingOrder)  # date of birth, youngest first
    qtmodeltester.check(by_age)
    assert by_age.row_record(0).participant_id == "P-YOUNG"


def test_caseload_model_shows_a_name_with_markup_literally(hand_cache: Cache) -> None:
    model = CaseloadModel(CacheCaseloadSource(hand_cache.sessions, lambda: TODAY))
    model.set_filters(text="Súilleabháin")
    assert model.total() == 1
    assert model.data(model.index(0, 0), PARTICIPANT_ID_ROLE) == MARKUP_ID
    assert model.data(model.index(0, 0)) == f"{MARKUP_NAME[1]}, {MARKUP_NAME[0]}"
    assert model.data(model.index(0, 1)) == "999 000 0018"
    tooltip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "<qt>&amp;amp; Ó Súilleabháin, &lt;b&gt;Llŷr&lt;/b&gt;</qt>"  # shown as typed


def test_case_record_models_pass_qtmodeltester(qtmodeltester: ModelTester) -> None:
    data = hand_dataset()
    results = [r for r in data.results if r.participant_id == MARKUP_ID]
    participant = next(p for p in data.participants if p.participant_id == MARKUP_ID)
    ledger = ConsentLedger.for_participant(
        participant, [d for d in data.decisions if d.participant_id == MARKUP_ID]
    )
    filled = [
        (results_model(), results),
        (variants_model(), results[0].variants),
        (requests_model(TODAY), data.requests),
        (consent_states_model(), ledger.scope_states(TODAY)),
        (consent_timeline_model(ledger.is_superseded), ledger.timeline()),
        (letters_model(), ()),
        (audit_model(), ()),
    ]
    for model, records in filled:
        model.set_records(records)
        qtmodeltester.check(model)
        assert model.rowCount() == len(records)


def test_superseded_result_is_marked_and_overdue_request_flagged() -> None:
    data = hand_dataset()
    model = results_model()
    model.set_records(data.results)
    statuses = {model.data(model.index(row, 0)): model.data(model.index(row, 1)) for row in (0, 1)}
    assert statuses == {"v1": "Superseded", "v2": "Current"}
    requests = requests_model(TODAY)
    requests.set_records(data.requests)
    assert requests.data(requests.index(0, 3)) == "2026-11-01 (overdue)"


def test_inbox_model_passes_qtmodeltester_with_sections_and_items(
    qtmodeltester: ModelTester,
) -> None:
    model = InboxModel()
    qtmodeltester.check(model)
    item = InboxItem(
        participant_id=MARKUP_ID,
        name=" ".join(MARKUP_NAME),
        nhs_number="9990000018",
        title="Reanalysis: confirmed diagnosis",
        when=TODAY,
        detail="KMT2D",
        tab=0,
        select="R-1",
        urgent=True,
    )
    model.set_sections(
        [InboxSection("New results", (item, item), more=3), InboxSection("Re-consent needed", ())]
    )
    qtmodeltester.check(model)
    section = model.index(0, 0)
    assert model.data(section) == "New results (5)"
    assert model.rowCount(section) == 2
    assert model.data(model.index(0, 1, section)) == "<b>Llŷr</b> &amp; Ó Súilleabháin"
    assert model.item(model.index(1, 0, section)) == item


class _HeldSource:
    """The real cache's case list, with the first query held until the test lets it go."""

    def __init__(self, real: CacheCaseloadSource) -> None:
        self.real = real
        self.release = threading.Event()
        self.calls = 0

    def count(self, filters: CaseloadFilters) -> int:
        self.calls += 1
        if self.calls == 1:
            self.release.wait(10)
        return self.real.count(filters)

    def page(self, filters: CaseloadFilters, offset: int, limit: int) -> list[CaseRow]:
        return list(self.real.page(filters, offset, limit))


def test_background_queries_show_only_the_newest_answer(qtbot: QtBot, hand_cache: Cache) -> None:
    source = _HeldSource(CacheCaseloadSource(hand_cache.sessions, lambda: TODAY))
    model = CaseloadModel(source, background=True)
    model.set_filters(text="")  # held on the worker
    assert model.busy and not model.canFetchMore(QModelIndex())
    model.set_filters(text="Zoë")  # typed meanwhile
    with qtbot.waitSignal(model.loaded, timeout=10_000) as loaded:
        source.release.set()
    assert loaded.signal_triggered
    assert not model.busy
    assert model.total() == 1
    assert model.data(model.index(0, 0), PARTICIPANT_ID_ROLE) == "P-YOUNG"
    assert model.wait_for_worker()
