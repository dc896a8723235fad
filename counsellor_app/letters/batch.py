"""Many letters in one go, without Qt: progress callback, stop, refusals listed with reasons.

The caller brings the storage (a ``BatchStorage``, or plain ``load_record`` and ``keep``
callables), so this stays free of the cache; the desktop app runs it in a worker thread and
turns the callbacks into signals. Each letter goes through exactly the checks a single letter
does (rules, wording, the identity check just before it is drawn); only the drawing may happen
in worker processes, and the storing a group of letters per transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Protocol

from counsellor_app.domain.errors import DomainError
from counsellor_app.letters.case_record import CaseRecord
from counsellor_app.letters.document import LetterDocument
from counsellor_app.letters.generator import GeneratedLetter, LetterGenerator
from counsellor_app.letters.identity import verify_identity
from counsellor_app.letters.render_pool import InlineRenderer, Renderer
from counsellor_app.letters.spec import LetterSpec

# Letters loaded in one read and stored in one write transaction.
GROUP = 25


@dataclass(frozen=True, slots=True)
class BatchItem:
    case_id: str
    spec: LetterSpec


@dataclass(frozen=True, slots=True)
class BatchRefusal:
    case_id: str
    reason: str  # the refusal's plain sentence (never a patient identifier)


@dataclass(slots=True)
class BatchReport:
    generated: list[tuple[str, str]] = field(default_factory=list)  # (case id, kept id)
    refused: list[BatchRefusal] = field(default_factory=list)
    cancelled: bool = False
    total: int = 0

    @property
    def done(self) -> int:
        return len(self.generated) + len(self.refused)


@dataclass(frozen=True, slots=True)
class LoadedCase:
    """One case record as the storage read it, and its already-confirmed consent decisions."""

    record: CaseRecord
    confirmed: Collection[str] = ()


class BatchStorage(Protocol):
    """Where a batch reads its case records and keeps its letters."""

    def load(self, case_ids: Sequence[str]) -> Sequence[LoadedCase | DomainError]:
        """The record of each case, in order; a DomainError for a case that cannot be read."""
        ...

    def keep(self, letters: Sequence[GeneratedLetter]) -> Sequence[str | Exception]:
        """Store each letter all-or-nothing (with its outbox and audit rows); per letter, in
        order: its id, a DomainError (refused, nothing stored) or another exception (failed,
        nothing stored for it; the others are kept)."""
        ...


Progress = Callable[[int, int], None]  # (done, total)


class CallbackStorage:
    """Storage from plain callables, one letter at a time."""

    def __init__(
        self,
        load_record: Callable[[str], CaseRecord],
        keep: Callable[[GeneratedLetter], str],
        confirmed_decisions: Callable[[CaseRecord], Collection[str]] | None = None,
    ) -> None:
        self._load_record = load_record
        self._keep = keep
        self._confirmed = confirmed_decisions

    def load(self, case_ids: Sequence[str]) -> list[LoadedCase | DomainError]:
        out: list[LoadedCase | DomainError] = []
        for case_id in case_ids:
            try:
                record = self._load_record(case_id)
                out.append(LoadedCase(record, self._confirmed(record) if self._confirmed else ()))
            except DomainError as refusal:
                out.append(refusal)
        return out

    def keep(self, letters: Sequence[GeneratedLetter]) -> list[str | Exception]:
        out: list[str | Exception] = []
        for letter in letters:
            try:
                out.append(self._keep(letter))
            except Exception as exc:  # reported per letter; generate_batch decides
                out.append(exc)
        return out


def generate_batch(
    items: Sequence[BatchItem],
    generator: LetterGenerator,
    *,
    generated_by: str,
    storage: BatchStorage | None = None,
    load_record: Callable[[str], CaseRecord] | None = None,
    keep: Callable[[GeneratedLetter], str] | None = None,
    confirmed_decisions: Callable[[CaseRecord], Collection[str]] | None = None,
    renderer: Renderer | None = None,
    group: int = GROUP,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> BatchReport:
    """Generate a letter per item; a refusal is listed and the batch goes on.

    Records are read and letters stored through ``storage`` (or ``load_record``, ``keep`` and
    ``confirmed_decisions``, one letter at a time), ``group`` letters at a time; PDFs are
    drawn by ``renderer`` (this process by default; ``render_pool.renderer_for`` picks worker
    processes for a large batch), which the batch closes when it ends. At most two groups of
    letters are held in memory.

    ``cancelled`` is checked once before each letter is begun: nothing is begun after it says
    yes; letters already drawn are kept, those still waiting for a worker are dropped. A
    failure that is not a refusal (a bug, a broken cache) stops the batch after every letter
    already drawn has been offered to the storage, then is raised.
    """
    if storage is None:
        if load_record is None or keep is None:
            raise TypeError("generate_batch needs a storage, or load_record and keep")
        storage = CallbackStorage(load_record, keep, confirmed_decisions)
    run = _BatchRun(
        items, generator, storage, renderer or InlineRenderer(), generated_by, max(1, group),
        progress,
    )
    return run.run(cancelled)


@dataclass(slots=True)
class _Begun:
    case_id: str
    document: LetterDocument
    at: dt.datetime
    pdf: Future[bytes]


class _BatchRun:
    def __init__(
        self,
        items: Sequence[BatchItem],
        generator: LetterGenerator,
        storage: BatchStorage,
        renderer: Renderer,
        generated_by: str,
        group: int,
        progress: Progress | None,
    ) -> None:
        self.items = items
        self.generator = generator
        self.storage = storage
        self.renderer = renderer
        self.generated_by = generated_by
        self.group = group
        self.progress = progress
        self.report = BatchReport(total=len(items))
        self.begun: list[_Begun] = []
        self.failure: Exception | None = None

    def run(self, cancelled: Callable[[], bool]) -> BatchReport:
        stopping = True
        try:
            loaded: Iterator[LoadedCase | DomainError] = iter(())
            for index, item in enumerate(self.items):
                if cancelled():
                    self.report.cancelled = True
                    break
                if index % self.group == 0:
                    loaded = self._load(self.items[index : index + self.group])
                    if self.failure is not None:
                        break
                self._begin(item, next(loaded))
                if len(self.begun) >= 2 * self.group:  # the drawing stays a group ahead
                    self._finish(self.group)
                if self.failure is not None:
                    break
            stopping = self.report.cancelled or self.failure is not None
            if stopping:
                self.begun = [b for b in self.begun if not b.pdf.cancel()]
            self._finish(len(self.begun))
        finally:
            self.renderer.close(cancel_waiting=stopping)
        if self.failure is not None:
            raise self.failure
        return self.report

    def _load(self, chunk: Sequence[BatchItem]) -> Iterator[LoadedCase | DomainError]:
        try:
            loaded = list(self.storage.load([item.case_id for item in chunk]))
        except Exception as exc:  # the letters already begun are still kept
            self.failure = exc
            return iter(())
        if len(loaded) != len(chunk):
            raise ValueError("the batch storage loaded a different number of cases than asked")
        return iter(loaded)

    def _begin(self, item: BatchItem, loaded: LoadedCase | DomainError) -> None:
        """Rules, wording and the identity check here; then the drawing is handed over."""
        if isinstance(loaded, DomainError):
            self._refuse(item.case_id, loaded)
            return
        record = loaded.record
        try:
            now = self.generator.clock()
            document = self.generator.prepare(
                record, item.spec, confirmed_decisions=loaded.confirmed, on=now.date()
            )
            verify_identity(document, record)  # H3, immediately before the letter is drawn
            pdf = self.renderer.submit(document)
        except DomainError as refusal:
            self._refuse(item.case_id, refusal)
            return
        except Exception as exc:  # a bug: stop beginning letters, keep those begun
            self.failure = exc
            return
        self.begun.append(_Begun(item.case_id, document, now, pdf))

    def _finish(self, count: int) -> None:
        """Collect the first ``count`` letters begun and offer those drawn to the storage."""
        batch, self.begun = self.begun[:count], self.begun[count:]
        drawn: list[tuple[str, GeneratedLetter]] = []
        for begun in batch:
            try:
                pdf = begun.pdf.result()
            except DomainError as refusal:
                self._refuse(begun.case_id, refusal)
                continue
            except Exception as exc:
                self.failure = self.failure or exc
                continue
            letter = GeneratedLetter.of(
                begun.document, pdf, generated_by=self.generated_by, at=begun.at
            )
            drawn.append((begun.case_id, letter))
        if not drawn:
            return
        outcomes = self.storage.keep([letter for _, letter in drawn])
        for (case_id, _), outcome in zip(drawn, outcomes, strict=True):
            if isinstance(outcome, DomainError):
                self._refuse(case_id, outcome)
            elif isinstance(outcome, Exception):
                self.failure = self.failure or outcome
            else:
                self.report.generated.append((case_id, outcome))
                self._progressed()

    def _refuse(self, case_id: str, refusal: DomainError) -> None:
        self.report.refused.append(BatchRefusal(case_id, str(refusal)))
        self._progressed()

    def _progressed(self) -> None:
        if self.progress is not None:
            self.progress(self.report.done, self.report.total)
