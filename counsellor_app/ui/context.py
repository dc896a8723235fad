"""What every window and dialog of a signed-in session is given: profile, cache, user, hub."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the sign-in dialog shows before SQLAlchemy is loaded
    from sqlalchemy.orm import Session, sessionmaker

    from counsellor_app.store.engine import Cache
    from counsellor_app.store.keys import KeyProvider
    from counsellor_app.store.paths import Profile
    from counsellor_app.ui.settings_store import AppSettings


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(eq=False)
class AppContext:
    """One signed-in session of the desktop app, passed to every window and dialog constructor.

    ``cache`` is the opened encrypted cache (``cache.sessions`` for reads, ``cache.write()`` for
    one write transaction); ``key_provider`` also keeps the sync engine's refresh token;
    ``clock`` is injectable so tests can fix "today".
    """

    profile: Profile
    cache: Cache
    user_name: str
    hub_url: str
    settings: AppSettings
    key_provider: KeyProvider | None = None
    clock: Callable[[], dt.datetime] = _utc_now

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self.cache.sessions

    @property
    def key_description(self) -> str:
        """Where the cache key is kept, in words ("the system credential store (…)")."""
        return self.cache.key_description

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        """Today's date in local time (what a counsellor calls "today")."""
        return self.clock().astimezone().date()
