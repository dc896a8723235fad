"""How a case-list query runs: which index drives it, chosen by a cheap capped count per condition.

Two ways to answer "page N of the rows matching these conditions, in this order":

- *few matches* (a rare filter, a few hundred names): list the matching row ids from the
  condition's own index (or the name search index), read those rows and sort them. Each row
  read is a page to decrypt, so this is used below ``SPARSE_MAX`` and only while it reads
  fewer pages than walking the order would (a thousand NHS-digit matches spread through 85,000
  are found sooner by walking).
- *many matches* (a broad filter, one letter, "999"): walk the sort order's index and stop after
  one page. The sort indexes (cache migration 0003) also hold the filter columns, so filters are
  tested on the index entry and only rows that pass are read; a name start is tested on the
  name index's key; other text is tested against its set of row ids.

Each condition that an index can list is counted first, capped at ``PROBE_CAP`` (reading index
entries only), and the smallest count picks the way. A probe is remembered for the rest of its
transaction, so a keystroke's count and page (one snapshot) probe once. What text matches is
``store.caseload_text``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.selectable import CompoundSelect, FromClause, TableClause
from sqlalchemy.sql.visitors import InternalTraversal

from counsellor_app.domain.participant import Programme
from counsellor_app.domain.result import ResultOutcome
from counsellor_app.store.tables import ParticipantRow

P = ParticipantRow
SPARSE_MAX = 2_000
"""Up to this many candidate rows: read and sort them (each costs one row read)."""
SET_MAX = 15_000
"""Up to this many text matches: test them as a set of row ids while walking a sort index."""
PROBE_CAP = SET_MAX
ROW_READ_COST = 50
"""Reading a row costs about as much as this many index entries (a page to decrypt)."""
CLUSTERED_WALK = 3
"""How much further a walk goes when the matches gather in one part of the order (measured at
85,000: 800 matches of a family name's letters are read and sorted in 5-10 ms, walked to in
17-20 ms; 1,650 read in 19 ms, walked to in 10 ms)."""
PAGE = 200

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


@dataclass(frozen=True)
class Source:
    """A condition whose matching row ids one index lists on its own (entries only)."""

    pks: Select[Any] | CompoundSelect[Any]
    """``SELECT pk`` of the matching rows."""
    row_test: ColumnElement[bool]
    """The same condition tested on a row (or a sort index entry)."""
    text: bool = False
    count: int = -1
    """Matches, capped at the probe's cap (set by ``probe``)."""
    distinct: bool = True
    """``pks`` lists each row once (else the count is an upper bound)."""
    outside: tuple[Select[Any], ...] = ()
    """``SELECT pk`` of the rows that do *not* match, from the same index alone (a range's
    two sides): a broad range is counted as every row less these."""
    key: tuple[Any, ...] = ()
    """What the source lists, as plain values (its probe is remembered for the transaction
    under it); empty: probed every time."""
    spread: bool = True
    """Matches lie evenly through every sort order (NHS digits); False for a name's letters,
    whose matches gather where that family name sorts."""
    probe_cap: int = 0
    """Stop the probe's count here (0: ``PROBE_CAP``); a source that is never tested as a set
    of row ids needs only to know whether it is below ``SPARSE_MAX``."""
    entry_tests: tuple[tuple[str, ColumnElement[bool]], ...] = ()
    """The same condition tested on the entries of these covering indexes alone (no row read,
    no set of row ids to build), by index name."""
    ranged: tuple[tuple[str, ColumnElement[bool]], ...] = ()
    """Matches that lie in one range of these indexes (by index name), so the first of them in
    the index's order are found by seeking there: a family name's start on the name index."""
    scattered: tuple[Select[Any], ...] = ()
    """With ``ranged``: ``SELECT pk`` of every other match (some may be in the range too)."""

    @property
    def cap(self) -> int:
        return self.probe_cap or PROBE_CAP

    def entry_test(self, index: str) -> ColumnElement[bool] | None:
        return next((test for name, test in self.entry_tests if name == index), None)

    def range_in(self, index: str) -> ColumnElement[bool] | None:
        return next((test for name, test in self.ranged if name == index), None)

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


