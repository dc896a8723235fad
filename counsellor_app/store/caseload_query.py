"""How a case-list query runs: which index drives it, chosen by a cheap capped count per condition.

Two ways to answer "page N of the rows matching these conditions, in this order":

- *few matches* (a rare filter, a name): list the matching row ids from the condition's own
  index (or the name search index), read those rows and sort them. The cost grows with the
  number of matches, so this is used below ``SPARSE_MAX``.
- *many matches* (a broad filter, one letter, "999"): walk the sort order's index and stop after
  one page. The sort indexes (cache migration 0003) also hold the filter columns, so filters are
  tested on the index entry and only rows that pass are read.

Each condition that an index can list is counted first, capped at ``PROBE_CAP`` (reading index
entries only: well under a millisecond), and the smallest count picks the way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

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
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.selectable import CompoundSelect, FromClause, TableClause
from sqlalchemy.sql.visitors import InternalTraversal

from counsellor_app.domain.participant import Programme
from counsellor_app.domain.result import ResultOutcome
from counsellor_app.store.search_text import nhs_digits, tokens
from counsellor_app.store.tables import CaseEntityRow, ParticipantRow

P = ParticipantRow
TRIGRAM = 3
SPARSE_MAX = 2_000
"""Up to this many candidate rows: read and sort them (each costs one row read)."""
SET_MAX = 15_000
"""Up to this many text matches: test them as a set of row ids while walking a sort index."""
PROBE_CAP = SET_MAX
ROW_READ_COST = 50
"""Reading a row costs about as much as this many index entries (a page to decrypt)."""
PAGE = 200

# The trigram index (db/cache migration 0001): rowid = participants.pk.
SEARCH = table("participant_search", column("rowid", Integer), column("participant_search"))

# Indexes of cache migration 0003 (sort key, pk, filter columns) by sort; "+nulls" for the
# ascending order that puts empty values last.
COVERING = {
    "sort_name": "ix_caselist_name",
    "nhs_number": "ix_caselist_nhs_number",
    "date_of_birth": "ix_caselist_date_of_birth",
    "participant_id": "ix_caselist_participant_id",
    "programme": "ix_caselist_programme",
    "latest_result_date": "ix_caselist_latest_result_date",
    "latest_result_date+nulls": "ix_caselist_latest_result_date_nulls_last",
    "latest_result_outcome": "ix_caselist_latest_result_outcome",
    "latest_result_outcome+nulls": "ix_caselist_latest_result_outcome_nulls_last",
    "open_request_count": "ix_caselist_open_requests",
    "next_request_due": "ix_caselist_next_due",
    "next_request_due+nulls": "ix_caselist_next_due_nulls_last",
}
DEFAULT_WALK = COVERING["sort_name"]
_NOT_INDEXED = "NOT INDEXED"


class IndexedBy(FromClause):
    """``participants INDEXED BY name`` (or ``NOT INDEXED``) in a FROM clause: SQLAlchemy's
    hints are not rendered for SQLite, and the planner's guess is what this module replaces."""

    # the index name is part of the statement's cache key (the SQL text differs by it)
    _traverse_internals = [
        ("target", InternalTraversal.dp_clauseelement),
        ("index", InternalTraversal.dp_string),
    ]
    inherit_cache = True

    def __init__(self, target: TableClause, index: str) -> None:
        super().__init__()
        self.target = target
        self.index = index

    @property
    def _hide_froms(self) -> Sequence[FromClause]:
        return [self.target]

    @property
    def _from_objects(self) -> list[FromClause]:
        return [self]

    def _populate_column_collection(self, *args: Any, **kwargs: Any) -> None:
        return None


@compiles(IndexedBy)
def _indexed_by(element: IndexedBy, compiler: SQLCompiler, **kw: Any) -> str:
    kw["asfrom"] = True
    clause = "NOT INDEXED" if element.index == _NOT_INDEXED else f"INDEXED BY {element.index}"
    return f"{compiler.process(element.target, **kw)} {clause}"


def participants_by(index: str) -> IndexedBy:
    return IndexedBy(P.__table__, index)  # type: ignore[arg-type]


def _prefix(col: Any, start: str) -> ColumnElement[bool]:
    """``col`` starts with ``start`` (a range, so the column's index is used)."""
    return and_(col >= start, col < start + "\U0010ffff")


@dataclass(frozen=True)
class Source:
    """A condition whose matching row ids one index lists on its own (entries only)."""

    pks: Select[Any] | CompoundSelect[Any]
    """``SELECT pk`` of the matching rows."""
    row_test: ColumnElement[bool]
    """The same condition tested on a row (or a sort index entry)."""
    text: bool = False
    count: int = -1
    """Matches, capped at ``PROBE_CAP`` (set by ``probe``)."""
    distinct: bool = True
    """``pks`` lists each row once (else the count is an upper bound)."""

    def as_set(self) -> ColumnElement[bool]:
        """Membership of the row id in the listed ids (tested on any index entry)."""
        return (P.pk + 0).in_(self.pks)  # "+ 0": never drive the query by row id


