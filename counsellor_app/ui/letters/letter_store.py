"""Letters between the letters core and the cache, for the app (no Qt): load, keep, export."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from counsellor_app.domain.errors import DomainError
from counsellor_app.domain.letter import LetterRecord, LetterStatus
from counsellor_app.letters.batch import LoadedCase
from counsellor_app.letters.case_record import CaseRecord, case_record_from
from counsellor_app.letters.generator import GeneratedLetter, LetterGenerator
from counsellor_app.letters.letterhead import load_letterhead
from counsellor_app.store.audit_log import add_audit
from counsellor_app.store.case_detail import load_case, resolve_participant_id
from counsellor_app.store.errors import NotFound
from counsellor_app.store.letters_repo import (
    confirmed_decisions,
    export_letter,
    letter_pdf,
    load_letter_cases,
    save_letter,
    save_letters,
    set_letter_status,
)
from counsellor_app.store.tables import LetterRow
from counsellor_app.ui.context import AppContext


def make_generator(context: AppContext) -> LetterGenerator:
    """A generator with the team's letterhead from the profile (settings dialog)."""
    return LetterGenerator(letterhead=load_letterhead(context.profile.root))


def load_case_record(context: AppContext, case_id: str) -> tuple[CaseRecord, Collection[str]]:
    """One case's record (the only source a letter may take names from, H3) and the decisions
    that already have a confirmation letter, read in one snapshot."""
    with context.cache.read() as session:
        participant_id = resolve_participant_id(session, case_id)
        full = load_case(session, participant_id, audit_limit=0)
        confirmed = confirmed_decisions(session, participant_id)
    return case_record_from(full, case_id), confirmed


class CacheBatchStorage:
    """A batch's storage in the cache: a group of case records read in one snapshot, a group
    of letters stored in one write transaction (each letter in its own savepoint, with its
    outbox and audit rows)."""

    def __init__(self, context: AppContext) -> None:
        self._context = context

    def load(self, case_ids: Sequence[str]) -> list[LoadedCase | DomainError]:
        with self._context.cache.read() as session:
            found = load_letter_cases(session, case_ids)
        out: list[LoadedCase | DomainError] = []
        for case_id in case_ids:
            case = found.get(case_id)
            if case is None:
                out.append(
                    NotFound(f"Case {case_id} is not in the cache. Check the case id, or sync.")
                )
                continue
            record = CaseRecord(
                case.participant, case.case, case.results, case.requests, case.decisions
            )
            out.append(LoadedCase(record, case.confirmed))
        return out

    def keep(self, letters: Sequence[GeneratedLetter]) -> list[str | Exception]:
        context = self._context
        records = [(letter.record(str(uuid.uuid4())), letter.pdf) for letter in letters]
        with context.cache.write() as session:
            saved = save_letters(session, records, actor=context.user_name, now=context.now())
        return [o if isinstance(o, Exception) else o.letter_id for o in saved]


def keep_letter(context: AppContext, letter: GeneratedLetter) -> LetterRecord:
    """Stores a generated letter as a draft (PDF, checksum, outbox row, audit row)."""
    record = letter.record(str(uuid.uuid4()))
    with context.cache.write() as session:
        return save_letter(session, record, letter.pdf, actor=context.user_name, now=context.now())


def stored_pdf(context: AppContext, letter_id: str) -> bytes:
    with context.cache.read() as session:
        return letter_pdf(session, letter_id)


def export_stored_letter(context: AppContext, letter_id: str, path: Path) -> None:
    """Writes a kept letter where the user chose (0600), audited, and marks a draft final."""
    with context.cache.write() as session:
        export_letter(session, letter_id, path, actor=context.user_name, now=context.now())
        _finalise(session, context, letter_id)


def mark_printed(context: AppContext, letter_id: str, pages: int) -> None:
    """Records the printing (audit) and makes a draft final: the letter on paper is the one kept."""
    with context.cache.write() as session:
        row = session.get(LetterRow, letter_id)
        if row is None:
            return
        add_audit(
            session,
            actor=context.user_name,
            action="letter.printed",
            record_type="letter",
            record_id=letter_id,
            participant_id=row.participant_id,
            detail=f"{pages} page(s)",
            at=context.now(),
        )
        _finalise(session, context, letter_id)


def _finalise(session: Any, context: AppContext, letter_id: str) -> None:
    row = session.get(LetterRow, letter_id)
    if row is not None and row.status == LetterStatus.DRAFT.value:
        set_letter_status(
            session, letter_id, LetterStatus.FINAL, actor=context.user_name, now=context.now()
        )
