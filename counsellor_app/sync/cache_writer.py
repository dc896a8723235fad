"""Applying one page of the change feed to the cache with bulk upserts, in the caller's
transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from counsellor_app.domain.consent import ConsentDecision
from counsellor_app.domain.letter import LetterRecord
from counsellor_app.protocol.changes import (
    CaseChange,
    Change,
    ConsentDecisionChange,
    LetterRecordChange,
    ParticipantChange,
    RemovalChange,
    RequestChange,
    ResultChange,
)
from counsellor_app.store.bulk_sql import OnConflict, write_rows
from counsellor_app.store.mapping import (
    case_values,
    decision_values,
    participant_values,
    representative_values,
    request_values,
    result_values,
    variant_values,
)
from counsellor_app.store.outbox import OutboxState
from counsellor_app.store.tables import (
    CaseEntityRow,
    ConsentDecisionRow,
    LetterRow,
    OutboxRow,
    ParticipantRow,
    RepresentativeRow,
    RequestRow,
    ResultRow,
    VariantRow,
)
from counsellor_app.sync.summaries import EMPTY_SUMMARY, refresh_summaries

CHUNK = 900  # ids per IN (...) list, below SQLite's bound-parameter limit


def _table(row_class: type[Any]) -> Table:
    table = row_class.__table__
    assert isinstance(table, Table)
    return table


@dataclass
class _Buffers:
    """Changes of one page waiting to be written, by kind, in arrival order."""

    participants: list[dict[str, Any]] = field(default_factory=list)
    representatives: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    cases: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    variants: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[ConsentDecision] = field(default_factory=list)
    letters: list[LetterRecord] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.participants or self.cases or self.results or self.requests
            or self.decisions or self.letters
        )


class PageWriter:
    """Writes one page's changes into a session: upserts in bulk, removals in order.

    Changes are buffered by kind and written parents first (participants, then cases, then
    what refers to them); a removal first writes everything buffered before it, so the order of
    the feed is kept. Every participant whose case-list summary may have changed gets it
    recomputed (only the parts that depend on what changed).
    """

    def __init__(self, session: Session, *, today: dt.date) -> None:
        self._session = session
        self._today = today
        self._buffers = _Buffers()
        # participants whose summary columns need recomputing, by what they depend on
        self.touched: dict[str, set[str]] = {"consent": set(), "results": set(), "requests": set()}
        self.removed: set[str] = set()
        # decisions of people who had none held before this page: all they have now
        self.fresh_decisions: dict[str, list[ConsentDecision]] = {}
        self.counts: dict[str, int] = {}

    def apply(self, changes: Sequence[Change]) -> dict[str, int]:
        for change in changes:
            self.counts[change.kind] = self.counts.get(change.kind, 0) + 1
            self._add(change)
        self._flush()
        refresh_summaries(
            self._session,
            consent=self.touched["consent"] - self.removed,
            results=self.touched["results"] - self.removed,
            requests=self.touched["requests"] - self.removed,
            known_decisions=self.fresh_decisions,
            today=self._today,
        )
        return self.counts

    def _add(self, change: Change) -> None:
        b = self._buffers
        if isinstance(change, RemovalChange):
            self._flush()
            self._remove(change.participant_id)
            self.fresh_decisions.pop(change.participant_id, None)
            return
        if isinstance(change, ParticipantChange):
            p = change.data.to_domain()
            b.participants.append({**participant_values(p), **EMPTY_SUMMARY})
            b.representatives[p.participant_id] = representative_values(p)
            pid, aspect = p.participant_id, None  # see _note_changed_participants
        elif isinstance(change, CaseChange):
            c = change.data.to_domain()
            b.cases.append(case_values(c))
            pid, aspect = c.participant_id, None
        elif isinstance(change, ResultChange):
            r = change.data.to_domain()
            b.results.append(result_values(r))
            b.variants[r.result_id] = variant_values(r)
            pid, aspect = r.participant_id, "results"
        elif isinstance(change, RequestChange):
            q = change.data.to_domain()
            b.requests.append(request_values(q))
            pid, aspect = q.participant_id, "requests"
        elif isinstance(change, ConsentDecisionChange):
            d = change.data.to_domain()
            b.decisions.append(d)
            pid, aspect = d.participant_id, "consent"
        elif isinstance(change, LetterRecordChange):
            letter = change.data.to_domain()
            b.letters.append(letter)
            pid, aspect = letter.participant_id, None
        else:  # pragma: no cover - the protocol's union is closed
            raise TypeError(f"unknown change kind {change.kind!r}")
        if aspect is not None:
            self.touched[aspect].add(pid)
        self.removed.discard(pid)

    # --- writing ---------------------------------------------------------------------------------

    def _flush(self) -> None:
        b = self._buffers
        if not b:
            return
        self._note_changed_participants([row["participant_id"] for row in b.participants])
        # a new participant starts with the summary of an empty record; a held one keeps its
        # summary columns here, and they are recomputed below where they may have changed
        self._upsert(ParticipantRow, "participant_id", b.participants, keep=_SUMMARY_AND_PK)
        self._replace_children(
            RepresentativeRow, RepresentativeRow.participant_id, b.representatives
        )
        self._upsert(CaseEntityRow, "case_id", b.cases)
        pending = self._pending_local_changes() if (b.results or b.requests) else set()
        self._upsert_keeping_local(ResultRow, "result_id", "result", b.results, pending)
        self._replace_children(VariantRow, VariantRow.result_id, b.variants)
        self._upsert_keeping_local(RequestRow, "request_id", "request", b.requests, pending)
        self._write_decisions(b.decisions)
        self._write_letters(b.letters)
        self._buffers = _Buffers()

    def _note_changed_participants(self, ids: list[str]) -> None:
        """A participant already held may have a new birth date or life status, which the
        consent flags depend on. A new one has nothing recorded about them yet (the feed sends
        a parent before what refers to it), so their summary columns keep their defaults."""
        for start in range(0, len(ids), CHUNK):
            self.touched["consent"].update(
                self._session.scalars(
                    select(ParticipantRow.participant_id).where(
                        ParticipantRow.participant_id.in_(ids[start : start + CHUNK])
                    )
                )
            )

    def _upsert(
        self,
        row_class: type[Any],
        key: str,
        rows: list[dict[str, Any]],
        *,
        keep: frozenset[str] = frozenset(),
    ) -> None:
        """INSERT … ON CONFLICT (key) DO UPDATE, many rows in one executemany."""
        write_rows(self._session, row_class, rows, on_conflict=OnConflict.UPDATE, key=key,
                   keep=keep)

    def _pending_local_changes(self) -> set[tuple[str, str]]:
        """(record type, id) of results and requests changed here and not yet sent."""
        rows = self._session.execute(
            select(OutboxRow.record_type, OutboxRow.record_id).where(
                OutboxRow.state.in_((OutboxState.PENDING.value, OutboxState.SENT.value)),
                OutboxRow.record_type.in_(("result", "request")),
            )
        )
        return {(str(t), str(i)) for t, i in rows}

    def _upsert_keeping_local(
        self,
        row_class: type[Any],
        key: str,
        record_type: str,
        rows: list[dict[str, Any]],
        pending: set[tuple[str, str]],
    ) -> None:
        """Upserts, except that a local change still waiting to be sent is not overwritten
        (the team's own workflow columns keep their local values until the hub has them)."""
        waiting = [r for r in rows if (record_type, r[key]) in pending]
        if not waiting:
            self._upsert(row_class, key, rows)
            return
        self._upsert(row_class, key, [r for r in rows if (record_type, r[key]) not in pending])
        self._upsert(row_class, key, waiting, keep=_LOCAL_WORKFLOW[record_type])

    def _replace_children(
        self, row_class: type[Any], parent_column: Any, children: dict[str, list[dict[str, Any]]]
    ) -> None:
        if not children:
            return
        parents = list(children)
        for start in range(0, len(parents), CHUNK):
            self._session.execute(
                delete(row_class).where(parent_column.in_(parents[start : start + CHUNK]))
            )
        write_rows(self._session, row_class, [row for group in children.values() for row in group])

    def _write_decisions(self, decisions: list[ConsentDecision]) -> None:
        """Consent decisions are append-only: insert the new, update only the hub's flags.

        A decision already held (same id, or the same decision under another id: rule 6) is
        not inserted again; the conflict flags the hub sets are copied onto the held row, and
        a conflict resolved here stays resolved until the hub has heard of it. For people with
        no decision held before this page, the page's decisions are kept in memory so their
        consent flags are computed without reading them back.
        """
        if not decisions:
            return
        table = _table(ConsentDecisionRow)
        ids = [d.decision_id for d in decisions]
        held: dict[str, tuple[bool, str | None, bool]] = {}
        for start in range(0, len(ids), CHUNK):
            for row in self._session.execute(
                select(
                    table.c.decision_id, table.c.conflict, table.c.conflict_reason,
                    table.c.conflict_resolved,
                ).where(table.c.decision_id.in_(ids[start : start + CHUNK]))
            ):
                held[row[0]] = (bool(row[1]), row[2], bool(row[3]))
        people = sorted({d.participant_id for d in decisions})
        with_history: set[str] = set()
        for start in range(0, len(people), CHUNK):
            with_history.update(
                self._session.scalars(
                    select(table.c.participant_id)
                    .where(table.c.participant_id.in_(people[start : start + CHUNK]))
                    .distinct()
                )
            )
        new = [d for d in decisions if d.decision_id not in held]
        write_rows(
            self._session, ConsentDecisionRow, [decision_values(d) for d in new],
            on_conflict=OnConflict.NOTHING,
        )
        for d in new:
            if d.participant_id not in with_history:
                self.fresh_decisions.setdefault(d.participant_id, []).append(d)
        changed = [
            d for d in decisions
            if d.decision_id in held
            and held[d.decision_id] != (d.conflict, d.conflict_reason, d.conflict_resolved)
        ]
        if changed:
            flags = (
                update(table)
                .where(table.c.decision_id == _bind("decision_id"))
                .values(
                    conflict=_bind("conflict"),
                    conflict_reason=_bind("conflict_reason"),
                    conflict_resolved=table.c.conflict_resolved | _bind("conflict_resolved"),
                )
            )
            self._session.connection().execute(
                flags,
                [
                    {
                        "b_decision_id": d.decision_id,
                        "b_conflict": d.conflict,
                        "b_conflict_reason": d.conflict_reason,
                        "b_conflict_resolved": d.conflict_resolved,
                    }
                    for d in changed
                ],
            )

    def _write_letters(self, letters: list[LetterRecord]) -> None:
        """A letter record from the hub updates the status of a letter held here.

        The PDF never travels, so a letter written on another computer has no bytes to keep
        in this cache; it is counted but not stored as a letter.
        """
        if not letters:
            return
        table = _table(LetterRow)
        self._session.connection().execute(
            update(table)
            .where(table.c.letter_id == _bind("letter_id"))
            .values(status=_bind("status")),
            [{"b_letter_id": r.letter_id, "b_status": r.status.value} for r in letters],
        )

    def _remove(self, participant_id: str) -> None:
        """The participant left the team: remove them and, by cascade, all recorded about them."""
        self._session.execute(
            delete(ParticipantRow).where(ParticipantRow.participant_id == participant_id)
        )
        self.removed.add(participant_id)


def _bind(name: str) -> Any:
    return bindparam(f"b_{name}")


_LOCAL_WORKFLOW = {
    "result": frozenset({"counsellor_state", "informed_how"}),
    "request": frozenset({"status", "response"}),
}

_SUMMARY_AND_PK = frozenset(
    {
        "pk",
        "withdrawal_level",
        "research_contact_declined",
        "additional_findings_declined",
        "reconsent_from",
        "has_conflict",
        "latest_result_id",
        "latest_result_kind",
        "latest_result_outcome",
        "latest_result_date",
        "new_result_count",
        "open_request_count",
        "next_request_due",
    }
)

