"""``counsellor-app sync``: one headless sync with the hub (password on stdin the first time)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

import httpx

from counsellor_app.commands.cache_access import key_provider_for, profile_of
from counsellor_app.store.engine import open_cache
from counsellor_app.sync.device import device_id
from counsellor_app.sync.engine import DEFAULT_PAGE_SIZE, SyncEngine, SyncOptions
from counsellor_app.sync.hub_address import checked_hub_url
from counsellor_app.sync.progress import Phase

TIMEOUT = httpx.Timeout(60.0, connect=10.0)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "sync",
        parents=[common],
        help="sync the local cache with the hub",
        description=(
            "Send the changes made here to the hub, then receive the team's changes. The first "
            "time (no stored sign-in), the hub password is read from standard input; the cache "
            "is created on the first sync."
        ),
    )
    parser.add_argument("--hub", required=True, metavar="URL", help="the hub's https address")
    parser.add_argument("--user", required=True, metavar="NAME", help="your hub user name")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--page-size", type=int, default=DEFAULT_PAGE_SIZE, metavar="N", help=argparse.SUPPRESS
    )
    parser.set_defaults(func=run)


def read_password(user: str) -> str | None:
    """The hub password: typed at a terminal (not echoed), or the first line of stdin."""
    if sys.stdin is None:
        return None
    if sys.stdin.isatty():
        return getpass.getpass(f"Hub password for {user}: ") or None
    line = sys.stdin.readline()
    return line.rstrip("\r\n") or None


class _TerminalProgress:
    """A one-line progress report on stderr, rewritten in place (only on a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.shown = False

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if not self.enabled or phase == Phase.SIGN_IN:
            return
        if phase == Phase.DONE:
            if self.shown:
                print(file=sys.stderr)
            return
        what = {Phase.PUSH: "Sending", Phase.PULL: "Receiving"}.get(Phase(phase), phase)
        counted = f"{done}/{total}" if total is not None else str(done)
        print(f"\r{what} changes: {counted}   ", end="", file=sys.stderr, flush=True)
        self.shown = True


def run(args: argparse.Namespace) -> int:
    hub_url = checked_hub_url(args.hub)  # refuse a plain-http hub before creating anything
    profile = profile_of(args)
    keys = key_provider_for(profile)
    cache = open_cache(profile, keys, create=True)
    progress = _TerminalProgress(enabled=not args.json and sys.stderr.isatty())
    try:
        with httpx.Client(timeout=TIMEOUT) as http:
            engine = SyncEngine(
                http,
                cache,
                keys,
                hub_url=hub_url,
                user=args.user,
                device_id=device_id(profile),
                password=lambda: read_password(args.user),
                progress=progress,
                options=SyncOptions(page_size=max(1, args.page_size)),
            )
            report = engine.run()
    finally:
        cache.close()
    if args.json:
        print(json.dumps(report.as_json(), sort_keys=True))
    else:
        print(report.summary())
    return 0
