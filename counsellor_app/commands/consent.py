"""``counsellor-app consent``: record one consent decision on a case (refusals change nothing)."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import uuid
from typing import Any

from counsellor_app.commands.cache_access import open_profile_cache
from counsellor_app.domain.consent import (
    ConsentDecision,
    ConsentScope,
    Decision,
    GivenBy,
    Method,
    WithdrawalLevel,
)
from counsellor_app.domain.errors import DomainError
from counsellor_app.store.case_detail import resolve_participant_id
from counsellor_app.store.consent_repo import record_consent


def _choices(enum: Any) -> list[str]:
    return [member.value for member in enum]


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "consent",
        parents=[common],
        help="record a consent decision",
        description=(
            "Record one consent decision for a case (a case id or a participant id). The "
            "decision goes to the hub at the next sync. A decision the consent rules refuse "
            "is not recorded: the reason is printed and nothing changes."
        ),
    )
    parser.add_argument("case_id", metavar="CASE_ID", help="case id or participant id")
    parser.add_argument("--scope", required=True, choices=_choices(ConsentScope))
    parser.add_argument("--decision", required=True, choices=_choices(Decision))
    parser.add_argument("--given-by", required=True, choices=_choices(GivenBy))
    parser.add_argument("--method", required=True, choices=_choices(Method))
    parser.add_argument("--request", metavar="ID", help="the request a per-request scope is for")
    parser.add_argument("--given-by-name", metavar="NAME", help="name of the person deciding")
    parser.add_argument(
        "--effective",
        metavar="DATE",
        help="when the decision took effect: YYYY-MM-DD or an ISO date and time (default: now)",
    )
    parser.add_argument("--withdrawal-level", choices=_choices(WithdrawalLevel))
    parser.add_argument("--note", metavar="TEXT")
    parser.add_argument(
        "--recorded-by", metavar="NAME", help="who records it (default: the signed-in user)"
    )
    parser.set_defaults(func=run)


def parse_effective(text: str | None, now: dt.datetime) -> dt.datetime:
    """A date (start of that day, UTC) or an ISO date-time (UTC when it names no zone)."""
    if not text:
        return now
    try:
        if len(text.strip()) == 10:
            day = dt.date.fromisoformat(text.strip())
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise DomainError(
            "The effective date is not a date: write it as YYYY-MM-DD (or YYYY-MM-DDTHH:MM)."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def run(args: argparse.Namespace) -> int:
    now = dt.datetime.now(dt.UTC)
    actor = args.recorded_by or getpass.getuser()
    scope = ConsentScope(args.scope)
    if scope.is_per_request and not args.request:
        raise DomainError(
            f"A {scope.value.replace('_', ' ')} decision is for one request: give --request ID."
        )
    with open_profile_cache(args) as cache, cache.write() as session:
        participant_id = resolve_participant_id(session, args.case_id)
        decision = ConsentDecision(
            decision_id=str(uuid.uuid4()),
            participant_id=participant_id,
            scope=scope,
            decision=Decision(args.decision),
            given_by=GivenBy(args.given_by),
            given_by_name=args.given_by_name,
            method=Method(args.method),
            recorded_by=actor,
            recorded_at=now,
            effective_from=parse_effective(args.effective, now),
            withdrawal_level=(
                WithdrawalLevel(args.withdrawal_level) if args.withdrawal_level else None
            ),
            request_id=args.request,
            note=args.note,
        )
        recorded = record_consent(session, decision, actor=actor, today=now.date())
    what = f"{scope.value.replace('_', ' ')} {decision.decision.value}"
    if recorded.created:
        print(
            f"Recorded: {what} for {participant_id} (decision {recorded.decision.decision_id}). "
            "It goes to the hub at the next sync."
        )
    else:
        print(
            f"Already recorded: {what} for {participant_id} "
            f"(decision {recorded.decision.decision_id}); nothing changed."
        )
    return 0
