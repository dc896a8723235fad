"""``counsellor-app check``: the cache's cipher and database integrity checks, in plain words."""

from __future__ import annotations

import argparse
from typing import Any

from counsellor_app.commands.cache_access import open_profile_cache, profile_of
from counsellor_app.store.engine import integrity_check
from counsellor_app.store.errors import CacheDamaged


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "check",
        parents=[common],
        help="check that the local cache is intact",
        description="Run SQLCipher's page check and SQLite's integrity check on the cache.",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    where = profile_of(args).cache_file
    try:
        with open_profile_cache(args) as cache:
            problems = integrity_check(cache)
    except CacheDamaged as exc:
        print(f"The cache at {where} is damaged: it could not be opened.")
        print(f"  - {exc}")
        return 1
    if not problems:
        print(f"The cache at {where} is intact (cipher and database checks passed).")
        return 0
    print(f"The cache at {where} is damaged: {len(problems)} problem(s) found.")
    for problem in problems[:50]:
        print(f"  - {problem}")
    print(
        "Keep a copy of the file for the IT team, then remove the cache and sync again to "
        "rebuild it (decisions not yet sent to the hub are in the copy)."
    )
    return 1
