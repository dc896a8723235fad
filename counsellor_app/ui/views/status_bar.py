"""The status bar: sync state, last successful sync, unsynced changes, where the key is kept."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QProgressBar, QStatusBar, QWidget
from sqlalchemy import select

from counsellor_app.store.outbox import waiting_count
from counsellor_app.store.tables import SyncStateRow
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.models.labels import moment
from counsellor_app.ui.views.identity_block import plain_label


def last_sync_text(last: dt.datetime | None) -> str:
    if last is None:
        return "Never synced"
    return f"Last sync {moment(last.astimezone())}"


class SyncStatusBar(QStatusBar):
    """Always-visible facts a counsellor needs to trust the screen."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.state = plain_label("Not synced yet")
        self.state.setAccessibleName("Sync state")
        self.last_sync = plain_label()
        self.last_sync.setAccessibleName("Last successful sync")
        self.unsynced = plain_label()
        self.unsynced.setAccessibleName("Changes not yet synced")
        self.key_store = plain_label()
        self.key_store.setAccessibleName("Where the cache key is kept")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Sync progress")
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.addWidget(self.state)
        self.addWidget(self.last_sync)
        self.addWidget(self.unsynced)
        self.addWidget(self.progress)
        self.addPermanentWidget(self.key_store)

    def refresh(self) -> None:
        """Reads the last sync time and the outbox counts from the cache."""
        with self.context.sessions() as session:
            last = session.execute(
                select(SyncStateRow.last_synced_at).where(
                    SyncStateRow.hub_url == self.context.hub_url
                )
            ).scalar_one_or_none()
            unsent = waiting_count(session)
        self.last_sync.setText(last_sync_text(last))
        self.unsynced.setText(
            "All changes synced" if not unsent else f"{unsent} change(s) not yet synced"
        )
        self.key_store.setText(f"Cache key: {self.context.key_description}")

    def show_state(self, text: str) -> None:
        """"Online", "Offline" or "Syncing…" (a failure's sentence goes in the tooltip)."""
        self.state.setText(text)

    def show_progress(self, done: int, total: int | None) -> None:
        self.progress.show()
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        else:
            self.progress.setRange(0, 0)  # busy indicator

    def hide_progress(self) -> None:
        self.progress.hide()

