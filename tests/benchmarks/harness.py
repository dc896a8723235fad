"""Shared pieces of the benchmark suite: timers (wall and CPU), rows of the table, a keyring."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from keyring.backend import KeyringBackend

KEYRING_ENV = "COUNSELLOR_BENCH_KEYRING"  # the parent's in-memory keyring, for a UI child


class MemoryKeyring(KeyringBackend):
    """A keyring held in this process (and handed to child processes through the environment,
    as an OS credential store would be shared): the benchmarks never touch the real one."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, secrets: dict[tuple[str, str], str] | None = None) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = dict(secrets or {})

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)

    keep_in: Path | None = None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password
        if self.keep_in is not None:
            self.keep_in.write_text(self.export(), encoding="utf-8")
            self.keep_in.chmod(0o600)

    @classmethod
    def load(cls, path: Path) -> MemoryKeyring:
        return cls({(s, u): p for s, u, p in json.loads(path.read_text(encoding="utf-8"))})

    def export(self) -> str:
        return json.dumps([[s, u, p] for (s, u), p in self.secrets.items()])

    @classmethod
    def from_environment(cls) -> MemoryKeyring:
        return cls({(s, u): p for s, u, p in json.loads(os.environ.get(KEYRING_ENV, "[]"))})


@dataclass
class Timing:
    """Wall-clock and CPU seconds of one timed block (CPU: this process, all threads)."""

    wall: float = 0.0
    cpu: float = 0.0


@contextmanager
def timed() -> Iterator[Timing]:
    timing = Timing()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield timing
    finally:
        timing.wall = time.perf_counter() - wall
        timing.cpu = time.process_time() - cpu


def repeat(action: Callable[[], object], times: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``times`` calls of ``action``."""
    walls, cpus = [], []
    for _ in range(times):
        with timed() as t:
            action()
        walls.append(t.wall)
        cpus.append(t.cpu)
    return walls, cpus


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: Sequence[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@dataclass
class Row:
    """One line of the table. ``measured``/``floor`` in seconds (or MB where ``unit`` says)."""

    measurement: str
    measured: float
    target: str
    met: bool | None
    floor: float | None = None
    unit: str = "s"
    cpu: float | None = None
    floor_cpu: float | None = None
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor <= 0:
            return None
        return self.measured / self.floor

    @property
    def cpu_ratio(self) -> float | None:
        if self.cpu is None or not self.floor_cpu:
            return None
        return self.cpu / self.floor_cpu

    @property
    def cpu_met(self) -> bool | None:
        """Whether the target is met when CPU time stands for wall time (a loaded machine
        stretches wall time, not CPU time); None where that cannot be said."""
        if self.cpu is None or self.cpu_check is None:
            return None
        return self.cpu_check(self)

    cpu_check: Callable[[Row], bool] | None = None

    @property
    def verdict(self) -> str:
        if self.met is None:
            return "not judged"
        if self.met:
            return "met"
        return "MISSED (met on CPU time)" if self.cpu_met else "MISSED"


def fmt(value: float | None, unit: str) -> str:
    """A value for the table: ms below one second, s above; MB as it is."""
    if value is None:
        return "—"
    if value != value:  # NaN
        return "n/a"
    if unit == "MB":
        return f"{value:.0f} MB"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def ratio_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def table(rows: Sequence[Row], *, markdown: bool) -> str:
    """The measurements as a text table (or a Markdown table), one row each; each row's
    note is a numbered footnote under the table."""
    head = ["measurement", "floor", "measured", "ratio", "CPU floor / measured (ratio)",
            "target", "verdict"]
    body, notes = [], []
    for row in rows:
        cpu = "—"
        if row.cpu is not None:
            cpu = f"{fmt(row.floor_cpu, row.unit)} / {fmt(row.cpu, row.unit)}"
            if row.cpu_ratio is not None:
                cpu += f" ({ratio_text(row.cpu_ratio)})"
        name = row.measurement
        if row.note:
            notes.append(row.note)
            name += f" [{len(notes)}]"
        body.append([name, fmt(row.floor, row.unit), fmt(row.measured, row.unit),
                     ratio_text(row.ratio), cpu, row.target, row.verdict])
    footnotes = [f"[{n}] {note}" for n, note in enumerate(notes, start=1)]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
        return "\n".join(lines + [""] + [f"{note}  " for note in footnotes])
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    out = ["  ".join(c.ljust(w) for c, w in zip(head, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
            for cells in body]
    return "\n".join(out + [""] + footnotes)


def log(message: str) -> None:
    """Progress on stderr (the table is on stdout)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class HubProcess:
    """A hub serving in its own process on loopback (as it would on a server)."""

    process: subprocess.Popen[bytes]
    url: str

    def cpu_seconds(self) -> float:
        """User + system CPU the hub process has used so far (Linux /proc)."""
        try:
            fields = open(f"/proc/{self.process.pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_hub(db_url: str, *, fast_passwords: bool = True, log_file: Path | None = None
              ) -> HubProcess:
    """Serve ``db_url`` from a new process and return once it answers /v1/health (its log
    goes to ``log_file``, or nowhere)."""
    import httpx

    port = free_port()
    settings = (
        "from argon2 import PasswordHasher; from counsellor_app.hub.settings import HubSettings; "
        "s = HubSettings(password_hasher=PasswordHasher(time_cost=1, memory_cost=8192, "
        "parallelism=1)); "
        if fast_passwords else "s = None; "
    )
    code = (
        f"{settings}from counsellor_app.hub.server import serve; "
        f"serve({db_url!r}, '127.0.0.1', {port}, settings=s)"
    )
    sink = open(log_file, "wb") if log_file is not None else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen([sys.executable, "-c", code], stdout=sink, stderr=sink)
    if log_file is not None:
        sink.close()  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the hub process ended before it answered")
        try:
            httpx.get(f"{url}/v1/health", timeout=2.0)
            return HubProcess(process, url)
        except httpx.TransportError:
            threading.Event().wait(0.1)
    process.kill()
    raise SystemExit("the hub did not start")
