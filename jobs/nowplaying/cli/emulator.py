"""`nowplaying emulator --fixtures DIR --port N`: the X / Mastodon / Spotify / ReccoBeats stand-in."""

from __future__ import annotations

import signal
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
    from nowplaying.emulator.app import Faults, create_app, make_emulator_server

    boot()
    fixtures = fixtures or DEMO_FIXTURES
    if not fixtures.is_dir():
        raise ConfigError(f"--fixtures {fixtures}: no such directory")
    app = create_app(fixtures, Faults(rate=fault_rate, seed=fault_seed, audio_features=audio_features))
    try:
        server = make_emulator_server(app, host, port)
    except OSError as exc:
        raise PortInUse(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None

    def _stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    click.echo(f"API emulator on http://{host}:{server.server_port} (fixtures {fixtures}, "
               f"fault rate {fault_rate})", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


COMMANDS = [command]
