"""Batch generation (progress, cancel, refusals), wording coverage, letterhead, no temp files."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest

from counsellor_app.domain.consent import ConsentScope, Decision, WithdrawalLevel
from counsellor_app.domain.letter import LetterKind
from counsellor_app.domain.participant import LetterFormat
from counsellor_app.letters.batch import BatchItem, generate_batch
from counsellor_app.letters.case_record import CaseRecord
from counsellor_app.letters.generator import GeneratedLetter, LetterGenerator
from counsellor_app.letters.letterhead import load_letterhead
from counsellor_app.letters.spec import LetterSpec

from . import factory as f
from .conftest import pdf_text

RESULT = LetterSpec(LetterKind.RESULT)


def _records() -> dict[str, CaseRecord]:
    withdrawn = f.decision(
        ConsentScope.PROGRAMME,
        Decision.WITHDRAWN,
        level=WithdrawalLevel.NO_FURTHER_CONTACT,
        on=f.dt.date(2026, 11, 20),
    )
    return {
        "C-1": f.record(results=(f.result(),)),
        "C-2": f.record(results=(f.result(),), decisions=(*f.baseline_consent(), withdrawn)),
        "C-3": f.record(f.child(), results=(f.result(f.ResultOutcome.UNCERTAIN),)),
    }


def test_batch_reports_progress_keeps_letters_and_lists_refusals_with_reasons(
    generator: LetterGenerator,
) -> None:
    records = _records()
    kept: list[GeneratedLetter] = []
    seen: list[tuple[int, int]] = []

    def keep(letter: GeneratedLetter) -> str:
        kept.append(letter)
        return f"L-{len(kept)}"

    report = generate_batch(
        [BatchItem(case_id, RESULT) for case_id in records],
        generator,
        load_record=records.__getitem__,
        keep=keep,
        generated_by="admin",
        progress=lambda done, total: seen.append((done, total)),
    )
    assert report.generated == [("C-1", "L-1"), ("C-3", "L-2")]
    assert [r.case_id for r in report.refused] == ["C-2"]
    assert "no further contact" in report.refused[0].reason
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert not report.cancelled


def test_batch_stops_when_cancelled_and_keeps_what_was_done(generator: LetterGenerator) -> None:
    records = _records()
    kept: list[str] = []
    asked = itertools.count()

    def keep(letter: GeneratedLetter) -> str:
        kept.append(letter.document.case_id)
        return "L"

    report = generate_batch(
        [BatchItem(case_id, RESULT) for case_id in records],
        generator,
        load_record=records.__getitem__,
        keep=keep,
        generated_by="admin",
        cancelled=lambda: next(asked) >= 1,  # asked before each letter: stop after the first
    )
    assert report.cancelled and report.generated == [("C-1", "L")] and len(kept) == 1


@pytest.mark.parametrize("fmt", [LetterFormat.STANDARD, LetterFormat.EASY_READ])
@pytest.mark.parametrize("scope", list(ConsentScope))
def test_every_consent_decision_can_be_confirmed_in_plain_words(
    generator: LetterGenerator, scope: ConsentScope, fmt: LetterFormat
) -> None:
    request = f.request(f.RequestKind.RESEARCHER_COLLABORATION)
    for verdict in Decision:
        decision = f.decision(
            scope,
            verdict,
            on=f.dt.date(2026, 11, 21),
            request_id=request.request_id if scope.is_per_request else None,
        )
        record = f.record(requests=(request,), decisions=(*f.baseline_consent(), decision))
        document = generator.prepare(
            record,
            LetterSpec(
                LetterKind.CONSENT_CONFIRMATION,
                decision_id=decision.decision_id,
                letter_format=fmt,
            ),
        )
        assert document.decision_id == decision.decision_id
        texts = [b.text for b in document.parts[0].blocks] + [
            cell for b in document.parts[0].blocks for row in b.rows for cell in row
        ]
        assert not any("{" in text for text in texts)


def test_team_letterhead_in_the_profile_overrides_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "letterhead.toml").write_text(
        'team = "Wessex Clinical Genetics"\ntelephone = "023 8079 0000"\n', encoding="utf-8"
    )
    letterhead = load_letterhead(tmp_path)
    assert letterhead.team == "Wessex Clinical Genetics"
    assert letterhead.telephone == "023 8079 0000"
    assert letterhead.hospital == load_letterhead().hospital
    generator = LetterGenerator(letterhead=letterhead, clock=lambda: f.NOW)
    letter = generator.generate(f.record(results=(f.result(),)), RESULT, generated_by="t")
    assert "Wessex Clinical Genetics on 023 8079 0000" in " ".join(pdf_text(letter.pdf))


def test_generating_a_letter_writes_no_temporary_file(
    generator: LetterGenerator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    generator.generate(f.record(results=(f.result(),)), RESULT, generated_by="t")
    assert list(scratch.iterdir()) == []
