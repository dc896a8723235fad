"""Letters kept in the real encrypted cache, and the ``letter`` command end to end."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from counsellor_app.cli import main
from counsellor_app.domain.consent import ConsentScope, Decision, WithdrawalLevel
from counsellor_app.domain.errors import DomainError, InvalidTransition
from counsellor_app.domain.letter import LetterKind, LetterStatus
from counsellor_app.domain.nhs_number import format_nhs_number
from counsellor_app.letters.case_record import case_record_from
from counsellor_app.letters.generator import LetterGenerator
from counsellor_app.letters.spec import LetterSpec
from counsellor_app.store.bulk import insert_records
from counsellor_app.store.case_detail import load_case
from counsellor_app.store.engine import Cache, open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.letters_repo import (
    confirmed_decisions,
    export_letter,
    letter_pdf,
    list_letters,
    save_letter,
    set_letter_status,
)
from counsellor_app.store.paths import Profile
from counsellor_app.store.tables import AuditRow, LetterRow, OutboxRow

from . import factory as f
from .conftest import pdf_text

WITHDRAWAL = f.decision(
    ConsentScope.PROGRAMME,
    Decision.WITHDRAWN,
    level=WithdrawalLevel.NO_FURTHER_CONTACT,
    on=f.dt.date(2026, 11, 20),
    decision_id="D-withdrawal",
    participant_id="P-0002",
)


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return Profile.at(tmp_path / "profile")


@pytest.fixture
def cache(profile: Profile) -> Iterator[Cache]:
    opened = open_cache(profile, KeyProvider(profile), create=True)
    withdrawn = f.participant(participant_id="P-0002", nhs_number=f.nhs(4321))
    withdrawn_case = f.replace(f.case(), case_id="C-0002", participant_id="P-0002")
    with opened.write() as session:
        insert_records(
            session,
            participants=[f.participant(), withdrawn],
            cases=[f.case(), withdrawn_case],
            results=[f.result(), f.additional_finding()],
            decisions=[
                *f.baseline_consent()[:2],  # no additional-findings consent
                *(f.replace(d, participant_id="P-0002") for d in f.baseline_consent()),
                WITHDRAWAL,
            ],
            today=f.TODAY,
        )
    yield opened
    opened.close()


def _count(cache: Cache, table: type) -> int:
    with cache.read() as session:
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def _generate(cache: Cache, generator: LetterGenerator, spec: LetterSpec, case_id: str = "C-0001"):
    with cache.read() as session:
        full = load_case(session, "P-0001" if case_id == "C-0001" else "P-0002")
        confirmed = confirmed_decisions(session, full.participant.participant_id)
    return generator.generate(
        case_record_from(full, case_id), spec, generated_by="sam", confirmed_decisions=confirmed
    )


def test_generated_letter_is_kept_with_outbox_and_audit_rows(
    cache: Cache, generator: LetterGenerator
) -> None:
    letter = _generate(cache, generator, LetterSpec(LetterKind.RESULT))
    with cache.write() as session:
        save_letter(session, letter.record("L-1"), letter.pdf, actor="sam")
    with cache.read() as session:
        listed = list_letters(session, "C-0001")
        stored = letter_pdf(session, "L-1")
        outbox = session.scalars(select(OutboxRow).where(OutboxRow.record_id == "L-1")).all()
        audit = session.scalars(select(AuditRow).where(AuditRow.record_id == "L-1")).all()
    assert [r.letter_id for r in listed] == ["L-1"]
    assert listed[0].status is LetterStatus.DRAFT
    assert listed[0].sha256 == hashlib.sha256(stored).hexdigest() == letter.sha256
    assert [o.kind for o in outbox] == ["letter_record"]
    assert "pdf" not in outbox[0].payload and letter.sha256 in outbox[0].payload
    assert [a.action for a in audit] == ["letter.generated"]
    name = f.participant().full_name
    assert all(name not in (a.detail or "") for a in audit)


def test_letter_goes_draft_then_final_then_sent_and_never_back(
    cache: Cache, generator: LetterGenerator
) -> None:
    letter = _generate(cache, generator, LetterSpec(LetterKind.RESULT))
    with cache.write() as session:
        save_letter(session, letter.record("L-2"), letter.pdf, actor="sam")
    with cache.write() as session, pytest.raises(InvalidTransition):
        set_letter_status(session, "L-2", LetterStatus.SENT, actor="sam")
    for status in (LetterStatus.FINAL, LetterStatus.SENT):
        with cache.write() as session:
            assert set_letter_status(session, "L-2", status, actor="sam").status is status
    with cache.write() as session, pytest.raises(InvalidTransition):
        set_letter_status(session, "L-2", LetterStatus.DRAFT, actor="sam")
    assert _count(cache, OutboxRow) == 3


def test_letter_whose_bytes_do_not_match_its_checksum_is_not_kept(
    cache: Cache, generator: LetterGenerator
) -> None:
    letter = _generate(cache, generator, LetterSpec(LetterKind.RESULT))
    with pytest.raises(DomainError, match="checksum"), cache.write() as session:
        save_letter(session, letter.record("L-3"), letter.pdf + b"x", actor="sam")
    assert _count(cache, LetterRow) == 0 and _count(cache, OutboxRow) == 0


def test_letter_reaches_the_disk_only_when_exported(
    cache: Cache, generator: LetterGenerator, tmp_path: Path
) -> None:
    letter = _generate(cache, generator, LetterSpec(LetterKind.RESULT))
    before = set(tmp_path.rglob("*"))
    with cache.write() as session:
        save_letter(session, letter.record("L-4"), letter.pdf, actor="sam")
    new_files = {p for p in set(tmp_path.rglob("*")) - before if p.suffix == ".pdf"}
    assert new_files == set()
    out = tmp_path / "export" / "letter.pdf"
    with cache.write() as session:
        export_letter(session, "L-4", out, actor="sam")
    assert out.read_bytes() == letter.pdf
    assert out.stat().st_mode & 0o077 == 0


def test_withdrawal_confirmation_is_refused_once_one_is_final(
    cache: Cache, generator: LetterGenerator
) -> None:
    spec = LetterSpec(LetterKind.CONSENT_CONFIRMATION, decision_id="D-withdrawal")
    letter = _generate(cache, generator, spec, case_id="C-0002")
    with cache.write() as session:
        save_letter(session, letter.record("L-5"), letter.pdf, actor="sam")
    # A draft does not count as sent: it can be made again (e.g. in large print) ...
    _generate(cache, generator, spec, case_id="C-0002")
    with cache.write() as session:
        set_letter_status(session, "L-5", LetterStatus.FINAL, actor="sam")
    # ... but once final, the withdrawn participant is not written to again.
    with pytest.raises(DomainError, match="already been sent"):
        _generate(cache, generator, spec, case_id="C-0002")


# ----------------------------------------------------------------------------- the command


def _cli(profile: Profile, *args: str) -> int:
    return main(["letter", *args, "--profile", str(profile.root), "--by", "sam"])


def test_letter_command_writes_the_pdf_and_keeps_it_final(
    cache: Cache, profile: Profile, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "result.pdf"
    assert _cli(profile, "C-0001", "--kind", "result", "--out", str(out)) == 0
    text = " ".join(pdf_text(out.read_bytes()))
    assert format_nhs_number(f.participant().nhs_number) in text
    with cache.read() as session:
        [record] = list_letters(session, "C-0001")
    assert record.status is LetterStatus.FINAL
    assert record.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert "Wrote result letter" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("case_id", "kind", "reason"),
    [
        ("C-0001", "additional-findings", "additional findings"),
        ("C-0002", "result", "no further contact"),
        ("C-0001", "collaboration", "no open request"),
    ],
)
def test_letter_command_refusal_prints_one_line_and_writes_nothing(
    cache: Cache,
    profile: Profile,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case_id: str,
    kind: str,
    reason: str,
) -> None:
    out = tmp_path / "refused.pdf"
    assert _cli(profile, case_id, "--kind", kind, "--out", str(out)) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and reason in err
    assert f.participant().full_name not in err
    assert not out.exists()
    assert _count(cache, LetterRow) == 0 and _count(cache, OutboxRow) == 0


def test_outbox_payload_is_the_hubs_letter_record(generator: LetterGenerator) -> None:
    from counsellor_app.protocol.client_records import LetterRecordWire
    from counsellor_app.store.letters_repo import letter_payload

    letter = generator.generate(
        f.record(results=(f.result(),)), LetterSpec(LetterKind.RESULT), generated_by="sam"
    )
    record = letter.record("L-9")
    assert LetterRecordWire.model_validate(letter_payload(record)).to_domain() == record
