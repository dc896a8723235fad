"""A process killed (SIGKILL) while recording consent leaves all three rows or none of them."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import func, select

from counsellor_app.store.bulk import insert_records
from counsellor_app.store.engine import integrity_check, open_cache
from counsellor_app.store.keys import PASSPHRASE_ENV, Argon2Params, KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.store.tables import AuditRow, ConsentDecisionRow, OutboxRow

from . import factories as f
from .conftest import TODAY
from .consent_writer import write_until_killed

PARTICIPANTS = 40
KILLS = 20
PASSPHRASE = "crash test passphrase"


def _check_all_or_nothing(profile: Profile) -> set[str]:
    cache = open_cache(profile, KeyProvider(profile), create=False)
    try:
        assert integrity_check(cache) == []
        with cache.read() as session:
            decisions = set(session.scalars(select(ConsentDecisionRow.decision_id)))
            outbox = list(
                session.scalars(
                    select(OutboxRow.record_id).where(OutboxRow.kind == "consent_decision")
                )
            )
            audit = list(
                session.scalars(
                    select(AuditRow.record_id).where(AuditRow.action == "consent.recorded")
                )
            )
            assert sorted(outbox) == sorted(decisions)
            assert sorted(audit) == sorted(decisions)
            assert session.execute(select(func.count()).select_from(OutboxRow)).scalar_one() == len(
                decisions
            )
        return decisions
    finally:
        cache.close()


@pytest.mark.slow
def test_sigkill_mid_record_consent_leaves_decision_outbox_and_audit_together(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    cheap = Argon2Params(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1)  # test speed
    cache = open_cache(profile, KeyProvider(profile, argon2=cheap), create=True)
    people = [f.participant(i) for i in range(1, PARTICIPANTS + 1)]
    with cache.write() as session:
        insert_records(session, participants=people, today=TODAY)
    cache.close()

    # A forked child: a real separate process (killed with SIGKILL), without paying for a
    # fresh interpreter and its imports twenty times.
    context = multiprocessing.get_context("fork")
    rng = random.Random(20251127)
    next_index = 0
    committed: set[str] = set()
    cut_short = 0
    for _ in range(KILLS):
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(
            target=write_until_killed,
            args=(str(profile.root), next_index, PARTICIPANTS, sender),
            daemon=True,
        )
        child.start()
        sender.close()
        assert receiver.recv() == "ready"
        wanted = rng.randint(1, 8)
        kill_on = rng.choice(("begin", "written"))
        done: set[str] = set()
        while True:
            event, decision_id = receiver.recv()
            if event == "done":
                done.add(decision_id)
            elif event == kill_on and len(done) >= wanted:
                break  # inside a transaction: kill it now
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        assert child.exitcode == -signal.SIGKILL
        receiver.close()
        stored = _check_all_or_nothing(profile)
        assert committed | done <= stored  # every acknowledged decision survived
        in_flight = stored - committed - done
        assert in_flight <= {decision_id}  # the killed one is there whole, or not at all
        cut_short += not in_flight
        committed = stored
        next_index += 1000
    assert cut_short, "no kill landed before its transaction committed"
