"""Logging for the app: a rotating file in the profile's log folder, redacting NHS numbers."""

from __future__ import annotations

import io
import logging
import logging.handlers
import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from counsellor_app import __version__
from counsellor_app.store.paths import Profile, private_umask

LOG_FILE_NAME = "counsellor-desk.log"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_LOG_BYTES = 2 * 1024 * 1024
LOG_BACKUPS = 5
REDACTED = "[redacted number]"

# Ten digits in a row, or 3-3-4 with single spaces: how NHS numbers are written. Defence in
# depth only: code must never log identifiers in the first place (names cannot be caught here).
_NHS_LIKE = re.compile(r"(?<!\d)\d{3} ?\d{3} ?\d{4}(?!\d)")

# Libraries that are chatty at INFO (one line per HTTP request) and never needed by support;
# SQLAlchemy's INFO would log SQL with its parameters (names), even with --verbose: never.
_QUIET_LIBRARIES = (
    "httpx", "httpcore", "hpack", "multipart", "asyncio", "PIL", "alembic.runtime.plugins",
    "sqlalchemy",
)

_MARK = "_counsellor_desk_handler"
_active: LoggingSetup | None = None


def redact(text: str) -> str:
    """``text`` with everything that looks like an NHS number replaced."""
    return _NHS_LIKE.sub(REDACTED, text)


class RedactNhsNumbers(logging.Filter):
    """Replaces NHS-number-like digit runs in the message, the traceback and the stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: let the handler report it as logging does
            return True
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg = cleaned
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


@dataclass(frozen=True, slots=True)
class LoggingSetup:
    """What ``configure_logging`` installed: the log file (None if it could not be opened)."""

    log_file: Path | None
    level: int


def log_file_of(profile: Profile) -> Path:
    """The current log file of ``profile`` (older ones get ``.1`` … ``.5`` appended)."""
    return profile.logs_dir / LOG_FILE_NAME


def configure_logging(
    profile: Profile, *, verbose: bool = False, stream: TextIO | None = None
) -> LoggingSetup:
    """Send the app's log to the profile's rotating log file (and warnings to ``stream``).

    INFO and above go to the file; with ``verbose`` DEBUG too, and everything is echoed to
    ``stream`` (stderr by default), which otherwise only shows warnings and errors. Calling it
    again replaces what an earlier call installed. A log folder that cannot be written is not
    fatal: the app then logs to ``stream`` only and says so once.
    """
    level = logging.DEBUG if verbose else logging.INFO
    root = logging.getLogger()
    remove_handlers(root)
    root.setLevel(level)
    for name in _QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    formatter = logging.Formatter(LOG_FORMAT)
    redaction = RedactNhsNumbers()

    console = _CurrentStderr() if stream is None else logging.StreamHandler(stream)
    console.setLevel(level if verbose else logging.WARNING)
    _install(root, console, formatter, redaction)

    log_file: Path | None = log_file_of(profile)
    try:
        file_handler = _rotating_file(profile)
    except OSError as exc:
        log_file = None
        logging.getLogger(__name__).warning(
            "The log folder could not be written (%s); logging to the terminal only.",
            exc.strerror or type(exc).__name__,
        )
    else:
        file_handler.setLevel(level)
        _install(root, file_handler, formatter, redaction)
    logging.captureWarnings(True)
    global _active
    _active = LoggingSetup(log_file=log_file, level=level)
    return _active


def active_log_file() -> Path | None:
    """The file the app is logging to now (None before ``configure_logging`` or without one)."""
    return None if _active is None else _active.log_file


def remove_handlers(root: logging.Logger | None = None) -> None:
    """Remove and close the handlers an earlier ``configure_logging`` installed."""
    global _active
    _active = None
    logger = logging.getLogger() if root is None else root
    for handler in list(logger.handlers):
        if getattr(handler, _MARK, False):
            logger.removeHandler(handler)
            handler.close()


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record comes (it may be replaced later)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file, the first and each after a rollover, is 0600."""

    def _open(self) -> io.TextIOWrapper:
        with private_umask():
            return super()._open()


def _rotating_file(profile: Profile) -> logging.Handler:
    with private_umask():  # the folder 0700
        profile.logs_dir.mkdir(parents=True, exist_ok=True)
    return _PrivateRotatingFileHandler(
        log_file_of(profile), maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )


def _install(
    root: logging.Logger,
    handler: logging.Handler,
    formatter: logging.Formatter,
    redaction: logging.Filter,
) -> None:
    handler.setFormatter(formatter)
    handler.addFilter(redaction)
    setattr(handler, _MARK, True)
    root.addHandler(handler)


def start_logging(profile_option: Path | None, *, verbose: bool, command: str) -> LoggingSetup:
    """Configure logging for one run of ``counsellor-app`` and note what runs (no arguments).

    Only the command's name is logged: arguments may hold a search text or a file name.
    """
    setup = configure_logging(Profile.from_option(profile_option), verbose=verbose)
    logging.getLogger("counsellor_app").info(
        "counsellor-app %s started: %s (Python %d.%d, %s)",
        __version__, command, sys.version_info.major, sys.version_info.minor,
        "bundle" if getattr(sys, "frozen", False) else "source",
    )
    return setup
