"""Running the hub: in the foreground (``counsellor-hub serve``) or in a thread on loopback."""

from __future__ import annotations

import logging
import socket
import ssl
import threading
from dataclasses import dataclass
from typing import Any

import uvicorn

from counsellor_app import __version__
from counsellor_app.hub.app import Hub, create_app
from counsellor_app.hub.config import ConfigError, ServerConfig, check_secure, is_loopback
from counsellor_app.hub.database import Database, DatabaseError
from counsellor_app.hub.settings import HubSettings


class _Server(uvicorn.Server):
    """A uvicorn server that says when it is listening (or has given up)."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets=sockets)
        finally:
            self.ready.set()


@dataclass
class RunningHub:
    """A hub serving in a background thread. ``url`` has no trailing slash."""

    url: str
    hub: Hub
    _server: _Server
    _thread: threading.Thread

    def stop(self) -> None:
        """Stop serving, wait for the thread, and close the database."""
        self._server.should_exit = True
        self._thread.join()
        self.hub.db.dispose()

    def __enter__(self) -> RunningHub:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def run_in_thread(
    db_url: str,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    settings: HubSettings | None = None,
    migrate: bool = True,
) -> RunningHub:
    """Start a hub on ``host:port`` (0: any free port) and return once it accepts connections."""
    db = Database(db_url)
    if migrate:
        db.migrate()
    hub = Hub(db, settings)
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(hub), log_level="warning", access_log=False, lifespan="off",
        timeout_graceful_shutdown=5,
    )
    server = _Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="counsellor-hub", daemon=True
    )
    thread.start()
    server.ready.wait()
    if not server.started:
        thread.join()
        db.dispose()
        raise RuntimeError("The hub did not start; see the log above.")
    shown = f"[{host}]" if ":" in host else host
    return RunningHub(f"http://{shown}:{bound_port}", hub, server, thread)


def serve(db_url: str, host: str, port: int, settings: HubSettings | None = None) -> None:
    """Serve in the foreground on ``host:port``, migrating first (benchmarks and scripts)."""
    serve_config(ServerConfig(db_url=db_url, host=host, port=port), settings, migrate=True)


def serve_config(config: ServerConfig, settings: HubSettings | None = None, *,
                 migrate: bool = False) -> None:
    """Serve in the foreground until interrupted (Ctrl+C or SIGTERM).

    Refuses, with a ``DomainError``, an insecure setting (see ``config.check_secure``), a
    schema that is not at the newest migration (unless ``migrate``), and, beyond loopback,
    demo users that still have the demo password."""
    check_secure(config)
    _check_tls(config)
    db = Database(config.database)
    try:
        if migrate:
            db.migrate()
        problem = db.schema_problem()
        if problem is not None:
            raise DatabaseError(f"The hub will not start: {problem}.")
        hub = Hub(db, settings or config.hub_settings())
        if not is_loopback(config.host):
            _refuse_demo_passwords(hub)
        sock = _bind(config.host, config.port)
        uv_config = uvicorn.Config(
            create_app(hub), log_config=log_config(config.log_level), access_log=False,
            lifespan="off", server_header=False, timeout_graceful_shutdown=10,
            proxy_headers=config.behind_tls_proxy, forwarded_allow_ips=config.forwarded_allow_ips,
            ssl_certfile=config.tls_certfile or None, ssl_keyfile=config.tls_keyfile or None,
        )
        server = uvicorn.Server(uv_config)
        scheme = "https" if config.tls else "http"
        shown = f"[{config.host}]" if ":" in config.host else config.host
        logging.getLogger("counsellor_app.hub").info(
            "counsellor-hub %s listening on %s://%s:%d (database: %s; TLS: %s)", __version__,
            scheme, shown, sock.getsockname()[1], _engine_name(db),
            "here" if config.tls else "reverse proxy" if config.behind_tls_proxy else "none, "
            "loopback only")
        server.run(sockets=[sock])
    finally:
        db.dispose()


def _engine_name(db: Database) -> str:
    return "SQLite" if db.is_sqlite else "PostgreSQL"


def _check_tls(config: ServerConfig) -> None:
    """Load the certificate and key now, so a bad pair is one clear line, not a traceback."""
    if not config.tls:
        return
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(config.tls_certfile, config.tls_keyfile)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(
            f"The TLS certificate {config.tls_certfile} and key {config.tls_keyfile} could not "
            "be loaded: check they are PEM files, that the key matches the certificate and is "
            "not protected by a passphrase."
        ) from exc


def _refuse_demo_passwords(hub: Hub) -> None:
    from counsellor_app.hub.operations import users_with_demo_password

    names = users_with_demo_password(hub.db, hub.settings.password_hasher)
    if names:
        raise ConfigError(
            f"Refusing to serve beyond loopback: {len(names)} demo user(s) still have the "
            f"published demo password ({', '.join(names)}); disable them with "
            "`counsellor-hub user disable NAME`, or use a hub database that was never seeded."
        )


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise ConfigError(
            f"Cannot listen on {host}:{port} ({exc.strerror}): another program may be using the "
            "port, or the address is not one of this machine's."
        ) from exc
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def log_config(level: str) -> dict[str, Any]:
    """Logging for ``serve``: one line per event on stderr (systemd's journal keeps it).
    uvicorn's own access log is off: it writes raw paths and query strings."""
    upper = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                                "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "counsellor_app": {"handlers": ["stderr"], "level": upper, "propagate": False},
        },
    }
