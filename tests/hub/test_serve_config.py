"""``counsellor-hub serve`` settings: file < environment < command line, and the refusals."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest

from counsellor_app.hub.cli import main
from counsellor_app.hub.config import ConfigError, ServerConfig, check_secure, is_loopback, load
from counsellor_app.hub.database import Database
from counsellor_app.hub.operations import set_disabled


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_command_line_beats_environment_beats_file_beats_defaults(tmp_path: Path) -> None:
    file = write(tmp_path / "hub.toml",
                 'host = "10.0.0.5"\nport = 9000\nbehind_tls_proxy = true\n'
                 'access_token_minutes = 10\n')
    env = {"COUNSELLOR_HUB_PORT": "9100", "COUNSELLOR_HUB_REFRESH_TOKEN_DAYS": "7",
           "COUNSELLOR_HUB_FORWARDED_ALLOW_IPS": "10.0.0.2"}
    config = load(file, {"port": 9200, "host": None}, env)
    assert (config.host, config.port) == ("10.0.0.5", 9200)
    assert config.behind_tls_proxy and config.forwarded_allow_ips == "10.0.0.2"
    settings = config.hub_settings()
    assert settings.access_ttl == dt.timedelta(minutes=10)
    assert settings.refresh_ttl == dt.timedelta(days=7)
    empty = write(tmp_path / "empty.toml", "")
    assert load(None, None, {"COUNSELLOR_HUB_CONFIG": str(empty)}) == ServerConfig()


def test_the_file_may_come_from_the_environment_or_a_hub_table(tmp_path: Path) -> None:
    file = write(tmp_path / "hub.toml", '[hub]\ndb_url = "sqlite:////srv/hub.sqlite3"\n')
    config = load(None, None, {"COUNSELLOR_HUB_CONFIG": str(file)})
    assert config.database == "sqlite:////srv/hub.sqlite3"


@pytest.mark.parametrize(("text", "env", "says"), [
    ('hots = "0.0.0.0"\n', {}, "unknown setting(s): hots"),
    ("port = 'eighty'\n", {}, "port must be a whole number"),
    ("port = 70000\n", {}, "is not a TCP port"),
    ("behind_tls_proxy = 'maybe'\n", {}, "must be true or false"),
    ('tls_certfile = "/x.pem"\n', {}, "needs both tls_certfile and tls_keyfile"),
    ("access_token_minutes = 10000\n", {}, "over a day"),
    ("port = [\n", {}, "not valid TOML"),
    ("", {"COUNSELLOR_HUB_LOG_LEVEL": "chatty"}, "log_level must be one of"),
])
def test_a_misspelt_or_impossible_setting_is_refused(tmp_path: Path, text: str,
                                                     env: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError, match=says.replace("(", r"\(").replace(")", r"\)")):
        load(write(tmp_path / "hub.toml", text), None, env)


def test_a_named_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="There is no config file"):
        load(tmp_path / "missing.toml", None, {})


def test_loopback_addresses() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "10.1.2.3", "hub.nhs.example"]))


def test_plain_http_beyond_loopback_is_refused_unless_a_tls_proxy_is_declared(
    tmp_path: Path,
) -> None:
    check_secure(ServerConfig(host="127.0.0.1"))
    with pytest.raises(ConfigError, match="Refusing to listen on 0.0.0.0 without TLS"):
        check_secure(ServerConfig(host="0.0.0.0"))
    check_secure(ServerConfig(host="0.0.0.0", behind_tls_proxy=True))
    with pytest.raises(ConfigError, match="does not exist or cannot be read"):
        check_secure(ServerConfig(host="0.0.0.0", tls_certfile=str(tmp_path / "c.pem"),
                                  tls_keyfile=str(tmp_path / "k.pem")))


@pytest.mark.parametrize("hub_db_url", ["sqlite"], indirect=True)  # engine-agnostic
def test_serve_refusals_are_one_line_and_exit_non_zero(
    hub_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    garbage = write(tmp_path / "c.pem", "not a certificate")
    attempts = [
        (["serve", "--db", hub_db_url, "--host", "0.0.0.0"], "without TLS"),
        (["serve", "--db", empty], "no schema yet: run counsellor-hub migrate"),
        (["serve", "--db", hub_db_url, "--config", str(write(
            tmp_path / "tls.toml", f'tls_certfile = "{garbage}"\ntls_keyfile = "{garbage}"\n'))],
         "could not be loaded"),
    ]
    for argv, says in attempts:
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("counsellor-hub: ") and says in err


@pytest.mark.parametrize("hub_db_url", ["sqlite"], indirect=True)  # engine-agnostic
def test_beyond_loopback_the_demo_password_is_refused(
    hub_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COUNSELLOR_HUB_BEHIND_TLS_PROXY", "true")
    taken = socket.socket()
    taken.bind(("0.0.0.0", 0))
    taken.listen()
    port = str(taken.getsockname()[1])
    assert main(["serve", "--db", hub_db_url, "--host", "0.0.0.0", "--port", port]) == 2
    err = capsys.readouterr().err
    assert "demo user(s) still have the published demo password" in err
    assert "counsellor-cardiff" in err
    db = Database(hub_db_url)
    names = err.split("password (")[1].split(")")[0].split(", ")
    for name in names:
        set_disabled(db, name, True, dt.datetime.now(dt.UTC))
    db.dispose()
    # Past that check, the refusal is about the port another program holds.
    code = main(["serve", "--db", hub_db_url, "--host", "0.0.0.0", "--port", port])
    taken.close()
    err = capsys.readouterr().err
    assert code == 2 and "demo" not in err and f"Cannot listen on 0.0.0.0:{port}" in err
