"""A first sync into an empty cache, written the way ``store.bulk`` fills one: the whole feed in
one transaction, with the case-list summaries, search index and participant indexes made once
at the end instead of after every page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counsellor_app.domain.consent import ConsentDecision
from counsellor_app.domain.participant import LifeStatus
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
from counsellor_app.store.bulk import BULK_CACHE_KIB, DEFAULT_CACHE_SIZE
from counsellor_app.store.bulk_sql import bind_rows
from counsellor_app.store.mapping import (
    case_values,
    decision_values,
    participant_values,
    representative_values,
    request_values,
    result_values,
    variant_values,
)
from counsellor_app.store.summary import (
    ResultFacts,
    consent_summary,
    requests_summary,
    results_summary,
)
from counsellor_app.store.tables import (
    ParticipantRow,
)
from counsellor_app.sync.errors import REFERS_TO_UNKNOWN, HubResponseInvalid
from counsellor_app.sync.load_statements import Batch, Op, run
from counsellor_app.sync.summaries import EMPTY_SUMMARY, NO_DECISIONS, SUMMARY_COLUMNS

_SEARCH_TRIGGER = "participants_search_insert"
log = logging.getLogger(__name__)


def is_first_load(session: Session, cursor: int) -> bool:
    """Whether a sync starting at ``cursor`` fills an empty cache (nothing pulled, nothing
    held): then the whole feed can be written as one bulk load."""
    if cursor != 0:
        return False
    return session.scalar(select(ParticipantRow.pk).limit(1)) is None


@dataclass
class _Person:
    """What one participant's summary columns are computed from, as the feed left it."""

    date_of_birth: dt.date
    life_status: LifeStatus
    date_of_death: dt.date | None
    decisions: dict[str, ConsentDecision] = field(default_factory=dict)
    results: dict[str, ResultFacts] = field(default_factory=dict)
    requests: dict[str, tuple[str, dt.date | None]] = field(default_factory=dict)


Effect = tuple[Any, ...]
"""What one change did, in feed order, for ``FirstLoad._keep``."""


