"""One place for the profile's paths: cache, wrapped key, settings, logs and temp folders."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "counsellor-desk"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Create files 0600 and folders 0700 while inside this block."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


@dataclass(frozen=True, slots=True)
class Profile:
    """Where one user's cache, key file, settings and logs live (``--profile DIR``)."""

    root: Path

    @classmethod
    def default(cls) -> Profile:
        """The platform's per-user data folder (e.g. ~/.local/share/counsellor-desk)."""
        return cls(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))

    @classmethod
    def at(cls, directory: Path | str) -> Profile:
        """A profile rooted at ``directory`` (the ``--profile`` option)."""
        return cls(Path(directory).expanduser().absolute())

    @classmethod
    def from_option(cls, directory: Path | str | None) -> Profile:
        """``--profile DIR`` when given, otherwise the default profile."""
        return cls.default() if directory is None else cls.at(directory)

    @property
    def cache_file(self) -> Path:
        return self.root / "cache.db"

    @property
    def wrapped_key_file(self) -> Path:
        """The passphrase-wrapped cache key (only where no credential store is usable)."""
        return self.root / "cache-key.json"

    @property
    def secret_index_file(self) -> Path:
        """Names (never values) of the secrets kept for this profile."""
        return self.root / "secret-names.json"

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.json"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def temp_dir(self) -> Path:
        return self.root / "tmp"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def cache_side_files(self) -> tuple[Path, ...]:
        """The cache file and the WAL and shared-memory files SQLite keeps beside it."""
        base = self.cache_file
        return (base, base.with_name(base.name + "-wal"), base.with_name(base.name + "-shm"))

    @property
    def identity(self) -> str:
        """A short stable id of this profile's location (keeps two profiles' secrets apart)."""
        return hashlib.sha256(str(self.root.absolute()).encode("utf-8")).hexdigest()[:16]

    def ensure(self) -> Profile:
        """Create the profile's folders, private to the user (0700)."""
        with private_umask():
            for directory in (self.root, self.logs_dir, self.temp_dir, self.backups_dir):
                directory.mkdir(parents=True, exist_ok=True)
                os.chmod(directory, PRIVATE_DIR_MODE)
        return self


def write_private_file(path: Path, data: bytes) -> None:
    """Write ``data`` atomically to ``path`` with mode 0600 (temp file beside it, then rename)."""
    with private_umask():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, PRIVATE_FILE_MODE)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
