"""Many letters in one go, without Qt: progress callback, cancel, refusals listed with reasons.

The caller brings the storage (``load_record`` and ``keep``), so this stays free of the cache;
the desktop app runs it in a worker thread and turns the callbacks into signals.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from counsellor_app.domain.errors import DomainError
from counsellor_app.letters.case_record import CaseRecord
from counsellor_app.letters.generator import GeneratedLetter, LetterGenerator
from counsellor_app.letters.spec import LetterSpec


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


Progress = Callable[[int, int], None]  # (done, total)


def generate_batch(
    items: Sequence[BatchItem],
    generator: LetterGenerator,
    *,
    load_record: Callable[[str], CaseRecord],
    keep: Callable[[GeneratedLetter], str],
    generated_by: str,
    confirmed_decisions: Callable[[CaseRecord], Collection[str]] | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> BatchReport:
    """Generate a letter per item; a refusal is listed and the batch goes on.

    ``keep`` stores one letter (e.g. in its own cache transaction) and returns its id; the PDF
    is then dropped, so a batch of thousands holds one letter in memory at a time.
    ``cancelled`` is checked before each letter: what was kept stays kept.
    """
    report = BatchReport(total=len(items))
    for item in items:
        if cancelled():
            report.cancelled = True
            break
        try:
            record = load_record(item.case_id)
            confirmed = confirmed_decisions(record) if confirmed_decisions else ()
            letter = generator.generate(
                record, item.spec, generated_by=generated_by, confirmed_decisions=confirmed
            )
            report.generated.append((item.case_id, keep(letter)))
        except DomainError as refusal:
            report.refused.append(BatchRefusal(item.case_id, str(refusal)))
        if progress is not None:
            progress(report.done, report.total)
    return report
