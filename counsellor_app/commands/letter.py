"""``counsellor-app letter``: generate one letter from a cached case, keep it, export it."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import uuid
from pathlib import Path
from typing import Any

from counsellor_app.commands.cache_access import open_profile_cache, profile_of
from counsellor_app.domain.errors import DomainError
from counsellor_app.domain.letter import LetterKind, LetterStatus, Recipient
from counsellor_app.domain.participant import LetterFormat
from counsellor_app.letters.case_record import case_record_from
from counsellor_app.letters.generator import LetterGenerator
from counsellor_app.letters.letterhead import load_letterhead
from counsellor_app.letters.spec import LetterSpec
from counsellor_app.store.case_detail import load_case, resolve_participant_id
from counsellor_app.store.letters_repo import (
    confirmed_decisions,
    export_letter,
    save_letter,
    set_letter_status,
)

_RECIPIENTS = (Recipient.PARTICIPANT, Recipient.REPRESENTATIVE, Recipient.GP)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "letter",
        parents=[common],
        help="write a letter for a case to a PDF file",
        description=(
            "Generate a letter from one cached case, after checking consent and identity. "
            "The letter is kept in the encrypted cache (as final) and written to --out. "
            "A refusal writes nothing."
        ),
    )
    parser.add_argument("case_id", metavar="CASE_ID")
    parser.add_argument(
        "--kind", required=True, choices=[k.value for k in LetterKind], help="the letter to write"
    )
    subject = parser.add_mutually_exclusive_group()
    subject.add_argument("--result", metavar="ID", help="the result a result letter is about")
    subject.add_argument("--request", metavar="ID", help="the request the letter is about")
    subject.add_argument(
        "--decision", metavar="ID", help="the consent decision a confirmation is about"
    )
    parser.add_argument(
        "--format",
        choices=[f.value for f in LetterFormat],
        default=None,
        help="default: from the participant's recorded communication needs",
    )
    parser.add_argument(
        "--recipient",
        choices=[r.value for r in _RECIPIENTS],
        default=None,
        help="default: the parent or guardian of a child, an attorney or consultee where "
        "recorded, otherwise the participant",
    )
    parser.add_argument("--representative", metavar="ID", help="which representative to write to")
    parser.add_argument("--signed-by", metavar="NAME", help="who signs (default: letterhead)")
    parser.add_argument("--role", metavar="ROLE", help="the signer's role")
    parser.add_argument("--by", metavar="NAME", help="who generates it (default: login name)")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.exists() and out.is_dir():
        raise DomainError(f"{out} is a folder: give a file name for the letter, e.g. letter.pdf.")
    by = args.by or getpass.getuser()
    spec = LetterSpec(
        kind=LetterKind(args.kind),
        recipient=Recipient(args.recipient) if args.recipient else None,
        letter_format=LetterFormat(args.format) if args.format else None,
        result_id=args.result,
        request_id=args.request,
        decision_id=args.decision,
        representative_id=args.representative,
        signer_name=args.signed_by,
        signer_role=args.role,
    )
    generator = LetterGenerator(letterhead=load_letterhead(profile_of(args).root))
    with open_profile_cache(args) as cache:
        with cache.read() as session:
            participant_id = resolve_participant_id(session, args.case_id)
            full = load_case(session, participant_id)
            case_id = _case_id(args.case_id, full.cases)
            record = case_record_from(full, case_id)
            confirmed = confirmed_decisions(session, participant_id)
        letter = generator.generate(record, spec, generated_by=by, confirmed_decisions=confirmed)
        letter_id = str(uuid.uuid4())
        try:
            with cache.write() as session:
                save_letter(session, letter.record(letter_id), letter.pdf, actor=by)
                set_letter_status(session, letter_id, LetterStatus.FINAL, actor=by)
                export_letter(session, letter_id, out, actor=by)
        except BaseException:
            # The file is written inside the transaction; if the commit failed, remove it.
            with contextlib.suppress(FileNotFoundError):
                if _written_by_us(out, letter.pdf):
                    out.unlink()
            raise
    print(f"Wrote {letter.document.kind.value} letter {letter_id} to {out}.")
    return 0


def _case_id(given: str, cases: tuple[Any, ...]) -> str:
    ids = [c.case_id for c in cases]
    if given in ids:
        return given
    if len(ids) == 1:
        return str(ids[0])
    raise DomainError(
        f"That participant has {len(ids)} cases: give the case id instead "
        "(counsellor-app cases --search …)."
    )


def _written_by_us(path: Path, pdf: bytes) -> bool:
    try:
        return path.read_bytes() == pdf
    except OSError:
        return False
