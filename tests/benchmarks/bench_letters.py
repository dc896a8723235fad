"""Benchmark: one letter PDF, and a batch of letters, against bare reportlab drawing the same page.

Run on demand:  .venv/bin/python tests/benchmarks/bench_letters.py [--letters 1000] [--runs 3]

floor     reportlab alone drawing the same page: the same text, fonts, tables and envelope
          address, written out by hand (no wording files, no consent or identity checks, no
          composition) — what the letter would cost without our template layer.
measured  LetterGenerator.generate: rules, wording, identity check, layout, PDF, SHA-256.
batch     the batch dialog's path over distinct synthetic participants (DESIGN §7): records
          read from a real SQLCipher cache, rules and identity checks, PDFs drawn in worker
          processes (one per core), every letter kept in the cache with its outbox and audit rows.
Targets: one letter under 50 ms and at most 1.5 x the floor; 1,000 letters under 30 s.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table, TableStyle

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from counsellor_app.domain.letter import LetterKind  # noqa: E402
from counsellor_app.domain.nhs_number import format_nhs_number  # noqa: E402
from counsellor_app.letters.batch import BatchItem, generate_batch  # noqa: E402
from counsellor_app.letters.case_record import CaseRecord  # noqa: E402
from counsellor_app.letters.document import BlockKind, LetterDocument  # noqa: E402
from counsellor_app.letters.fonts import BOLD, REGULAR, register_fonts  # noqa: E402
from counsellor_app.letters.generator import LetterGenerator  # noqa: E402
from counsellor_app.letters.render_pool import (  # noqa: E402
    InlineRenderer,
    ProcessRenderer,
    renderer_for,
)
from counsellor_app.letters.spec import LetterSpec  # noqa: E402
from counsellor_app.letters.styles import styles_for  # noqa: E402
from counsellor_app.ui.context import AppContext  # noqa: E402
from tests.letters import factory as f  # noqa: E402

A4 = (210 * mm, 297 * mm)


def floor_pdf(doc: LetterDocument) -> bytes:
    """The same page drawn with bare reportlab: hand-written, from already-known strings."""
    styles = styles_for(doc.letter_format)
    part = doc.parts[0]
    identity = doc.identity
    nhs = format_nhs_number(identity.nhs_number)
    buffer = io.BytesIO()

    def first(canvas: Canvas, _doc: object) -> None:
        canvas.setFont(BOLD, 13)
        canvas.drawRightString(190 * mm, 279 * mm, doc.letterhead.hospital)
        canvas.setFont(BOLD, 11)
        canvas.drawRightString(190 * mm, 273 * mm, doc.letterhead.team)
        canvas.setFont(REGULAR, 9)
        y = 249 * mm
        for line in (*doc.letterhead.contact_lines(), doc.reference):
            canvas.drawString(125 * mm, y, line)
            y -= 11.7
        y = 244 * mm
        canvas.setFont(REGULAR, 11)
        for line in (part.addressee.name, *part.addressee.address):
            canvas.drawString(25 * mm, y, line)
            y -= 13.2

    class Numbered(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.pages: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802
            self.pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self.pages, start=1):
                self.__dict__.update(state)
                self.setFont(REGULAR, 8.5)
                self.drawString(20 * mm, 10 * mm, f"{identity.name} · NHS number {nhs}")
                self.drawRightString(190 * mm, 10 * mm, f"Page {number} of {len(self.pages)}")
                super().showPage()
            super().save()

    template = BaseDocTemplate(buffer, pagesize=A4, invariant=1, pageCompression=1)
    template.addPageTemplates(
        [
            PageTemplate("first", [Frame(20 * mm, 22 * mm, 170 * mm, 178 * mm)], onPage=first),
            PageTemplate("later", [Frame(20 * mm, 22 * mm, 170 * mm, 257 * mm)]),
        ]
    )
    rows = [("Name", identity.name), ("NHS number", nhs), ("Address", ", ".join(identity.address))]
    story: list[object] = [_table(rows, styles)]
    story.append(Paragraph(escape(part.salutation), styles.body))
    story.append(Paragraph(escape(part.subject), styles.subject))
    for block in part.blocks:
        if block.kind is BlockKind.TABLE:
            story.append(_table(block.rows, styles))
        elif block.kind is BlockKind.HEADING:
            story.append(Paragraph(escape(block.text), styles.heading))
        else:
            story.append(Paragraph(escape(block.text), styles.body))
    story += [Paragraph(escape(text), styles.body) for text in (doc.signer_name, *part.copy_to)]
    template.build(story, canvasmaker=Numbered)
    return buffer.getvalue()


def _table(rows: object, styles: object) -> Table:
    data = [
        [Paragraph(escape(a), styles.label), Paragraph(escape(b), styles.cell)]  # type: ignore[attr-defined]
        for a, b in rows  # type: ignore[attr-defined]
    ]
    table = Table(data, colWidths=[51 * mm, 119 * mm])
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, "#000000")]))
    return table


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time of ``action``, in milliseconds.

    CPU time is printed too because a shared machine stretches wall time for everyone alike.
    """
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def records(count: int) -> list[CaseRecord]:
    """Distinct people, each with one current result (a quarter of each outcome)."""
    outcomes = list(f.ResultOutcome)
    out = []
    for n in range(count):
        person = f.participant(
            participant_id=f"P-{n}", nhs_number=f.nhs(10_000 + n), given_name=f"Person{n}"
        )
        result = f.result(outcomes[n % 4], participant_id=f"P-{n}", result_id=f"R-{n}")
        decisions = tuple(
            f.replace(d, participant_id=f"P-{n}", decision_id=f"D-{n}-{i}")
            for i, d in enumerate(f.baseline_consent())
        )
        case = f.replace(f.case(), participant_id=f"P-{n}")
        out.append(CaseRecord(person, case, (result,), (), decisions))
    return out


