"""Letter paragraphs: every value escaped, and each text parsed once per style.

Most of a letter's wording is the same from one letter to the next, and reportlab parses a
paragraph's markup every time one is made (about a tenth of the cost of drawing a letter), so
the parsed fragments of recent texts are kept and handed to the next paragraph with the same
text and style. Reportlab does the same itself when it splits a paragraph across pages.
"""

from __future__ import annotations

import threading
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

# Enough for the wording of every kind of letter in every format; bounded because a batch
# also parses texts seen once (names, addresses), which are not worth keeping.
MAX_KEPT = 2048

_lock = threading.Lock()
_parsed: dict[tuple[str, ParagraphStyle], list[Any]] = {}  # by text and style object


def paragraph(text: str, style: ParagraphStyle, *, bullet: str | None = None) -> Paragraph:
    """A paragraph showing ``text`` literally (markup in a value prints as typed)."""
    markup = escape(text)
    if bullet is not None:
        return Paragraph(markup, style, bulletText=bullet)
    key = (markup, style)  # the style object itself: the same name may be reused
    frags = _parsed.get(key)
    if frags is not None:
        return Paragraph(markup, style, frags=list(frags))
    made = Paragraph(markup, style)
    with _lock:
        if len(_parsed) >= MAX_KEPT:
            _parsed.clear()
        _parsed[key] = list(made.frags)
    return made


def forget_parsed() -> None:
    """Drop every kept parse (a new letterhead or wording set makes them stale anyway)."""
    with _lock:
        _parsed.clear()
