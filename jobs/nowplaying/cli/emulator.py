"""`nowplaying emulator --fixtures DIR --port N`: the X / Mastodon / Spotify / ReccoBeats stand-in."""

from __future__ import annotations

import socket
from pathlib import Path

import click

from nowplaying.cli.common import boot
from nowplaying.errors import ConfigError, PortInUse


@click.command("emulator")
@click.option("--fixtures", "fixtures", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Fixtures directory (x/, mastodon/, spotify/ ...). Default: the bundled demo set.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; 0.0.0.0 in a pod.")
@click.option("--fault-rate", default=0.0, show_default=True, type=click.FloatRange(0.0, 1.0),
              help="Share of requests answered with a fault (429, 503, slow, malformed JSON).")
@click.option("--fault-seed", default=7, show_default=True, type=int, help="Seed of the fault draw.")
@click.option("--audio-features/--no-audio-features", default=False, show_default=True,
              help="Serve Spotify audio-features instead of the 403 new apps get.")
def command(fixtures: Path | None, port: int, host: str, fault_rate: float, fault_seed: int,
            audio_features: bool) -> None:
    """Serve the emulated APIs over HTTP until interrupted (SIGTERM or Ctrl-C)."""
    from nowplaying.emulator import DEMO_FIXTURES
    from nowplaying.emulator.app import Faults, create_app

    boot()
    fixtures = fixtures or DEMO_FIXTURES
    if not fixtures.is_dir():
        raise ConfigError(f"--fixtures {fixtures}: no such directory")
    app = create_app(fixtures, Faults(rate=fault_rate, seed=fault_seed, audio_features=audio_features))
    if port and not _port_free(host, port):
        raise PortInUse(f"cannot listen on {host}:{port}: the port is in use")
    say = f"(fixtures {fixtures}, fault rate {fault_rate})"
    serve(app, host, port, say)


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def serve(app: object, host: str, port: int, note: str) -> None:
    """Gunicorn, one worker process with threads: a production server (keep-alive, graceful SIGTERM) that
    still keeps the emulator's state (posts, rate windows, the seeded fault draw) in one process."""
    from gunicorn.app.base import BaseApplication

    def when_ready(server: object) -> None:
        bound = server.LISTENERS[0].sock.getsockname()  # type: ignore[attr-defined]
        click.echo(f"API emulator on http://{bound[0]}:{bound[1]} {note}", err=True)

    class _Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in {"bind": f"{host}:{port}", "workers": 1, "worker_class": "gthread", "threads": 16,
                               "keepalive": 30, "timeout": 120, "graceful_timeout": 5, "loglevel": "warning",
                               "accesslog": None, "when_ready": when_ready}.items():
                self.cfg.set(key, value)

        def load(self) -> object:
            return app

    _Server().run()


COMMANDS = [command]
