"""Signing in without Qt: open (or make) the encrypted cache, then check the password at the hub."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import httpx

from counsellor_app.store.engine import Cache, open_cache
from counsellor_app.store.keys import KeyProvider, PassphrasePurpose
from counsellor_app.store.paths import Profile
from counsellor_app.sync.backoff import BackoffPolicy, Sleeper, event_sleeper
from counsellor_app.sync.credentials import RefreshTokenStore
from counsellor_app.sync.cursor import check_account
from counsellor_app.sync.device import device_id
from counsellor_app.sync.errors import DeviceWiped, HubUnreachable, LoginFailed, SyncCancelled
from counsellor_app.sync.hub_address import checked_hub_url
from counsellor_app.sync.session import HubSession, WipeOrdered
from counsellor_app.sync.transport import RetryingTransport
from counsellor_app.sync.wipe import wipe_profile_data
from counsellor_app.ui.dialogs.key_situation import KeySituation, key_situation
from counsellor_app.ui.unlock_secret import remember_unlock_password, unlock_verifier

__all__ = ["SIGN_IN_BACKOFF", "KeySituation", "SignInOutcome", "key_situation", "sign_in"]

log = logging.getLogger(__name__)

SIGN_IN_BACKOFF = BackoffPolicy(attempts=3, base_seconds=0.5, cap_seconds=2.0)


@dataclass(frozen=True, slots=True)
class SignInOutcome:
    """A signed-in session's pieces (the open cache is the caller's to close)."""

    profile: Profile
    cache: Cache
    keys: KeyProvider
    hub_url: str
    user_name: str
    offline: bool  # the hub could not be reached; the password matched the last sign-in
    remember_password: Callable[[], None] | None = None
    """Keeps the password's hash for the idle lock, when the caller asked to do it later (it
    takes an Argon2 hash's time: the main window can be shown first)."""


class _PasswordOnly:
    """A refresh-token store that never offers the stored token, so the hub checks the password
    typed now (a stored token must not let a wrong password in), but keeps the new token."""

    def __init__(self, real: RefreshTokenStore) -> None:
        self._real = real

    def load(self) -> str | None:
        return None

    def save(self, token: str) -> None:
        self._real.save(token)

    def forget(self) -> None:
        self._real.forget()


def sign_in(
    profile: Profile,
    hub_address: str,
    user: str,
    password: str,
    passphrase: str | None,
    *,
    http_factory: Callable[[], httpx.Client],
    cancel: threading.Event,
    backoff: BackoffPolicy = SIGN_IN_BACKOFF,
    sleeper: Sleeper = event_sleeper,
    environ: dict[str, str] | None = None,
    opened: tuple[Cache, KeyProvider] | None = None,
    remember_now: bool = True,
) -> SignInOutcome:
    """Opens the cache (making it on first run) and signs in to the hub with the password.

    ``opened`` is the profile's cache already open with its key provider (read ahead while
    the dialog waited); this function then owns it as if it had opened it (closed on failure).
    Offline (hub unreachable) an existing cache opens when the password is the one that last
    signed in here. After a sign-in at the hub the password's hash is kept for the idle lock:
    here, or with ``remember_now=False`` by the outcome's ``remember_password`` (the caller
    runs it, e.g. once the main window has painted). Raises DomainError subclasses with
    sentences for people.
    """
    try:
        hub_url = checked_hub_url(hub_address)
    except BaseException:
        if opened is not None:
            opened[0].close()
        raise
    if opened is not None:
        cache, keys = opened
        existed = True
    else:
        keys = KeyProvider(
            profile,
            passphrase=(lambda _purpose: passphrase or "") if passphrase else _no_passphrase,
            environ=environ,
        )
        existed = profile.cache_file.exists()
        cache = open_cache(profile, keys, create=True)
    try:
        with cache.read() as session:
            check_account(session, hub_url, user)
        offline = _check_password_at_hub(
            profile, cache, keys, hub_url, user, password, http_factory, cancel, backoff,
            sleeper, existed,
        )
        if cancel.is_set():
            raise SyncCancelled("Signing in was cancelled; nothing was kept open.")
        remember = None if offline else partial(remember_unlock_password, cache, password, keys)
        if remember is not None and remember_now:
            remember()
            remember = None
    except BaseException:
        cache.close()
        raise
    return SignInOutcome(profile, cache, keys, hub_url, user, offline, remember)


def _no_passphrase(_purpose: PassphrasePurpose) -> str:
    return ""


def _check_password_at_hub(
    profile: Profile,
    cache: Cache,
    keys: KeyProvider,
    hub_url: str,
    user: str,
    password: str,
    http_factory: Callable[[], httpx.Client],
    cancel: threading.Event,
    backoff: BackoffPolicy,
    sleeper: Sleeper,
    existed: bool,
) -> bool:
    """Returns True when signed in offline (see :func:`sign_in`)."""
    with http_factory() as http:
        transport = RetryingTransport(
            http, policy=backoff, sleeper=sleeper, cancel=cancel, rng=random.Random()
        )
        tokens = _PasswordOnly(RefreshTokenStore(keys, hub_url, user))
        session = HubSession(
            transport, hub_url, user, device_id(profile), tokens,  # type: ignore[arg-type]
            lambda: password,
        )
        try:
            session.sign_in()
        except WipeOrdered:
            wipe_profile_data(cache, keys)
            raise DeviceWiped(
                "The hub's administrator has revoked this device, so its copy of the caseload "
                "and its keys have been deleted from this computer. Ask your administrator to "
                "set the device up again."
            ) from None
        except HubUnreachable:
            if existed and unlock_verifier(cache, keys)(password):
                log.info("hub unreachable; signed in offline")
                return True
            if existed:
                raise LoginFailed(
                    "The hub could not be reached, and that password is not the one last used "
                    "to sign in on this computer. Check the password, or connect to the network "
                    "and try again."
                ) from None
            raise HubUnreachable(
                "The hub could not be reached, so this first sign-in cannot be checked. Check "
                "the hub address and that this computer is on the network, then try again."
            ) from None
    return False


def sign_in_again(
    cache: Cache,
    keys: KeyProvider,
    hub_url: str,
    user: str,
    password: str,
    *,
    http_factory: Callable[[], httpx.Client],
    cancel: threading.Event,
    backoff: BackoffPolicy = SIGN_IN_BACKOFF,
    sleeper: Sleeper = event_sleeper,
) -> None:
    """Signs an open session in at the hub again with the password (its stored sign-in was
    refused): keeps the new refresh token and the password's hash for the idle lock. The
    cache stays open whatever happens (unless the hub ordered a wipe). Raises DomainError
    subclasses with sentences for people."""
    offline = _check_password_at_hub(
        cache.profile, cache, keys, hub_url, user, password, http_factory, cancel, backoff,
        sleeper, True,
    )
    if offline:
        raise HubUnreachable(
            "The hub could not be reached, so the sign-in could not be checked. Check that this "
            "computer is on the network and try again; the caseload here stays usable."
        )
    remember_unlock_password(cache, password, keys)
