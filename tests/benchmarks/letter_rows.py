"""Row 5: one letter PDF against bare reportlab, and a batch (the letters engineer's
``bench_letters`` measurements, gathered as rows of the table)."""

from __future__ import annotations

import statistics
from collections.abc import Callable

from counsellor_app.domain.letter import LetterKind
from counsellor_app.letters.batch import BatchItem, generate_batch
from counsellor_app.letters.fonts import register_fonts
from counsellor_app.letters.generator import LetterGenerator
from counsellor_app.letters.spec import LetterSpec
from tests.benchmarks.bench_letters import floor_pdf, records
from tests.benchmarks.harness import Row, log, repeat, timed
from tests.letters import factory as f


def letter_rows(letters: int, times: int) -> list[Row]:
    register_fonts()
    generator = LetterGenerator(clock=lambda: f.NOW)
    record = records(1)[0]
    spec = LetterSpec(LetterKind.RESULT)
    document = generator.prepare(record, spec)
    for _ in range(3):  # warm up: font subsetting tables, style caches
        floor_pdf(document)
        generator.generate(record, spec, generated_by="bench")
    floor_walls, floor_cpus, walls, cpus = [], [], [], []
    for _ in range(times):  # interleaved, so a load spike hits both alike
        w, c = repeat(lambda: floor_pdf(document), 1)
        floor_walls += w
        floor_cpus += c
        w, c = repeat(lambda: generator.generate(record, spec, generated_by="bench"), 1)
        walls += w
        cpus += c
    one = Row("one letter PDF", statistics.median(walls), "≤ 1.5× floor and < 50 ms", None,
              floor=statistics.median(floor_walls), cpu=statistics.median(cpus),
              floor_cpu=statistics.median(floor_cpus), note=f"median of {times}",
              cpu_check=lambda r: (r.cpu_ratio or 9) <= 1.5 and (r.cpu or 1) < 0.05)
    one.met = one.ratio is not None and one.ratio <= 1.5 and one.measured < 0.05

    by_key = {r.case.case_id + r.participant.participant_id: r for r in records(letters)}
    items = [BatchItem(key, spec) for key in by_key]
    keep: Callable[[object], str] = lambda _letter: "kept"  # noqa: E731
    with timed() as t:
        report = generate_batch(items, generator, load_record=by_key.__getitem__,
                                keep=keep, generated_by="bench")  # type: ignore[arg-type]
    assert len(report.generated) == letters, (len(report.generated), len(report.refused))
    batch = Row(f"{letters:,} letters in a batch", t.wall, "< 30 s" if letters >= 1000 else
                "< 30 s per 1,000", t.wall < 30 * max(1.0, letters / 1000), cpu=t.cpu,
                floor=one.floor * letters if one.floor else None,
                floor_cpu=one.floor_cpu * letters if one.floor_cpu else None,
                note=f"{t.wall * 1000 / letters:.1f} ms each; floor = {letters} × one bare page",
                cpu_check=lambda r: (r.cpu or 99) < 30 * max(1.0, letters / 1000))
    log(f"letters: one {one.measured * 1000:.1f} ms (floor {one.floor * 1000:.1f} ms); "
        f"batch of {letters} {t.wall:.1f} s")
    return [one, batch]
