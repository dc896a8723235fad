"""The statements of a first load's pages: built by the thread that prepares them, run by the
thread that owns the load's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from counsellor_app.store.bulk_sql import OnConflict, multi_row_statements
from counsellor_app.store.tables import (
    CaseEntityRow,
    ConsentDecisionRow,
    ParticipantRow,
    RepresentativeRow,
    RequestRow,
    ResultRow,
    VariantRow,
)
from counsellor_app.sync.summaries import SUMMARY_COLUMNS

SUMMARY_AND_PK = frozenset({"pk", *SUMMARY_COLUMNS})
"""The participant columns a page never writes: the load computes the summaries at its end."""

Op = tuple[str, list[tuple[Any, ...]]]
"""One statement and its rows of parameters (``executemany``)."""


def run(session: Session, ops: Sequence[Op]) -> None:
    """Executes a prepared page's statements, in order, in the session's transaction, on the
    driver's own cursor (each call through SQLAlchemy would take the interpreter lock again,
    and wait for it while another thread prepares the next page)."""
    driver = session.connection().connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        for sql, parameters in ops:
            if len(parameters) == 1:
                cursor.execute(sql, parameters[0])
            else:
                cursor.executemany(sql, parameters)
    finally:
        cursor.close()


@dataclass
class Batch:
    """Rows of one page waiting to become statements, parents first."""

    ops: list[Op]
    people: list[dict[str, Any]] = field(default_factory=list)
    representatives: list[tuple[str, bool, list[dict[str, Any]]]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    variants: list[tuple[str, bool, list[dict[str, Any]]]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    flags: list[tuple[Any, ...]] = field(default_factory=list)

    def flush(self) -> None:
        self._rows(ParticipantRow, self.people, OnConflict.UPDATE, "participant_id",
                   SUMMARY_AND_PK)
        self._children(RepresentativeRow, "participant_id", self.representatives)
        self._rows(CaseEntityRow, self.cases, OnConflict.UPDATE, "case_id")
        self._rows(ResultRow, self.results, OnConflict.UPDATE, "result_id")
        self._children(VariantRow, "result_id", self.variants)
        self._rows(RequestRow, self.requests, OnConflict.UPDATE, "request_id")
        self._rows(ConsentDecisionRow, self.decisions, OnConflict.NOTHING)
        if self.flags:  # a decision sent again: only the hub's conflict flags may change
            self.ops.append((
                "UPDATE consent_decisions SET conflict = ?, conflict_reason = ?, "
                "conflict_resolved = conflict_resolved | ? WHERE decision_id = ?",
                list(self.flags),
            ))
        for rows in (self.people, self.representatives, self.cases, self.results,
                     self.variants, self.requests, self.decisions, self.flags):
            rows.clear()

    def _rows(self, row_class: Any, rows: list[dict[str, Any]], on_conflict: OnConflict,
              key: str | None = None, keep: frozenset[str] = frozenset()) -> None:
        self.ops.extend(multi_row_statements(row_class, rows, on_conflict=on_conflict,
                                             key=key, keep=keep))

    def _children(self, row_class: Any, parent_column: str,
                  children: list[tuple[str, bool, list[dict[str, Any]]]]) -> None:
        """Children of parents in this batch: those of a parent written before are replaced
        (the latest state of a parent carries all its children)."""
        again = [(parent,) for parent, seen, _rows in children if seen]
        if again:
            table = _table(row_class).name
            self.ops.append((f'DELETE FROM "{table}" WHERE "{parent_column}" = ?', again))
        self._rows(row_class, [row for _p, _s, rows in children for row in rows],
                   OnConflict.FAIL)


def _table(row_class: Any) -> Table:
    table = row_class.__table__
    assert isinstance(table, Table)
    return table
