"""Letters in the app: preview draws every page, print makes the pages, export writes the bytes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from reportlab.pdfgen import canvas
from sqlalchemy import select
from ui_cases import (
    ADULT,
    CHILD,
    GONE,
    MARKUP_FAMILY,
    MARKUP_GIVEN,
    TEEN,
    make_context,
    make_synthetic_context,
)

from counsellor_app.domain.letter import LetterKind, Recipient
from counsellor_app.domain.participant import LetterFormat
from counsellor_app.store.case_detail import load_case
from counsellor_app.store.tables import AuditRow, LetterRow, OutboxRow, ParticipantRow
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.letters.batch_dialog import BatchLettersDialog, uncommunicated_results
from counsellor_app.ui.letters.generate_dialog import GenerateLetterDialog
from counsellor_app.ui.letters.letter_tools import LetterTools
from counsellor_app.ui.letters.preview import LetterPreviewDialog
from counsellor_app.ui.letters.wording import app_sentence
from counsellor_app.ui.views.case_record import LettersTab


def two_page_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for page in (1, 2):
        pdf.setFont("Helvetica", 20)
        pdf.drawString(72, 720, f"Page {page} of 2")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def dark_pixels(image) -> int:  # type: ignore[no-untyped-def]
    count = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            if image.pixelColor(x, y).lightness() < 128:
                count += 1
    return count


def test_preview_draws_every_page_with_its_text(qtbot: QtBot) -> None:
    dialog = LetterPreviewDialog(
        two_page_pdf(), heading="Result letter to <b>Ŵyn</b>", export_name="letter.pdf"
    )
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.preview.page_count == 2
    assert len(dialog.preview.page_labels) == 2
    assert dialog.heading.text() == "Result letter to <b>Ŵyn</b>"
    image = dialog.preview.page_labels[0].pixmap().toImage()
    assert image.width() > 500
    assert dark_pixels(image) > 20


def test_print_puts_every_page_on_the_printer(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = LetterPreviewDialog(two_page_pdf(), heading="Letter", export_name="letter.pdf")
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(dialog.printed) as blocker:
        assert dialog.print_to(printer)
    assert blocker.args == [2]
    assert len(pypdf.PdfReader(tmp_path / "printed.pdf").pages) == 2


def test_export_writes_the_letter_only_where_the_user_chose(qtbot: QtBot, tmp_path: Path) -> None:
    pdf = two_page_pdf()
    dialog = LetterPreviewDialog(pdf, heading="Letter", export_name="letter-L1.pdf")
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.export_button.click()
    assert dialog.export_dialog is not None
    target = tmp_path / "out" / "chosen.pdf"
    target.parent.mkdir()
    dialog.export_dialog.selectFile(str(target))
    with qtbot.waitSignal(dialog.exported) as blocker:
        dialog.export_dialog.accept()
    assert blocker.args == [str(target)]
    assert target.read_bytes() == pdf
    assert (target.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in tmp_path.rglob("*.pdf")) == ["chosen.pdf"]


# --- generating from a case record -------------------------------------------------------------


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    ctx = make_context(tmp_path / "profile")
    yield ctx
    ctx.cache.close()


def choose(combo, data) -> None:  # type: ignore[no-untyped-def]
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def letter_rows(context: AppContext) -> list[LetterRow]:
    with context.cache.read() as session:
        return list(session.scalars(select(LetterRow)))


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_result_letter_generated_kept_as_draft_previewed_and_final_once_exported(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    dialog = GenerateLetterDialog(context, ADULT)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.participant_line.text().startswith(f"{MARKUP_GIVEN} {MARKUP_FAMILY}")
    choose(dialog.kind, LetterKind.RESULT)
    choose(dialog.subject, "RES-ADULT-2")
    assert dialog.format.currentData() == LetterFormat.LARGE_PRINT  # communication needs
    assert dialog.recipient.currentData() == Recipient.PARTICIPANT
    assert dialog.generate_button.isEnabled(), dialog.problem.text()
    with qtbot.waitSignal(dialog.generated) as blocker:
        dialog.generate_button.click()
    letter_id = blocker.args[0]
    [row] = letter_rows(context)
    assert (row.letter_id, row.status, row.kind, row.format, row.result_id) == (
        letter_id, "draft", "result", "large-print", "RES-ADULT-2"
    )
    text = pdf_text(row.pdf)
    assert f"{MARKUP_GIVEN} {MARKUP_FAMILY}" in text
    assert "999 000 0018" in text

    preview = dialog.preview_dialog
    assert preview is not None
    qtbot.addWidget(preview)
    assert preview.preview.page_count >= 1
    target = tmp_path / "exported.pdf"
    with qtbot.waitSignal(preview.exported):
        assert preview.export_to(str(target))
    assert target.read_bytes() == row.pdf
    with context.cache.read() as session:
        assert session.get(LetterRow, letter_id).status == "final"
        actions = sorted(a.action for a in session.scalars(select(AuditRow)))
        kinds = [o.kind for o in session.scalars(select(OutboxRow))]
    assert actions == ["letter.exported", "letter.final", "letter.generated"]
    assert kinds == ["letter_record", "letter_record"]


def test_superseded_report_is_refused_with_the_cores_sentence(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = GenerateLetterDialog(context, ADULT)
    qtbot.addWidget(dialog)
    choose(dialog.kind, LetterKind.RESULT)
    choose(dialog.subject, "RES-ADULT-1")
    assert "SUPERSEDED" in dialog.subject.currentText()
    assert not dialog.generate_button.isEnabled()
    assert "superseded" in dialog.problem.text().lower() or "replaced" in dialog.problem.text()
    dialog.generate()
    assert letter_rows(context) == []


def test_withdrawn_participant_gets_no_letter(qtbot: QtBot, context: AppContext) -> None:
    dialog = GenerateLetterDialog(context, GONE)
    qtbot.addWidget(dialog)
    for kind in LetterKind:
        if kind is LetterKind.CONSENT_CONFIRMATION:
            continue
        choose(dialog.kind, kind)
        assert not dialog.generate_button.isEnabled(), kind
        assert dialog.problem.text().endswith("."), kind
    assert letter_rows(context) == []


def test_additional_findings_letter_refused_when_the_parents_grant_lapsed_at_16(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = GenerateLetterDialog(context, TEEN)
    qtbot.addWidget(dialog)
    dialog.open()
    choose(dialog.kind, LetterKind.ADDITIONAL_FINDINGS)
    choose(dialog.subject, "RES-TEEN-AF")
    assert not dialog.generate_button.isEnabled()
    assert dialog.problem.isVisible()
    assert dialog.problem.text().startswith("No additional findings letter can be written.")
    assert "re-consent needed" in dialog.problem.text()
    dialog.generate()
    assert letter_rows(context) == []


def test_cancel_keeps_no_letter(qtbot: QtBot, context: AppContext) -> None:
    dialog = GenerateLetterDialog(context, CHILD)
    qtbot.addWidget(dialog)
    dialog.open()
    with qtbot.waitSignal(dialog.rejected):
        dialog.reject()
    assert letter_rows(context) == []


# --- batches -------------------------------------------------------------------------------------


@pytest.fixture
def synthetic(tmp_path: Path) -> Iterator[AppContext]:
    ctx = make_synthetic_context(tmp_path / "synthetic")
    yield ctx
    ctx.cache.close()


def test_batch_for_uncommunicated_no_variant_results_lists_refusals_with_reasons(
    qtbot: QtBot, synthetic: AppContext
) -> None:
    targets = uncommunicated_results(synthetic)
    assert targets, "the synthetic caseload has no uncommunicated no-variant results"
    dialog = BatchLettersDialog(synthetic, targets=targets)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.selection.text() == f"{len(targets)} case(s) selected."
    with qtbot.waitSignal(dialog.batch_finished, timeout=120_000) as blocker:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    assert not report.cancelled
    assert report.done == report.total == len(targets)
    assert dialog.progress.value() == len(targets)
    rows = letter_rows(synthetic)
    kept = sorted(letter_id for _, letter_id in report.generated)
    assert sorted(r.letter_id for r in rows) == kept
    assert all(r.status == "draft" and r.kind == "result" for r in rows)
    by_case = {t.case_id: t for t in targets}
    assert {r.result_id for r in rows} <= {t.result_id for t in targets}
    assert dialog.refusals.count() == len(report.refused)
    for index, refusal in enumerate(report.refused):
        shown = dialog.refusals.item(index).text()
        reason = app_sentence(refusal.reason)  # the core's sentence, in the app's words
        assert shown == f"{by_case[refusal.case_id].label} ({refusal.case_id}): {reason}"
        assert refusal.reason.endswith(".")
    assert dialog.summary.text() == (
        f"{len(report.generated)} letter(s) kept as drafts in the cache; "
        f"{len(report.refused)} refused."
    )
    assert dialog.cancel_button.text() == "&Close"


def test_batch_cancel_stops_and_keeps_what_was_made(qtbot: QtBot, synthetic: AppContext) -> None:
    with synthetic.cache.read() as session:
        everyone = list(session.scalars(select(ParticipantRow.participant_id)))
    dialog = BatchLettersDialog(synthetic, everyone)
    qtbot.addWidget(dialog)
    dialog.open()
    with qtbot.waitSignal(dialog.batch_finished, timeout=120_000) as blocker:
        dialog.start_button.click()
        assert dialog.is_running
        dialog.cancel_button.click()
    report = blocker.args[0]
    assert report.cancelled
    assert report.done < report.total
    assert len(letter_rows(synthetic)) == len(report.generated)
    assert dialog.summary.text().startswith(f"Stopped after {report.done} of {report.total}")


def test_closing_an_unstarted_batch_writes_nothing(qtbot: QtBot, synthetic: AppContext) -> None:
    dialog = BatchLettersDialog.for_uncommunicated_results(synthetic)
    assert dialog.targets == uncommunicated_results(synthetic)
    qtbot.addWidget(dialog)
    dialog.open()
    with qtbot.waitSignal(dialog.rejected):
        dialog.cancel_button.click()
    assert letter_rows(synthetic) == []


def test_letters_tab_tools_write_then_open_a_kept_letter(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    tab = LettersTab()
    qtbot.addWidget(tab)
    tools = LetterTools(context, tab)
    assert not tools.write_button.isEnabled()
    tools.set_case(CHILD, f"C-{CHILD}")
    dialog = tools.write_letter()
    assert dialog is not None
    qtbot.addWidget(dialog)
    choose(dialog.subject, "RES-CHILD-1")
    assert dialog.recipient.currentData() == Recipient.REPRESENTATIVE  # a child's parent
    with qtbot.waitSignal(tools.changed):
        dialog.generate_button.click()
    assert dialog.preview_dialog is not None
    qtbot.addWidget(dialog.preview_dialog)
    with context.cache.read() as session:
        tab.show_letters(load_case(session, CHILD).letters)
    tab.table.setCurrentIndex(tab.table.model().index(0, 0))
    preview = tools.open_selected()
    assert preview is not None
    qtbot.addWidget(preview)
    assert "Result letter to their representative" in preview.heading.text()
    with qtbot.waitSignal(tools.changed):
        preview.export_to(str(tmp_path / "child.pdf"))
    [row] = letter_rows(context)
    assert row.status == "final"
    assert "Rhys Morgan" in pdf_text(row.pdf)


def test_closing_a_running_batch_stops_it_without_waiting(
    qtbot: QtBot, synthetic: AppContext
) -> None:
    with synthetic.cache.read() as session:
        everyone = list(session.scalars(select(ParticipantRow.participant_id)))
    dialog = BatchLettersDialog(synthetic, everyone)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    dialog.start_button.click()
    job = dialog._job
    assert job is not None
    dialog.close()
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    assert len(letter_rows(synthetic)) < len(everyone)


def test_printing_a_generated_letter_is_audited_and_makes_it_final(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    dialog = GenerateLetterDialog(context, CHILD)
    qtbot.addWidget(dialog)
    choose(dialog.subject, "RES-CHILD-1")
    dialog.generate()
    preview = dialog.preview_dialog
    assert preview is not None
    qtbot.addWidget(preview)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert preview.print_to(printer)
    [row] = letter_rows(context)
    assert row.status == "final"
    with context.cache.read() as session:
        printed = [a for a in session.scalars(select(AuditRow)) if a.action == "letter.printed"]
    assert [(a.record_id, a.detail) for a in printed] == [
        (row.letter_id, f"{preview.preview.page_count} page(s)")
    ]
