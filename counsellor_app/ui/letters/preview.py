"""The letter preview: every page drawn inside the app, with Print and Export."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.domain.errors import DomainError
from counsellor_app.store.paths import write_private_file
from counsellor_app.ui.dialogs.parts import MessageLine, plain_label
from counsellor_app.ui.letters.pages import PdfPages

log = logging.getLogger(__name__)

PREVIEW_DPI = 96.0
PRINT_DPI_CAP = 300.0  # sharp text on paper; a 1200 dpi printer gets 300 dpi pages, scaled


class LetterPreview(QScrollArea):
    """The pages of one letter, one under the other, drawn from the PDF bytes in memory."""

    def __init__(self, pdf: bytes, parent: QWidget | None = None, *, dpi: float = PREVIEW_DPI):
        super().__init__(parent)
        self.setAccessibleName("Letter pages")
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        ratio = self.devicePixelRatioF()
        holder = QWidget()
        holder.setObjectName("letterPages")
        layout = QVBoxLayout(holder)
        layout.setSpacing(12)
        self.page_labels: list[QLabel] = []
        pages = PdfPages(pdf)
        try:
            count = len(pages)
            self._page_width_points = pages.page_size_points(0)[0] if count else 595.0
            for index in range(count):
                image = pages.render(index, dpi * ratio)
                image.setDevicePixelRatio(ratio)
                label = QLabel()
                label.setPixmap(QPixmap.fromImage(image))
                label.setAccessibleName(f"Page {index + 1} of {count}")
                label.setFrameShape(QLabel.Shape.Box)
                layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
                self.page_labels.append(label)
        finally:
            pages.close()
        self.setWidget(holder)

    @property
    def page_count(self) -> int:
        return len(self.page_labels)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(int(self._page_width_points * PREVIEW_DPI / 72.0) + 60, 760)


def print_pages(pdf: bytes, printer: QPrinter) -> int:
    """Draws every page onto ``printer`` (one sheet each, scaled to the printable area).

    Returns the number of pages printed.
    """
    dpi = float(min(printer.resolution(), PRINT_DPI_CAP))
    pages = PdfPages(pdf)
    painter = QPainter()
    if not painter.begin(printer):
        pages.close()
        raise DomainError(
            "The printer could not be started. Check that it is switched on and connected, "
            "then try again (or export the letter and print the file)."
        )
    try:
        for index in range(len(pages)):
            if index:
                printer.newPage()
            image: QImage = pages.render(index, dpi)
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), scaled.width(), scaled.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(target)
            painter.setWindow(target)
        count = len(pages)
    finally:
        painter.end()
        pages.close()
    return count


class LetterPreviewDialog(QDialog):
    """Shows a generated letter; Print sends it to a printer, Export saves it where the user says.

    Export is the only way a letter reaches the disk; ``exporter`` (default: write the bytes,
    0600) lets the caller route it through the cache's audited export. ``printed(pages)`` and
    ``exported(path)`` let the caller record the letter as final.
    """

    printed = Signal(int)
    exported = Signal(str)

    def __init__(
        self,
        pdf: bytes,
        *,
        heading: str,
        export_name: str,
        parent: QWidget | None = None,
        exporter: Callable[[Path], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Letter preview")
        self._pdf = pdf
        self._export_name = export_name
        self._exporter = exporter or self._write_file
        self.printer: QPrinter | None = None
        self.print_dialog: QPrintDialog | None = None
        self.export_dialog: QFileDialog | None = None
        layout = QVBoxLayout(self)
        self.heading = plain_label(heading)
        layout.addWidget(self.heading)
        self.preview = LetterPreview(pdf)
        layout.addWidget(self.preview, 1)
        self.message = MessageLine(self)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print the letter")
        self.export_button = QPushButton("&Export PDF…")
        self.export_button.setAccessibleName("Export the letter as a PDF file")
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.choose_printer)
        self.export_button.clicked.connect(self.choose_export_file)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(self.preview.sizeHint().width() + 40, 820)

    # --- print -----------------------------------------------------------------------------

    def choose_printer(self) -> None:
        """Opens the print dialog (not blocking); printing starts when it is accepted."""
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setDocName("Counsellor Desk letter")
        self.print_dialog = QPrintDialog(self.printer, self)
        self.print_dialog.accepted.connect(self._print_accepted)
        self.print_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.print_dialog.show()

    def _print_accepted(self) -> None:
        if self.printer is not None:
            self.print_to(self.printer)

    def print_to(self, printer: QPrinter) -> bool:
        try:
            count = print_pages(self._pdf, printer)
        except DomainError as exc:
            self.message.show_problem(str(exc))
            return False
        self.message.show_info(f"Sent {count} page(s) to the printer.")
        self.printed.emit(count)
        return True

    # --- export ----------------------------------------------------------------------------

    def choose_export_file(self) -> None:
        """Opens a save dialog (not blocking); the file is written when a name is chosen."""
        dialog = QFileDialog(self, "Export letter as PDF")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter("PDF files (*.pdf)")
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(self._export_name)
        dialog.fileSelected.connect(self.export_to)
        self.export_dialog = dialog
        dialog.open()

    def export_to(self, path: str) -> bool:
        """Writes the PDF to ``path`` (private to the user: 0600)."""
        if not path:
            return False
        target = Path(path)
        try:
            self._exporter(target)
        except DomainError as exc:
            self.message.show_problem(str(exc))
            return False
        except OSError:
            log.warning("letter export failed")
            self.message.show_problem(
                "The letter could not be saved there. Choose a folder you can write to "
                "and try again."
            )
            return False
        self.message.show_info(f"Saved the letter as {target.name}.")
        self.exported.emit(str(target))
        return True

    def _write_file(self, target: Path) -> None:
        write_private_file(target, self._pdf)
