"""``counsellor-hub serve`` in a child process, as an operator starts it; its log is kept."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

HUB = [sys.executable, "-m", "counsellor_app.hub.cli"]
_LISTENING = re.compile(r"listening on (https?://\S+:(\d+))")


def hub_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment with its own HOME and XDG folders and no COUNSELLOR_HUB_* leaking in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNSELLOR_HUB_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"), PYTHONUNBUFFERED="1")
    env.update(extra or {})
    return env


class HubProcess:
    """A running ``counsellor-hub serve``; ``url`` is known once it listens."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            [*HUB, *args], env=dict(env), cwd=cwd, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, encoding="utf-8",
        )
        self.lines: list[str] = []
        self.url = ""
        self._listening = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._listening.wait(timeout=60)
        if not self.url:
            self.stop()
            raise AssertionError("the hub did not start:\n" + "".join(self.lines))

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            found = _LISTENING.search(line)
            if found and not self.url:
                self.url = found.group(1).replace("0.0.0.0", "127.0.0.1")
                self._listening.set()
        self._listening.set()

    def stop(self) -> tuple[int, str]:
        """Stop it as systemd does (SIGTERM) and return its exit code and everything it wrote."""
        if self.process.poll() is None:
            self.process.terminate()
        code = self.process.wait(timeout=30)
        self._reader.join(timeout=30)
        return code, "".join(self.lines)


def run_hub(args: Sequence[str], env: Mapping[str, str], cwd: Path,
            stdin: str = "") -> subprocess.CompletedProcess[str]:
    """One ``counsellor-hub`` command, to completion."""
    return subprocess.run([*HUB, *args], env=dict(env), cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)
