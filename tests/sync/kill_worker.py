"""A pre-loaded worker that forks one child per sync, so tests can SIGKILL a real sync process.

Run as ``python kill_worker.py``. Each line on stdin is a JSON command; for each, the worker
forks a child that runs one sync and reports progress, then the worker reports the child's pid
and, once the child has ended (or been killed), its exit status. Lines on stdout:
``{"pid": N}``, ``{"progress": [phase, done, total]}``, ``{"report": {...}}``,
``{"error": "..."}``, ``{"exit": status}``. Forking from a process that has already imported
everything keeps each sync's start fast; nothing is opened before the fork.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import httpx
import keyring
from keyring.backends.fail import Keyring as NoCredentialStore

from counsellor_app.domain.errors import DomainError
from counsellor_app.store.engine import open_cache
from counsellor_app.store.keys import Argon2Params, KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.sync.device import device_id
from counsellor_app.sync.engine import SyncEngine, SyncOptions

CHEAP_ARGON2 = Argon2Params(time_cost=1, memory_cost_kib=8192, parallelism=1)


def _say(message: dict[str, Any]) -> None:
    os.write(1, (json.dumps(message) + "\n").encode())


def _child(command: dict[str, Any]) -> int:
    keyring.set_keyring(NoCredentialStore())
    profile = Profile.at(command["profile"])
    keys = KeyProvider(
        profile, argon2=CHEAP_ARGON2, environ={"COUNSELLOR_PASSPHRASE": command["passphrase"]}
    )
    try:
        cache = open_cache(profile, keys, create=True)
        if command.get("create_only"):
            cache.close()
            return 0
        try:
            engine = SyncEngine(
                httpx.Client(timeout=30.0),
                cache,
                keys,
                hub_url=command["hub"],
                user=command["user"],
                device_id=device_id(profile),
                password=lambda: str(command["password"]),
                progress=lambda phase, done, total: _say({"progress": [phase, done, total]}),
                options=SyncOptions(
                    page_size=command["page_size"], batch_size=command["batch_size"]
                ),
            )
            report = engine.run()
        finally:
            cache.close()
    except DomainError as exc:
        _say({"error": str(exc)})
        return 2
    _say({"report": report.as_json()})
    return 0


def main() -> None:
    for line in sys.stdin:
        command = json.loads(line)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _child(command)
            finally:
                os._exit(code)
        _say({"pid": pid})
        _, status = os.waitpid(pid, 0)
        _say({"exit": os.waitstatus_to_exitcode(status)})


if __name__ == "__main__":
    main()
