"""docs/deployment.md, layout A, as a new operator runs it: the guide's own config and commands
against a hub serving HTTPS on a loopback port (paths moved into a temporary folder)."""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import re
import ssl
import subprocess
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from counsellor_app.hub.cli import main

from .hub_process import HubProcess, hub_env

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"
BLOCK = re.compile(r"<!-- guide-test: ([\w-]+) -->\n```\w*\n(.*?)```", re.S)
AS_HUB_ACCOUNT = "sudo -u counsellor-hub "


def guide_blocks(moves: dict[str, str]) -> dict[str, str]:
    """The guide's tested blocks by name, with its paths moved."""
    blocks = {}
    for name, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        for old, new in moves.items():
            body = body.replace(old, new)
        blocks[name] = body
    return blocks


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, standing in for the trust's own."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hub test")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hub.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "hub.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return folder / "hub.pem", folder / "hub.key"


def run_block(block: str, monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> str:
    """Each line is `[printf ... |] sudo -u counsellor-hub counsellor-hub ARGS`; the shell
    expands the words (and makes stdin), the command line runs in this process."""
    printed = []
    for line in filter(None, (raw.strip() for raw in block.splitlines())):
        feed, _, command = line.rpartition(" | ")
        assert command.startswith(AS_HUB_ACCOUNT + "counsellor-hub "), line
        words = subprocess.run(
            ["bash", "-c", 'printf "%s\\0" ' + command.removeprefix(AS_HUB_ACCOUNT)],
            capture_output=True, text=True, check=True).stdout.split("\0")[1:-1]
        stdin = subprocess.run(["bash", "-c", feed], capture_output=True, text=True,
                               check=True).stdout if feed else ""
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(words)
        out, err = capsys.readouterr()
        assert code == 0, f"{line}\n{out}{err}"
        printed.append(out)
    return "".join(printed)


def test_the_guides_sqlite_commands_work_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    etc, lib, backups = tmp_path / "etc", tmp_path / "lib", tmp_path / "backups"
    for folder in (etc, lib, backups):
        folder.mkdir()
    blocks = guide_blocks({"/etc/counsellor-hub": str(etc), "/var/lib/counsellor-hub": str(lib),
                           "/var/backups/counsellor-hub": str(backups)})
    config = blocks["sqlite-config"]
    assert 'host = "0.0.0.0"' in config and "port = 8443" in config
    # Listen on a free loopback port instead; everything else is the guide's.
    config = config.replace('host = "0.0.0.0"', 'host = "127.0.0.1"').replace(
        "port = 8443", "port = 0")
    (etc / "hub.toml").write_text(config, encoding="utf-8")
    cert, _key = self_signed(etc / "tls")
    monkeypatch.setenv("COUNSELLOR_HUB_CONFIG", str(etc / "hub.toml"))

    out = run_block(blocks["sqlite-first-run"], monkeypatch, capsys)
    assert "Added counsellor sam.jones to team-cardiff." in out
    assert f"config file: {etc / 'hub.toml'}" in out

    hub = HubProcess(["serve"], hub_env(tmp_path, {"COUNSELLOR_HUB_CONFIG": str(etc / "hub.toml")}),
                     tmp_path)
    lost = re.search(r"revoke ([0-9a-f-]{36})", blocks["sqlite-lost-laptop"])
    assert lost is not None
    try:
        assert hub.url.startswith("https://127.0.0.1:")
        with httpx.Client(base_url=hub.url, verify=ssl.create_default_context(cafile=cert),
                          timeout=30) as client:
            assert client.get("/v1/ready", headers={"X-Forwarded-For": "10.9.8.7"}).json() \
                == {"status": "ready"}
            tokens = {}
            for device in (lost.group(1), "a-laptop-that-stays"):
                answer = client.post("/v1/login", json={
                    "user": "sam.jones", "password": "correct horse battery staple",
                    "device_id": device, "device_name": "CARDIFF-LT-042"})
                assert answer.status_code == 200, answer.text
                tokens[device] = {"Authorization": f"Bearer {answer.json()['access_token']}"}

            run_block(blocks["sqlite-users"], monkeypatch, capsys)
            out = run_block(blocks["sqlite-lost-laptop"], monkeypatch, capsys)
            assert lost.group(1) in out and "CARDIFF-LT-042" in out and "Revoked device" in out
            assert client.get("/v1/me", headers=tokens[lost.group(1)]).status_code == 410
            assert client.get("/v1/me", headers=tokens["a-laptop-that-stays"]).status_code == 200

            run_block(blocks["sqlite-sessions"], monkeypatch, capsys)
            assert client.get("/v1/me",
                              headers=tokens["a-laptop-that-stays"]).status_code == 401
            out = run_block(blocks["sqlite-backup"], monkeypatch, capsys)
            assert "Backed up the hub's SQLite database" in out
    finally:
        code, log = hub.stop()
    assert code in (0, -15), log  # uvicorn re-raises SIGTERM once it has shut down
    assert "ERROR" not in log and "Traceback" not in log
    assert "client=127.0.0.1" in log and "10.9.8.7" not in log  # no proxy declared: not believed
    backup = next(backups.iterdir())
    assert backup.name.startswith("hub-") and backup.stat().st_mode & 0o777 == 0o600
