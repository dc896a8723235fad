"""``counsellor-hub`` commands for operators: users, devices, sessions, backups."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from counsellor_app.domain.errors import DomainError
from counsellor_app.hub.cli_common import database
from counsellor_app.hub.settings import HubSettings, utc_now


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the operator commands to the ``counsellor-hub`` parser."""
    team = sub.add_parser("team", parents=[common], help="manage teams")
    team_sub = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    team_add = team_sub.add_parser("add", parents=[common], help="add a team")
    team_add.add_argument("team_id", metavar="TEAM_ID", help="for example team-cardiff")
    team_add.add_argument("--name", required=True, help="the team's name, in words")
    team_add.set_defaults(func=_team_add)
    team_list = team_sub.add_parser("list", parents=[common], help="list the teams")
    team_list.set_defaults(func=_team_list)

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
    listing = user_sub.add_parser("list", parents=[common], help="list the users")
    listing.set_defaults(func=_user_list)
    for action, help_text in (("disable", "stop a user signing in and end their sessions"),
                              ("enable", "let a disabled user sign in again")):
        p = user_sub.add_parser(action, parents=[common], help=help_text)
        p.add_argument("name")
        p.set_defaults(func=_user_disable, disabled=action == "disable")

    password = user_sub.add_parser(
        "password", parents=[common],
        help="set a user's password (read from stdin) and end their sessions")
    password.add_argument("name")
    password.set_defaults(func=_user_password)

    devices = sub.add_parser("devices", parents=[common],
                             help="list the devices that have signed in (newest first)")
    devices.add_argument("--user", default=None, metavar="NAME", help="only this user's")
    devices.add_argument("--json", action="store_true", help="print them as JSON")
    devices.set_defaults(func=_devices)

    revoke = sub.add_parser("revoke", parents=[common],
                            help="revoke a device: its next request tells it to wipe its cache")
    revoke.add_argument("device_id", metavar="DEVICE_ID")
    revoke.set_defaults(func=_revoke)

    sessions = sub.add_parser("sessions", parents=[common], help="signed-in sessions")
    sessions_sub = sessions.add_subparsers(dest="sessions_command", metavar="ACTION",
                                           required=True)
    revoke_all = sessions_sub.add_parser(
        "revoke-all", parents=[common],
        help="end every session: everyone signs in again with their password")
    revoke_all.set_defaults(func=_sessions_revoke_all)

    backup = sub.add_parser("backup", parents=[common],
                            help="copy the database to FILE while the hub keeps serving")
    backup.add_argument("file", type=Path, metavar="FILE")
    backup.set_defaults(func=_backup)


def _team_add(args: argparse.Namespace) -> int:
    from counsellor_app.hub.operations import add_team

    db = database(args)
    try:
        add_team(db, args.team_id, args.name)
    finally:
        db.dispose()
    print(f"Added team {args.team_id} ({args.name.strip()}).")
    return 0


def _team_list(args: argparse.Namespace) -> int:
    from counsellor_app.hub.operations import list_teams

    db = database(args)
    try:
        teams = list_teams(db)
    finally:
        db.dispose()
    print(f"{'TEAM_ID':<24} {'USERS':>5}  NAME")
    for team_id, name, users in teams:
        print(f"{team_id:<24} {users:>5}  {name}")
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

    db = database(args)
    try:
        password = _read_password()
        Accounts(db, HubSettings()).add_user(
            args.name, password, args.role, args.team, institution=args.institution,
            research_domain=args.research_domain,
        )
    finally:
        db.dispose()
    print(f"Added {args.role} {args.name}" + (f" to {args.team}." if args.team else "."))
    return 0


def _user_list(args: argparse.Namespace) -> int:
    from counsellor_app.hub.tables import User

    db = database(args)
    try:
        with db.reading() as s:
            users = s.execute(select(User.name, User.role, User.team, User.disabled)
                              .order_by(User.name)).all()
    finally:
        db.dispose()
    print(f"{'NAME':<28} {'ROLE':<11} {'TEAM':<20} STATUS")
    for name, role, team, disabled in users:
        print(f"{name:<28} {role:<11} {team or '-':<20} {'disabled' if disabled else 'active'}")
    return 0


def _user_disable(args: argparse.Namespace) -> int:
    from counsellor_app.hub.operations import set_disabled

    db = database(args)
    try:
        set_disabled(db, args.name, args.disabled, utc_now())
    finally:
        db.dispose()
    if args.disabled:
        print(f"Disabled {args.name}: their sessions have ended and they cannot sign in.")
    else:
        print(f"Enabled {args.name}: they can sign in again.")
    return 0


def _user_password(args: argparse.Namespace) -> int:
    from counsellor_app.hub.operations import set_password

    db = database(args)
    try:
        set_password(db, args.name, _read_password(), HubSettings().password_hasher, utc_now())
    finally:
        db.dispose()
    print(f"Changed the password of {args.name}; their sessions have ended.")
    return 0


def _when(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def _devices(args: argparse.Namespace) -> int:
    from counsellor_app.hub.operations import list_devices

    db = database(args)
    try:
        found = list_devices(db, args.user)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps({"devices": [
            {"device_id": d.device_id, "user": d.user, "name": d.name,
             "first_seen": d.first_seen.isoformat(), "last_login": d.last_login.isoformat(),
             "revoked_at": d.revoked_at.isoformat() if d.revoked_at else None}
            for d in found]}, indent=2))
        return 0
    if not found:
        print("No device has signed in" + (f" as {args.user}." if args.user else "."))
        return 0
    width = max(9, *(len(d.device_id) for d in found))
    print(f"{'DEVICE_ID':<{width}}  {'USER':<24} {'LAST SIGN-IN (UTC)':<18} "
          f"{'FIRST SEEN (UTC)':<18} {'STATUS':<25} NAME")
    for d in found:
        status = f"revoked {_when(d.revoked_at)}" if d.revoked_at else "active"
        print(f"{d.device_id:<{width}}  {d.user:<24} {_when(d.last_login):<18} "
              f"{_when(d.first_seen):<18} {status:<25} {d.name or '-'}")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from counsellor_app.hub.auth import Accounts

    db = database(args)
    try:
        known = Accounts(db, HubSettings()).revoke_device(args.device_id)
    finally:
        db.dispose()
    if not known:
        raise DomainError("No device with this id has ever signed in to this hub "
                          "(`counsellor-hub devices` lists them).")
    print(f"Revoked device {args.device_id}: it will be told to wipe its cache at its next sync.")
    return 0


def _sessions_revoke_all(args: argparse.Namespace) -> int:
    from counsellor_app.hub.operations import end_all_sessions

    db = database(args)
    try:
        live = end_all_sessions(db, utc_now())
    finally:
        db.dispose()
    print(f"Ended {live} live token(s): every user signs in again with their password at their "
          "next sync; devices keep their caches.")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from counsellor_app.hub.backup import backup

    db = database(args)
    try:
        report = backup(db, args.file)
    finally:
        db.dispose()
    size = f"{report.size / 1e6:.1f} MB" if report.size >= 1e6 else f"{report.size / 1e3:.0f} kB"
    print(f"Backed up the hub's {report.engine} database to {report.path} ({size}).")
    return 0
