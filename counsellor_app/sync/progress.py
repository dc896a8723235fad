"""Progress reporting and cancellation shared by the sync phases."""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import StrEnum

from counsellor_app.sync.errors import SyncCancelled


class Phase(StrEnum):
    SIGN_IN = "sign_in"
    PULL = "pull"
    PUSH = "push"
    DONE = "done"


ProgressCallback = Callable[[str, int, int | None], None]
"""Called as ``(phase, done, total)``; ``total`` is ``None`` when not known in advance."""


def no_progress(phase: str, done: int, total: int | None) -> None:
    """A progress callback that ignores every report."""


def check_cancelled(cancel: threading.Event) -> None:
    """Raises :class:`SyncCancelled` if the user asked to stop."""
    if cancel.is_set():
        raise SyncCancelled(
            "Sync was cancelled. Everything received before the cancel is kept; "
            "sync again to carry on."
        )
