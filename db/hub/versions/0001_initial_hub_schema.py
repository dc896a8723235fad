"""Initial hub schema: teams, users, devices, tokens, entities, change log, outbox, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-27 12:36:09.448609
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# SQLite makes only an INTEGER PRIMARY KEY the rowid (and AUTOINCREMENT); BIGINT elsewhere.
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("event_id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("device_id", sa.String(length=200), nullable=True),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("record_type", sa.String(length=30), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("participant_id", sa.String(length=100), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("event_id"),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_at", ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_events_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "changes",
        sa.Column("seq", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("team", sa.String(length=100), nullable=False),
        sa.Column("participant_id", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index("ix_changes_participant", ["participant_id"], unique=False)
        batch_op.create_index("ix_changes_team_entity", ["team", "kind", "entity_id"], unique=False)
        batch_op.create_index("ix_changes_team_seq", ["team", "seq"], unique=False)

    op.create_table(
        "teams",
        sa.Column("team_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("team_id"),
    )
    op.create_table(
        "participants",
        sa.Column("participant_id", sa.String(length=100), nullable=False),
        sa.Column("team", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team"],
            ["teams.team_id"],
        ),
        sa.PrimaryKeyConstraint("participant_id"),
    )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participants_team"), ["team"], unique=False)

    op.create_table(
        "users",
        sa.Column("user_id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=500), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("institution", sa.String(length=200), nullable=True),
        sa.Column("research_domain", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team"],
            ["teams.team_id"],
        ),
        sa.PrimaryKeyConstraint("user_id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(length=100), nullable=False),
        sa.Column("participant_id", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.participant_id"],
        ),
        sa.PrimaryKeyConstraint("case_id"),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cases_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "consent_decisions",
        sa.Column("decision_id", sa.String(length=100), nullable=False),
        sa.Column("participant_id", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.participant_id"],
        ),
        sa.PrimaryKeyConstraint("decision_id"),
    )
    with op.batch_alter_table("consent_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_decisions_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "devices",
        sa.Column("device_id", sa.String(length=200), nullable=False),
        sa.Column("user_id", BIG_ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_login", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.user_id"],
        ),
        sa.PrimaryKeyConstraint("device_id"),
    )
    op.create_table(
        "letter_records",
        sa.Column("letter_id", sa.String(length=100), nullable=False),
        sa.Column("participant_id", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.participant_id"],
        ),
        sa.PrimaryKeyConstraint("letter_id"),
    )
    with op.batch_alter_table("letter_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_letter_records_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "outbox_items",
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", BIG_ID, nullable=False),
        sa.Column("device_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.user_id"],
        ),
        sa.PrimaryKeyConstraint("item_id"),
    )
    op.create_table(
        "requests",
        sa.Column("request_id", sa.String(length=100), nullable=False),
        sa.Column("participant_id", sa.String(length=100), nullable=False),
        sa.Column("case_id", sa.String(length=100), nullable=False),
        sa.Column("submitted_by", BIG_ID, nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.case_id"],
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.participant_id"],
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"],
            ["users.user_id"],
        ),
        sa.PrimaryKeyConstraint("request_id"),
    )
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_requests_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_requests_submitted_by"), ["submitted_by"], unique=False
        )

    op.create_table(
        "results",
        sa.Column("result_id", sa.String(length=100), nullable=False),
        sa.Column("participant_id", sa.String(length=100), nullable=False),
        sa.Column("case_id", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.case_id"],
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.participant_id"],
        ),
        sa.PrimaryKeyConstraint("result_id"),
    )
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_results_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("user_id", BIG_ID, nullable=False),
        sa.Column("device_id", sa.String(length=200), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.device_id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.user_id"],
        ),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tokens_device_id"), ["device_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tokens_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tokens_user_id"))
        batch_op.drop_index(batch_op.f("ix_tokens_device_id"))

    op.drop_table("tokens")
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_results_participant_id"))

    op.drop_table("results")
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_requests_submitted_by"))
        batch_op.drop_index(batch_op.f("ix_requests_participant_id"))

    op.drop_table("requests")
    op.drop_table("outbox_items")
    with op.batch_alter_table("letter_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_records_participant_id"))

    op.drop_table("letter_records")
    op.drop_table("devices")
    with op.batch_alter_table("consent_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_decisions_participant_id"))

    op.drop_table("consent_decisions")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_participant_id"))

    op.drop_table("cases")
    op.drop_table("users")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participants_team"))

    op.drop_table("participants")
    op.drop_table("teams")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index("ix_changes_team_seq")
        batch_op.drop_index("ix_changes_team_entity")
        batch_op.drop_index("ix_changes_participant")

    op.drop_table("changes")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_participant_id"))
        batch_op.drop_index("ix_audit_at")

    op.drop_table("audit_events")
