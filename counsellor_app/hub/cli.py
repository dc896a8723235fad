"""The ``counsellor-hub`` command line: serve, seed, add users, import, revoke, migrate."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from counsellor_app import __version__
from counsellor_app.domain.errors import DomainError
from counsellor_app.hub.database import Database
from counsellor_app.hub.settings import HubSettings, default_db_url

PROG = "counsellor-hub"


def _db_option(default: object) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="URL", default=default,
        help="the hub's database: sqlite:///FILE or postgresql+psycopg://USER@HOST/DB "
        "(default: an SQLite file in the hub's data folder)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    # --db may come before or after the command; after it, it wins.
    common = _db_option(argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog=PROG, description="The Counsellor Desk hub: the trust's sync server.",
        parents=[_db_option(None)],
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", parents=[common], help="serve the API (until Ctrl+C)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8765, help="port to listen on (8765)")
    serve.set_defaults(func=_serve)

    seed = sub.add_parser("seed", parents=[common],
                          help="fill an empty hub with synthetic data and demo users")
    seed.add_argument("--participants", type=int, required=True, metavar="N")
    seed.add_argument("--seed", type=int, default=1, metavar="S")
    seed.set_defaults(func=_seed)

    user = sub.add_parser("user", parents=[common], help="manage users")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_sub.add_parser("add", parents=[common],
                              help="add a user (the password is read from stdin)")
    add.add_argument("name")
    add.add_argument("--role", required=True,
                     choices=["counsellor", "clinician", "researcher", "feed", "admin"])
    add.add_argument("--team", default=None, help="the team (counsellors and clinicians)")
    add.add_argument("--institution", default=None, help="a researcher's institution")
    add.add_argument("--research-domain", default=None, help="a researcher's domain")
    add.set_defaults(func=_user_add)

    imp = sub.add_parser("import", parents=[common],
                         help="import results and requests from the upstream feed (all or nothing)")
    imp.add_argument("file", type=Path, metavar="FILE.json")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    imp.set_defaults(func=_import)

    revoke = sub.add_parser("revoke", parents=[common],
                            help="revoke a device: its next request tells it to wipe its cache")
    revoke.add_argument("device_id", metavar="DEVICE_ID")
    revoke.set_defaults(func=_revoke)

    migrate = sub.add_parser("migrate", parents=[common], help="bring the schema up to date")
    migrate.set_defaults(func=_migrate)
    return parser


def _database(args: argparse.Namespace) -> Database:
    db = Database(args.db or default_db_url())
    db.migrate()
    return db


def _serve(args: argparse.Namespace) -> int:
    from counsellor_app.hub.server import serve

    serve(args.db or default_db_url(), args.host, args.port)
    return 0


def _seed(args: argparse.Namespace) -> int:
    from counsellor_app.hub.seed import seed

    if args.participants < 0:
        raise DomainError("The number of participants cannot be negative.")
    db = _database(args)
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


def _read_password() -> str:
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Again: "):
            raise DomainError("The two passwords differ; nothing was changed.")
        return password
    return sys.stdin.readline().rstrip("\r\n")


def _user_add(args: argparse.Namespace) -> int:
    from counsellor_app.hub.auth import Accounts

    db = _database(args)
    password = _read_password()
    Accounts(db, HubSettings()).add_user(
        args.name, password, args.role, args.team, institution=args.institution,
        research_domain=args.research_domain,
    )
    print(f"Added {args.role} {args.name}" + (f" to {args.team}." if args.team else "."))
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
    db = _database(args)
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


def _revoke(args: argparse.Namespace) -> int:
    from counsellor_app.hub.auth import Accounts

    db = _database(args)
    if not Accounts(db, HubSettings()).revoke_device(args.device_id):
        raise DomainError("No device with this id has ever signed in to this hub.")
    print(f"Revoked device {args.device_id}: it will be told to wipe its cache at its next sync.")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    _database(args)
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
