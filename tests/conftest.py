"""Test isolation (headless Qt, an in-memory keyring, every path under tmp_path) and the run's
one 85,000-participant cache."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from shared_85k import open_85k_cache

from counsellor_app.store.engine import Cache


class MemoryKeyring(KeyringBackend):
    """A credential store that lives only in this process (never on disk)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the profile, temp folder and home at tmp_path so no test touches the real machine."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.delenv("COUNSELLOR_PASSPHRASE", raising=False)
    return home


@pytest.fixture(scope="session")
def cache_85k(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cache]:
    """The 85,000-participant cache of ``tests/shared_85k.py``, shared by the store and UI
    tests: built once per run (kept in pytest's cache folder between local runs)."""
    cache_dir = getattr(request.config, "cache", None)
    folder = Path(cache_dir.mkdir("shared-85k")) if cache_dir else tmp_path_factory.mktemp("85k")
    started = time.perf_counter()
    cache, timings = open_85k_cache(folder)
    opened = time.perf_counter() - started
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(
            f"85,000-participant cache: ready in {opened:.1f} s (built once: generate "
            f"{timings['generate_s']:.1f} s, load {timings['load_s']:.1f} s, "
            f"load CPU {timings['load_cpu_s']:.1f} s)"
        )
    yield cache
    cache.close()
