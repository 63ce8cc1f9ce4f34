"""Compose the emulated APIs into one WSGI app, inject faults, and run it in a thread or as a CLI.

Contract for the API modules: each exposes `blueprint` (a flask.Blueprint mounted at the real API's
paths) and `load(fixtures: Path) -> object`, whose result is stored under
`app.extensions["emulator"][<module name>]` for its views to read.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server


@dataclass
class Faults:
    """Fault injection, changeable at run time (tests flip it between requests)."""

    rate: float = 0.0  # share of requests that fail, 0..1
    kinds: tuple[str, ...] = ("429", "503", "slow", "malformed")
    retry_after: int = 1  # seconds, for 429
    slow_seconds: float = 2.0
    seed: int = 7
    # Spotify's audio-features endpoint: 403 unless switched on (apps registered after 2024-11-27).
    audio_features: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def create_app(fixtures: Path, faults: Faults | None = None) -> Flask:
    from nowplaying.emulator import mastodon, reccobeats, spotify, x

    app = Flask("nowplaying.emulator")
    app.config["FAULTS"] = faults or Faults()
    state: dict[str, object] = {}
    for module in (x, mastodon, spotify, reccobeats):
        state[module.__name__.rsplit(".", 1)[-1]] = module.load(Path(fixtures))
        app.register_blueprint(module.blueprint)
    app.extensions["emulator"] = state
    return app


@dataclass
class RunningEmulator:
    app: Flask
    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    @property
    def faults(self) -> Faults:
        return self.app.config["FAULTS"]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def start_in_thread(fixtures: Path, *, port: int = 0, faults: Faults | None = None) -> RunningEmulator:
    """Serve on 127.0.0.1:`port` (0 = any free port) from a daemon thread; for tests and benchmarks."""
    app = create_app(fixtures, faults)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="emulator", daemon=True)
    thread.start()
    return RunningEmulator(app, server, thread)
