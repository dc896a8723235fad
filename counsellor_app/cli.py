"""The ``counsellor-app`` command line: the desktop app and its headless subcommands."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from counsellor_app import __version__
from counsellor_app.domain.errors import DomainError

# Each module under counsellor_app/commands/ defines
#   register(subparsers, common: argparse.ArgumentParser) -> None
# which adds its subparser (with parents=[common]) and sets ``func=run`` on it,
#   run(args: argparse.Namespace) -> int
COMMAND_MODULES: tuple[str, ...] = (
    "check",
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
        parser.print_help()
        return 0
    try:
        return int(func(args))
    except DomainError as exc:
        print(f"counsellor-app: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("counsellor-app: interrupted; nothing half-done was kept.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
