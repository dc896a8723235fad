"""Running the hub: in the foreground (``counsellor-hub serve``) or in a thread on loopback."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass

import uvicorn

from counsellor_app.hub.app import Hub, create_app
from counsellor_app.hub.database import Database
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
    """Serve in the foreground until interrupted (Ctrl+C or SIGTERM)."""
    db = Database(db_url)
    db.migrate()
    hub = Hub(db, settings)
    config = uvicorn.Config(create_app(hub), host=host, port=port, log_level="info",
                            lifespan="off")
    try:
        uvicorn.Server(config).run()
    finally:
        db.dispose()
