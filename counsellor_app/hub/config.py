"""The hub's server configuration: a TOML file, COUNSELLOR_HUB_* variables and the command line.

Precedence, highest first: command-line options, environment variables, the config file,
built-in defaults. ``check_secure`` refuses settings that would expose the hub without TLS.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from counsellor_app.domain.errors import DomainError
from counsellor_app.hub.settings import HubSettings, default_db_url

ENV_PREFIX = "COUNSELLOR_HUB_"
CONFIG_ENV = ENV_PREFIX + "CONFIG"
LOG_LEVELS = ("debug", "info", "warning", "error")


class ConfigError(DomainError):
    """The hub's configuration is unreadable, misspelt or unsafe."""


SYSTEM_CONFIG_FILE = Path("/etc/counsellor-hub/hub.toml")


def default_config_file() -> Path:
    """``hub.toml`` in the hub's config folder (``~/.config/counsellor-hub/`` on Linux)."""
    return Path(platformdirs.user_config_dir("counsellor-hub", appauthor=False)) / "hub.toml"


def find_config_file(explicit: Path | None = None,
                     environ: Mapping[str, str] | None = None) -> Path | None:
    """The config file in force: ``explicit`` (--config), else $COUNSELLOR_HUB_CONFIG, else the
    first that exists of ``default_config_file()`` and /etc/counsellor-hub/hub.toml."""
    environ = os.environ if environ is None else environ
    if explicit is not None:
        return explicit
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV])
    for candidate in (default_config_file(), SYSTEM_CONFIG_FILE):
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class ServerConfig:
    """Everything ``counsellor-hub serve`` needs; field names are the config file's keys and,
    upper-cased after ``COUNSELLOR_HUB_``, the environment variables' names."""

    db_url: str = ""  # empty: an SQLite file in the hub's data folder
    host: str = "127.0.0.1"
    port: int = 8765
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    tls_certfile: str = ""
    tls_keyfile: str = ""
    behind_tls_proxy: bool = False
    forwarded_allow_ips: str = "127.0.0.1"
    log_level: str = "info"

    @property
    def database(self) -> str:
        return self.db_url or default_db_url()

    @property
    def tls(self) -> bool:
        return bool(self.tls_certfile and self.tls_keyfile)

    def hub_settings(self) -> HubSettings:
        return HubSettings(access_ttl=dt.timedelta(minutes=self.access_token_minutes),
                           refresh_ttl=dt.timedelta(days=self.refresh_token_days))


_KEYS = {f.name: f for f in fields(ServerConfig)}
_TYPES: dict[str, type] = {name: type(getattr(ServerConfig(), name)) for name in _KEYS}


def _coerce(name: str, value: object, where: str) -> Any:
    wanted = _TYPES[name]
    if wanted is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on"):
            return True
        if isinstance(value, str) and value.strip().lower() in ("0", "false", "no", "off", ""):
            return False
    elif wanted is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
    elif isinstance(value, str):
        return value.strip()
    kind = {bool: "true or false", int: "a whole number"}.get(wanted, "a string")
    raise ConfigError(f"{where}: {name} must be {kind}.")


def read_file(path: Path) -> dict[str, Any]:
    """The settings in a TOML file (flat keys, or under a ``[hub]`` table)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"There is no config file {path}.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The config file {path} cannot be read.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"The config file {path} is not valid TOML: {exc}.") from exc
    if set(raw) == {"hub"} and isinstance(raw["hub"], dict):
        raw = raw["hub"]
    unknown = sorted(set(raw) - set(_KEYS))
    if unknown:
        raise ConfigError(f"The config file {path} has unknown setting(s): {', '.join(unknown)}; "
                          f"known: {', '.join(_KEYS)}.")
    return {name: _coerce(name, value, str(path)) for name, value in raw.items()}


def read_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """The COUNSELLOR_HUB_* variables that name a setting."""
    found = {}
    for name in _KEYS:
        variable = ENV_PREFIX + name.upper()
        if variable in environ:
            found[name] = _coerce(name, environ[variable], variable)
    return found


def load(
    config_file: Path | None = None,
    overrides: Mapping[str, object] | None = None,
    environ: Mapping[str, str] | None = None,
) -> ServerConfig:
    """Defaults < config file (see ``find_config_file``) < environment < ``overrides`` (the
    command line; None means not given). A file named explicitly must exist."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    found = find_config_file(config_file, environ)
    if found is not None:
        values.update(read_file(found))
    values.update(read_environment(environ))
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    config = replace(ServerConfig(), **values)
    _check_values(config)
    return config


def _check_values(config: ServerConfig) -> None:
    if not 0 <= config.port <= 65535:
        raise ConfigError(f"port {config.port} is not a TCP port (0 to 65535).")
    if config.access_token_minutes < 1 or config.refresh_token_days < 1:
        raise ConfigError("Token lifetimes must be at least 1 (minute for access tokens, day for "
                          "refresh tokens).")
    if config.access_token_minutes > 24 * 60:
        raise ConfigError("access_token_minutes is over a day: a stolen access token would "
                          "work that long; keep it short (15 is the default).")
    if config.log_level not in LOG_LEVELS:
        raise ConfigError(f"log_level must be one of {', '.join(LOG_LEVELS)}.")
    if bool(config.tls_certfile) != bool(config.tls_keyfile):
        raise ConfigError("TLS needs both tls_certfile and tls_keyfile.")


def is_loopback(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 (not for 0.0.0.0 or ::, which mean 'all')."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_secure(config: ServerConfig) -> None:
    """Refuse to serve beyond this machine without TLS, unless a TLS-terminating reverse proxy
    is declared in front (``behind_tls_proxy = true``)."""
    if config.tls:
        for label, name in (("certificate", config.tls_certfile), ("key", config.tls_keyfile)):
            if not os.access(name, os.R_OK):
                raise ConfigError(f"The TLS {label} file {name} does not exist or cannot be read "
                                  "by this account.")
    if is_loopback(config.host) or config.tls or config.behind_tls_proxy:
        return
    raise ConfigError(
        f"Refusing to listen on {config.host} without TLS: patient data would cross the network "
        "in clear. Set tls_certfile and tls_keyfile, or behind_tls_proxy = true when a "
        "TLS-terminating reverse proxy is the only way in, or listen on 127.0.0.1."
    )
