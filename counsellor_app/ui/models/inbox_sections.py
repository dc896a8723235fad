"""Builds the inbox's sections from the store's inbox queries (one read snapshot)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from counsellor_app.domain.consent_wording import scope_label
from counsellor_app.domain.result import ResultKind
from counsellor_app.store import inbox
from counsellor_app.store.tables import ParticipantRow
from counsellor_app.ui.models.inbox_model import InboxItem, InboxSection
from counsellor_app.ui.models.labels import label

# CaseTab values (the inbox model stays free of view imports).
TAB_RESULTS, TAB_REQUESTS, TAB_CONSENT = 0, 1, 2
SECTION_LIMIT = 500

_RECORD_TABS = {"result": TAB_RESULTS, "request": TAB_REQUESTS}


def _nhs(people: dict[str, tuple[str, str]], participant_id: str) -> str | None:
    found = people.get(participant_id)
    return found[1] if found else None


def load_inbox(
    session: Session, today: dt.date, *, limit: int = SECTION_LIMIT
) -> list[InboxSection]:
    """New results by kind (newest first), open requests (soonest due first), re-consent
    needed, and sync problems (consent conflicts, rejected or conflicting outbox items), in
    the order ``arrange`` gives."""
    counts = inbox.inbox_counts(session, today=today)
    results = inbox.new_results(session, limit=limit)
    requests = inbox.open_requests(session, limit=limit)
    reconsent = inbox.reconsent_needed(session, today=today, limit=limit)
    conflicts = inbox.consent_conflicts(session, limit=limit)
    problems = inbox.sync_problems(session, limit=limit)
    wanted = {r.participant_id for r in requests} | {c.participant_id for c in conflicts}
    wanted |= {p.participant_id for p in problems if p.participant_id}
    people = _people(session, wanted)

    by_kind: dict[ResultKind, list[InboxItem]] = defaultdict(list)
    for r in results:
        by_kind[r.kind].append(
            InboxItem(
                participant_id=r.participant_id,
                name=r.display_name,
                nhs_number=r.nhs_number,
                title=f"{label(r.outcome)} (report v{r.report_version})",
                when=r.issued_on,
                detail="Not yet reviewed"
                + (" — replaces an earlier report" if r.report_version > 1 else ""),
                tab=TAB_RESULTS,
                select=r.result_id,
            )
        )
    result_sections = [
        InboxSection(f"New results: {label(kind).lower()}", tuple(by_kind[kind]))
        for kind in ResultKind
        if by_kind[kind]
    ]
    if not result_sections:
        result_sections.append(InboxSection("New results", ()))
    elif counts.new_results > len(results):
        last = result_sections[-1]
        result_sections[-1] = InboxSection(
            last.title, last.items, counts.new_results - len(results)
        )

    sections: list[InboxSection] = []
    sections.append(
        InboxSection(
            "Open collaboration requests",
            tuple(
                InboxItem(
                    participant_id=q.participant_id,
                    name=q.display_name,
                    nhs_number=_nhs(people, q.participant_id),
                    title=label(q.kind),
                    when=q.due_on,
                    detail=("Overdue · " if q.overdue(today) else "Due · ")
                    + f"{label(q.status)}; received {q.received_on.isoformat()}"
                    + ("; needs the patient's decision" if q.beyond_existing_consent else ""),
                    tab=TAB_REQUESTS,
                    select=q.request_id,
                    urgent=q.overdue(today),
                )
                for q in requests
            ),
            max(0, counts.open_requests - len(requests)),
        )
    )
    sections.append(
        InboxSection(
            "Re-consent needed (now 16 or over)",
            tuple(
                InboxItem(
                    participant_id=c.participant_id,
                    name=c.display_name,
                    nhs_number=c.nhs_number,
                    title="Parent's consent has lapsed",
                    when=c.date_of_birth,
                    detail="Born on this date; the young person must record their own decision",
                    tab=TAB_CONSENT,
                )
                for c in reconsent
            ),
            max(0, counts.reconsent_needed - len(reconsent)),
        )
    )
    sync_items = [
        InboxItem(
            participant_id=c.participant_id,
            name=c.display_name,
            nhs_number=_nhs(people, c.participant_id),
            title=f"Consent conflict: {scope_label(c.scope)} {c.decision.value}",
            when=c.effective_from.date(),
            detail=c.reason or "Overtaken by a withdrawal recorded elsewhere; letters blocked",
            tab=TAB_CONSENT,
            select=c.decision_id,
            urgent=True,
            resolves_conflict=True,
        )
        for c in conflicts
    ]
    for item in problems:
        if item.participant_id is None:
            continue
        name, nhs = people.get(item.participant_id, ("(not in the cache)", None))
        sync_items.append(
            InboxItem(
                participant_id=item.participant_id,
                name=name,
                nhs_number=nhs,
                title=f"Change {item.state.value} by the hub: {label(item.kind).lower()}",
                when=item.created_at.date(),
                detail=item.answer_reason or item.last_error or "",
                tab=_RECORD_TABS.get(item.record_type or "", TAB_CONSENT),
                select=item.record_id,
                urgent=True,
            )
        )
    problems_section = InboxSection(
        "Sync conflicts and rejected changes",
        tuple(sync_items),
        max(0, counts.conflicts + counts.sync_problems - len(sync_items)),
    )
    return arrange([*result_sections, *sections, problems_section])


def arrange(sections: list[InboxSection]) -> list[InboxSection]:
    """The order a counsellor reads in: a sync problem first when there is one (it holds
    letters back), then new results, open requests and re-consent as the issue lists them,
    and the empty sections last (shown muted)."""
    problems = [s for s in sections if s.title.startswith("Sync") and s.items]
    rest = [s for s in sections if s not in problems]
    return problems + [s for s in rest if s.items] + [s for s in rest if not s.items]


def _people(session: Session, participant_ids: set[str]) -> dict[str, tuple[str, str]]:
    """participant_id → (name, NHS number), for items the store gives without them."""
    if not participant_ids:
        return {}
    rows = session.execute(
        select(
            ParticipantRow.participant_id,
            ParticipantRow.given_name,
            ParticipantRow.family_name,
            ParticipantRow.nhs_number,
        ).where(ParticipantRow.participant_id.in_(sorted(participant_ids)))
    )
    return {pid: (f"{given} {family}", nhs) for pid, given, family, nhs in rows}
