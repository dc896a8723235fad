"""What every ``counsellor-hub`` command shares: its settings and its database."""

from __future__ import annotations

import argparse

from counsellor_app.hub.config import ServerConfig
from counsellor_app.hub.config import load as load_config
from counsellor_app.hub.database import Database, DatabaseError


def server_config(args: argparse.Namespace, **overrides: object) -> ServerConfig:
    """The settings for this invocation: command line > environment > config file > defaults."""
    return load_config(getattr(args, "config", None),
                       {"db_url": getattr(args, "db", None), **overrides})


def database(args: argparse.Namespace, *, migrate: bool = False) -> Database:
    """The hub's database at the newest schema: migrated first when ``migrate``, otherwise
    refused with the reason (an operator runs ``counsellor-hub migrate`` on purpose)."""
    db = Database(server_config(args).database)
    if migrate:
        db.migrate()
        return db
    problem = db.schema_problem()
    if problem is not None:
        db.dispose()
        raise DatabaseError(f"Nothing was done: {problem}.")
    return db
