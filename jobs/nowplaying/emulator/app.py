"""Compose the emulated APIs into one WSGI app, inject faults, and run it in a thread or as a CLI.

Contract for the API modules: each exposes `blueprint` (a flask.Blueprint mounted at the real API's
paths) and `load(fixtures: Path) -> object`, whose result is stored under
`app.extensions["emulator"][<module name>]` for its views to read.
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, request
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
    app.extensions["emulator_faults"] = FaultLog()
    app.before_request(inject_fault)
    app.after_request(corrupt_utf8)
    return app


def json_response(payload: Any, status: int = 200) -> Response:
    """JSON as the real APIs send it: UTF-8, non-ASCII as is. Text holding a lone surrogate (which UTF-8
    cannot carry) goes out \\u-escaped instead, as a JSON encoder on the other side would send it."""
    body = json.dumps(payload, ensure_ascii=False)
    try:
        data = body.encode("utf-8")
    except UnicodeEncodeError:
        data = json.dumps(payload).encode("ascii")
    return Response(data, status=status, mimetype="application/json")


@dataclass
class FaultLog:
    """The faults injected so far (tests assert on it) and the seeded draw behind them."""

    injected: list[tuple[str, str]] = field(default_factory=list)  # (kind, path)
    lock: threading.Lock = field(default_factory=threading.Lock)
    rng: random.Random | None = None
    seed: int | None = None

    def draw(self, faults: Faults) -> str | None:
        """Decide one request's fate: a fault kind or None. Deterministic for a given seed and order."""
        with self.lock:
            if self.rng is None or self.seed != faults.seed:
                self.rng, self.seed = random.Random(faults.seed), faults.seed
            hit = self.rng.random() < faults.rate
            kind = self.rng.choice(faults.kinds) if hit and faults.kinds else None
            if kind:
                self.injected.append((kind, request.path))
            return kind

    def count(self, kind: str | None = None) -> int:
        with self.lock:
            return sum(1 for k, _ in self.injected if kind is None or k == kind)


# Each API's own error body, as the real service sends it.
def _error_body(api: str, status: int) -> tuple[str, str]:
    title = {429: "Too Many Requests", 503: "Service Unavailable"}[status]
    if api == "x":
        return json.dumps({"title": title, "detail": title, "type": "about:blank", "status": status}), \
            "application/json"
    if api == "mastodon":
        if status == 503:  # Mastodon's 503s come from its reverse proxy, as an HTML page
            return f"<html><head><title>{status} {title}</title></head><body><h1>{title}</h1></body></html>", \
                "text/html"
        return json.dumps({"error": "Too many requests"}), "application/json"
    if api == "spotify":
        message = "API rate limit exceeded" if status == 429 else "Service unavailable"
        return json.dumps({"error": {"status": status, "message": message}}), "application/json"
    return json.dumps({"error": title, "status": status}), "application/json"


_MALFORMED = {"x": '{"data": [{"id": "1', "mastodon": '[{"id": "1', "spotify": '{"tracks": {"items": [{"id'}


def corrupt_utf8(response: Response) -> Response:
    if g.get("np_fault") == "bad_utf8" and response.status_code == 200:
        data = response.get_data()
        for field_start in (b'"text": "', b'"content": "', b'"name": "'):
            if field_start in data:
                response.set_data(data.replace(field_start, field_start + b"\xff", 1))
                break
    return response


def inject_fault() -> Response | None:
    """before_request: at Faults.rate, answer 429 (Retry-After + rate-limit headers), 503, a slow
    answer or a 200 with malformed JSON instead of the real answer (or, with the extra kind "bad_utf8",
    the real answer carrying an invalid UTF-8 byte). `faults.extra["only"]` narrows it to one API
    (blueprint name)."""
    faults: Faults = current_app.config["FAULTS"]
    api = request.blueprint
    if faults.rate <= 0 or api is None:
        return None
    only = faults.extra.get("only")
    if only and api != only:
        return None
    kind = current_app.extensions["emulator_faults"].draw(faults)
    if kind is None:
        return None
    if kind == "slow":
        time.sleep(faults.slow_seconds)
        return None
    if kind == "bad_utf8":  # the real answer, with an invalid UTF-8 byte in the first post's text
        g.np_fault = kind
        return None
    if kind == "malformed":
        return Response(_MALFORMED.get(api, "{"), status=200, mimetype="application/json")
    status = int(kind)
    body, mimetype = _error_body(api, status)
    response = Response(body, status=status, mimetype=mimetype)
    if status == 429:
        reset = time.time() + faults.retry_after
        response.headers["Retry-After"] = str(faults.retry_after)
        if api == "x":
            response.headers.update({"x-rate-limit-limit": "450", "x-rate-limit-remaining": "0",
                                     "x-rate-limit-reset": str(int(reset + 0.999))})
        elif api == "mastodon":
            iso = datetime.fromtimestamp(reset, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
            response.headers.update({"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
                                     "X-RateLimit-Reset": iso})
    return response


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


def make_emulator_server(app: Flask, host: str, port: int) -> BaseWSGIServer:
    """Werkzeug's threaded server (a thread per connection) for the in-process emulator of tests and
    benchmarks: it runs in a thread, which Gunicorn's signal-driven arbiter cannot. `nowplaying emulator`
    serves the same app with Gunicorn (cli/emulator.py). Either way one process on purpose: the state
    (posts added by tests, rate-limit windows, the seeded fault draw) lives in its memory."""
    return make_server(host, port, app, threaded=True)


def start_in_thread(fixtures: Path, *, port: int = 0, faults: Faults | None = None,
                    host: str = "127.0.0.1") -> RunningEmulator:
    """Serve on 127.0.0.1:`port` (0 = any free port) from a daemon thread; for tests and benchmarks."""
    app = create_app(fixtures, faults)
    server = make_emulator_server(app, host, port)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="emulator",
                              daemon=True)
    thread.start()
    return RunningEmulator(app, server, thread)
