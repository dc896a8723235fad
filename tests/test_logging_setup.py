"""The app's log: a private rotating file in the profile, --verbose levels, NHS numbers redacted."""

from __future__ import annotations

import io
import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from counsellor_app import cli
from counsellor_app.logging_setup import (
    LOG_BACKUPS,
    REDACTED,
    configure_logging,
    log_file_of,
    redact,
    remove_handlers,
)
from counsellor_app.store.paths import Profile


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    remove_handlers(root)
    root.setLevel(level)
    logging.captureWarnings(False)


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_info_goes_to_a_private_file_in_the_profile_log_folder(tmp_path: Path) -> None:
    profile = Profile.at(tmp_path / "profile")
    setup = configure_logging(profile, stream=io.StringIO())
    logging.getLogger("counsellor_app.sync").info("pulled %d changes", 12)
    logging.getLogger("counsellor_app.sync").debug("page detail")
    _flush()

    assert setup.log_file == profile.logs_dir / "counsellor-desk.log"
    text = log_file_of(profile).read_text(encoding="utf-8")
    assert "INFO counsellor_app.sync: pulled 12 changes" in text
    assert "page detail" not in text
    assert stat.S_IMODE(log_file_of(profile).stat().st_mode) == 0o600
    assert stat.S_IMODE(profile.logs_dir.stat().st_mode) == 0o700


def test_each_line_carries_time_level_logger_and_message(tmp_path: Path) -> None:
    profile = Profile.at(tmp_path / "profile")
    configure_logging(profile, stream=io.StringIO())
    logging.getLogger("counsellor_app.letters").warning("letter refused")
    _flush()
    line = log_file_of(profile).read_text(encoding="utf-8").strip().splitlines()[-1]
    date, time, level, logger, message = line.split(" ", 4)
    assert len(date) == 10 and date[4] == "-" and ":" in time
    assert (level, logger, message) == ("WARNING", "counsellor_app.letters:", "letter refused")


def test_verbose_logs_debug_to_the_file_and_the_terminal(tmp_path: Path) -> None:
    profile = Profile.at(tmp_path / "profile")
    terminal = io.StringIO()
    configure_logging(profile, verbose=True, stream=terminal)
    logging.getLogger("counsellor_app.sync").debug("page of 500 applied")
    _flush()
    assert "page of 500 applied" in log_file_of(profile).read_text(encoding="utf-8")
    assert "DEBUG counsellor_app.sync: page of 500 applied" in terminal.getvalue()


def test_without_verbose_the_terminal_shows_only_warnings(tmp_path: Path) -> None:
    terminal = io.StringIO()
    configure_logging(Profile.at(tmp_path / "profile"), stream=terminal)
    logging.getLogger("counsellor_app").info("quiet")
    logging.getLogger("counsellor_app").warning("loud")
    assert "quiet" not in terminal.getvalue()
    assert "loud" in terminal.getvalue()


@pytest.mark.parametrize(
    "text", ["9434765919", "943 476 5919", "nhs=9434765919;", "(943 476 5919)"]
)
def test_nhs_number_like_digits_are_redacted(text: str) -> None:
    assert "9434765919" not in redact(text).replace(" ", "")
    assert REDACTED in redact(text)


@pytest.mark.parametrize(
    "text", ["case 12345", "2026-11-27 12:45:11", "12345678901", "id 3f2a-0012-4456"]
)
def test_other_numbers_are_left_alone(text: str) -> None:
    assert redact(text) == text


def test_nhs_numbers_are_redacted_in_messages_arguments_and_tracebacks(tmp_path: Path) -> None:
    profile = Profile.at(tmp_path / "profile")
    terminal = io.StringIO()
    configure_logging(profile, verbose=True, stream=terminal)
    log = logging.getLogger("counsellor_app.test")
    log.info("participant 999 000 0018 opened")
    log.info("lookup of %s", "9990000018")
    try:
        raise ValueError("no participant 9990000026")
    except ValueError:
        log.exception("lookup failed")
    log.info("stack", stack_info=True, extra={"nhs": "9990000034"})
    _flush()

    for written in (log_file_of(profile).read_text(encoding="utf-8"), terminal.getvalue()):
        digits_only = written.replace(" ", "")
        for number in ("9990000018", "9990000026"):
            assert number not in digits_only
        assert "lookup failed" in written and "ValueError" in written
        assert written.count(REDACTED) >= 3


def test_the_file_rotates_and_keeps_a_bounded_number_of_old_logs(tmp_path: Path) -> None:
    profile = Profile.at(tmp_path / "profile")
    configure_logging(profile, stream=io.StringIO())
    file_handler = next(
        h for h in logging.getLogger().handlers if hasattr(h, "maxBytes")
    )
    file_handler.maxBytes = 2_000  # type: ignore[attr-defined]
    log = logging.getLogger("counsellor_app.rotation")
    for index in range(400):
        log.info("line %d %s", index, "x" * 40)
    _flush()
    logs = sorted(p.name for p in profile.logs_dir.iterdir())
    assert len(logs) == LOG_BACKUPS + 1
    for name in logs:
        assert stat.S_IMODE((profile.logs_dir / name).stat().st_mode) == 0o600


def test_calling_it_again_replaces_the_earlier_handlers(tmp_path: Path) -> None:
    first = Profile.at(tmp_path / "first")
    second = Profile.at(tmp_path / "second")
    configure_logging(first, stream=io.StringIO())
    configure_logging(second, stream=io.StringIO())
    logging.getLogger("counsellor_app").info("only in the second")
    _flush()
    assert "only in the second" not in log_file_of(first).read_text(encoding="utf-8")
    assert "only in the second" in log_file_of(second).read_text(encoding="utf-8")


def test_an_unwritable_log_folder_falls_back_to_the_terminal(tmp_path: Path) -> None:
    blocker = tmp_path / "profile"
    blocker.mkdir()
    (blocker / "logs").write_text("not a folder", encoding="utf-8")
    terminal = io.StringIO()
    setup = configure_logging(Profile.at(blocker), stream=terminal)
    assert setup.log_file is None
    assert "logging to the terminal only" in terminal.getvalue()


def test_the_command_line_logs_to_the_profile_named_by_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = Profile.at(tmp_path / "profile")
    code = cli.main(["check", "--profile", str(profile.root), "--verbose"])
    assert code != 0  # no cache there yet: a clear refusal
    _flush()
    text = log_file_of(profile).read_text(encoding="utf-8")
    assert "counsellor-app" in text and "check" in text
    assert "Traceback" not in capsys.readouterr().err


def test_the_active_log_file_is_the_one_configured_last(tmp_path: Path) -> None:
    from counsellor_app.logging_setup import active_log_file

    profile = Profile.at(tmp_path / "profile")
    configure_logging(profile, stream=io.StringIO())
    assert active_log_file() == log_file_of(profile)
    remove_handlers()
    assert active_log_file() is None


def test_verbose_never_lets_sqlalchemy_log_statements_and_parameters(tmp_path: Path) -> None:
    configure_logging(Profile.at(tmp_path / "profile"), verbose=True, stream=io.StringIO())
    assert not logging.getLogger("sqlalchemy.engine.Engine").isEnabledFor(logging.INFO)