def probe(session: Session, source: Source) -> Source:
    """The source with its count of matches, capped at ``PROBE_CAP`` (index entries only).

    A keyed source's count is remembered for the session's transaction (one snapshot: the
    count and the page of one keystroke probe once)."""
    if source.count >= 0:
        return source
    known = _probes(session)
    count = known.get(source.key) if source.key else None
    if count is None:
        count = _capped_count(session, source.pks, source.cap)
        if source.key:
            known[source.key] = count
    return replace(source, count=count)


_PROBES = "counsellor_app.caseload_probes"


def _probes(session: Session) -> dict[tuple[Any, ...], int]:
    """Probe counts remembered for the session's current transaction, until it writes (a new
    transaction, or any row changed through its connection, forgets them)."""
    transaction = session.get_transaction()
    driver: Any = session.connection().connection.driver_connection
    changes = int(driver.total_changes)
    held = session.info.get(_PROBES)
    if held is None or held[0] is not transaction or held[1] != changes:
        held = (transaction, changes, {})
        session.info[_PROBES] = held
    probes: dict[tuple[Any, ...], int] = held[2]
    return probes


def count_once(
    session: Session, key: tuple[Any, ...], pks: Select[Any] | CompoundSelect[Any], cap: int
) -> int:
    """How many rows ``pks`` lists, up to ``cap``, remembered for the transaction like a
    probe (under ``key``)."""
    known = _probes(session)
    if key not in known:
        known[key] = _capped_count(session, pks, cap)
    return known[key]


def _capped_count(
    session: Session, pks: Select[Any] | CompoundSelect[Any], cap: int | None = None
) -> int:
    capped = pks.limit(PROBE_CAP if cap is None else cap).subquery()
    return int(session.execute(select(func.count()).select_from(capped)).scalar_one())


def _count_by_difference(session: Session, source: Source) -> int | None:
    """Every row less those outside the source's range (each side counted from the index up
    to ``PROBE_CAP``); None when a side is that broad too."""
    sides = [_capped_count(session, side) for side in source.outside]
    if not sides or max(sides) >= PROBE_CAP:
        return None
    total = int(session.execute(select(func.count()).select_from(P)).scalar_one())
    return total - sum(sides)


@dataclass(frozen=True)
class Plan:
    """The FROM clause and WHERE conditions of one case-list query."""

    source: FromClause
    where: tuple[ColumnElement[bool], ...]


def plan(
    session: Session,
    conditions: Conditions,
    *,
    walk: str,
    counting: bool,
    wanted: int = PAGE,
    order: Sequence[ColumnElement[Any]] = (),
) -> Plan:
    """How to find the matching rows: by the rarest source's ids (few matches), or by walking
    ``walk`` (a covering sort index) and testing each entry (many). When each condition alone
    matches many but together they are likely few, the rarest filter's own covering index is
    walked instead (its entries hold the other filters) and the few rows are sorted. ``wanted``:
    the rows the page needs from the start of the order (offset + limit), ``order`` the ORDER
    BY terms that ``walk`` gives."""
    sources = sorted((probe(session, s) for s in conditions.sources), key=lambda s: s.count)
    if not sources:
        return Plan(participants_by(walk), tuple(conditions.row_tests))
    rarest, others = sources[0], sources[1:]
    if not counting and order:
        bounded = _bounded(session, sources, conditions, walk, wanted, order)
        if bounded is not None:
            return bounded
    if rarest.count < SPARSE_MAX and (
        counting or not _walk_is_cheaper(session, sources, conditions, wanted)
    ):
        where = [P.pk.in_(rarest.pks), *(s.row_test for s in others), *conditions.row_tests]
        return Plan(participants_by(_NOT_INDEXED), tuple(where))
    narrow = _narrow_walk(session, sources)
    index = narrow or walk
    use_sets = counting or narrow is not None
    tests = [_walk_test(s, index, use_sets) for s in sources]
    return Plan(participants_by(index), (*tests, *conditions.row_tests))


