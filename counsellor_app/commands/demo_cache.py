"""``counsellor-app demo-cache``: fill a profile's new cache with synthetic participants."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import Any

from counsellor_app.commands.cache_access import open_profile_cache, profile_of
from counsellor_app.demo.synthetic import generate
from counsellor_app.domain.errors import DomainError
from counsellor_app.store.bulk import load_dataset


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "demo-cache",
        parents=[common],
        help="fill a new cache with synthetic data (for a try-out or development)",
        description=(
            "Create the profile's cache and fill it with synthetic participants (999-range "
            "NHS numbers, invented names). Refuses if the profile already has a cache."
        ),
    )
    parser.add_argument("--participants", type=int, default=2_000, metavar="N")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.participants < 1:
        raise DomainError("Give at least one participant (--participants N).")
    profile = profile_of(args)
    if profile.cache_file.exists():
        raise DomainError(
            f"The profile at {profile.root} already has a cache; it was left as it is. Use "
            "another --profile for synthetic data."
        )
    today = dt.date.today()
    started = time.perf_counter()
    dataset = generate(args.participants, seed=args.seed, reference_date=today)
    generated = time.perf_counter()
    with open_profile_cache(args, create=True) as cache:
        load_dataset(cache, dataset, today=today)
        where = cache.key_description
    loaded = time.perf_counter()
    print(
        f"Filled the cache at {profile.cache_file} with {len(dataset.participants):,} synthetic "
        f"participants, {len(dataset.results):,} results, {len(dataset.requests):,} requests "
        f"and {len(dataset.decisions):,} consent decisions (generated in "
        f"{generated - started:.1f} s, stored in {loaded - generated:.1f} s). Its key is in "
        f"{where}."
    )
    return 0
