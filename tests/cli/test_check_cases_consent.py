"""``check``, ``cases``, ``consent`` and ``demo-cache`` end to end, with COUNSELLOR_PASSPHRASE."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from counsellor_app.cli import main
from counsellor_app.store.keys import PASSPHRASE_ENV

PASSPHRASE = "a long enough passphrase"


@pytest.fixture(scope="module")
def demo_profile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A profile filled once by ``demo-cache`` (passphrase-protected key, no keyring)."""
    root = tmp_path_factory.mktemp("cli") / "profile"
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PASSPHRASE_ENV, PASSPHRASE)
        assert (
            main(["demo-cache", "--profile", str(root), "--participants", "80", "--seed", "5"]) == 0
        )
    keyring.set_keyring(previous)
    yield root


@pytest.fixture
def profile(demo_profile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the demo profile, opened with the passphrase (no credential store)."""
    copy = tmp_path / "profile"
    shutil.copytree(demo_profile, copy)
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    return copy


def _cases(profile: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    capsys.readouterr()
    assert main(["cases", "--profile", str(profile), "--json", "--limit", "0", *extra]) == 0
    document = json.loads(capsys.readouterr().out)
    assert isinstance(document, dict)
    return document


def test_check_reports_an_intact_cache_in_plain_words(
    profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--profile", str(profile)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"The cache at {profile / 'cache.db'} is intact")
    assert "cipher and database checks passed" in out


def test_check_reports_a_damaged_cache_and_fails(
    profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache_file = profile / "cache.db"
    original = cache_file.read_bytes()
    page = 4096
    listed = False
    # damage one page at a time: every damaged page fails the check; most are listed by the
    # page check (those read while opening make the cache unreadable, said as plainly)
    for number in range(2, min(12, len(original) // page)):
        data = bytearray(original)
        data[number * page + 1000] ^= 0xFF
        cache_file.write_bytes(bytes(data))
        capsys.readouterr()
        assert main(["check", "--profile", str(profile)]) == 1
        out = capsys.readouterr().out
        assert out.startswith(f"The cache at {cache_file} is damaged")
        if f"cipher check: HMAC verification failed for page {number + 1}" in out:
            listed = True
            break
    assert listed


def test_check_with_a_wrong_passphrase_is_one_clear_line(
    profile: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "not the passphrase at all")
    assert main(["check", "--profile", str(profile)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "passphrase did not unlock" in err[0]


def test_a_missing_cache_says_how_to_get_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("check", "cases"):
        assert main([command, "--profile", str(tmp_path / "empty")]) != 0
        err = capsys.readouterr().err.strip()
        assert "no cache" in err and "sync" in err and "demo-cache" in err
        assert "Traceback" not in err
    assert not (tmp_path / "empty" / "cache.db").exists()


def test_cases_lists_ids_names_nhs_numbers_and_finds_by_name_number_and_id(
    profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    everyone = _cases(profile, capsys)
    assert everyone["total"] == 80
    people = everyone["cases"]
    assert isinstance(people, list)
    first = people[40]
    nhs = first["nhs_number"]
    assert len(nhs) == 12 and nhs[3] == " " and nhs[7] == " "
    for query in (nhs, nhs.replace(" ", ""), nhs.replace(" ", "-"), first["participant_id"]):
        found = _cases(profile, capsys, "--search", query)["cases"]
        assert first["participant_id"] in [c["participant_id"] for c in found]  # type: ignore[union-attr]
    by_case = _cases(profile, capsys, "--search", first["case_ids"][0])["cases"]
    assert [c["participant_id"] for c in by_case] == [first["participant_id"]]  # type: ignore[union-attr]
    by_name = _cases(profile, capsys, "--search", first["family_name"])["cases"]
    assert first["participant_id"] in [c["participant_id"] for c in by_name]  # type: ignore[union-attr]
    capsys.readouterr()
    assert main(["cases", "--profile", str(profile), "--search", first["family_name"]]) == 0
    text = capsys.readouterr().out
    assert f"{first['participant_id']}  {nhs}  {first['name']}" in text


def test_consent_records_a_decision_and_the_case_list_shows_it(
    profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    adult = next(
        c
        for c in _cases(profile, capsys)["cases"]  # type: ignore[union-attr]
        if c["date_of_birth"] < "1990" and not c["flags"]
    )
    argv = [
        "consent",
        adult["case_ids"][0],
        "--profile",
        str(profile),
        "--scope",
        "additional_findings",
        "--decision",
        "declined",
        "--given-by",
        "self",
        "--method",
        "phone",
        "--note",
        "decided after a clinic discussion",
    ]
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("Recorded: additional findings declined")
    assert main(argv[:-2]) == 0  # the same decision again: recorded once
    found = _cases(profile, capsys, "--search", adult["participant_id"])["cases"]
    assert found[0]["flags"] == ["additional findings declined"]  # type: ignore[index]


def test_a_refused_consent_is_one_line_on_stderr_and_changes_nothing(
    profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (profile / "cache.db").read_bytes()
    adult = _cases(profile, capsys)["cases"][0]  # type: ignore[index]
    for argv in (
        # a parent cannot decide for an adult
        [adult["participant_id"], "--given-by", "parent_or_guardian", "--given-by-name", "A"],
        # a per-request scope needs its request
        [adult["participant_id"], "--scope", "publication", "--given-by", "self"],
        # no such case
        ["C-does-not-exist", "--given-by", "self"],
        # not a date
        [adult["participant_id"], "--given-by", "self", "--effective", "yesterday"],
    ):
        full = ["consent", "--profile", str(profile), "--decision", "granted", "--method", "phone"]
        if "--scope" not in argv:
            full += ["--scope", "additional_findings"]
        capsys.readouterr()
        assert main(full + argv) != 0
        captured = capsys.readouterr()
        assert captured.out == ""
        assert len(captured.err.strip().splitlines()) == 1
        assert adult["name"] not in captured.err and adult["nhs_number"] not in captured.err
    assert main(["check", "--profile", str(profile)]) == 0
    assert (
        _cases(profile, capsys, "--search", adult["participant_id"])["cases"][0]["flags"]
        == (  # type: ignore[index]
            adult["flags"]
        )
    )
    del before


def test_demo_cache_never_replaces_an_existing_cache(
    profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (profile / "cache.db").read_bytes()
    assert main(["demo-cache", "--profile", str(profile), "--participants", "5"]) != 0
    assert "already has a cache" in capsys.readouterr().err
    assert (profile / "cache.db").read_bytes() == before
