"""Markup and non-Latin-1 text from the record prints literally (every Paragraph value escaped)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from counsellor_app.domain.letter import LetterKind, Recipient
from counsellor_app.domain.participant import Address
from counsellor_app.domain.request import Requester, RequestKind
from counsellor_app.letters.generator import LetterGenerator
from counsellor_app.letters.spec import LetterSpec

from . import factory as f
from .conftest import pdf_text


@pytest.mark.parametrize(
    ("given", "family"),
    [
        ("Llŷr", "Ó Súilleabháin"),
        ("<b>Zoë</b>", "& D'Arcy"),
        ("<font size=40>Big", "</font>"),
        ("Ŵyn", "O'Brien & Sons"),
        ("Łucja", "Παπαδοπούλου"),
    ],
)
def test_names_render_literally(generator: LetterGenerator, given: str, family: str) -> None:
    person = f.participant(given_name=given, family_name=family, title=None)
    letter = generator.generate(
        f.record(person, results=(f.result(),)), LetterSpec(LetterKind.RESULT), generated_by="t"
    )
    first = pdf_text(letter.pdf)[0]
    assert person.full_name in first
    assert f"Dear {person.full_name}" in first


def test_markup_in_every_free_text_field_renders_literally(generator: LetterGenerator) -> None:
    person = f.participant(
        address=Address(("<i>1</i> Rose & Crown Yard", "St. Ives"), "TR26 <1AA>"),
        representatives=(
            replace(f.ATTORNEY, name="<u>Ann</u> & Co", relationship="<br/>daughter"),
        ),
    )
    request = f.request(
        RequestKind.RESEARCHER_COLLABORATION,
        requester=Requester("Dr <b>X</b>", "Lab & Co <para>", "β-thalassaemia <sup>"),
        asked="Share <img src='x'/> & details of c.123A>G",
    )
    record = f.record(person, requests=(request,))
    letter = generator.generate(
        record,
        LetterSpec(LetterKind.COLLABORATION, recipient=Recipient.REPRESENTATIVE),
        generated_by="t",
    )
    text = " ".join(pdf_text(letter.pdf))
    for literal in (
        "<i>1</i> Rose & Crown Yard",
        "TR26 <1AA>",
        "Dear <u>Ann</u> & Co",
        "Dr <b>X</b> from Lab & Co <para>",
        "β-thalassaemia <sup>",
        "Share <img src='x'/> & details of c.123A>G",
    ):
        assert literal in text


def test_greek_and_hgvs_in_variant_details_render_literally(generator: LetterGenerator) -> None:
    letter = generator.generate(
        f.record(results=(f.result(),)), LetterSpec(LetterKind.RESULT), generated_by="t"
    )
    text = " ".join(pdf_text(letter.pdf))
    assert "NM_001165963.4:c.2836C>T, p.(Arg946Cys)" in text
    assert "α-subunit" in text
