"""What the search box's text matches, as the conditions the case list's query runs on.

Name parts in any order (accents and case ignored), an NHS number (full or part, with or
without spaces or hyphens), a participant id, or a whole case id. Words of three letters or
more go to the trigram index; a one- or two-letter first word is the start of a given or family
name or of a participant id, listed from index ranges (and tested on the name sort index's own
key when that index is walked); one or two digits are the start of an NHS number.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
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
from sqlalchemy.orm import Session

from counsellor_app.store import caseload_query as q
from counsellor_app.store.caseload_query import (
    COVERING,
    Conditions,
    Source,
    participants_by,
)
from counsellor_app.store.search_text import nhs_digits, tokens
from counsellor_app.store.tables import CaseEntityRow, ParticipantRow

P = ParticipantRow
TRIGRAM = 3

# The trigram index (db/cache migration 0001): rowid = participants.pk.
SEARCH = table("participant_search", column("rowid", Integer), column("participant_search"))


_AFTER_PREFIX = "\U0010ffff"


def _prefix(col: Any, start: str) -> ColumnElement[bool]:
    """``col`` starts with ``start`` (a range, so the column's index is used)."""
    return and_(col >= start, col < start + _AFTER_PREFIX)


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
            found.sources.append(_trigram_source((digits,)))
        else:
            found.sources.append(_nhs_start_source(digits))
        return found
    words = tokens(query)
    long = [w for w in words if len(w) >= TRIGRAM]
    short = [w for w in words if len(w) < TRIGRAM]
    if long:
        found.sources.append(_trigram_source(tuple(long)))
    elif short:
        found.sources.append(_word_start_source(session, short.pop(0)))
    for word in short:  # narrowed already: a word-start test on the rows left
        found.row_tests.append((literal(" ") + P.search_text).like(f"% {word}%"))
    return found


@functools.lru_cache(maxsize=128)
def _nhs_start_source(digits: str) -> Source:
    """NHS numbers starting with one or two digits: a range of the NHS number's own index
    (narrow entries); every number may match, so the two sides of the range are kept for a
    count by difference."""
    index, col = "ix_participants_nhs_number", P.nhs_number
    test = _prefix(col, digits)
    below = select(P.pk).select_from(participants_by(index)).where(col < digits)
    above = select(P.pk).select_from(participants_by(index)).where(col >= digits + _AFTER_PREFIX)
    return Source(
        select(P.pk).select_from(participants_by(index)).where(test),
        test,
        outside=(below, above),
        key=("nhs start", digits),
        probe_cap=q.SPARSE_MAX,
    )


def _word_start_source(session: Session, start: str) -> Source:
    """A given or family name, or a participant id, starting with ``start`` (one or two
    letters), listed from index entries in three parts that share no row (so the probe's count
    is the count, and no sort removes duplicates): given names from their index; family names
    from the name sort index whose given name does not start so (its key holds both); then
    participant ids whose names do not start so (few: their rows are read; many, as "p" starts
    every synthetic id: their index entries are tested against the names' row ids)."""
    id_count = q.count_once(session, ("id start", start), _ids_listed(start), q.SET_MAX)
    source = _word_start_built(start, id_count > 0, id_count < q.SPARSE_MAX, id_count < q.SET_MAX)
    if id_count >= q.PROBE_CAP:  # the ids alone reach the probe's cap: no need to probe
        source = replace(source, count=q.PROBE_CAP)
    return source


@functools.lru_cache(maxsize=256)
def _word_start_built(start: str, some_ids: bool, few_ids: bool, set_of_ids: bool) -> Source:
    """``_word_start_source`` once the participant ids starting so are counted: some, few
    enough to read their rows (``SPARSE_MAX``), few enough for a set (``SET_MAX``)."""
    ids = _id_ranges(start)
    by_given = _prefix(P.given_fold, start)
    by_family = _prefix(P.family_fold, start)
    not_given = func.instr(P.sort_name, SORT_NAME_SEPARATOR + start) == 0
    names = [
        _listed([by_given], "ix_participants_given_fold"),
        _listed([and_(_prefix(P.sort_name, start), not_given)], COVERING["sort_name"]),
    ]
    parts = list(names)
    outside: tuple[Select[Any], ...] = ()
    if some_ids and few_ids:
        parts += _id_selects(start, ~by_given, ~by_family)
    elif some_ids:
        parts += _id_selects(start, (P.pk + 0).not_in(union_all(*names)))
        # when (nearly) every id starts so, count the few rows that do not match at all
        outside = tuple(_listed([test]).where(~by_given, ~by_family) for test in _id_gaps(start))
    entry_tests: tuple[tuple[str, ColumnElement[bool]], ...] = ()
    if set_of_ids:
        entry_tests = ((COVERING["sort_name"], _name_entry_test(start, ids, some_ids)),)
    return Source(
        union_all(*parts),
        or_(by_given, by_family, *ids),
        text=True,
        key=("word start", start),
        entry_tests=entry_tests,
        outside=outside,
        ranged=((COVERING["sort_name"], _prefix(P.sort_name, start)),),
        scattered=(names[0], *(_id_selects(start) if some_ids else ())),
    )


def _id_ranges(start: str) -> list[ColumnElement[bool]]:
    """Participant ids starting with ``start`` (as typed, and in capitals: "P000123")."""
    return [_prefix(P.participant_id, s) for s in sorted({start.upper(), start})]


def _id_gaps(start: str) -> list[ColumnElement[bool]]:
    """Participant ids *not* starting with ``start`` (in either case): the id index's ranges
    before, between and after ``_id_ranges``."""
    pid = P.participant_id
    gaps: list[ColumnElement[bool]] = []
    low: str | None = None
    for begin in sorted({start.upper(), start}):
        gaps.append(pid < begin if low is None else and_(pid >= low, pid < begin))
        low = begin + _AFTER_PREFIX
    gaps.append(pid >= low)
    return gaps


def _id_selects(start: str, *tests: ColumnElement[bool]) -> list[Select[Any]]:
    """``SELECT pk`` of the rows whose participant id starts with ``start`` and that meet
    ``tests``: one per range of the id's index (the ranges share no row)."""
    return [_listed([test]).where(*tests) for test in _id_ranges(start)]


def _ids_listed(start: str) -> Select[Any] | CompoundSelect[Any]:
    """``SELECT pk`` of the rows whose participant id starts with ``start``."""
    ranges = _id_selects(start)
    return ranges[0] if len(ranges) == 1 else union_all(*ranges)


def _listed(tests: Sequence[ColumnElement[bool]], index: str = "") -> Select[Any]:
    """``SELECT pk`` of the rows meeting ``tests`` (any of them), from ``index`` (default: the
    participant id's covering index)."""
    return (
        select(P.pk)
        .select_from(participants_by(index or COVERING["participant_id"]))
        .where(or_(*tests))
    )


SORT_NAME_SEPARATOR = "\x1f"
"""Between the folded family and given names in ``sort_name`` (``search_text.sort_name``);
folding leaves no control character in a name, so it occurs once."""


def _name_entry_test(
    start: str, ids: Sequence[ColumnElement[bool]], some_ids: bool
) -> ColumnElement[bool]:
    """The word-start test on an entry of the name sort index: its key is the folded family
    name, the separator, then the folded given name, so both names are tested on the key;
    the few participant ids starting so as a set of row ids."""
    tests = [
        _prefix(P.sort_name, start),
        func.instr(P.sort_name, SORT_NAME_SEPARATOR + start) > 0,
    ]
    if some_ids:
        tests.append((P.pk + 0).in_(_ids_listed(start)))
    return or_(*tests)


@functools.lru_cache(maxsize=256)
def _trigram_source(words: tuple[str, ...]) -> Source:
    # folded words are letters and digits only, so quoting them needs no escaping
    match = " AND ".join(f'"{word}"' for word in words)
    pks = select(SEARCH.c.rowid.label("pk")).where(SEARCH.c.participant_search.op("MATCH")(match))
    # the same test on a row: the search text holds each word (it is folded like the words)
    test = and_(*(func.instr(P.search_text, word) > 0 for word in words))
    spread = all(word.isdigit() for word in words)  # digits: NHS numbers and ids
    return Source(pks, test, text=True, key=("trigram", *words), spread=spread)
