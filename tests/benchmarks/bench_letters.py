"""Benchmark: one letter PDF, and a batch of letters, against bare reportlab drawing the same page.

Run on demand:  .venv/bin/python tests/benchmarks/bench_letters.py [--letters 1000] [--store]

floor     reportlab alone drawing the same page: the same text, fonts, tables and envelope
          address, written out by hand (no wording files, no consent or identity checks, no
          composition) — what the letter would cost without our template layer.
measured  LetterGenerator.generate: rules, wording, identity check, layout, PDF, SHA-256.
batch     generate_batch over distinct synthetic participants (DESIGN §7), optionally also
          storing every letter in a real SQLCipher cache (--store).
Targets: one letter under 50 ms and at most 1.5 x the floor; 1,000 letters under 30 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
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
from counsellor_app.letters.spec import LetterSpec  # noqa: E402
from counsellor_app.letters.styles import styles_for  # noqa: E402
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--store", action="store_true", help="also keep each in a real cache")
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

    batch_records = {
        r.case.case_id + r.participant.participant_id: r for r in records(args.letters)
    }
    items = [BatchItem(key, spec) for key in batch_records]
    keep: Callable[[object], str] = lambda letter: "kept"  # noqa: E731
    cache = None
    if args.store:
        cache, keep = _store(batch_records)
    start, start_cpu = time.perf_counter(), time.process_time()
    report = generate_batch(
        items,
        generator,
        load_record=batch_records.__getitem__,
        keep=keep,  # type: ignore[arg-type]
        generated_by="bench",
    )
    elapsed = time.perf_counter() - start
    elapsed_cpu = time.process_time() - start_cpu
    floor_batch = floor * len(items) / 1000
    print(
        f"batch        {len(report.generated)} letters ({len(report.refused)} refused) in "
        f"{elapsed:5.1f} s = {elapsed * 1000 / max(1, len(items)):.1f} ms each; "
        f"floor x {len(items)} = {floor_batch:5.1f} s; ratio {elapsed / floor_batch:4.2f}"
        f"{' (stored in the encrypted cache)' if args.store else ''}   (target: < 30 s)\n"
        f"  CPU time   {elapsed_cpu:5.1f} s = {elapsed_cpu * 1000 / max(1, len(items)):.1f} ms each"
    )
    if cache is not None:
        cache.close()
    return 0


def _store(batch_records: dict[str, CaseRecord]) -> tuple[object, Callable[[object], str]]:
    import keyring
    from keyring.backend import KeyringBackend

    from counsellor_app.store.bulk import insert_records
    from counsellor_app.store.engine import open_cache
    from counsellor_app.store.keys import KeyProvider
    from counsellor_app.store.letters_repo import save_letter
    from counsellor_app.store.paths import Profile

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        secrets: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.secrets.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.secrets[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.secrets.pop((service, username), None)

    keyring.set_keyring(Memory())
    profile = Profile.at(Path(tempfile.mkdtemp(prefix="bench-letters-")))
    cache = open_cache(profile, KeyProvider(profile), create=True)
    rows = list(batch_records.values())
    with cache.write() as session:
        insert_records(
            session,
            participants=[r.participant for r in rows],
            cases=[f.replace(r.case, case_id=f"C-{r.participant.participant_id}") for r in rows],
            today=dt.date(2026, 11, 27),
        )

    def keep(letter: object) -> str:
        record = letter.record(str(uuid.uuid4()))  # type: ignore[attr-defined]
        record = f.replace(record, case_id=f"C-{record.participant_id}")
        with cache.write() as session:
            save_letter(session, record, letter.pdf, actor="bench")  # type: ignore[attr-defined]
        return record.letter_id

    return cache, keep


if __name__ == "__main__":
    sys.exit(main())
