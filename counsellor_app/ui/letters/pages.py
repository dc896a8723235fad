"""PDF pages as images, for the letter preview and for printing.

Why pypdfium2 and not QtPdf: PySide6-Essentials (the Qt we ship) has no QtPdf module; getting
it means the much larger PySide6-Addons wheel (QtWebEngine and the rest) for one viewer.
pypdfium2 is a small self-contained wheel for Windows, macOS and Linux (PDFium, the renderer
Chrome uses). It renders straight from bytes in memory, so a letter is never written to a temp
file to be shown, and it draws the embedded fonts as printed (ŵ, Ł and Greek as in the letter).
PDFium is not thread-safe: call these from the GUI thread only.
"""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtGui import QImage

from counsellor_app.domain.errors import DomainError

POINTS_PER_INCH = 72.0


class PdfPages:
    """An open PDF (from bytes in memory) whose pages can be drawn at any resolution."""

    def __init__(self, pdf: bytes) -> None:
        try:
            self._document = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise DomainError(
                "The letter's PDF could not be read, so it cannot be shown or printed. "
                "Generate the letter again."
            ) from exc

    def __len__(self) -> int:
        return len(self._document)

    def page_size_points(self, index: int) -> tuple[float, float]:
        width, height = self._document[index].get_size()
        return float(width), float(height)

    def render(self, index: int, dpi: float) -> QImage:
        """Page ``index`` (from 0) as an opaque RGB image at ``dpi`` dots per inch."""
        page = self._document[index]
        try:
            bitmap = page.render(
                scale=dpi / POINTS_PER_INCH,
                rev_byteorder=True,
                prefer_bgrx=True,
                fill_color=(255, 255, 255, 255),
            )
            image = QImage(
                bitmap.buffer,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGBX8888,
            )
            # The QImage borrows PDFium's memory: copy before the bitmap goes away.
            return image.copy()
        finally:
            page.close()

    def close(self) -> None:
        self._document.close()
