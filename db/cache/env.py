"""Alembic environment for the local cache: migrates the connection open_cache passes in."""

from __future__ import annotations

from alembic import context

from counsellor_app.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "Cache migrations run from counsellor_app.store.engine.open_cache, which passes the "
        "open (keyed) connection; they cannot run from the alembic command line."
    )
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
