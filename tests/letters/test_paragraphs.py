"""Paragraph texts parsed once and reused: the PDF is the same byte for byte, markup in a
value still prints literally."""

from __future__ import annotations

import pytest

from counsellor_app.domain.letter import LetterKind, Recipient
from counsellor_app.domain.participant import LetterFormat
from counsellor_app.domain.request import RequestKind
from counsellor_app.letters.generator import LetterGenerator
from counsellor_app.letters.layout import render_pdf
from counsellor_app.letters.paragraphs import forget_parsed, paragraph
from counsellor_app.letters.spec import LetterSpec
from counsellor_app.letters.styles import styles_for

from . import factory as f
from .conftest import pdf_text


def _documents(generator: LetterGenerator) -> list:
    request = f.request(f.RequestKind.RESEARCHER_COLLABORATION)
    record = f.record(f.child(), results=(f.result(),), requests=(request,))
    out = []
    for fmt in LetterFormat:
        out.append(generator.prepare(record, LetterSpec(LetterKind.RESULT, letter_format=fmt)))
        out.append(
            generator.prepare(
                record,
                LetterSpec(
                    LetterKind.COLLABORATION,
                    letter_format=fmt,
                    request_id=request.request_id,
                    recipient=Recipient.GP,
                ),
            )
        )
    assert request.kind is RequestKind.RESEARCHER_COLLABORATION
    return out


def test_a_letter_drawn_from_kept_parses_is_the_same_pdf_byte_for_byte(
    generator: LetterGenerator,
) -> None:
    documents = _documents(generator)
    fresh = []
    for document in documents:
        forget_parsed()
        fresh.append(render_pdf(document))
    warm = [render_pdf(document) for document in documents]  # every text parsed before
    assert warm == fresh


@pytest.mark.parametrize("text", ["<b>bold</b> & <font size=40>big</font>", "a < b > c &amp;"])
def test_markup_in_a_value_prints_literally_from_a_kept_parse(text: str) -> None:
    style = styles_for(LetterFormat.STANDARD).body
    forget_parsed()
    first, again = paragraph(text, style), paragraph(text, style)
    for made in (first, again):
        assert "".join(frag.text for frag in made.frags) == text
        assert {frag.fontSize for frag in made.frags} == {style.fontSize}
    assert again.frags is not first.frags


def test_the_same_text_in_another_style_is_parsed_for_that_style() -> None:
    styles = styles_for(LetterFormat.LARGE_PRINT)
    body, heading = paragraph("Your result", styles.body), paragraph("Your result", styles.heading)
    assert body.frags[0].fontSize == styles.body.fontSize
    assert heading.frags[0].fontSize == styles.heading.fontSize
    assert heading.frags[0].fontName == styles.heading.fontName


def test_a_letter_names_its_participant_after_many_others_were_drawn(
    generator: LetterGenerator,
) -> None:
    people = [
        f.participant(nhs_number=f.nhs(30_000 + n), given_name=f"Ann{n}")
        for n in range(4)
    ]
    for person in people:
        letter = generator.generate(
            f.record(person, results=(f.result(),)),
            LetterSpec(LetterKind.RESULT),
            generated_by="t",
        )
        text = " ".join(pdf_text(letter.pdf))
        assert person.full_name in text
        assert not any(other.full_name in text for other in people if other is not person)
