"""This installation's device id, kept in the profile's settings file."""

from __future__ import annotations

import json
import uuid
from typing import Any

from counsellor_app.store.paths import Profile, write_private_file

DEVICE_ID_KEY = "device_id"


def device_id(profile: Profile) -> str:
    """The profile's device id, made (a random UUID) and saved the first time it is asked for.

    The hub binds refresh tokens to it and can revoke it if the laptop is lost. Other keys in
    ``settings.json`` are kept as they are.
    """
    settings = _read(profile)
    existing = settings.get(DEVICE_ID_KEY)
    if isinstance(existing, str) and len(existing) >= 8:
        return existing
    new_id = str(uuid.uuid4())
    settings[DEVICE_ID_KEY] = new_id
    profile.ensure()
    data = json.dumps(settings, indent=2, sort_keys=True) + "\n"
    write_private_file(profile.settings_file, data.encode("utf-8"))
    return new_id


def _read(profile: Profile) -> dict[str, Any]:
    try:
        loaded = json.loads(profile.settings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}
