"""The case list: search, filter, sort and page participants in SQL (fast at 85,000)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVarTuple

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    column,
    func,
    literal,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session

from counsellor_app.domain.participant import LifeStatus, Programme
from counsellor_app.domain.result import ResultKind, ResultOutcome
from counsellor_app.store.search_text import nhs_digits, tokens
from counsellor_app.store.tables import ParticipantRow

P = ParticipantRow
_Row = TypeVarTuple("_Row")
_TRIGRAM = 3


class CaseSort(StrEnum):
    """What the case list can be sorted by."""

    NAME = "name"
    NHS_NUMBER = "nhs_number"
    DATE_OF_BIRTH = "date_of_birth"
    PARTICIPANT_ID = "participant_id"
    PROGRAMME = "programme"
    LATEST_RESULT_DATE = "latest_result_date"
    LATEST_RESULT_OUTCOME = "latest_result_outcome"
    OPEN_REQUESTS = "open_requests"
    NEXT_DUE = "next_due"


_SORT_COLUMNS: dict[CaseSort, Any] = {
    CaseSort.NAME: P.sort_name,
    CaseSort.NHS_NUMBER: P.nhs_number,
    CaseSort.DATE_OF_BIRTH: P.date_of_birth,
    CaseSort.PARTICIPANT_ID: P.participant_id,
    CaseSort.PROGRAMME: P.programme,
    CaseSort.LATEST_RESULT_DATE: P.latest_result_date,
    CaseSort.LATEST_RESULT_OUTCOME: P.latest_result_outcome,
    CaseSort.OPEN_REQUESTS: P.open_request_count,
    CaseSort.NEXT_DUE: P.next_request_due,
}


_NULLABLE_SORTS = frozenset(
    {CaseSort.LATEST_RESULT_DATE, CaseSort.LATEST_RESULT_OUTCOME, CaseSort.NEXT_DUE}
)


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of the case list (plain data: safe to hand to a view model)."""

    participant_id: str
    given_name: str
    family_name: str
    nhs_number: str
    date_of_birth: dt.date
    programme: Programme
    team: str
    deceased: bool
    latest_result_id: str | None
    latest_result_kind: ResultKind | None
    latest_result_outcome: ResultOutcome | None
    latest_result_date: dt.date | None
    new_result_count: int
    open_request_count: int
    next_request_due: dt.date | None
    withdrawn: bool
    withdrawal_level: str | None
    research_contact_declined: bool
    additional_findings_declined: bool
    needs_reconsent: bool
    has_conflict: bool

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def nhs_number_spaced(self) -> str:
        """3-3-4, as people read it."""
        n = self.nhs_number
        return f"{n[:3]} {n[3:6]} {n[6:]}" if len(n) == 10 else n

    @property
    def flags(self) -> tuple[str, ...]:
        """Short words for the flags that are set, most serious first."""
        words = []
        if self.deceased:
            words.append("deceased")
        if self.withdrawn:
            words.append("withdrawn")
        if self.has_conflict:
            words.append("consent conflict")
        if self.needs_reconsent:
            words.append("re-consent needed")
        if self.additional_findings_declined:
            words.append("additional findings declined")
        if self.research_contact_declined:
            words.append("no research contact")
        return tuple(words)


_COLUMNS = (
    P.participant_id,
    P.given_name,
    P.family_name,
    P.nhs_number,
    P.date_of_birth,
    P.programme,
    P.team,
    P.life_status,
    P.latest_result_id,
    P.latest_result_kind,
    P.latest_result_outcome,
    P.latest_result_date,
    P.new_result_count,
    P.open_request_count,
    P.next_request_due,
    P.withdrawal_level,
    P.research_contact_declined,
    P.additional_findings_declined,
    P.reconsent_from,
    P.has_conflict,
)


# The trigram index (db/cache migration 0001): rowid = participants.pk.
_SEARCH = table("participant_search", column("rowid", Integer), column("participant_search"))


@dataclass(frozen=True, slots=True)
class TextSearch:
    """The search box's text as SQL: a trigram MATCH that drives the query (when any word is
    long enough), and conditions on the rows it leaves."""

    match: str | None
    where: tuple[ColumnElement[bool], ...]


def _prefix(column: Any, start: str) -> ColumnElement[bool]:
    """``column`` starts with ``start`` (a range, so the column's index is used)."""
    return and_(column >= start, column < start + "\U0010ffff")


def parse_search(query: str) -> TextSearch | None:
    """Name parts in any order (accents and case ignored), an NHS number (full or part, with or
    without spaces or hyphens), or a participant id. None when there is nothing to search."""
    digits = nhs_digits(query)
    if digits is not None:
        if len(digits) >= _TRIGRAM:
            return TextSearch(f'"{digits}"', ())
        return TextSearch(None, (_prefix(P.nhs_number, digits),))
    words = tokens(query)
    if not words:
        return None
    long = [w for w in words if len(w) >= _TRIGRAM]
    short = [w for w in words if len(w) < _TRIGRAM]
    where: list[ColumnElement[bool]] = []
    if not long:
        first = short.pop(0)
        where.append(
            or_(
                _prefix(P.given_fold, first),
                _prefix(P.family_fold, first),
                _prefix(P.participant_id, first.upper()),
                _prefix(P.participant_id, first),
            )
        )
    for word in short:  # narrowed already: a word-start test on the rows left
        where.append((literal(" ") + P.search_text).like(f"% {word}%"))
    # folded words are letters and digits only, so quoting them needs no escaping
    match = " AND ".join(f'"{word}"' for word in long) if long else None
    return TextSearch(match, tuple(where))


