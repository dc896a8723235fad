"""Letters in the app: preview draws every page, print makes the pages, export writes the bytes."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from reportlab.pdfgen import canvas

from counsellor_app.ui.letters.preview import LetterPreviewDialog


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
