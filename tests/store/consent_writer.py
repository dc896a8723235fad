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
    """Record decisions one transaction each, telling the parent as each one starts
    (``("begin", id)``), once its rows are written but not committed (``("written", id)``)
    and once it is committed (``("done", id)``).

    After a number of commits it chose at random, the parent kills this process (SIGKILL) as
    soon as it hears "begin" or "written" (chosen at random too): the kill lands inside that
    transaction, before or after its rows went to the database.
    """
    profile = Profile.at(profile_dir)
    cache = open_cache(profile, KeyProvider(profile), create=False)
    progress.send("ready")
    index = first
    while True:
        decision = decision_number(index, participants)
        progress.send(("begin", decision.decision_id))
        with cache.write() as session:
            record_consent(session, decision, actor="crash-test", today=dt.date(2025, 1, 1))
            session.flush()
            progress.send(("written", decision.decision_id))  # all three rows, not committed
        progress.send(("done", decision.decision_id))
        index += 1