class FirstLoad:
    """Writes the feed into an empty cache inside one transaction.

    ``begin`` sets the participants' secondary indexes and the search trigger aside (inside
    the transaction, so a crash brings them back with the empty cache). ``prepare`` checks a
    page (what the foreign keys would refuse is refused before anything is written), turns it
    into multi-row statements and remembers it in memory; ``run`` executes them, on any thread
    that owns the transaction. ``summaries`` computes every participant's summary columns
    from what was remembered, with the functions ``store.bulk`` uses; ``finish`` writes them
    if nobody has, fills the search index in one statement and builds the indexes again.
    Readers see an empty cache until the commit, then everything at once: never a participant
    without their consent flags.
    """

    def __init__(self, *, today: dt.date) -> None:
        self._today = today
        self._people: dict[str, _Person] = {}
        # decision id -> (participant id, content key) of every decision held
        self._decision_owner: dict[str, tuple[str, str]] = {}
        self._content_keys: set[str] = set()
        self._result_ids: set[str] = set()
        self._case_owner: dict[str, str] = {}  # case id -> participant id of every case held
        self._indexes: list[tuple[str, str]] = []
        self._summarised = False
        self._trigger: str | None = None

    def begin(self, session: Session) -> None:
        """Sets the participants' secondary indexes (their summary columns are written once
        more at the end) and the search trigger aside. The other tables keep theirs: dropping
        and building them again measured no faster."""
        connection = session.connection()
        connection.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        self._indexes = [
            (str(name), str(sql))
            for name, sql in connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'participants' AND sql IS NOT NULL ORDER BY name"
            )
        ]
        for name, _sql in self._indexes:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
        self._trigger = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (_SEARCH_TRIGGER,),
        ).scalar()
        if self._trigger is not None:
            connection.exec_driver_sql(f"DROP TRIGGER {_SEARCH_TRIGGER}")

    # --- pages ----------------------------------------------------------------------------------

    def check(self, changes: Sequence[Change]) -> None:
        """Refuses, before anything of it is written, a page that names a participant or case
        the cache will not hold when the change is applied (what its foreign keys refuse).

        Raises:
            HubResponseInvalid: the page refers to records this computer never received.
        """
        added: set[str] = set()
        removed: set[str] = set()
        cases: dict[str, str] = {}  # case id -> participant id, this page
        dead: set[str] = set()  # cases removed with their participant in this page

        def person(pid: str) -> bool:
            return pid in added or (pid in self._people and pid not in removed)

        def case(case_id: str) -> bool:
            return case_id not in dead and (case_id in cases or case_id in self._case_owner)

        for change in changes:
            if isinstance(change, ParticipantChange):
                added.add(change.data.participant_id)
                continue
            if isinstance(change, RemovalChange):
                pid = change.participant_id
                added.discard(pid)
                removed.add(pid)
                dead.update(c for c, owner in self._case_owner.items() if owner == pid)
                dead.update(c for c, owner in cases.items() if owner == pid)
                continue
            if isinstance(change, CaseChange):
                known = person(change.data.participant_id)
                cases[change.data.case_id] = change.data.participant_id
                dead.discard(change.data.case_id)
            elif isinstance(change, ResultChange | RequestChange):
                known = person(change.data.participant_id) and case(change.data.case_id)
            elif isinstance(change, ConsentDecisionChange):
                known = person(change.data.participant_id)
            else:
                known = True  # a letter record names nothing this cache must hold
            if not known:
                log.warning("change page refused: a %s change names a record not held",
                            change.kind)
                raise HubResponseInvalid(REFERS_TO_UNKNOWN)

    def prepare(self, changes: Sequence[Change]) -> tuple[dict[str, int], list[Op]]:
        """Checks one page, turns it into the statements that write it (``run`` them, in
        order, on the load's transaction) and remembers it as written: a load whose
        statements then fail is rolled back whole, never kept. No database work here, so the
        next page is prepared while the last one is written.

        Raises:
            HubResponseInvalid: the page refers to records this computer never received.
        """
        self.check(changes)
        counts: dict[str, int] = {}
        effects: list[Effect] = []
        ops: list[Op] = []
        batch = Batch(ops)
        # written before (this page or an earlier one), so their children are replaced;
        # sets of this page only, over what is remembered (copying those costs a page each)
        page_people: set[str] = set()
        page_results: set[str] = set()
        page_decisions: dict[str, str] = {}  # decision id -> participant id, this page
        removed: set[str] = set()  # participants removed in this page
        for change in changes:
            counts[change.kind] = counts.get(change.kind, 0) + 1
            if isinstance(change, ParticipantChange):
                p = change.data.to_domain()
                pid = p.participant_id
                batch.people.append({**participant_values(p), **EMPTY_SUMMARY})
                batch.representatives.append(
                    (pid, pid in page_people or (
                        pid in self._people and pid not in removed
                    ), representative_values(p))
                )
                page_people.add(pid)
                effects.append(
                    ("person", p.participant_id, p.date_of_birth, p.life_status, p.date_of_death)
                )
            elif isinstance(change, CaseChange):
                c = change.data.to_domain()
                batch.cases.append(case_values(c))
                effects.append(("case", c.case_id, c.participant_id))
            elif isinstance(change, ResultChange):
                r = change.data.to_domain()
                batch.results.append(result_values(r))
                again = r.result_id in page_results or r.result_id in self._result_ids
                batch.variants.append((r.result_id, again, variant_values(r)))
                page_results.add(r.result_id)
                facts: ResultFacts = (
                    r.result_id, r.kind.value, r.outcome.value, r.issued_on, r.report_version,
                    r.counsellor_state.value, r.superseded_by is not None,
                )
                effects.append(("result", r.participant_id, r.result_id, facts))
            elif isinstance(change, RequestChange):
                q = change.data.to_domain()
                batch.requests.append(request_values(q))
                effects.append(("request", q.participant_id, q.request_id,
                                (q.status.value, q.due_on)))
            elif isinstance(change, ConsentDecisionChange):
                d = change.data.to_domain()
                owner = self._decision_owner.get(d.decision_id)
                if d.decision_id in page_decisions or (
                    owner is not None and owner[0] not in removed
                ):
                    batch.flags.append(_flags(d))  # sent again: the hub's flags may have moved
                    effects.append(("decision", d, None))
                else:
                    values = decision_values(d)
                    batch.decisions.append(values)
                    page_decisions[d.decision_id] = d.participant_id
                    effects.append(("decision", d, values["content_key"]))
            elif isinstance(change, RemovalChange):
                batch.flush()  # the cascade removes what they had, with them
                ops.append(("DELETE FROM participants WHERE participant_id = ?",
                            [(change.participant_id,)]))
                page_people.discard(change.participant_id)
                removed.add(change.participant_id)
                for decision_id in [k for k, v in page_decisions.items()
                                    if v == change.participant_id]:
                    del page_decisions[decision_id]
                effects.append(("removal", change.participant_id))
            elif isinstance(change, LetterRecordChange):
                pass  # it updates letters made on this computer: an empty cache has none
            else:  # pragma: no cover - the protocol's union is closed
                raise TypeError(f"unknown change kind {change.kind!r}")
        batch.flush()
        self._keep(effects)
        return counts, ops

    def _keep(self, effects: list[Effect]) -> None:
        """Remembers a page, in feed order, the way the cache holds it once written."""
        people = self._people
        for effect in effects:
            what = effect[0]
            if what == "person":
                _, pid, born, life, died = effect
                person = people.get(pid)
                if person is None:
                    people[pid] = _Person(born, life, died)
                else:
                    person.date_of_birth, person.life_status, person.date_of_death = (
                        born, life, died
                    )
            elif what == "decision":
                _, d, content_key = effect
                owner = self._decision_owner.get(d.decision_id)
                if owner is not None:  # sent again: only the hub's flags change
                    decisions = people[owner[0]].decisions
                    held = decisions[d.decision_id]
                    decisions[d.decision_id] = dataclasses.replace(
                        held, conflict=d.conflict, conflict_reason=d.conflict_reason,
                        conflict_resolved=held.conflict_resolved or d.conflict_resolved,
                    )
                elif content_key is not None and content_key not in self._content_keys:
                    self._content_keys.add(content_key)  # rule 6: the same decision once
                    self._decision_owner[d.decision_id] = (d.participant_id, content_key)
                    people[d.participant_id].decisions[d.decision_id] = d
            elif what == "case":
                self._case_owner[effect[1]] = effect[2]
            elif what == "result":
                _, pid, result_id, facts = effect
                people[pid].results[result_id] = facts
                self._result_ids.add(result_id)
            elif what == "request":
                _, pid, request_id, pair = effect
                people[pid].requests[request_id] = pair
            elif what == "removal":
                pid = effect[1]
                for case_id in [c for c, owner in self._case_owner.items() if owner == pid]:
                    del self._case_owner[case_id]
                gone = people.pop(pid, None)
                if gone is not None:  # the cascade took their decisions and results too
                    for decision_id in gone.decisions:
                        self._content_keys.discard(self._decision_owner.pop(decision_id)[1])
                    self._result_ids.difference_update(gone.results)

    # --- the end --------------------------------------------------------------------------------

    def summaries(self) -> list[Op]:
        """The statements that write every participant's summary columns, computed from what
        was remembered (call it once every page is prepared; ``finish`` does if nobody has)."""
        started = time.perf_counter()
        rows = []
        for pid, person in self._people.items():
            summary = consent_summary(
                person.decisions.values(),
                date_of_birth=person.date_of_birth,
                life_status=person.life_status,
                date_of_death=person.date_of_death,
                today=self._today,
            ) if person.decisions else dict(NO_DECISIONS)
            summary.update(results_summary(person.results.values()))
            summary.update(requests_summary(person.requests.values()))
            if summary != EMPTY_SUMMARY:
                summary["participant_id"] = pid
                rows.append(summary)
        self._summarised = True
        log.debug("first load: %d summaries computed in %.2f s", len(self._people),
                  time.perf_counter() - started)
        if not rows:
            return []
        columns = [getattr(ParticipantRow, name).property.columns[0] for name in _UPDATE_KEYS]
        assignments = ", ".join(f'"{name}" = ?' for name in SUMMARY_COLUMNS)
        return [(f'UPDATE participants SET {assignments} WHERE participant_id = ?',
                 bind_rows(columns, _UPDATE_KEYS, rows))]

    def finish(self, session: Session) -> None:
        """Summary columns, search index and indexes, still inside the transaction."""
        started = time.perf_counter()
        if not self._summarised:
            run(session, self.summaries())
        connection = session.connection()
        written = time.perf_counter()
        if self._trigger is not None:
            connection.exec_driver_sql(
                "INSERT INTO participant_search (rowid, search_text) "
                "SELECT pk, search_text FROM participants"
            )
            connection.exec_driver_sql(self._trigger)
        searched = time.perf_counter()
        for _name, sql in self._indexes:
            connection.exec_driver_sql(sql)
        indexed = time.perf_counter()
        connection.exec_driver_sql("ANALYZE")
        log.debug(
            "first load finished: summaries written in %.2f s; search index %.2f s; "
            "%d indexes %.2f s; statistics %.2f s", written - started, searched - written,
            len(self._indexes), indexed - searched, time.perf_counter() - indexed,
        )
        connection.exec_driver_sql(f"PRAGMA cache_size = {DEFAULT_CACHE_SIZE}")
        self._people.clear()


def _flags(d: ConsentDecision) -> tuple[Any, ...]:
    return (d.conflict, d.conflict_reason, d.conflict_resolved, d.decision_id)


_UPDATE_KEYS = (*SUMMARY_COLUMNS, "participant_id")
