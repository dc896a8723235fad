"""Batches over the real encrypted cache: group reads, group writes with a savepoint per letter,
PDFs drawn in worker processes, refusals and failures in the middle of a batch."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest
from sqlalchemy import func, select

from counsellor_app.domain.consent import ConsentScope, Decision, WithdrawalLevel
from counsellor_app.domain.errors import DomainError
from counsellor_app.domain.letter import LetterKind
from counsellor_app.domain.nhs_number import format_nhs_number
from counsellor_app.letters.batch import BatchItem, generate_batch
from counsellor_app.letters.case_record import CaseRecord, case_record_from
from counsellor_app.letters.document import LetterDocument
from counsellor_app.letters.generator import LetterGenerator
from counsellor_app.letters.layout import render_pdf
from counsellor_app.letters.render_pool import (
    InlineRenderer,
    ProcessRenderer,
    renderer_for,
)
from counsellor_app.letters.spec import LetterSpec
from counsellor_app.store.bulk import insert_records
from counsellor_app.store.case_detail import load_case
from counsellor_app.store.engine import Cache, open_cache
from counsellor_app.store.errors import NotFound
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.letters_repo import load_letter_cases, save_letters
from counsellor_app.store.paths import Profile
from counsellor_app.store.tables import AuditRow, LetterRow, OutboxRow
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.letters.letter_store import CacheBatchStorage
from counsellor_app.ui.settings_store import AppSettings

from . import factory as f
from .conftest import pdf_text

RESULT = LetterSpec(LetterKind.RESULT)
PEOPLE = 9
WITHDRAWN = {"P-3", "P-6"}  # refusals in the middle of the batch


def _records() -> list[CaseRecord]:
    out = []
    for n in range(PEOPLE):
        pid = f"P-{n}"
        person = f.participant(
            participant_id=pid, nhs_number=f.nhs(20_000 + n), given_name=f"Person{n}"
        )
        case = f.replace(f.case(), case_id=f"C-{n}", participant_id=pid)
        result = f.result(participant_id=pid, case_id=case.case_id, result_id=f"R-{n}")
        decisions = [
            f.replace(d, participant_id=pid, decision_id=f"D-{n}-{i}")
            for i, d in enumerate(f.baseline_consent())
        ]
        if pid in WITHDRAWN:
            decisions.append(
                f.decision(
                    ConsentScope.PROGRAMME,
                    Decision.WITHDRAWN,
                    level=WithdrawalLevel.NO_FURTHER_CONTACT,
                    on=f.dt.date(2026, 11, 20),
                    decision_id=f"D-{n}-withdrawn",
                    participant_id=pid,
                )
            )
        out.append(CaseRecord(person, case, (result,), (), tuple(decisions)))
    return out


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    profile = Profile.at(tmp_path / "profile")
    keys = KeyProvider(profile)
    cache = open_cache(profile, keys, create=True)
    records = _records()
    with cache.write() as session:
        insert_records(
            session,
            participants=[r.participant for r in records],
            cases=[r.case for r in records],
            results=[x for r in records for x in r.results],
            decisions=[d for r in records for d in r.decisions],
            today=f.TODAY,
        )
    yield AppContext(
        profile=profile, cache=cache, user_name="admin", hub_url="", settings=AppSettings(),
        key_provider=keys, clock=lambda: f.NOW,
    )
    cache.close()


def _count(cache: Cache, table: type, **where: str) -> int:
    query = select(func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(getattr(table, column) == value)
    with cache.read() as session:
        return int(session.execute(query).scalar_one())


def _letters(cache: Cache) -> dict[str, bytes]:
    with cache.read() as session:
        return {row.case_id: bytes(row.pdf) for row in session.scalars(select(LetterRow))}


def _items() -> list[BatchItem]:
    return [BatchItem(f"C-{n}", RESULT) for n in range(PEOPLE)]


def test_a_batch_with_refusals_in_the_middle_stores_exactly_the_letters_that_passed(
    context: AppContext, generator: LetterGenerator
) -> None:
    seen: list[int] = []
    report = generate_batch(
        _items(),
        generator,
        storage=CacheBatchStorage(context),
        generated_by="admin",
        group=4,  # groups that straddle the refusals
        progress=lambda done, _total: seen.append(done),
    )
    passed = [f"C-{n}" for n in range(PEOPLE) if f"P-{n}" not in WITHDRAWN]
    assert [case_id for case_id, _ in report.generated] == passed
    assert sorted(r.case_id for r in report.refused) == ["C-3", "C-6"]
    assert all("no further contact" in r.reason for r in report.refused)
    assert sorted(seen) == seen and seen[-1] == report.total == PEOPLE
    assert sorted(_letters(context.cache)) == passed
    for case_id, letter_id in report.generated:
        assert _count(context.cache, LetterRow, letter_id=letter_id, case_id=case_id) == 1
        assert _count(context.cache, OutboxRow, record_id=letter_id) == 1
        assert _count(context.cache, AuditRow, record_id=letter_id) == 1
    assert _count(context.cache, OutboxRow) == _count(context.cache, AuditRow) == len(passed)


def test_pdfs_drawn_in_worker_processes_name_the_right_participant(
    context: AppContext, generator: LetterGenerator
) -> None:
    records = {r.case.case_id: r for r in _records()}
    report = generate_batch(
        _items(),
        generator,
        storage=CacheBatchStorage(context),
        renderer=ProcessRenderer(2),
        generated_by="admin",
        group=3,
    )
    assert len(report.generated) == PEOPLE - len(WITHDRAWN)
    stored = _letters(context.cache)
    for case_id, pdf in stored.items():
        person = records[case_id].participant
        text = " ".join(pdf_text(pdf))
        assert person.full_name in text
        assert format_nhs_number(person.nhs_number) in text
        others = [r.participant.full_name for c, r in records.items() if c != case_id]
        assert not any(f"{name} " in text or text.endswith(name) for name in others)
        # the same bytes as drawing it here: a worker adds nothing and loses nothing
        document = generator.prepare(records[case_id], RESULT)
        assert render_pdf(document) == pdf


def test_a_failure_in_one_letter_does_not_lose_the_others(
    context: AppContext, generator: LetterGenerator
) -> None:
    class OneBroken(InlineRenderer):
        def submit(self, document: LetterDocument) -> Future[bytes]:
            if document.case_id == "C-4":
                future: Future[bytes] = Future()
                future.set_exception(RuntimeError("drawing failed"))
                return future
            return super().submit(document)

    with pytest.raises(RuntimeError, match="drawing failed"):
        generate_batch(
            _items(),
            generator,
            storage=CacheBatchStorage(context),
            renderer=OneBroken(),
            generated_by="admin",
            group=3,
        )
    # every other letter already begun when the failure came to light is stored
    assert sorted(_letters(context.cache)) == ["C-0", "C-1", "C-2", "C-5", "C-7", "C-8"]
    assert _count(context.cache, OutboxRow) == _count(context.cache, AuditRow) == 6


def test_a_letter_that_cannot_be_stored_leaves_no_rows_and_the_others_are_kept(
    context: AppContext, generator: LetterGenerator
) -> None:
    records = _records()
    letters = [generator.generate(r, RESULT, generated_by="admin") for r in records[:3]]
    rows = [(letter.record(f"L-{n}"), letter.pdf) for n, letter in enumerate(letters)]
    moved = f.replace(rows[1][0], case_id="C-gone")  # its case has left the cache
    duplicate = f.replace(rows[2][0], letter_id="L-0")  # a database error for this one
    with context.cache.write() as session:
        outcomes = save_letters(
            session, [rows[0], (moved, rows[1][1]), (duplicate, rows[2][1])], actor="admin"
        )
    assert outcomes[0] == rows[0][0]
    assert isinstance(outcomes[1], NotFound)
    assert isinstance(outcomes[2], Exception) and not isinstance(outcomes[2], DomainError)
    assert list(_letters(context.cache)) == ["C-0"]
    assert _count(context.cache, OutboxRow) == _count(context.cache, AuditRow) == 1


def test_stopping_a_batch_drops_letters_no_worker_has_started(
    context: AppContext, generator: LetterGenerator
) -> None:
    asked = itertools.count()
    report = generate_batch(
        _items(),
        generator,
        storage=CacheBatchStorage(context),
        renderer=ProcessRenderer(1),
        generated_by="admin",
        group=2,
        cancelled=lambda: next(asked) >= 6,  # six letters begun, then Stop
    )
    assert report.cancelled
    kept = _letters(context.cache)
    assert sorted(kept) == sorted(case_id for case_id, _ in report.generated)
    begun = {f"C-{n}" for n in range(6)}
    assert set(kept) | {r.case_id for r in report.refused} <= begun
    assert report.done == len(kept) + len(report.refused) < PEOPLE


def test_group_reads_give_the_same_record_as_the_case_view(context: AppContext) -> None:
    storage = CacheBatchStorage(context)
    loaded = storage.load(["C-2", "C-missing", "C-3"])
    assert isinstance(loaded[1], NotFound)
    with context.cache.read() as session:
        for case_id, got in (("C-2", loaded[0]), ("C-3", loaded[2])):
            assert not isinstance(got, DomainError)
            full = load_case(session, f"P-{case_id[2:]}")
            assert got.record == case_record_from(full, case_id)
            assert got.confirmed == frozenset()
        assert set(load_letter_cases(session, ["C-1", "C-1", "C-0"])) == {"C-0", "C-1"}


def test_workers_are_used_only_for_a_large_batch_on_several_cores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert isinstance(renderer_for(1000, cores=1), InlineRenderer)
    assert isinstance(renderer_for(5, cores=2), InlineRenderer)
    pool = renderer_for(1000, cores=2)
    try:
        assert isinstance(pool, ProcessRenderer) and pool.workers == 2
    finally:
        pool.close()
    monkeypatch.setattr(sys, "frozen", True, raising=False)  # a bundle re-runs itself to spawn
    assert isinstance(renderer_for(1000, cores=2), InlineRenderer)
