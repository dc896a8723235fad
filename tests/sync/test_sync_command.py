"""``counsellor-app sync`` run as a user would: password on stdin once, JSON out, plain errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from counsellor_app.cli import main
from counsellor_app.hub.server import RunningHub
from counsellor_app.store.engine import integrity_check, open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile

from .helpers import DEMO_PASSWORD, hub_team_ids

PASSPHRASE = "correct horse battery"


def run_cli(*args: str, stdin: str = "", home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOME": str(home),
        "COUNSELLOR_PASSPHRASE": PASSPHRASE,
        # no credential store in the child: the passphrase-wrapped key file is used
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    return subprocess.run(
        [sys.executable, "-m", "counsellor_app.cli", *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=300, check=False,
    )


def test_first_sync_reads_the_password_from_stdin_and_later_syncs_need_none(
    small_hub: RunningHub, small_hub_db_url: str, tmp_path: Path
) -> None:
    profile = tmp_path / "profile"
    first = run_cli("sync", "--profile", str(profile), "--hub", small_hub.url,
                    "--user", "counsellor-cardiff", "--json",
                    stdin=DEMO_PASSWORD + "\n", home=tmp_path)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    expected = hub_team_ids(small_hub_db_url, "team-cardiff")
    assert report["pulled"]["participant"] >= len(expected["participants"])
    assert report["hub_url"] == small_hub.url

    again = run_cli("sync", "--profile", str(profile), "--hub", small_hub.url,
                    "--user", "counsellor-cardiff", stdin="", home=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Received 0 change(s)")

    # the refresh token is sealed in the key file, never in plain text
    key_file = Profile.at(profile).wrapped_key_file.read_text()
    assert "hub-refresh-token" in key_file
    keys = KeyProvider(Profile.at(profile), environ={"COUNSELLOR_PASSPHRASE": PASSPHRASE})
    with open_cache(Profile.at(profile), keys, create=False) as cache:
        assert integrity_check(cache) == []
    for path in profile.rglob("*"):
        if path.is_file():
            assert DEMO_PASSWORD.encode() not in path.read_bytes()


def run_in_process(
    args: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """The same command line in this process (for refusals: no child process needed)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_wrong_password_is_one_plain_line_and_a_non_zero_exit(
    small_hub: RunningHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_in_process(
        ["sync", "--profile", str(tmp_path / "p"), "--hub", small_hub.url,
         "--user", "counsellor-cardiff"], "not-the-password\n", monkeypatch, capsys,
    )
    assert code != 0 and out == ""
    assert err.count("\n") == 1
    assert "user name or password is wrong" in err


def test_a_plain_http_hub_elsewhere_is_refused_before_anything_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "p"
    code, _, err = run_in_process(
        ["sync", "--profile", str(profile), "--hub", "http://hub.example.nhs.uk",
         "--user", "counsellor-cardiff"], DEMO_PASSWORD + "\n", monkeypatch, capsys,
    )
    assert code != 0
    assert err.strip().endswith(
        "Refusing to sync over plain http: the hub must use https "
        "(only a hub on this computer may use http)."
    )
    assert err.count("\n") == 1
    assert not Profile.at(profile).cache_file.exists()
