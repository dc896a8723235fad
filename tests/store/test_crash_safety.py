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


def _check_all_or_nothing(profile: Profile) -> int:
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
        return len(decisions)
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
    committed = 0
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
        seen = 0
        for _ in range(rng.randint(1, 8)):
            receiver.recv()
            seen += 1
        os.kill(child.pid, signal.SIGKILL)  # lands inside the next transaction, or between two
        child.join()
        assert child.exitcode == -signal.SIGKILL
        receiver.close()
        total = _check_all_or_nothing(profile)
        assert total >= committed + seen  # every acknowledged decision survived
        committed = total
        next_index += 1000
