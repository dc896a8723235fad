"""One log line per request, without identifiers; unexpected errors logged by type and place only.

A line holds the method, the route's path template (``/v1/research/requests/{request_id}``,
never the raw path or its query string), the status, the duration, and who called: user id,
role and device id. Never a body, a query value or an exception's message: they may quote
patient data (H8).
"""

from __future__ import annotations

import json
import logging
import time
import traceback
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER = logging.getLogger("counsellor_app.hub.requests")
ERRORS = logging.getLogger("counsellor_app.hub.errors")


def note_caller(scope: Scope, user_id: int | None, role: str | None, device_id: str | None
                ) -> None:
    """Remember who is calling, for this request's log line."""
    scope.setdefault("state", {})["log_caller"] = (user_id, role, device_id)


def where_it_failed(exc: BaseException) -> str:
    """The code path of an exception: file:line of each frame, no message, no values."""
    frames = traceback.extract_tb(exc.__traceback__)
    return " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(frames[-6:]))


class RequestLog:
    """ASGI middleware: logs each HTTP request once, after its response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def tracking_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # noqa: BLE001 - logged by type and place, answered 500
            error_id = uuid.uuid4().hex[:12]
            ERRORS.error("error id=%s type=%s at %s", error_id, type(exc).__name__,
                         where_it_failed(exc))
            if status == 0:
                status = 500
                await _send_500(send, error_id)
        finally:
            self._log(scope, status, time.perf_counter() - started)

    @staticmethod
    def _log(scope: Scope, status: int, seconds: float) -> None:
        route = scope.get("route")
        template = getattr(route, "path", None) or "(no route)"
        user_id, role, device_id = scope.get("state", {}).get("log_caller", (None, None, None))
        client = scope.get("client")
        LOGGER.info(
            "%s %s status=%d ms=%.1f user=%s role=%s device=%s client=%s",
            scope.get("method", "?"), template, status, seconds * 1000,
            user_id if user_id is not None else "-", role or "-", device_id or "-",
            client[0] if client else "-",
        )


async def _send_500(send: Send, error_id: str) -> None:
    body: dict[str, Any] = {
        "detail": f"The hub failed unexpectedly (error id {error_id}); the administrator can "
                  "find this id in the hub's log.",
        "code": "internal_error",
        "wipe": False,
    }
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": 500,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})
