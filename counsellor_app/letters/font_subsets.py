"""Font subsets cut and compressed once: the letters of a batch embed the same characters.

Every PDF embeds the part of DejaVu Sans it uses. Cutting that subset out of the font file and
compressing it took about a sixth of the time to draw a letter, and both are pure functions of
the characters used, which are the same from one letter to the next (a name with an unusual
letter makes a subset of its own). The PDF bytes are exactly those reportlab makes without
this: the same subset function and the same compression run, only not again for the same input.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont

# Subsets kept per font; one-off subsets (unusual letters in a name) push the rest out.
MAX_KEPT = 64

SubsetMaker = Callable[[Sequence[int]], bytes]
ObjectsAdder = Callable[[Any, str, Sequence[int]], Any]


def reuse_subsets(font: TTFont) -> None:
    """Make ``font`` cut each subset once and compress each cut once."""
    face = font.face
    face.makeSubset = _made_once(face.makeSubset)
    face.addSubsetObjects = _compressed_once(face.addSubsetObjects)


class _Kept:
    """A bounded memo of bytes by key, safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[Any, bytes] = {}

    def get(self, key: Any, make: Callable[[], bytes]) -> bytes:
        found = self._kept.get(key)
        if found is None:
            found = make()
            with self._lock:
                if len(self._kept) >= MAX_KEPT:
                    self._kept.clear()
                self._kept[key] = found
        return found


def _made_once(make: SubsetMaker) -> SubsetMaker:
    kept = _Kept()

    def subset(codes: Sequence[int]) -> bytes:
        return kept.get(tuple(codes), lambda: make(codes))

    return subset


class _FlateOnce:
    """reportlab's FlateDecode stream filter, run once per distinct font file."""

    pdfname = pdfdoc.PDFZCompress.pdfname

    def __init__(self) -> None:
        self._kept = _Kept()

    def encode(self, data: bytes) -> bytes:
        return self._kept.get(data, lambda: pdfdoc.PDFZCompress.encode(data))

    def decode(self, encoded: bytes) -> bytes:
        return bytes(pdfdoc.PDFZCompress.decode(encoded))


def _compressed_once(add: ObjectsAdder) -> ObjectsAdder:
    flate = _FlateOnce()

    def add_subset_objects(doc: Any, fontname: str, subset: Sequence[int]) -> Any:
        descriptor = add(doc, fontname, subset)
        stream = _font_file(doc, descriptor)
        if stream is not None and stream.filters == [pdfdoc.PDFZCompress]:
            stream.filters = [flate]
        return descriptor

    return add_subset_objects


def _font_file(doc: Any, descriptor: Any) -> pdfdoc.PDFStream | None:
    """The font file stream a font descriptor points to (None if it is laid out otherwise:
    the font is then compressed as usual)."""
    objects = getattr(doc, "idToObject", {})
    found = objects.get(getattr(descriptor, "name", None))
    if not isinstance(found, pdfdoc.PDFDictionary):
        return None
    stream = objects.get(getattr(found.dict.get("FontFile2"), "name", None))
    return stream if isinstance(stream, pdfdoc.PDFStream) else None
