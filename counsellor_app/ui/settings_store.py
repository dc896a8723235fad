"""The desktop app's settings in the profile: hub address, idle lock, sync interval, letterhead."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from counsellor_app.store.paths import Profile, write_private_file

if TYPE_CHECKING:  # the letters core loads with the settings dialog, not at start-up
    from counsellor_app.letters.letterhead import Letterhead

log = logging.getLogger(__name__)

DEFAULT_IDLE_LOCK_MINUTES = 10
DEFAULT_SYNC_INTERVAL_MINUTES = 5
MAX_IDLE_LOCK_MINUTES = 60  # a longer lock would leave patient data on an unattended screen
MAX_SYNC_INTERVAL_MINUTES = 120


@dataclass(frozen=True, slots=True)
class AppSettings:
    """What ``settings.json`` in the profile holds (the letterhead lives in ``letterhead.toml``).

    ``user_name`` is the hub user last signed in on this profile (never a patient identifier).
    ``keep_signed_in``: that sign-in chose "Keep me signed in on this computer", so the next
    start opens straight on the main window and sync uses the stored refresh token.
    """

    hub_url: str = ""
    user_name: str = ""
    idle_lock_minutes: int = DEFAULT_IDLE_LOCK_MINUTES
    sync_interval_minutes: int = DEFAULT_SYNC_INTERVAL_MINUTES
    keep_signed_in: bool = False

    def normalised(self) -> AppSettings:
        """The same settings with the numbers clamped to the ranges the app allows."""
        return replace(
            self,
            idle_lock_minutes=_clamp(self.idle_lock_minutes, 1, MAX_IDLE_LOCK_MINUTES),
            sync_interval_minutes=_clamp(self.sync_interval_minutes, 1, MAX_SYNC_INTERVAL_MINUTES),
        )


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, int(value)))


def load_settings(profile: Profile) -> AppSettings:
    """The profile's settings; defaults for anything missing or unreadable (logged, no values)."""
    path = profile.settings_file
    if not path.exists():
        return AppSettings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("settings file could not be read; using defaults")
        return AppSettings()
    if not isinstance(raw, dict):
        return AppSettings()
    known: dict[str, Any] = {}
    for item in fields(AppSettings):
        value = raw.get(item.name)
        default = getattr(AppSettings(), item.name)
        same_kind = isinstance(value, bool) == isinstance(default, bool)  # bool is an int
        if isinstance(value, type(default)) and same_kind:
            known[item.name] = value
    return AppSettings(**known).normalised()


def save_settings(profile: Profile, settings: AppSettings) -> None:
    """Writes ``settings.json`` (0600), keeping any keys other parts of the app put there."""
    path = profile.settings_file
    existing: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                existing = loaded
        except (OSError, ValueError):
            existing = {}
    existing.update(asdict(settings.normalised()))
    profile.ensure()
    write_private_file(path, (json.dumps(existing, indent=2, sort_keys=True) + "\n").encode())


def load_team_letterhead(profile: Profile) -> Letterhead:
    """The letterhead the letters core will print: defaults overridden by the profile's file."""
    from counsellor_app.letters.letterhead import load_letterhead

    return load_letterhead(profile.root)


def save_team_letterhead(profile: Profile, letterhead: Letterhead) -> None:
    """Writes ``letterhead.toml`` in the profile, which the letters core reads for every letter."""
    from counsellor_app.letters.letterhead import LETTERHEAD_FILE, Letterhead

    lines = ["# Team letterhead, written by Counsellor Desk's settings dialog."]
    for item in fields(Letterhead):
        value = getattr(letterhead, item.name)
        if isinstance(value, tuple):
            rendered = "[" + ", ".join(_toml_string(line) for line in value) + "]"
        else:
            rendered = _toml_string(str(value))
        lines.append(f"{item.name} = {rendered}")
    profile.ensure()
    write_private_file(profile.root / LETTERHEAD_FILE, ("\n".join(lines) + "\n").encode("utf-8"))


def _toml_string(value: str) -> str:
    """A TOML basic string: JSON's escaping is a valid subset of TOML's."""
    return json.dumps(value, ensure_ascii=False)
