"""``counsellor-app cases``: the cached caseload (ids, names, NHS numbers, flags)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from counsellor_app.commands.cache_access import open_profile_cache
from counsellor_app.domain.participant import Programme
from counsellor_app.store.caseload import CaseRow, CaseSort, count_caseload, search_caseload
from counsellor_app.store.tables import CaseEntityRow


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "cases",
        parents=[common],
        help="list the cached caseload",
        description=(
            "List the participants in the local cache with their case ids, NHS numbers and "
            "consent flags. --search matches name parts in any order (accents ignored), an NHS "
            "number with or without spaces (all or part of it), or a participant or case id."
        ),
    )
    parser.add_argument("--search", metavar="TEXT", help="name, NHS number or id to look for")
    parser.add_argument("--programme", choices=[p.value for p in Programme])
    parser.add_argument(
        "--needs-reconsent", action="store_true", help="only young people who must re-consent"
    )
    parser.add_argument("--sort", choices=[s.value for s in CaseSort], default=CaseSort.NAME.value)
    parser.add_argument(
        "--limit", type=int, default=200, help="at most this many (0 for all; default 200)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.set_defaults(func=run)


def _case_ids(session: Any, participant_ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(participant_ids), 500):
        rows = session.execute(
            select(CaseEntityRow.participant_id, CaseEntityRow.case_id)
            .where(CaseEntityRow.participant_id.in_(participant_ids[start : start + 500]))
            .order_by(CaseEntityRow.opened_on, CaseEntityRow.case_id)
        )
        for participant_id, case_id in rows:
            found[participant_id].append(case_id)
    return found


def _as_json(row: CaseRow, case_ids: list[str]) -> dict[str, Any]:
    return {
        "participant_id": row.participant_id,
        "case_ids": case_ids,
        "name": row.display_name,
        "given_name": row.given_name,
        "family_name": row.family_name,
        "nhs_number": row.nhs_number_spaced,
        "date_of_birth": row.date_of_birth.isoformat(),
        "programme": row.programme.value,
        "team": row.team,
        "latest_result": None
        if row.latest_result_id is None
        else {
            "result_id": row.latest_result_id,
            "kind": row.latest_result_kind.value if row.latest_result_kind else None,
            "outcome": row.latest_result_outcome.value if row.latest_result_outcome else None,
            "issued_on": row.latest_result_date.isoformat() if row.latest_result_date else None,
        },
        "new_results": row.new_result_count,
        "open_requests": row.open_request_count,
        "flags": list(row.flags),
    }


def run(args: argparse.Namespace) -> int:
    today = dt.date.today()
    limit = args.limit if args.limit and args.limit > 0 else 1_000_000
    filters: dict[str, Any] = {
        "text": args.search,
        "programme": Programme(args.programme) if args.programme else None,
        "needs_reconsent": True if args.needs_reconsent else None,
        "today": today,
    }
    with open_profile_cache(args) as cache, cache.read() as session:
        total = count_caseload(session, **filters)
        rows = search_caseload(session, sort=CaseSort(args.sort), limit=limit, **filters)
        if not rows and args.search:
            rows = _by_case_id(session, args.search.strip(), today)
            total = len(rows)
        case_ids = _case_ids(session, [r.participant_id for r in rows])
    if args.json:
        document = {
            "total": total,
            "shown": len(rows),
            "cases": [_as_json(r, case_ids.get(r.participant_id, [])) for r in rows],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("No cases match." if args.search else "The cache holds no cases yet.")
        return 0
    for row in rows:
        cases = ", ".join(case_ids.get(row.participant_id, [])) or "no case"
        flags = f"  [{'; '.join(row.flags)}]" if row.flags else ""
        print(
            f"{row.participant_id}  {row.nhs_number_spaced}  {row.display_name}  ({cases}){flags}"
        )
    if total > len(rows):
        print(f"Showing {len(rows)} of {total:,}. Narrow with --search, or --limit 0 for all.")
    return 0


def _by_case_id(session: Any, text: str, today: dt.date) -> list[CaseRow]:
    participant_id = session.execute(
        select(CaseEntityRow.participant_id).where(CaseEntityRow.case_id == text)
    ).scalar_one_or_none()
    if participant_id is None:
        return []
    return [
        r
        for r in search_caseload(session, text=participant_id, today=today)
        if r.participant_id == participant_id
    ]
