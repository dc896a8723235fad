"""What one sync did: counts pulled per type, outbox answers, the new cursor, how long it took."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class SyncReport:
    """The outcome of one sync, for the CLI (``--json``) and the UI."""

    hub_url: str
    pulled: dict[str, int] = field(default_factory=dict)  # record type -> changes applied
    pages: int = 0
    waited_on_hub: float = 0.0  # seconds the pull waited for a page from the hub
    pushed: int = 0  # outbox items sent and answered
    applied: int = 0
    duplicate: int = 0
    rejected: int = 0
    conflict: int = 0
    retries: int = 0  # network failures and server errors that were retried
    cursor: str | None = None
    duration_seconds: float = 0.0
    attention: list[dict[str, str]] = field(default_factory=list)  # rejected/conflict items

    @property
    def pulled_total(self) -> int:
        return sum(self.pulled.values())

    def count_pulled(self, record_type: str, n: int = 1) -> None:
        self.pulled[record_type] = self.pulled.get(record_type, 0) + n

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["pulled_total"] = self.pulled_total
        data["waited_on_hub"] = round(self.waited_on_hub, 3)
        return data

    def summary(self) -> str:
        """One or two plain lines for people."""
        pulled = ", ".join(f"{n} {kind}" for kind, n in sorted(self.pulled.items()) if n)
        lines = [
            f"Received {self.pulled_total} change(s)" + (f" ({pulled})" if pulled else "")
            + f"; sent {self.pushed}: {self.applied} applied, {self.duplicate} already on the hub,"
            f" {self.rejected} rejected, {self.conflict} in conflict"
            f" ({self.duration_seconds:.1f} s)."
        ]
        if self.rejected or self.conflict:
            lines.append(
                "Some changes need attention: the hub rejected or flagged them; "
                "they are kept and listed in the app."
            )
        return "\n".join(lines)
