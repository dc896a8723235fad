"""The credential store of the window processes: the parent's in-memory keyring, loaded the way
keyring loads a configured backend (``PYTHON_KEYRING_BACKEND``), when the app first asks."""

from __future__ import annotations

from tests.benchmarks.harness import MemoryKeyring

BACKEND = "tests.benchmarks.ui_keyring.EnvironmentKeyring"
"""The value of ``PYTHON_KEYRING_BACKEND`` for a window process."""


class EnvironmentKeyring(MemoryKeyring):
    """The parent's secrets (``COUNSELLOR_BENCH_KEYRING``), made by keyring without arguments."""

    def __init__(self) -> None:
        super().__init__(MemoryKeyring.from_environment().secrets)
