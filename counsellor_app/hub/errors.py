"""Errors the hub answers with: an HTTP status, a code for programs, a sentence for people."""

from __future__ import annotations

from counsellor_app.domain.errors import DomainError


class HubError(DomainError):
    status = 400
    code = "invalid"
    wipe = False

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code


class NotAuthenticated(HubError):
    status = 401
    code = "not_authenticated"


class Forbidden(HubError):
    status = 403
    code = "forbidden"


class NotFound(HubError):
    status = 404
    code = "not_found"


class DeviceRevoked(HubError):
    """HTTP 410 with ``wipe: true``: the client must delete its cache and keys."""

    status = 410
    code = "device_revoked"
    wipe = True

    def __init__(self) -> None:
        super().__init__(
            "This device has been revoked by the hub's administrator. Its local copy of the "
            "caseload must be wiped; ask your administrator to set the device up again."
        )


class TooManyAttempts(HubError):
    status = 429
    code = "too_many_attempts"


class Invalid(HubError):
    status = 422
    code = "invalid"
