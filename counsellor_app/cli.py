"""The ``counsellor-app`` command line: the desktop app and its headless subcommands."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from counsellor_app import __version__
from counsellor_app.domain.errors import DomainError
from counsellor_app.logging_setup import start_logging

# Each module under counsellor_app/commands/ defines
#   register(subparsers, common: argparse.ArgumentParser) -> None
# which adds its subparser (with parents=[common]) and sets ``func=run`` on it,
#   run(args: argparse.Namespace) -> int
# The subcommand's name is the module's with "-" for "_" (``demo_cache`` adds ``demo-cache``):
# ``build_parser`` imports only the module of the command asked for, so the desktop app's
# start does not load every command's code (the cache layer, sync, letters).
COMMAND_MODULES: tuple[str, ...] = (
    "check",
    "letter",
    "cases",
    "consent",
    "demo_cache",
    "sync",
)


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="DIR",
        help="where the cache, settings and logs live (default: the platform's data folder)",
    )
    common.add_argument("--verbose", action="store_true", help="log more detail")
    return common


def _desktop_options(parser: argparse.ArgumentParser, *, version: bool = True) -> None:
    """The options of the desktop app itself (no subcommand)."""
    if version:
        parser.add_argument(
            "--version", action="version", version=f"Counsellor Desk {__version__}"
        )
    parser.add_argument(
        "--demo", action="store_true", help="start on a local demo hub with synthetic data"
    )
    parser.add_argument(
        "--participants", type=int, default=3000, metavar="N", help="demo caseload size"
    )
    parser.add_argument(
        "--screenshot", type=Path, default=None, metavar="FILE.png",
        help="with --demo: save the window after the first sync, then exit",
    )
    parser.add_argument(
        "--screenshot-view", choices=("inbox", "caseload", "case"), default="inbox",
        help="with --screenshot: which view to show",
    )


class _ProbeRefused(Exception):
    """The command line is wrong; the real parser will say how."""


class _Probe(argparse.ArgumentParser):
    """A parser that only looks: it prints nothing and never exits."""

    def error(self, message: str) -> NoReturn:
        raise _ProbeRefused(message)


def command_module(command: str) -> str | None:
    """The module under ``counsellor_app.commands`` that adds ``command``, if any."""
    name = command.replace("-", "_")
    return name if name in COMMAND_MODULES else None


def commands_to_load(argv: Sequence[str] | None) -> tuple[str, ...]:
    """The command modules ``argv`` needs: none for the desktop app, the one named, or all
    (for help, and so that an unknown command is refused with the list of known ones)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if any(arg in ("-h", "--help") for arg in args):
        return COMMAND_MODULES
    probe = _Probe(add_help=False, parents=[_common_options()], exit_on_error=False)
    _desktop_options(probe, version=False)  # the real parser prints the version, once
    probe.add_argument("command", nargs="?")
    try:
        known, _rest = probe.parse_known_args(args)
    except (argparse.ArgumentError, _ProbeRefused):
        return COMMAND_MODULES  # the real parser says what is wrong
    if known.command is None:
        return ()
    module = command_module(known.command)
    return COMMAND_MODULES if module is None else (module,)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv`` (default: this process's command line): the desktop app's
    options and the subcommands ``argv`` needs (:func:`commands_to_load`)."""
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="counsellor-app",
        description="Counsellor Desk: caseload, consent and letters for clinical genetics teams.",
        parents=[common],
    )
    _desktop_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in commands_to_load(argv):
        module = importlib.import_module(f"counsellor_app.commands.{name}")
        module.register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        func = _run_desktop_app
    start_logging(args.profile, verbose=args.verbose, command=args.command or "desktop app")
    try:
        return int(func(args))
    except DomainError as exc:
        logging.getLogger(__name__).info("command refused (%s)", type(exc).__name__)
        print(f"counsellor-app: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("counsellor-app: interrupted; nothing half-done was kept.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `cases | head`): not an error of ours.
        # Point stdout at devnull so the interpreter's final flush does not complain again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run_desktop_app(args: argparse.Namespace) -> int:
    """No subcommand: the desktop app (Qt is imported only here, never by headless commands)."""
    from counsellor_app.ui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
