"""The pull cursor per hub (``sync_state``), and the check that a cache belongs to one account."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from counsellor_app.store.tables import SyncStateRow
from counsellor_app.sync.errors import SyncError


def load_cursor(session: Session, hub_url: str) -> int:
    """The cursor of the last page applied from this hub (0: nothing yet)."""
    cursor = session.scalar(select(SyncStateRow.cursor).where(SyncStateRow.hub_url == hub_url))
    if cursor is None:
        return 0
    try:
        return max(0, int(cursor))
    except ValueError:
        return 0


def save_cursor(
    session: Session,
    hub_url: str,
    cursor: int,
    *,
    user: str,
    device_id: str,
    now: dt.datetime,
) -> None:
    """Stores the cursor in the caller's transaction (the one that applied its page)."""
    values = {
        "hub_url": hub_url,
        "cursor": str(cursor),
        "last_synced_at": now,
        "user_name": user,
        "device_id": device_id,
    }
    statement = sqlite_insert(SyncStateRow).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["hub_url"],
        set_={k: statement.excluded[k] for k in values if k != "hub_url"},
    )
    session.execute(statement)


def check_account(session: Session, hub_url: str, user: str) -> None:
    """Refuses to mix two accounts (or two hubs) in one cache: each sees other teams' data.

    Raises:
        SyncError: the cache was filled from another hub or by another user.
    """
    for row in session.execute(select(SyncStateRow.hub_url, SyncStateRow.user_name)):
        if row.hub_url != hub_url:
            raise SyncError(
                "This cache was filled from another hub. Use a separate profile "
                "(--profile DIR) for each hub."
            )
        if row.user_name is not None and row.user_name != user:
            raise SyncError(
                "This cache belongs to another hub user. Use a separate profile "
                "(--profile DIR) for each user, so nobody sees another team's caseload."
            )
