"""The case list: search, filter, sort and page participants in SQL (fast at 85,000)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from counsellor_app.domain.participant import LifeStatus, Programme
from counsellor_app.domain.result import ResultKind, ResultOutcome
from counsellor_app.store.caseload_query import (
    COVERING,
    Conditions,
    count_matches,
    filter_conditions,
    plan,
)
from counsellor_app.store.caseload_text import text_conditions
from counsellor_app.store.tables import ParticipantRow

P = ParticipantRow


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


class CaseRow(NamedTuple):
    """One line of the case list (plain, immutable data: safe to hand to a view model; a named
    tuple because a page builds two hundred of them on every keystroke, and a frozen
    dataclass costs ten times as much to build)."""

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


def _conditions(session: Session, text: str | None, **filters: Any) -> Conditions:
    found = filter_conditions(**filters)
    if text and text.strip():
        searched = text_conditions(session, text)
        found.sources += searched.sources
        found.row_tests += searched.row_tests
    return found


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

    ``text`` matches name parts in any order (accents and case ignored), an NHS number (full
    or part, with or without spaces or hyphens), a participant id, or a whole case id. Empty
    filter values (None) do not filter. Empty sort values come last; ties are broken by the
    row's position (the order participants entered the cache), so paging is stable and every
    sort is served by an index (``store.caseload_query`` picks how the query runs).
    """
    conditions = _conditions(
        session,
        text,
        programme=programme,
        outcome=outcome,
        has_open_request=has_open_request,
        has_new_result=has_new_result,
        needs_reconsent=needs_reconsent,
        has_conflict=has_conflict,
        team=team,
        today=today,
    )
    sort = CaseSort(sort)
    chosen = plan(
        session,
        conditions,
        walk=_walk_index(sort, descending),
        counting=False,
        wanted=max(0, offset) + max(0, limit),
        order=_order(sort, descending),
    )
    statement = (
        select(*_COLUMNS)
        .select_from(chosen.source)
        .where(*chosen.where)
        .order_by(*_order(sort, descending))
        .offset(max(0, offset))
        .limit(limit)
    )
    return [_to_case_row(row, today) for row in session.connection().execute(statement)]


def _walk_index(sort: CaseSort, descending: bool) -> str:
    """The covering index (cache migration 0003) that gives this order as it is walked."""
    name = _SORT_COLUMNS[sort].key
    if not descending and sort in _NULLABLE_SORTS:
        name += "+nulls"
    return COVERING[name]


def _order(sort: CaseSort, descending: bool) -> list[Any]:
    """ORDER BY terms that an index can serve (each sort index has the row id after the key).

    Empty values come last both ways: descending, SQLite's own order puts them last; ascending,
    an index on ``(column IS NULL, column, pk)`` (migration 0003) does.
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
    conditions = _conditions(
        session,
        text,
        programme=programme,
        outcome=outcome,
        has_open_request=has_open_request,
        has_new_result=has_new_result,
        needs_reconsent=needs_reconsent,
        has_conflict=has_conflict,
        team=team,
        today=today,
    )
    return count_matches(session, conditions, cap=None)


@dataclass(frozen=True, slots=True)
class CappedCount:
    """How many match, counted up to a cap: ``more`` when there are at least ``cap``
    (show "10,000+"); exact otherwise."""

    count: int
    more: bool

    def __str__(self) -> str:
        return f"{self.count:,}+" if self.more else f"{self.count:,}"


def count_caseload_capped(
    session: Session,
    *,
    cap: int = 1_000,
    text: str | None = None,
    programme: Programme | None = None,
    outcome: ResultOutcome | None = None,
    has_open_request: bool | None = None,
    has_new_result: bool | None = None,
    needs_reconsent: bool | None = None,
    has_conflict: bool | None = None,
    team: str | None = None,
    today: dt.date,
) -> CappedCount:
    """Like ``count_caseload``, but stops counting at ``cap`` (a keystroke's count in a few
    milliseconds however broad the search): ``CappedCount(cap, more=True)`` means "cap or more"."""
    if cap < 1:
        raise ValueError("cap must be at least 1")
    conditions = _conditions(
        session,
        text,
        programme=programme,
        outcome=outcome,
        has_open_request=has_open_request,
        has_new_result=has_new_result,
        needs_reconsent=needs_reconsent,
        has_conflict=has_conflict,
        team=team,
        today=today,
    )
    found = count_matches(session, conditions, cap=cap)
    return CappedCount(found, found >= cap)


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
