"""Alembic environment for the hub's database (run through ``counsellor_app.hub.database``)."""

from __future__ import annotations

from alembic import context

from counsellor_app.hub.tables import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run the hub's migrations with `counsellor-hub migrate --db URL`.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
