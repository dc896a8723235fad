"""Login, refresh and the answers the hub gives about tokens and devices."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from counsellor_app.protocol.wire import WireModel

Role = Literal["counsellor", "clinician", "researcher", "feed", "admin"]
TEAM_ROLES: frozenset[str] = frozenset({"counsellor", "clinician"})
ROLES: tuple[str, ...] = ("counsellor", "clinician", "researcher", "feed", "admin")


class LoginRequest(WireModel):
    user: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)
    device_id: str = Field(min_length=8, max_length=200)
    device_name: str | None = Field(default=None, max_length=200)


class RefreshRequest(WireModel):
    refresh_token: str = Field(min_length=1, max_length=500)
    device_id: str = Field(min_length=8, max_length=200)


class TokenResponse(WireModel):
    """Bearer access token (short-lived) and a refresh token bound to the device."""

    access_token: str
    access_expires_in: int  # seconds
    refresh_token: str
    refresh_expires_in: int  # seconds
    token_type: Literal["bearer"] = "bearer"
    user: str
    role: Role
    team: str | None
    protocol: int = 1


class Me(WireModel):
    user: str
    role: Role
    team: str | None
    device_id: str
    protocol: int = 1


class ErrorBody(WireModel):
    """Every error answer: a sentence for people, a code for programs.

    ``wipe`` is true only on HTTP 410 for a revoked device: the client must delete its cache and
    its keys, then tell the user. Codes: ``not_authenticated``, ``token_expired``,
    ``bad_credentials``, ``device_revoked``, ``forbidden``, ``not_found``, ``invalid``,
    ``conflict``.
    """

    detail: str
    code: str
    wipe: bool = False
