"""Letter test fixtures: one generator (wording parsed once) on a fixed clock."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from counsellor_app.letters.generator import LetterGenerator

from .factory import NOW


@pytest.fixture(scope="session")
def generator() -> LetterGenerator:
    return LetterGenerator(clock=lambda: NOW)


def pdf_text(pdf: bytes) -> list[str]:
    """The text of each page, whitespace folded to single spaces."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]
