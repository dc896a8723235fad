"""The ``counsellor-hub`` command line: serve, config, seed, import, migrate, operator commands."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import make_url

from counsellor_app import __version__
from counsellor_app.domain.errors import DomainError
from counsellor_app.hub import cli_operators as operators
from counsellor_app.hub.cli_common import database, server_config
from counsellor_app.hub.config import SYSTEM_CONFIG_FILE, default_config_file, find_config_file
from counsellor_app.hub.settings import HubSettings

PROG = "counsellor-hub"


def _global_options(default: object) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="URL", default=default,
        help="the hub's database: sqlite:///FILE or postgresql+psycopg://USER@HOST/DB "
        "(default: $COUNSELLOR_HUB_DB_URL, else db_url in the config file, else an SQLite "
        "file in the hub's data folder)",
    )
    common.add_argument(
        "--config", metavar="FILE", type=Path, default=default,
        help="the hub's TOML config file (default: $COUNSELLOR_HUB_CONFIG, else the first "
        f"that exists of {default_config_file()} and {SYSTEM_CONFIG_FILE})",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    # --db and --config may come before or after the command; after it, they win.
    common = _global_options(argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog=PROG, description="The Counsellor Desk hub: the trust's sync server. "
        "Settings: command line > COUNSELLOR_HUB_* variables > config file > defaults "
        "(docs/deployment.md).",
        parents=[_global_options(None)],
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", parents=[common],
                           help="serve the API until stopped (run `migrate` first)")
    serve.add_argument("--host", default=None,
                       help="address to listen on (default: host in the config, else 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None,
                       help="port to listen on (default: port in the config, else 8765)")
    serve.set_defaults(func=_serve)

    config = sub.add_parser("config", parents=[common],
                            help="show the settings serve would use, and where they came from")
    config.set_defaults(func=_show_config)

    seed = sub.add_parser("seed", parents=[common],
                          help="fill an empty hub with synthetic data and demo users")
    seed.add_argument("--participants", type=int, required=True, metavar="N")
    seed.add_argument("--seed", type=int, default=1, metavar="S")
    seed.set_defaults(func=_seed)

    operators.register(sub, common)

    imp = sub.add_parser("import", parents=[common],
                         help="import results and requests from the upstream feed (all or nothing)")
    imp.add_argument("file", type=Path, metavar="FILE.json")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    imp.set_defaults(func=_import)

    migrate = sub.add_parser("migrate", parents=[common], help="bring the schema up to date")
    migrate.set_defaults(func=_migrate)
    return parser


def _serve(args: argparse.Namespace) -> int:
    from counsellor_app.hub.server import serve_config

    try:
        serve_config(server_config(args, host=args.host, port=args.port))
    except KeyboardInterrupt:  # Ctrl+C: uvicorn has already shut down cleanly
        pass
    return 0


def _show_config(args: argparse.Namespace) -> int:
    config = server_config(args)
    print(f"config file: {find_config_file(args.config) or '(none)'}")
    for name, value in dataclasses.asdict(config).items():
        if name == "db_url":
            value = make_url(config.database).render_as_string(hide_password=True)
        print(f"{name} = {json.dumps(value)}")
    return 0


def _seed(args: argparse.Namespace) -> int:
    from counsellor_app.hub.seed import seed

    if args.participants < 0:
        raise DomainError("The number of participants cannot be negative.")
    db = database(args, migrate=True)
    started = time.perf_counter()
    report = seed(db, HubSettings(), args.participants, seed=args.seed)
    took = time.perf_counter() - started
    print(f"Seeded {report.participants} participants, {report.cases} cases, "
          f"{report.results} results, {report.requests} requests and {report.decisions} "
          f"consent decisions in {took:.1f} s.")
    print(f"Teams: {', '.join(report.teams)}")
    print(f"Demo users (password for all: {report.password}):")
    for u in report.users:
        print(f"  {u.name:<28} {u.role:<11} {u.team or ''}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from counsellor_app.hub.auth import Principal
    from counsellor_app.hub.importer import import_document

    try:
        raw = json.loads(args.file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DomainError(f"There is no file {args.file}.") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DomainError(f"{args.file} is not a JSON document; nothing was imported.") from exc
    db = database(args)
    settings = HubSettings()
    who = Principal(0, "cli-import", "feed", None, "command-line")
    report = import_document(db, raw, who, settings.clock())
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        verb = "Imported" if report.applied else "Nothing imported; it would have"
        print(f"{verb}: created {_counts(report.created)}; updated {_counts(report.updated)}; "
              f"unchanged {_counts(report.unchanged)}.")
        for refusal in report.refused:
            print(f"refused {refusal.record}: {refusal.reason}", file=sys.stderr)
    if not report.applied:
        if not args.json:
            print(f"{PROG}: {len(report.refused)} record(s) refused; nothing was imported.",
                  file=sys.stderr)
        return 1
    return 0


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "nothing"


def _migrate(args: argparse.Namespace) -> int:
    database(args, migrate=True).dispose()
    print("The hub's database schema is up to date.")
    return 0


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
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing half-done was kept.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
