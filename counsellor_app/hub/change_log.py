"""The change log behind ``GET /v1/changes``: appending in commit order, reading a team's page.

Why a cursor can never pass an uncommitted change
-------------------------------------------------
A reader asks for ``seq > cursor``. If numbers were handed out in one order and transactions
committed in another, a reader could see 11 while 10 is still uncommitted, move its cursor to 11
and never see 10. On PostgreSQL every transaction that appends to the log first takes one
transaction-scoped advisory lock (``pg_advisory_xact_lock``) and only then draws its numbers
from the sequence, as its last step before COMMIT. The lock is held until the commit is
visible, so a transaction that draws higher numbers can only start drawing after every lower
number is committed (or rolled back, leaving a harmless gap): numbering follows commit order.
We chose this over ``pg_snapshot_xmin`` filtering because it needs no extra column, keeps the
reader a plain indexed range scan, and the serialised part of a write is tiny (a few inserts at
the very end of the transaction); writers still do their reads and entity writes in parallel.
SQLite has a single writer (every write transaction begins IMMEDIATE), so commit order is
already numbering order there.

A row names an entity; the page carries the entity's state at the time of reading. For
entities nothing else refers to (results, requests, consent decisions, letter records) a team
keeps only the newest row: appending deletes the older one in the same transaction, so a first
sync receives each of them once. Participants and cases keep their older rows, so that a parent
always comes before the records that refer to it, on every page boundary.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, text, tuple_
from sqlalchemy.orm import Session

from counsellor_app.hub.tables import (
    CaseRow,
    ChangeRow,
    ConsentDecisionRow,
    LetterRecordRow,
    ParticipantRow,
    RequestRow,
    ResultRow,
)

# Any fixed 64-bit number, the same in every hub process ("CouDesk" in ASCII).
ADVISORY_LOCK_KEY = 0x436F75446573_6B

BODY_SOURCES = {
    "participant": (ParticipantRow.participant_id, ParticipantRow.body),
    "case": (CaseRow.case_id, CaseRow.body),
    "result": (ResultRow.result_id, ResultRow.body),
    "request": (RequestRow.request_id, RequestRow.body),
    "consent_decision": (ConsentDecisionRow.decision_id, ConsentDecisionRow.body),
    "letter_record": (LetterRecordRow.letter_id, LetterRecordRow.body),
}


# Kinds whose older log rows are dropped when they change again (nothing refers to them).
COMPACTED_KINDS = frozenset({"result", "request", "consent_decision", "letter_record", "removal"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One entity changed, for one team's feed. ``kind`` is a change kind of the protocol."""

    team: str
    participant_id: str
    kind: str
    entity_id: str


def lock_for_append(session: Session) -> None:
    """Serialise appenders until this transaction ends (PostgreSQL; SQLite needs nothing)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})


def append(session: Session, entries: Iterable[Entry], *, fresh: bool = False) -> int:
    """Append ``entries`` in order; call last in the transaction, just before it commits.

    ``fresh`` skips removing older rows of the same entities (a bulk load into an empty log).
    """
    unique: dict[tuple[str, str, str], Entry] = {}
    for entry in entries:
        # An entity noted twice keeps its first place (a parent before what refers to it).
        unique.setdefault((entry.team, entry.kind, entry.entity_id), entry)
    if not unique:
        return 0
    lock_for_append(session)
    rows = [
        {"team": e.team, "participant_id": e.participant_id, "kind": e.kind,
         "entity_id": e.entity_id}
        for e in unique.values()
    ]
    if not fresh:
        keys = [key for key in unique if key[1] in COMPACTED_KINDS]
        for start in range(0, len(keys), 500):
            session.execute(
                delete(ChangeRow).where(
                    tuple_(ChangeRow.team, ChangeRow.kind, ChangeRow.entity_id).in_(
                        keys[start : start + 500]
                    )
                )
            )
    connection = session.connection()
    statement = insert(ChangeRow)
    for start in range(0, len(rows), 5000):
        connection.execute(statement, rows[start : start + 5000])
    return len(rows)


def forget_participant(session: Session, team: str, participant_id: str) -> None:
    """Drop a team's rows about a participant who left the team (a removal follows)."""
    session.execute(
        delete(ChangeRow).where(ChangeRow.team == team, ChangeRow.participant_id == participant_id)
    )


@dataclass(frozen=True, slots=True)
class Page:
    """A page of the feed as ready-made JSON, and which participants it showed (for audit)."""

    json: str
    next_cursor: int
    more: bool
    participant_ids: frozenset[str]
    count: int


def read_page(session: Session, team: str, since: int, limit: int) -> Page:
    """The team's changes after ``since``, in cursor order, at most ``limit``.

    Run it in a snapshot transaction so the log rows and the bodies are of the same moment.
    """
    rows = session.execute(
        select(ChangeRow.seq, ChangeRow.kind, ChangeRow.entity_id, ChangeRow.participant_id)
        .where(ChangeRow.team == team, ChangeRow.seq > since)
        .order_by(ChangeRow.seq)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    wanted: dict[str, list[str]] = {}
    for row in rows:
        if row.kind in BODY_SOURCES:
            wanted.setdefault(row.kind, []).append(row.entity_id)
    bodies: dict[tuple[str, str], str] = {}
    for kind, ids in wanted.items():
        id_column, body_column = BODY_SOURCES[kind]
        for start in range(0, len(ids), 900):
            for entity_id, body in session.execute(
                select(id_column, body_column).where(id_column.in_(ids[start : start + 900]))
            ):
                bodies[(kind, entity_id)] = body
    parts: list[str] = []
    for row in rows:
        if row.kind == "removal":
            pid = json.dumps(row.participant_id)
            parts.append('{"kind":"removal","participant_id":' + pid + ',"reason":"moved_team"}')
            continue
        found = bodies.get((row.kind, row.entity_id))
        if found is not None:
            parts.append('{"kind":"' + row.kind + '","data":' + found + "}")
    next_cursor = rows[-1].seq if rows else since
    page_json = (
        '{"protocol":1,"changes":[' + ",".join(parts) + '],"next_cursor":' + str(next_cursor)
        + ',"more":' + ("true" if more else "false") + "}"
    )
    return Page(
        page_json, next_cursor, more, frozenset(r.participant_id for r in rows), len(parts)
    )
