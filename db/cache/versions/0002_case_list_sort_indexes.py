"""Case list: indexes that sort empty values last, ascending, without a full sort.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NULLABLE_SORTS = ("latest_result_date", "latest_result_outcome", "next_request_due")


def upgrade() -> None:
    for name in _NULLABLE_SORTS:
        op.execute(
            f"CREATE INDEX ix_participants_{name}_nulls_last "
            f"ON participants ({name} IS NULL, {name})"
        )
    op.create_index("ix_participants_next_request_due", "participants", ["next_request_due"])
    # statistics for the query planner (refreshed by PRAGMA optimize when a cache closes)
    op.execute("ANALYZE")


def downgrade() -> None:
    op.drop_index("ix_participants_next_request_due", "participants")
    for name in _NULLABLE_SORTS:
        op.execute(f"DROP INDEX IF EXISTS ix_participants_{name}_nulls_last")
