"""Make one letter: check the rules, compose the wording, check identity, render the PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass

from counsellor_app.domain.letter import LetterRecord, LetterStatus
from counsellor_app.letters.case_record import CaseRecord
from counsellor_app.letters.compose import compose
from counsellor_app.letters.document import LetterDocument
from counsellor_app.letters.identity import verify_identity
from counsellor_app.letters.layout import render_pdf
from counsellor_app.letters.letterhead import Letterhead, load_letterhead
from counsellor_app.letters.rules import resolve
from counsellor_app.letters.spec import LetterSpec
from counsellor_app.letters.templates import TemplateSet

Clock = Callable[[], dt.datetime]


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


@dataclass(frozen=True, slots=True)
class GeneratedLetter:
    """A rendered letter, not yet stored: the PDF bytes stay in memory until the cache has them."""

    document: LetterDocument
    pdf: bytes
    sha256: str
    generated_by: str
    generated_at: dt.datetime

    @classmethod
    def of(
        cls, document: LetterDocument, pdf: bytes, *, generated_by: str, at: dt.datetime
    ) -> GeneratedLetter:
        """The letter with the SHA-256 of exactly these PDF bytes."""
        return cls(document, pdf, hashlib.sha256(pdf).hexdigest(), generated_by, at)

    def record(self, letter_id: str, status: LetterStatus = LetterStatus.DRAFT) -> LetterRecord:
        doc = self.document
        return LetterRecord(
            letter_id=letter_id,
            case_id=doc.case_id,
            participant_id=doc.participant_id,
            kind=doc.kind,
            recipient=doc.recipient,
            format=doc.letter_format,
            language=doc.language,
            sha256=self.sha256,
            generated_by=self.generated_by,
            generated_at=self.generated_at,
            status=status,
            result_id=doc.result_id,
            request_id=doc.request_id,
            decision_id=doc.decision_id,
        )


class LetterGenerator:
    """Letters from case records. Takes its wording, letterhead and clock in the constructor."""

    def __init__(
        self,
        templates: TemplateSet | None = None,
        letterhead: Letterhead | None = None,
        *,
        clock: Clock = local_now,
    ) -> None:
        self.templates = templates or TemplateSet.load()
        self.letterhead = letterhead or load_letterhead()
        self.clock = clock

    def prepare(
        self,
        record: CaseRecord,
        spec: LetterSpec,
        *,
        confirmed_decisions: Collection[str] = (),
        on: dt.date | None = None,
    ) -> LetterDocument:
        """Apply every rule and compose the wording; raises a DomainError to refuse."""
        day = on or self.clock().date()
        resolved = resolve(record, spec, day, confirmed_decisions=confirmed_decisions)
        return compose(
            record,
            resolved,
            templates=self.templates,
            letterhead=self.letterhead,
            letter_date=day,
            signer_name=spec.signer_name,
            signer_role=spec.signer_role,
            language=spec.language,
        )

    def render(self, document: LetterDocument, record: CaseRecord) -> bytes:
        """Check the identity block against the case record (H3), then draw the PDF."""
        verify_identity(document, record)
        return render_pdf(document)

    def generate(
        self,
        record: CaseRecord,
        spec: LetterSpec,
        *,
        generated_by: str,
        confirmed_decisions: Collection[str] = (),
    ) -> GeneratedLetter:
        now = self.clock()
        document = self.prepare(
            record, spec, confirmed_decisions=confirmed_decisions, on=now.date()
        )
        pdf = self.render(document, record)
        return GeneratedLetter.of(document, pdf, generated_by=generated_by, at=now)
