"""Signing in to the hub and sending authorised requests (tokens, refresh, wipe orders)."""

from __future__ import annotations

import logging
import platform
from collections.abc import Callable, Mapping
from typing import Any

import httpx
from pydantic import ValidationError

from counsellor_app.protocol import API_PREFIX
from counsellor_app.protocol.auth import ErrorBody, LoginRequest, RefreshRequest, TokenResponse
from counsellor_app.store.errors import CacheError
from counsellor_app.sync.credentials import RefreshTokenStore
from counsellor_app.sync.errors import (
    HubRefused,
    HubResponseInvalid,
    LoginFailed,
    PasswordNeeded,
    SyncError,
)
from counsellor_app.sync.transport import RetryingTransport

log = logging.getLogger(__name__)

PasswordSource = Callable[[], str | None]


class WipeOrdered(SyncError):
    """The hub told this device to wipe its cache (the engine carries it out)."""


def _error_body(response: httpx.Response) -> ErrorBody | None:
    try:
        return ErrorBody.model_validate_json(response.content)
    except ValidationError:
        return None


def _is_wipe(response: httpx.Response) -> bool:
    """A wipe order: HTTP 410, or any error answer whose body says ``wipe``."""
    if response.status_code == 410:
        return True
    if response.status_code < 400:
        return False
    body = _error_body(response)
    return body is not None and body.wipe


class HubSession:
    """One user's signed-in conversation with one hub, from one device.

    The access token stays in memory; the refresh token (rotated by the hub on every use) is
    kept through ``tokens``. ``password`` is asked only when no stored sign-in works.
    """

    def __init__(
        self,
        transport: RetryingTransport,
        hub_url: str,
        user: str,
        device_id: str,
        tokens: RefreshTokenStore,
        password: PasswordSource,
    ) -> None:
        self._transport = transport
        self.hub_url = hub_url
        self.user = user
        self.device_id = device_id
        self._tokens = tokens
        self._password = password
        self._access: str | None = None
        self.identity: TokenResponse | None = None

    # --- signing in --------------------------------------------------------------------------

    def sign_in(self) -> TokenResponse:
        """Signs in with the stored refresh token, or with the password if that fails."""
        stored = self._load_refresh_token()
        if stored is not None:
            tokens = self._refresh(stored)
            if tokens is not None:
                return tokens
        password = self._password()
        if not password:
            raise PasswordNeeded(
                "This computer has no stored sign-in for this hub and user: "
                "type your hub password to sign in."
            )
        request = LoginRequest(
            user=self.user,
            password=password,
            device_id=self.device_id,
            device_name=platform.node()[:200] or None,
        )
        response = self._post_unauthenticated("/login", request.model_dump(mode="json"))
        if response.status_code == 401:
            raise LoginFailed(
                "The hub refused the sign-in: the user name or password is wrong, or the "
                "account is disabled. Check them and try again."
            )
        return self._accept_tokens(response)

    def _refresh(self, refresh_token: str) -> TokenResponse | None:
        request = RefreshRequest(refresh_token=refresh_token, device_id=self.device_id)
        response = self._post_unauthenticated("/refresh", request.model_dump(mode="json"))
        if response.status_code == 401:
            log.info("stored sign-in no longer accepted; signing in with the password")
            self._tokens.forget()
            return None
        return self._accept_tokens(response)

    def _post_unauthenticated(self, path: str, body: dict[str, Any]) -> httpx.Response:
        response = self._transport.send("POST", self._url(path), json=body)
        if _is_wipe(response):
            raise WipeOrdered(_detail(response))
        if response.status_code not in (200, 401):
            self._raise_refusal(response)
        return response

    def _accept_tokens(self, response: httpx.Response) -> TokenResponse:
        try:
            tokens = TokenResponse.model_validate_json(response.content)
        except ValidationError as exc:
            raise HubResponseInvalid(
                "The hub's answer to the sign-in was not understood. Check that the address "
                "is a Counsellor Desk hub, or ask its administrator."
            ) from exc
        self._save_refresh_token(tokens.refresh_token)
        self._access = tokens.access_token
        self.identity = tokens
        return tokens

    def _load_refresh_token(self) -> str | None:
        try:
            return self._tokens.load()
        except CacheError:
            return None

    def _save_refresh_token(self, token: str) -> None:
        self._tokens.save(token)

    def ensure_signed_in(self) -> None:
        """Signs in unless this session already holds an access token (a repeated sync)."""
        if self._access is None:
            self.sign_in()

    # --- authorised requests -----------------------------------------------------------------

    def get(self, path: str, params: Mapping[str, str | int] | None = None) -> httpx.Response:
        """An authorised GET; the answer is 200 or an error has been raised."""
        return self._authorised("GET", path, params=params)

    def post(self, path: str, body: Any) -> httpx.Response:
        """An authorised POST; the answer is 200 or an error has been raised."""
        return self._authorised("POST", path, json=body)

    def _authorised(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
    ) -> httpx.Response:
        if self._access is None:
            self.sign_in()
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self._access}"}
            response = self._transport.send(
                method, self._url(path), json=json, params=params, headers=headers
            )
            if _is_wipe(response):
                raise WipeOrdered(_detail(response))
            if response.status_code == 401 and attempt == 1:
                self._access = None
                self.sign_in()  # access token expired: refresh (or password) once
                continue
            if response.status_code == 401:
                raise LoginFailed(
                    "The hub no longer accepts this sign-in. Sync again and type your password."
                )
            if response.status_code >= 300:
                self._raise_refusal(response)
            return response
        raise AssertionError("unreachable")

    def _raise_refusal(self, response: httpx.Response) -> None:
        raise HubRefused(
            f"The hub refused the request (HTTP {response.status_code}): {_detail(response)}"
        )

    def _url(self, path: str) -> str:
        return f"{self.hub_url}{API_PREFIX}{path}"


def _detail(response: httpx.Response) -> str:
    body = _error_body(response)
    if body is not None:
        return body.detail
    return "no reason was given."
