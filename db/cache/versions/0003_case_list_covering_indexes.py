"""Case list: sort indexes that also hold the filter columns, and partial indexes for the inbox.

Each sort index is (sort key, pk, filter columns): walking it in order, the filters are tested
on the index entry itself, so a filtered page stops after 200 rows without reading the rest of
the table. They replace the nulls-last indexes of 0002.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 14:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# kept in step with counsellor_app/store/caseload_query.py (a test checks every name exists)
_FILTERS = (
    "programme",
    "latest_result_outcome",
    "open_request_count",
    "new_result_count",
    "reconsent_from",
    "has_conflict",
)
_SORTS = {
    "name": ("sort_name",),
    "nhs_number": ("nhs_number",),
    "date_of_birth": ("date_of_birth",),
    "participant_id": ("participant_id",),
    "programme": ("programme",),
    "latest_result_date": ("latest_result_date",),
    "latest_result_date_nulls_last": ("latest_result_date IS NULL", "latest_result_date"),
    "latest_result_outcome": ("latest_result_outcome",),
    "latest_result_outcome_nulls_last": (
        "latest_result_outcome IS NULL",
        "latest_result_outcome",
    ),
    "open_requests": ("open_request_count",),
    "next_due": ("next_request_due",),
    "next_due_nulls_last": ("next_request_due IS NULL", "next_request_due"),
}
_OLD_0002 = (
    "ix_participants_latest_result_date_nulls_last",
    "ix_participants_latest_result_outcome_nulls_last",
    "ix_participants_next_request_due_nulls_last",
    "ix_participants_next_request_due",
)
_PARTIAL = {
    # inbox: unresolved consent conflicts, newest first
    "ix_consent_decisions_open_conflicts": (
        "consent_decisions (effective_from DESC, decision_id) "
        'WHERE "conflict" IS 1 AND conflict_resolved IS 0'
    ),
    # inbox: results nobody has reviewed (current versions only), newest first
    "ix_results_new_current": (
        "results (issued_on DESC, result_id) "
        "WHERE counsellor_state = 'new' AND superseded_by IS NULL"
    ),
    # inbox: requests waiting on the team, soonest due first (no due date last)
    "ix_requests_awaiting": (
        "requests (due_on IS NULL, due_on, received_on, request_id) "
        "WHERE status IN ('new', 'under_review', 'awaiting_patient')"
    ),
}


def _columns(key: tuple[str, ...]) -> str:
    sorted_on = {part for part in key if " " not in part}
    return ", ".join((*key, "pk", *(f for f in _FILTERS if f not in sorted_on)))


def upgrade() -> None:
    for name in _OLD_0002:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for name, key in _SORTS.items():
        op.execute(
            f"CREATE INDEX IF NOT EXISTS ix_caselist_{name} ON participants ({_columns(key)})"
        )
    for name, body in _PARTIAL.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {body}")
    # statistics for the query planner (refreshed by PRAGMA optimize when a cache closes)
    op.execute("ANALYZE")


def downgrade() -> None:
    for name in _PARTIAL:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for name in _SORTS:
        op.execute(f"DROP INDEX IF EXISTS ix_caselist_{name}")
    for column in ("latest_result_date", "latest_result_outcome", "next_request_due"):
        op.execute(
            f"CREATE INDEX ix_participants_{column}_nulls_last "
            f"ON participants ({column} IS NULL, {column})"
        )
    op.create_index("ix_participants_next_request_due", "participants", ["next_request_due"])
