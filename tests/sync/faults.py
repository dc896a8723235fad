"""An httpx transport that sits in front of the real hub and injects network faults on cue."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum

import httpx


class Fault(Enum):
    SERVER_ERROR = "500"  # the hub is not asked; a 500 comes back
    TIMEOUT_BEFORE = "timeout-before"  # the request never reaches the hub
    TIMEOUT_AFTER = "timeout-after"  # the hub handles it, the answer is lost
    DROP_MID_RESPONSE = "drop"  # the hub handles it, the connection breaks mid-answer
    MALFORMED_JSON = "malformed"  # the hub's answer arrives cut short but with status 200
    WRONG_TYPE = "wrong-type"  # one record in the page has a field of the wrong type


@dataclass
class FaultPlan:
    """Faults to inject, in order, into requests whose path ends with ``path_suffix``."""

    path_suffix: str
    faults: list[Fault]
    after: int = 0  # let this many matching requests through first
    seen: list[Fault] = field(default_factory=list)

    def next_fault(self, path: str) -> Fault | None:
        if not path.endswith(self.path_suffix) or not self.faults:
            return None
        if self.after > 0:
            self.after -= 1
            return None
        fault = self.faults.pop(0)
        self.seen.append(fault)
        return fault


class _BrokenStream(httpx.SyncByteStream):
    def __init__(self, head: bytes) -> None:
        self._head = head

    def __iter__(self) -> Iterator[bytes]:
        yield self._head
        raise httpx.RemoteProtocolError("peer closed connection without sending complete body")


class FaultyTransport(httpx.BaseTransport):
    """Forwards to the real hub over loopback, except where a plan says to break something.

    ``corrupt_record`` decides how a WRONG_TYPE fault mangles one decoded page.
    """

    def __init__(
        self,
        plans: list[FaultPlan] | None = None,
        corrupt_record: Callable[[dict[str, object]], None] | None = None,
    ) -> None:
        self._inner = httpx.HTTPTransport()
        self._lock = threading.Lock()
        self.plans = plans or []
        self.corrupt_record = corrupt_record or _default_corruption
        self.requests: list[str] = []

    def add(self, path_suffix: str, *faults: Fault, after: int = 0) -> FaultPlan:
        plan = FaultPlan(path_suffix, list(faults), after)
        with self._lock:
            self.plans.append(plan)
        return plan

    def _fault_for(self, path: str) -> Fault | None:
        with self._lock:
            self.requests.append(path)
            for plan in self.plans:
                fault = plan.next_fault(path)
                if fault is not None:
                    return fault
        return None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fault = self._fault_for(request.url.path)
        if fault is Fault.SERVER_ERROR:
            return httpx.Response(500, json={"detail": "injected"}, request=request)
        if fault is Fault.TIMEOUT_BEFORE:
            raise httpx.ConnectTimeout("injected", request=request)
        response = self._inner.handle_request(request)
        body = response.read()
        response.close()
        if fault is None:
            return httpx.Response(
                response.status_code, headers=response.headers, content=body, request=request
            )
        if fault is Fault.TIMEOUT_AFTER:
            raise httpx.ReadTimeout("injected", request=request)
        headers = {"content-type": "application/json"}
        if fault is Fault.DROP_MID_RESPONSE:
            return httpx.Response(
                200, headers=headers, stream=_BrokenStream(body[: len(body) // 2]),
                request=request,
            )
        if fault is Fault.MALFORMED_JSON:
            return httpx.Response(
                200, headers=headers, content=body[: len(body) // 2], request=request
            )
        document = json.loads(body)
        self.corrupt_record(document)
        return httpx.Response(200, headers=headers, json=document, request=request)

    def close(self) -> None:
        self._inner.close()


def _default_corruption(document: dict[str, object]) -> None:
    """Puts a wrong type into one record of a change page (the last change's first field)."""
    changes = document.get("changes")
    if not isinstance(changes, list) or not changes:
        raise AssertionError("WRONG_TYPE fault needs a page with at least one change")
    record = changes[-1]
    target = record.get("data", record) if isinstance(record, dict) else None
    if not isinstance(target, dict):
        raise AssertionError("unexpected change shape")
    for key, value in target.items():
        if isinstance(value, str):
            target[key] = {"not": "a string"}
            return
    raise AssertionError("no string field to corrupt")
