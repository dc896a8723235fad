"""Sync failures, each with a plain-English sentence saying what happened and what to do."""

from __future__ import annotations

from counsellor_app.domain.errors import DomainError


class SyncError(DomainError):
    """A sync that could not finish. Whatever was applied before it stays applied."""


class HubAddressRefused(SyncError):
    """The hub address is not one we may talk to (only https, or loopback for testing)."""


class HubUnreachable(SyncError):
    """The hub did not answer (network down, timeouts, server errors) after every retry."""


class LoginFailed(SyncError):
    """The hub refused the user name, password or stored sign-in."""


class PasswordNeeded(SyncError):
    """No stored sign-in exists for this hub and user, and no password was given."""


class HubResponseInvalid(SyncError):
    """The hub sent something that is not what the protocol says (nothing of it was applied)."""


class SyncCancelled(SyncError):
    """The user cancelled; every page applied before the cancel is kept."""


class DeviceWiped(SyncError):
    """The hub ordered this device wiped (revoked); the cache and its key were deleted."""


class HubRefused(SyncError):
    """The hub answered with a refusal that is not about signing in (e.g. 403, 404)."""


REFERS_TO_UNKNOWN = (
    "The hub sent a page of changes that refers to records this computer never received, so "
    "none of that page was applied and sync stopped. Tell the hub's administrator."
)
