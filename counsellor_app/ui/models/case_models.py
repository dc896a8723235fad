"""Table models for the tabs of a case record: results, variants, requests, consent, audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject

from counsellor_app.domain.audit import AuditEvent
from counsellor_app.domain.consent import ConsentDecision
from counsellor_app.domain.consent_ledger import ScopeState
from counsellor_app.domain.consent_wording import decision_words, scope_label
from counsellor_app.domain.letter import LetterRecord
from counsellor_app.domain.request import CollaborationRequest
from counsellor_app.domain.result import Result
from counsellor_app.ui.models.labels import label, moment, short_day
from counsellor_app.ui.models.record_table import Column, RecordTableModel


def result_status(result: Result) -> str:
    """"Current" or "Superseded" (hazard H4: a superseded report is never acted on)."""
    return "Superseded" if result.is_superseded else "Current"


def results_model(parent: QObject | None = None) -> RecordTableModel:
    return RecordTableModel(
        (
            Column("Version", lambda r: f"v{r.report_version}"),
            Column("Status", result_status),
            Column("Kind", lambda r: label(r.kind)),
            Column("Outcome", lambda r: label(r.outcome)),
            Column("Issued", lambda r: short_day(r.issued_on)),
            Column("Team's progress", lambda r: _progress(r)),
            Column("Review trail", lambda r: label(r.review_stage)),
            Column("Summary", lambda r: r.summary),
        ),
        parent,
        muted=lambda r: r.is_superseded,
    )


def _progress(result: Result) -> str:
    text = label(result.counsellor_state)
    if result.informed_how is not None:
        text += f" ({label(result.informed_how).lower()})"
    return text


def variants_model(parent: QObject | None = None) -> RecordTableModel:
    columns: tuple[Column, ...] = (
        Column("Gene", lambda v: v.gene),
        Column("Transcript", lambda v: v.transcript),
        Column("HGVS c.", lambda v: v.hgvs_c),
        Column("HGVS p.", lambda v: v.hgvs_p or "—"),
        Column("Zygosity", lambda v: label(v.zygosity)),
        Column("Inheritance", lambda v: label(v.inheritance)),
        Column("ACMG class", lambda v: label(v.acmg_class)),
        Column("Tier", lambda v: label(v.tier)),
        Column("Condition", lambda v: v.condition or ""),
    )
    return RecordTableModel(columns, parent)


def requests_model(today: dt.date, parent: QObject | None = None) -> RecordTableModel:
    def due(request: CollaborationRequest) -> str:
        if request.due_on is None:
            return ""
        text = short_day(request.due_on)
        if request.status.is_open and request.due_on < today:
            return f"{text} (overdue)"
        return text

    return RecordTableModel(
        (
            Column("Kind", lambda r: label(r.kind)),
            Column("Requester", lambda r: f"{r.requester.name}, {r.requester.institution}"),
            Column("Received", lambda r: short_day(r.received_on)),
            Column("Due", due),
            Column("Status", lambda r: label(r.status)),
            Column("New consent?", lambda r: "Needed" if r.beyond_existing_consent else "No"),
            Column("Asked", lambda r: r.asked),
        ),
        parent,
        muted=lambda r: not r.status.is_open,
    )


def scope_state_text(state: ScopeState) -> str:
    """The state of one scope in two or three words."""
    if state.reconsent_needed:
        return "Re-consent needed"
    if state.decision is None:
        return "No decision recorded"
    if state.permits:
        return "Granted"
    return label(state.decision)


def consent_states_model(parent: QObject | None = None) -> RecordTableModel:
    return RecordTableModel(
        (
            Column("Scope", lambda s: scope_label(s.scope, s.request_id)),
            Column("Current state", scope_state_text),
            Column("Why", lambda s: s.reason),
        ),
        parent,
    )


def consent_timeline_model(
    superseded: Callable[[str], bool], parent: QObject | None = None
) -> RecordTableModel:
    """The ledger as a timeline; ``superseded(decision_id)`` says which a correction replaced."""

    def given_by(event: ConsentDecision) -> str:
        who = label(event.given_by)
        return f"{who}: {event.given_by_name}" if event.given_by_name else who

    def flags(event: ConsentDecision) -> str:
        marks = []
        if superseded(event.decision_id):
            marks.append("Superseded by a correction")
        if event.conflict and not event.conflict_resolved:
            marks.append(f"Conflict: {event.conflict_reason or 'overtaken by a withdrawal'}")
        elif event.conflict:
            marks.append("Conflict resolved")
        return "; ".join(marks)

    return RecordTableModel(
        (
            Column("Effective", lambda e: short_day(e.effective_from.date())),
            Column("Scope", lambda e: scope_label(e.scope, e.request_id)),
            Column("Decision", lambda e: decision_words(e).capitalize()),
            Column("Given by", given_by),
            Column("How", lambda e: label(e.method)),
            Column("Recorded by", lambda e: e.recorded_by),
            Column("Recorded at", lambda e: moment(e.recorded_at)),
            Column("Note", lambda e: e.note or ""),
            Column("Flags", flags),
        ),
        parent,
        muted=lambda e: superseded(e.decision_id),
    )


def letters_model(parent: QObject | None = None) -> RecordTableModel:
    def about(letter: LetterRecord) -> str:
        if letter.result_id:
            return f"Result {letter.result_id}"
        if letter.request_id:
            return f"Request {letter.request_id}"
        return ""

    return RecordTableModel(
        (
            Column("Generated", lambda x: moment(x.generated_at)),
            Column("Kind", lambda x: label(x.kind)),
            Column("Recipient", lambda x: label(x.recipient)),
            Column("Format", lambda x: label(x.format)),
            Column("Status", lambda x: label(x.status)),
            Column("About", about),
            Column("Generated by", lambda x: x.generated_by),
        ),
        parent,
    )


def audit_model(parent: QObject | None = None) -> RecordTableModel:
    def what(event: AuditEvent) -> str:
        return event.action.replace(".", " ").replace("_", " ").capitalize()

    return RecordTableModel(
        (
            Column("When", lambda a: moment(a.at)),
            Column("Who", lambda a: a.actor),
            Column("What", what),
            Column("Record", lambda a: f"{label(a.record_type)} {a.record_id}"),
            Column("Detail", lambda a: a.detail or ""),
        ),
        parent,
    )
