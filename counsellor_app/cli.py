"""The ``counsellor-app`` command line: the desktop app and its headless subcommands."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from counsellor_app import __version__
from counsellor_app.domain.errors import DomainError
from counsellor_app.logging_setup import start_logging

# Each module under counsellor_app/commands/ defines
#   register(subparsers, common: argparse.ArgumentParser) -> None
# which adds its subparser (with parents=[common]) and sets ``func=run`` on it,
#   run(args: argparse.Namespace) -> int
COMMAND_MODULES: tuple[str, ...] = (
    "check",
    "letter",
    "cases",
    "consent",
    "demo_cache",
    "sync",
)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="DIR",
        help="where the cache, settings and logs live (default: the platform's data folder)",
    )
    common.add_argument("--verbose", action="store_true", help="log more detail")
    parser = argparse.ArgumentParser(
        prog="counsellor-app",
        description="Counsellor Desk: caseload, consent and letters for clinical genetics teams.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"Counsellor Desk {__version__}")
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
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"counsellor_app.commands.{name}")
        module.register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
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