@dataclass
class Conditions:
    """Every condition of one case-list query, and those an index can list on its own."""

    row_tests: list[ColumnElement[bool]] = field(default_factory=list)
    """Conditions tested on the row only (no index lists them)."""
    sources: list[Source] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.row_tests and not self.sources


def _index_source(index: str, test: ColumnElement[bool]) -> Source:
    return Source(select(P.pk).select_from(participants_by(index)).where(test), test)


def filter_conditions(
    *,
    programme: Programme | None,
    outcome: ResultOutcome | None,
    has_open_request: bool | None,
    has_new_result: bool | None,
    needs_reconsent: bool | None,
    has_conflict: bool | None,
    team: str | None,
    today: dt.date,
) -> Conditions:
    found = Conditions()
    if programme is not None:
        test = P.programme == Programme(programme).value
        found.sources.append(_index_source(COVERING["programme"], test))
    if outcome is not None:
        test = P.latest_result_outcome == ResultOutcome(outcome).value
        found.sources.append(_index_source(COVERING["latest_result_outcome"], test))
    if has_open_request is not None:
        test = P.open_request_count > 0 if has_open_request else P.open_request_count == 0
        found.sources.append(_index_source(COVERING["open_request_count"], test))
    if has_new_result is not None:
        found.row_tests.append(
            P.new_result_count > 0 if has_new_result else P.new_result_count == 0
        )
    if needs_reconsent is not None:
        due = P.reconsent_from <= today
        if needs_reconsent:
            found.sources.append(_index_source("ix_participants_reconsent_from", due))
        else:
            found.row_tests.append(or_(P.reconsent_from.is_(None), ~due))
    if has_conflict is not None:
        found.sources.append(
            _index_source("ix_participants_has_conflict", P.has_conflict.is_(has_conflict))
        )
    if team is not None:
        found.sources.append(_index_source("ix_participants_team", P.team == team))
    return found


def _case_owner(session: Session, query: str) -> Source | None:
    """A whole case id ("C000123", any case): that case's participant (looked up only for one
    word of letters and digits)."""
    word = query.strip()
    looks_like_an_id = any(c.isdigit() for c in word) and any(c.isalpha() for c in word)
    if not looks_like_an_id or " " in word or len(word) > 64:
        return None
    owners = session.execute(
        select(P.pk)
        .join(CaseEntityRow, CaseEntityRow.participant_id == P.participant_id)
        .where(CaseEntityRow.case_id.in_(sorted({word, word.upper()})))
    ).scalars()
    pks = sorted(set(owners))
    if not pks:
        return None
    test = P.pk.in_(pks)
    return Source(select(P.pk).where(test), test, text=True, count=len(pks))


def text_conditions(session: Session, query: str) -> Conditions:
    """Name parts in any order (accents and case ignored), an NHS number (full or part, with or
    without spaces or hyphens), a participant id, or a whole case id."""
    found = Conditions()
    owner = _case_owner(session, query)
    if owner is not None:
        found.sources.append(owner)
        return found
    digits = nhs_digits(query)
    if digits is not None:
        if len(digits) >= TRIGRAM:
            found.sources.append(_trigram_source([digits]))
        else:
            test = _prefix(P.nhs_number, digits)
            found.sources.append(_index_source(COVERING["nhs_number"], test))
        return found
    words = tokens(query)
    long = [w for w in words if len(w) >= TRIGRAM]
    short = [w for w in words if len(w) < TRIGRAM]
    if long:
        found.sources.append(_trigram_source(long))
    elif short:
        found.sources.append(_word_start_source(short.pop(0)))
    for word in short:  # narrowed already: a word-start test on the rows left
        found.row_tests.append((literal(" ") + P.search_text).like(f"% {word}%"))
    return found


def _word_start_source(start: str) -> Source:
    """A given or family name, or a participant id, starting with ``start`` (one or two
    letters): three index ranges, each read from its index alone."""
    ranges = (
        ("ix_participants_given_fold", _prefix(P.given_fold, start)),
        ("ix_participants_family_fold", _prefix(P.family_fold, start)),
        (COVERING["participant_id"], _prefix(P.participant_id, start.upper())),
        (COVERING["participant_id"], _prefix(P.participant_id, start)),
    )
    pks = union_all(*(select(P.pk).select_from(participants_by(ix)).where(t) for ix, t in ranges))
    return Source(pks, or_(*(test for _, test in ranges)), text=True, distinct=False)


