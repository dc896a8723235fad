"""Child process body for the crash test: records consent decisions until it is killed."""

from __future__ import annotations

import datetime as dt
from multiprocessing.connection import Connection

from counsellor_app.domain.consent import ConsentDecision, ConsentScope, Decision, GivenBy, Method
from counsellor_app.store.consent_repo import record_consent
from counsellor_app.store.engine import open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile

BASE = dt.datetime(2024, 1, 1, 9, 0, tzinfo=dt.UTC)
SCOPES = (ConsentScope.ADDITIONAL_FINDINGS, ConsentScope.CONTACT_FOR_RESEARCH)
CHOICES = (Decision.GRANTED, Decision.DECLINED)


def decision_number(index: int, participants: int) -> ConsentDecision:
    return ConsentDecision(
        decision_id=f"crash-{index}",
        participant_id=f"P{index % participants + 1:06d}",
        scope=SCOPES[index % 2],
        decision=CHOICES[(index // 2) % 2],
        given_by=GivenBy.SELF,
        given_by_name=None,
        method=Method.PHONE,
        recorded_by="crash-test",
        recorded_at=BASE + dt.timedelta(minutes=index),
        effective_from=BASE + dt.timedelta(minutes=index),
    )


def write_until_killed(
    profile_dir: str, first: int, participants: int, progress: Connection
) -> None:
    """Record decisions one transaction each; after each commit, send its id to the parent.

    The parent kills this process (SIGKILL) after a number of acknowledgements it chose at
    random, so the kill lands somewhere inside the next transaction.
    """
    profile = Profile.at(profile_dir)
    cache = open_cache(profile, KeyProvider(profile), create=False)
    progress.send("ready")
    index = first
    while True:
        decision = decision_number(index, participants)
        with cache.write() as session:
            record_consent(session, decision, actor="crash-test", today=dt.date(2025, 1, 1))
        progress.send(decision.decision_id)
        index += 1
