"""A whole headless session leaves no patient identifier in the profile's files, logs or output.

Sync with a real hub on loopback, list cases, record consent (accepted and refused), write
letters, push them, a rejected outbox item and a failed sync; then every file under the profile
(logs, temp folder, settings; the cache itself is encrypted), the process's temp folder, and
everything written to stdout and stderr (except ``cases --json``'s stdout, which is the user's
own request for identities) is searched for every name, NHS number (with and without spaces),
date of birth and postcode of the synthetic dataset.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from counsellor_app import cli
from counsellor_app.demo import generate, identifying_strings
from counsellor_app.hub.database import Database
from counsellor_app.hub.seed import DEMO_PASSWORD, seed
from counsellor_app.hub.server import RunningHub, run_in_thread
from counsellor_app.hub.settings import HubSettings
from counsellor_app.logging_setup import log_file_of, remove_handlers
from counsellor_app.store.engine import open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.outbox import OutboxKind, enqueue
from counsellor_app.store.paths import Profile

PARTICIPANTS = 60
SEED = 17
TEAM = "team-cardiff"
USER = "counsellor-cardiff"
# A reference date in the past: nobody's date of birth can then be today's date in a log line.
REFERENCE = dt.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    remove_handlers(root)
    root.setLevel(level)
    logging.captureWarnings(False)


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[RunningHub]:
    settings = HubSettings(
        password_hasher=PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    )
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    db = Database(url)
    db.migrate()
    seed(db, settings, PARTICIPANTS, seed=SEED, teams=(TEAM,), reference_date=REFERENCE)
    db.dispose()
    running = run_in_thread(url, settings=settings, migrate=False)
    try:
        yield running
    finally:
        running.stop()


class Session:
    """Runs ``counsellor-app`` commands in this process and keeps what they printed."""

    def __init__(self, profile: Path, capsys: pytest.CaptureFixture[str],
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.profile = profile
        self.capsys = capsys
        self.monkeypatch = monkeypatch
        self.printed: list[str] = []  # searched afterwards
        self.private_output: list[str] = []  # cases' stdout: the user asked for identities

    def run(self, *args: str, stdin: str = "", private_stdout: bool = False) -> tuple[int, str]:
        self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = cli.main([*args, "--profile", str(self.profile), "--verbose"])
        out, err = self.capsys.readouterr()
        (self.private_output if private_stdout else self.printed).append(out)
        self.printed.append(err)
        return code, out


def _first_success(session: Session, attempts: list[list[str]]) -> bool:
    return any(session.run(*attempt)[0] == 0 for attempt in attempts)


def test_a_full_session_leaves_no_identifier_in_logs_temp_files_or_output(
    hub: RunningHub, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    temp = tmp_path / "process-temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr("tempfile.tempdir", None)
    profile = Profile.at(tmp_path / "profile")
    session = Session(profile.root, capsys, monkeypatch)

    code, _ = session.run("sync", "--hub", hub.url, "--user", USER, "--json",
                          stdin=DEMO_PASSWORD + "\n")
    assert code == 0
    code, listing = session.run("cases", "--json", "--limit", "0", private_stdout=True)
    assert code == 0
    cases = json.loads(listing)["cases"]
    assert len(cases) >= 20
    case_ids = [c["case_ids"][0] for c in cases if c["case_ids"]]

    # consent: a refusal (no such case) and real decisions, until some are recorded
    assert session.run("consent", "NO-SUCH-CASE", "--scope", "contact_for_research",
                       "--decision", "granted", "--given-by", "self", "--method", "phone")[0]
    recorded = _first_success(session, [
        ["consent", case_id, "--scope", "contact_for_research", "--decision", "declined",
         "--given-by", "self", "--method", "phone"]
        for case_id in case_ids[:15]
    ])
    assert recorded, "no consent decision could be recorded"

    # letters: some are refused by the consent rules (those refusals are output too)
    letters = tmp_path / "letters"  # where the user asked: outside the profile, not searched
    letters.mkdir()
    written = 0
    for index, case_id in enumerate(case_ids[:12]):
        code, _ = session.run("letter", case_id, "--kind", "consent-confirmation",
                              "--out", str(letters / f"letter-{index}.pdf"))
        written += code == 0
    assert written, "no letter could be written"

    code, _ = session.run("sync", "--hub", hub.url, "--user", USER, "--json")
    assert code == 0

    # a change the hub rejects, then a sync that fails because the hub has gone
    keys = KeyProvider(profile)
    with open_cache(profile, keys, create=False) as cache, cache.write() as s:
        enqueue(
            s, OutboxKind.RESULT_STATE,
            {"result_id": "no-such-result", "counsellor_state": "reviewed",
             "informed_how": None, "at": dt.datetime.now(dt.UTC).isoformat(), "by": USER},
            record_type="result", record_id="no-such-result",
        )
    code, report = session.run("sync", "--hub", hub.url, "--user", USER, "--json")
    assert code in (0, 1) and json.loads(report)["rejected"] >= 1
    hub.stop()
    code, _ = session.run("sync", "--hub", hub.url, "--user", USER)
    assert code != 0
    session.run("check")

    for handler in logging.getLogger().handlers:
        handler.flush()
    log_text = log_file_of(profile).read_text(encoding="utf-8")
    # what support staff need: each step with ids and counts
    assert "started: sync" in log_text and "sync finished: received" in log_text
    assert "consent decision" in log_text and "recorded for participant" in log_text
    assert "letter" in log_text and "stored for case" in log_text
    assert "came back rejected from the hub" in log_text
    assert "command refused (HubUnreachable)" in log_text

    dataset = generate(PARTICIPANTS, seed=SEED, teams=(TEAM,), reference_date=REFERENCE)
    identifiers = sorted(identifying_strings(dataset))
    assert any(c["name"] in identifiers for c in cases), "the dataset is not the hub's"

    searched: dict[str, str] = {}
    for folder in (profile.root, temp):
        for path in folder.rglob("*"):
            if path.is_file():
                searched[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    searched.update({f"output #{i}": text for i, text in enumerate(session.printed)})
    assert any(name.endswith(".log") for name in searched)
    hits = [
        (where, identifier)
        for where, text in searched.items()
        for identifier in identifiers
        if identifier in text
    ]
    assert hits == []