def _filtered(statement: Select[*_Row], search: TextSearch | None) -> Select[*_Row]:
    if search is None:
        return statement
    if search.match is not None:
        statement = statement.join(_SEARCH, _SEARCH.c.rowid == P.pk).where(
            _SEARCH.c.participant_search.op("MATCH")(search.match)
        )
    return statement.where(*search.where)


def _conditions(
    *,
    programme: Programme | None,
    outcome: ResultOutcome | None,
    has_open_request: bool | None,
    has_new_result: bool | None,
    needs_reconsent: bool | None,
    has_conflict: bool | None,
    team: str | None,
    today: dt.date,
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if programme is not None:
        where.append(P.programme == Programme(programme).value)
    if outcome is not None:
        where.append(P.latest_result_outcome == ResultOutcome(outcome).value)
    if has_open_request is not None:
        where.append(P.open_request_count > 0 if has_open_request else P.open_request_count == 0)
    if has_new_result is not None:
        where.append(P.new_result_count > 0 if has_new_result else P.new_result_count == 0)
    if needs_reconsent is not None:
        due = P.reconsent_from <= today
        where.append(due if needs_reconsent else or_(P.reconsent_from.is_(None), ~due))
    if has_conflict is not None:
        where.append(P.has_conflict.is_(has_conflict))
    if team is not None:
        where.append(P.team == team)
    return where


def search_caseload(
    session: Session,
    *,
    text: str | None = None,
    programme: Programme | None = None,
    outcome: ResultOutcome | None = None,
    has_open_request: bool | None = None,
    has_new_result: bool | None = None,
    needs_reconsent: bool | None = None,
    has_conflict: bool | None = None,
    team: str | None = None,
    sort: CaseSort = CaseSort.NAME,
    descending: bool = False,
    offset: int = 0,
    limit: int = 200,
    today: dt.date,
) -> list[CaseRow]:
    """One page of the case list, filtered and sorted in SQL.

    Empty filter values (None) do not filter. Empty sort values come last; ties are broken by
    the row's position (the order participants entered the cache), so paging is stable and
    every sort is served by an index.
    """
    where = _conditions(
        programme=programme,
        outcome=outcome,
        has_open_request=has_open_request,
        has_new_result=has_new_result,
        needs_reconsent=needs_reconsent,
        has_conflict=has_conflict,
        team=team,
        today=today,
    )
    statement = _filtered(select(*_COLUMNS).select_from(P), parse_search(text or ""))
    statement = statement.where(*where).order_by(*_order(CaseSort(sort), descending))
    statement = statement.offset(max(0, offset)).limit(limit)
    return [_to_case_row(row, today) for row in session.execute(statement)]


def _order(sort: CaseSort, descending: bool) -> list[Any]:
    """ORDER BY terms that an index can serve (each sort column's index ends in the row id).

    Empty values come last both ways: descending, SQLite's own order puts them last; ascending,
    an index on ``(column IS NULL, column)`` (migration 0002) does.
    """
    column = _SORT_COLUMNS[sort]
    if descending:
        return [column.desc(), P.pk.desc()]
    if sort in _NULLABLE_SORTS:
        return [column.is_(None), column.asc(), P.pk.asc()]
    return [column.asc(), P.pk.asc()]


def count_caseload(
    session: Session,
    *,
    text: str | None = None,
    programme: Programme | None = None,
    outcome: ResultOutcome | None = None,
    has_open_request: bool | None = None,
    has_new_result: bool | None = None,
    needs_reconsent: bool | None = None,
    has_conflict: bool | None = None,
    team: str | None = None,
    today: dt.date,
) -> int:
    """How many participants the same filters match (for "1,234 of 85,000")."""
    where = _conditions(
        programme=programme,
        outcome=outcome,
        has_open_request=has_open_request,
        has_new_result=has_new_result,
        needs_reconsent=needs_reconsent,
        has_conflict=has_conflict,
        team=team,
        today=today,
    )
    statement = _filtered(select(func.count()).select_from(P), parse_search(text or ""))
    return int(session.execute(statement.where(*where)).scalar_one())


_KINDS = {k.value: k for k in ResultKind}
_OUTCOMES = {o.value: o for o in ResultOutcome}
_PROGRAMMES = {p.value: p for p in Programme}
_DECEASED = LifeStatus.DECEASED.value


def _to_case_row(row: Any, today: dt.date) -> CaseRow:
    """One result row (columns in ``_COLUMNS`` order) as a CaseRow; positional for speed."""
    (
        participant_id,
        given_name,
        family_name,
        nhs_number,
        date_of_birth,
        programme,
        team,
        life_status,
        latest_result_id,
        latest_result_kind,
        latest_result_outcome,
        latest_result_date,
        new_result_count,
        open_request_count,
        next_request_due,
        withdrawal_level,
        research_contact_declined,
        additional_findings_declined,
        reconsent_from,
        has_conflict,
    ) = row
    return CaseRow(
        participant_id=participant_id,
        given_name=given_name,
        family_name=family_name,
        nhs_number=nhs_number,
        date_of_birth=date_of_birth,
        programme=_PROGRAMMES[programme],
        team=team,
        deceased=life_status == _DECEASED,
        latest_result_id=latest_result_id,
        latest_result_kind=_KINDS.get(latest_result_kind) if latest_result_kind else None,
        latest_result_outcome=(
            _OUTCOMES.get(latest_result_outcome) if latest_result_outcome else None
        ),
        latest_result_date=latest_result_date,
        new_result_count=new_result_count,
        open_request_count=open_request_count,
        next_request_due=next_request_due,
        withdrawn=withdrawal_level is not None,
        withdrawal_level=withdrawal_level,
        research_contact_declined=research_contact_declined,
        additional_findings_declined=additional_findings_declined,
        needs_reconsent=reconsent_from is not None and reconsent_from <= today,
        has_conflict=has_conflict,
    )
