"""One HTTP exchange with the hub, retried on network failures and server errors."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Mapping
from typing import Any

import httpx

from counsellor_app.sync.backoff import BackoffPolicy, Sleeper
from counsellor_app.sync.errors import HubUnreachable
from counsellor_app.sync.progress import check_cancelled

log = logging.getLogger(__name__)

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def is_certificate_failure(exc: BaseException) -> bool:
    """A TLS failure: retrying will not help, and the user must be told plainly."""
    text = str(exc)
    return "CERTIFICATE_VERIFY_FAILED" in text or "SSLCertVerificationError" in text


def describe_failure(exc: BaseException) -> str:
    """A short, identifier-free description of a network failure (for logs and the outbox)."""
    if isinstance(exc, httpx.TimeoutException):
        return "the hub did not answer in time"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect to the hub"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the connection to the hub broke off mid-answer"
    if isinstance(exc, httpx.TransportError):
        return "the network connection to the hub failed"
    return "the hub could not be reached"


class RetryingTransport:
    """Sends requests through an injected ``httpx.Client``, retrying what is safe to retry.

    Every request the sync engine sends is safe to repeat: reads of the change feed, and
    outbox batches, which the hub deduplicates by each item's UUID. Network errors, timeouts,
    a connection dropped mid-answer and 5xx answers are retried with capped exponential
    backoff and full jitter; any other answer is returned to the caller as it is.
    """

    def __init__(
        self,
        http: httpx.Client,
        *,
        policy: BackoffPolicy,
        sleeper: Sleeper,
        cancel: threading.Event,
        rng: random.Random | None = None,
    ) -> None:
        self._http = http
        self._policy = policy
        self._sleeper = sleeper
        self._cancel = cancel
        self._rng = rng if rng is not None else random.Random()
        self.retries = 0

    def send(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Sends one request; returns the first answer that is not a retryable failure.

        The body is read in full before returning, so a connection that drops mid-answer
        counts as a network failure and is retried.

        Raises:
            HubUnreachable: every attempt failed.
            SyncCancelled: the user cancelled while waiting.
        """
        delays = self._policy.delays(self._rng)
        attempt = 0
        while True:
            check_cancelled(self._cancel)
            attempt += 1
            problem: str
            try:
                response = self._http.request(
                    method, url, json=json, params=params, headers=headers
                )
                response.read()
            except httpx.RequestError as exc:
                if is_certificate_failure(exc):
                    raise HubUnreachable(
                        "Could not sync: the hub's security certificate could not be verified, "
                        "so nothing was sent. Check the hub address, or ask your IT team."
                    ) from None
                problem = describe_failure(exc)
            else:
                if response.status_code not in RETRYABLE_STATUS:
                    return response
                problem = f"the hub answered with an error (HTTP {response.status_code})"
            log.info("hub request %s %s failed (attempt %d): %s", method, _path(url), attempt,
                     problem)
            delay = next(delays, None)
            if delay is None:
                raise HubUnreachable(
                    f"Could not sync: {problem}, even after {attempt} tries. "
                    "Nothing was lost; your changes stay queued. Check the network and "
                    "sync again."
                )
            self.retries += 1
            if not self._sleeper(delay, self._cancel):
                check_cancelled(self._cancel)


def _path(url: str) -> str:
    """The path of a URL without its query (the query may hold a cursor, never an identifier,
    but there is no need to log it)."""
    return httpx.URL(url).path
