"""A returning user's start: the main window at once, the cache opened with no dialog."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from counsellor_app.store.paths import Profile
from counsellor_app.ui.settings_store import AppSettings, load_settings, save_settings

if TYPE_CHECKING:  # loaded once the start has chosen this path
    from counsellor_app.store.keys import KeyProvider
    from counsellor_app.ui.context import AppContext
    from counsellor_app.ui.read_ahead import FirstAnswers, ReadAhead

log = logging.getLogger(__name__)


def is_returning(profile: Profile, settings: AppSettings) -> bool:
    """Whether this start may skip the sign-in dialog, from files alone (keyring not loaded):
    the last sign-in here chose "Keep me signed in", names its hub and user, and left a cache
    whose key is in the credential store (a key file beside it means a passphrase, which the
    dialog asks for). The stored refresh token is checked by :func:`open_returning`."""
    return (
        settings.keep_signed_in
        and bool(settings.hub_url)
        and bool(settings.user_name)
        and profile.cache_file.exists()
        and not profile.wrapped_key_file.exists()
    )


def has_stored_sign_in(keys: KeyProvider, hub_url: str, user: str) -> bool:
    """Whether the credential store holds a refresh token for ``user`` on ``hub_url``."""
    from counsellor_app.sync.credentials import RefreshTokenStore

    try:
        return RefreshTokenStore(keys, hub_url, user).load() is not None
    except Exception:  # an unusable credential store: the sign-in dialog says what is wrong
        log.info("the stored sign-in could not be read")
        return False


def open_returning(
    profile: Profile,
    settings: AppSettings,
    read_ahead: ReadAhead,
    *,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[AppContext, FirstAnswers | None] | None:
    """Opens the cache and reads the first caseload page and the inbox on a thread (while
    ``meanwhile`` runs here, e.g. loading the window's code); the signed-in session and those
    answers, or None (the cache would not open, or no refresh token is stored for the hub and
    user): then the caller shows the sign-in dialog, which opens the cache itself and words
    any problem. ``read_ahead`` is used once and closed here unless the session owns its cache.
    """
    from counsellor_app.ui.context import AppContext

    reader = threading.Thread(target=read_ahead.run, name="open-returning", daemon=True)
    reader.start()
    if meanwhile is not None:
        meanwhile()
    opened = read_ahead.take()
    if opened is None:
        read_ahead.close()
        return None
    cache, keys = opened
    if not has_stored_sign_in(keys, settings.hub_url, settings.user_name):
        log.info("no stored sign-in for the last hub and user; asking for the password")
        cache.close()
        read_ahead.close()
        return None
    context = AppContext(
        profile=profile,
        cache=cache,
        user_name=settings.user_name,
        hub_url=settings.hub_url,
        settings=settings,
        key_provider=keys,
    )
    return context, read_ahead.answers_for(cache, context.today())


def forget_stored_sign_in(context: AppContext) -> None:
    """Signing out of this computer: forgets the hub's refresh token for this hub and user and
    the "Keep me signed in" choice, so the next start shows the sign-in dialog. The cache, its
    key and the idle lock's hash stay; the hub is not told (its administrator can revoke the
    device)."""
    from counsellor_app.sync.credentials import RefreshTokenStore

    if context.key_provider is not None:
        RefreshTokenStore(context.key_provider, context.hub_url, context.user_name).forget()
    settings = replace(load_settings(context.profile), keep_signed_in=False)
    save_settings(context.profile, settings)
    context.settings = replace(context.settings, keep_signed_in=False)
