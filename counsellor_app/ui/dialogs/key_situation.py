"""Where the cache key is or will be kept, told before sign-in opens anything (a light import)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from counsellor_app.store.paths import Profile

CREDENTIAL_STORE = "the system credential store"
"""Where a returning user's key is, in words, before the credential store is asked its name."""


@dataclass(frozen=True, slots=True)
class KeySituation:
    """Where the cache key is or will be kept, and whether the user must type a passphrase."""

    description: str
    needs_passphrase: bool
    creating: bool  # a new passphrase is being chosen (type it twice)


def key_situation(profile: Profile, environ: dict[str, str] | None = None) -> KeySituation:
    """What the sign-in dialog says about the cache key, before anything is opened.

    A cache without a key file beside it has its key in the credential store: that is said
    without loading keyring (its import and backend discovery wait until the dialog is up).
    """
    if profile.cache_file.exists() and not profile.wrapped_key_file.exists():
        return KeySituation(CREDENTIAL_STORE, False, False)
    from counsellor_app.store.keys import PASSPHRASE_ENV, KeyProvider, usable_backend

    env = os.environ if environ is None else environ
    description = KeyProvider(profile, environ=env).description
    if env.get(PASSPHRASE_ENV):
        return KeySituation(description, False, False)
    if profile.wrapped_key_file.exists():
        return KeySituation(description, True, False)
    if usable_backend() is None:
        return KeySituation(description, True, True)
    return KeySituation(description, False, False)