def _walk_test(source: Source, index: str, use_sets: bool) -> ColumnElement[bool]:
    """How a source is tested while ``index`` is walked: on the entry when it can be, else
    against its set of row ids (text matches up to ``SET_MAX``), else on the row."""
    entry = source.entry_test(index)
    if entry is not None:
        return entry
    if source.text and (use_sets or source.count < SET_MAX):
        return source.as_set()
    return source.row_test


def _bounded(
    session: Session,
    sources: list[Source],
    conditions: Conditions,
    walk: str,
    wanted: int,
    order: Sequence[ColumnElement[Any]],
) -> Plan | None:
    """The page from a few candidates when the rarest source's matches are a range of the
    walked index plus a few others ("pu": family names starting so lie together in name order,
    given names starting so are few): the first ``wanted`` of the range in the index's order
    (its other conditions tested on the way), with the others, read and sorted. None when the
    others are many, or walking or reading every match costs less."""
    rarest, others = sources[0], sources[1:]
    ranged = rarest.range_in(walk)
    if ranged is None or not rarest.scattered:
        return None
    scattered = union_all(*rarest.scattered) if len(rarest.scattered) > 1 else rarest.scattered[0]
    few = count_once(session, (*rarest.key, "scattered"), scattered, SPARSE_MAX)
    cost = (wanted + few) * ROW_READ_COST
    if few >= SPARSE_MAX or rarest.count < SPARSE_MAX and rarest.count * ROW_READ_COST <= cost:
        return None
    if conditions.row_tests or _walk_cost(session, sources, wanted) <= cost:
        return None
    tests = [s.row_test for s in others]
    first = (
        select(P.pk)
        .select_from(participants_by(walk))
        .where(ranged, *tests)
        .order_by(*order)
        .limit(wanted)
        .subquery()
    )
    candidates = union_all(select(first.c.pk), *rarest.scattered)
    return Plan(participants_by(_NOT_INDEXED), (P.pk.in_(candidates), *tests))


def _walk_is_cheaper(
    session: Session, sources: list[Source], conditions: Conditions, wanted: int
) -> bool:
    """Whether walking the sort index to the end of the page (testing each entry against the
    listed ids) costs less than reading and sorting every candidate row: true for a thousand
    or so matches spread through 85,000 (a two-letter name start, five NHS digits), where
    reading each candidate's row is a page to decrypt. The conditions are taken as independent
    and spread evenly through the order; a test only a row can answer keeps the rows read."""
    rarest = sources[0]
    if conditions.row_tests or rarest.count * ROW_READ_COST <= wanted * ROW_READ_COST:
        return False
    return _walk_cost(session, sources, wanted) < rarest.count * ROW_READ_COST


def _walk_cost(session: Session, sources: list[Source], wanted: int) -> float:
    """About what walking a sort index to the ``wanted``-th match costs, in index entries
    (matches taken as spread evenly through the order, the conditions as independent)."""
    total = _rows_estimate(session)
    likely = float(total)
    for source in sources:
        likely *= min(source.count, total) / max(total, 1)
    walked = wanted * total / max(likely, 1.0)
    if not all(source.spread for source in sources):
        walked *= CLUSTERED_WALK
    return min(float(total), walked) + min(float(wanted), likely) * ROW_READ_COST


def _rows_estimate(session: Session) -> int:
    """About how many participants the cache holds (the largest row id: one index probe,
    remembered for the transaction)."""
    known = _probes(session)
    if _ROWS not in known:
        known[_ROWS] = int(session.execute(select(func.max(P.pk))).scalar_one() or 0)
    return known[_ROWS]


_ROWS = ("rows",)


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
        known = single.count < single.cap or (cap is not None and single.count >= cap)
        if single.distinct and known:
            return single.count if cap is None else min(single.count, cap)
        by_difference = _count_by_difference(session, single) if single.outside else None
        if by_difference is not None:
            return by_difference if cap is None else min(by_difference, cap)
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