def _trigram_source(words: list[str]) -> Source:
    # folded words are letters and digits only, so quoting them needs no escaping
    match = " AND ".join(f'"{word}"' for word in words)
    pks = select(SEARCH.c.rowid.label("pk")).where(SEARCH.c.participant_search.op("MATCH")(match))
    # the same test on a row: the search text holds each word (it is folded like the words)
    test = and_(*(func.instr(P.search_text, word) > 0 for word in words))
    return Source(pks, test, text=True)


def probe(session: Session, source: Source) -> Source:
    """The source with its count of matches, capped at ``PROBE_CAP`` (index entries only)."""
    if source.count >= 0:
        return source
    capped = source.pks.limit(PROBE_CAP).subquery()
    count = int(session.execute(select(func.count()).select_from(capped)).scalar_one())
    return Source(source.pks, source.row_test, source.text, count, source.distinct)


@dataclass(frozen=True)
class Plan:
    """The FROM clause and WHERE conditions of one case-list query."""

    source: FromClause
    where: tuple[ColumnElement[bool], ...]


def plan(session: Session, conditions: Conditions, *, walk: str, counting: bool) -> Plan:
    """How to find the matching rows: by the rarest source's ids (few matches), or by walking
    ``walk`` (a covering sort index) and testing each entry (many). When each condition alone
    matches many but together they are likely few, the rarest filter's own covering index is
    walked instead (its entries hold the other filters) and the few rows are sorted."""
    sources = sorted((probe(session, s) for s in conditions.sources), key=lambda s: s.count)
    if not sources:
        return Plan(participants_by(walk), tuple(conditions.row_tests))
    rarest, others = sources[0], sources[1:]
    if rarest.count < SPARSE_MAX:
        where = [P.pk.in_(rarest.pks), *(s.row_test for s in others), *conditions.row_tests]
        return Plan(participants_by(_NOT_INDEXED), tuple(where))
    narrow = _narrow_walk(session, sources)
    use_sets = counting or narrow is not None
    tests = [
        s.as_set() if s.text and (use_sets or s.count < SET_MAX) else s.row_test for s in sources
    ]
    return Plan(participants_by(narrow or walk), (*tests, *conditions.row_tests))


def _narrow_walk(session: Session, sources: list[Source]) -> str | None:
    """The covering index of the rarest filter, when walking it whole and reading every row
    that passes is cheaper than walking the sort index to the end of a page (the conditions
    taken as independent: together they are likely to match few rows)."""
    candidates = [(s.count, i) for s in sources if (i := _covering_index_of(s)) is not None]
    if len(sources) < 2 or not candidates:
        return None
    total = int(session.execute(select(func.count()).select_from(P)).scalar_one())
    if not total:
        return None
    likely = float(total)
    for source in sources:
        likely *= min(source.count, total) / total
    entries, index = min(candidates)
    narrow = entries + likely * ROW_READ_COST
    in_order = min(total, PAGE * total / max(likely, 1.0)) + min(PAGE, likely) * ROW_READ_COST
    return index if narrow < in_order else None


def only_source(conditions: Conditions) -> Source | None:
    """The one condition, when there is exactly one and an index lists it."""
    if len(conditions.sources) == 1 and not conditions.row_tests:
        return conditions.sources[0]
    return None


def count_matches(session: Session, conditions: Conditions, *, cap: int | None) -> int:
    """How many rows meet every condition (at most ``cap`` when given)."""
    conditions = Conditions(conditions.row_tests, [probe(session, s) for s in conditions.sources])
    single = only_source(conditions)
    statement: Select[Any] | CompoundSelect[Any]
    if conditions.empty:
        statement = select(P.pk)
    elif single is not None:
        single = probe(session, single)
        known = single.count < PROBE_CAP or (cap is not None and single.count >= cap)
        if single.distinct and known:
            return single.count if cap is None else min(single.count, cap)
        listed = single.pks.subquery()
        statement = select(listed.c.pk).distinct() if not single.distinct else select(listed.c.pk)
    else:
        chosen = plan(session, conditions, walk=_count_walk(conditions), counting=True)
        statement = select(P.pk).select_from(chosen.source).where(*chosen.where)
    if cap is not None:
        statement = statement.limit(cap)
    counted = select(func.count()).select_from(statement.subquery())
    return int(session.execute(counted).scalar_one())


def _count_walk(conditions: Conditions) -> str:
    """A covering index to count along: the most selective filter's own, else the smallest."""
    for source in sorted(conditions.sources, key=lambda s: s.count):
        index = _covering_index_of(source)
        if index is not None:
            return index
    return COVERING["programme"]


def _covering_index_of(source: Source) -> str | None:
    if not isinstance(source.pks, Select):
        return None
    for from_ in source.pks.get_final_froms():
        if isinstance(from_, IndexedBy) and from_.index in COVERING.values():
            return from_.index
    return None