def cached_records(count: int) -> list[CaseRecord]:
    """``records(count)`` with a case id of their own each (as a cache holds them)."""
    out = []
    for record in records(count):
        case = f.replace(record.case, case_id=f"C-{record.participant.participant_id}")
        results = tuple(f.replace(r, case_id=case.case_id) for r in record.results)
        out.append(f.replace(record, case=case, results=results))
    return out


def letter_cache(folder: Path, batch: list[CaseRecord]) -> AppContext:
    """A new encrypted cache in ``folder`` holding these records, and an app context on it
    (the caller's keyring keeps its key)."""
    from counsellor_app.store.bulk import insert_records
    from counsellor_app.store.engine import open_cache
    from counsellor_app.store.keys import KeyProvider
    from counsellor_app.store.paths import Profile
    from counsellor_app.ui.settings_store import AppSettings

    profile = Profile.at(folder)
    keys = KeyProvider(profile)
    cache = open_cache(profile, keys, create=True)
    with cache.write() as session:
        insert_records(
            session,
            participants=[r.participant for r in batch],
            cases=[r.case for r in batch],
            results=[x for r in batch for x in r.results],
            decisions=[d for r in batch for d in r.decisions],
            today=f.TODAY,
        )
    return AppContext(profile=profile, cache=cache, user_name="bench", hub_url="",
                      settings=AppSettings(), key_provider=keys, clock=lambda: f.NOW)


@dataclass
class BatchRun:
    """One batch as the app runs it: wall seconds, CPU seconds of this process and of the
    worker processes that drew the PDFs, letters kept and refused, workers used."""

    wall: float
    cpu: float
    workers_cpu: float
    kept: int
    refused: int
    workers: int


def app_batch(context: AppContext, batch: list[CaseRecord], generator: LetterGenerator,
              spec: LetterSpec, *, workers: bool = True) -> BatchRun:
    """The batch dialog's own path (``BatchLettersDialog.start``): records read a group per
    snapshot, rules and identity checked here, PDFs drawn by ``renderer_for`` (worker
    processes on a machine with several cores), letters kept a group per transaction."""
    from counsellor_app.ui.letters.letter_store import CacheBatchStorage

    items = [BatchItem(r.case.case_id, spec) for r in batch]
    renderer = renderer_for(len(items)) if workers else InlineRenderer()
    used = renderer.workers if isinstance(renderer, ProcessRenderer) else 0
    children = _children_cpu()
    start, start_cpu = time.perf_counter(), time.process_time()
    report = generate_batch(items, generator, storage=CacheBatchStorage(context),
                            renderer=renderer, generated_by="bench")
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    return BatchRun(wall, cpu, _children_cpu() - children, len(report.generated),
                    len(report.refused), used)


def _children_cpu() -> float:
    """CPU seconds of this process's ended children (the batch's workers, once it closed them)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3, help="batches in the cache (median)")
    args = parser.parse_args()
    register_fonts()
    generator = LetterGenerator(clock=lambda: f.NOW)
    record = records(1)[0]
    spec = LetterSpec(LetterKind.RESULT)
    document = generator.prepare(record, spec)
    for _ in range(3):  # warm up: font subsetting tables, style caches
        floor_pdf(document)
        generator.generate(record, spec, generated_by="bench")
    floor, floor_cpu = timed(lambda: floor_pdf(document), args.repeat)
    measured, measured_cpu = timed(
        lambda: generator.generate(record, spec, generated_by="bench"), args.repeat
    )
    print(
        f"one letter   floor {floor:7.1f} ms   measured {measured:7.1f} ms   "
        f"ratio {measured / floor:4.2f}   (targets: <= 1.50, < 50 ms)\n"
        f"  CPU time   floor {floor_cpu:7.1f} ms   measured {measured_cpu:7.1f} ms   "
        f"ratio {measured_cpu / floor_cpu:4.2f}"
    )
    import keyring

    from tests.benchmarks.harness import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    batch = cached_records(args.letters)
    with tempfile.TemporaryDirectory(prefix="bench-letters-") as folder:
        context = letter_cache(Path(folder) / "profile", batch)
        try:
            for _ in range(args.runs):
                run = app_batch(context, batch, generator, spec)
                print(
                    f"batch        {run.kept} letters ({run.refused} refused), read from and "
                    f"kept in the encrypted cache, {run.workers} drawing processes: "
                    f"{run.wall:5.1f} s   (target: < 30 s)\n"
                    f"  CPU time   {run.cpu:5.1f} s here + {run.workers_cpu:5.1f} s drawing"
                )
        finally:
            context.cache.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
