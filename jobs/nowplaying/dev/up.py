"""`make up`: the whole system on one machine, on embedded defaults.

Cassandra (a local node unless one answers already) -> schema -> the API emulator with the bundled demo
data when no credentials are set -> one `nowplaying run` -> `nowplaying serve` until Ctrl-C. Every
child is the same CLI command a pod runs; everything started here is stopped on the way out.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from nowplaying.config import Settings
from nowplaying.dev.stack import cassandra_available, run_command
from nowplaying.errors import NowPlayingError, PortInUse
from nowplaying.ports import port_free
from nowplaying.store.migrate import migrate
from nowplaying.store.session import close, connect

EMULATOR_PORT = int(os.environ.get("NOWPLAYING_EMULATOR_PORT", "8765"))


def demo_fixtures() -> Path:
    from nowplaying.emulator import DEMO_FIXTURES

    return Path(DEMO_FIXTURES)




def _wait_http(port: int, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise NowPlayingError("the API emulator exited during start-up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise NowPlayingError(f"the API emulator did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


def demo_environment(port: int) -> dict[str, str]:
    """Point every external API at the emulator, with throwaway credentials it accepts."""
    base = f"http://127.0.0.1:{port}"
    return {
        "X_API_BASE_URL": base,
        "X_BEARER_TOKEN": "demo-bearer-token",
        "MASTODON_INSTANCES": base,
        "SPOTIFY_API_BASE_URL": base,
        "SPOTIFY_ACCOUNTS_BASE_URL": base,
        "SPOTIFY_CLIENT_ID": "demo-client",
        "SPOTIFY_CLIENT_SECRET": "demo-secret",
        "RECCOBEATS_API_BASE_URL": f"{base}/reccobeats",
        # Read the whole demo set on the first run (the live defaults guard paid reads).
        "X_MAX_POSTS_PER_RUN": "5000",
        "MASTODON_MAX_POSTS_PER_RUN": "5000",
    }


def run_stack(settings: Settings, *, host: str, port: int, say: Callable[[str], None]) -> int:
    if not port_free(host, port):
        raise PortInUse(f"port {port} on {host} is already in use: stop what holds it or use --port")
    np = [sys.executable, "-m", "nowplaying"]
    env = dict(os.environ)
    children: list[subprocess.Popen] = []
    with cassandra_available(settings, say=say):
        session = connect(settings, use_keyspace=False)
        try:
            applied = migrate(session, settings)
        finally:
            close(session)
        say(f"schema: {'applied ' + ', '.join(applied) if applied else 'up to date'}")
        try:
            if not (settings.has_spotify_credentials or settings.has_x_credentials):
                if not port_free("127.0.0.1", EMULATOR_PORT):
                    raise PortInUse(f"port {EMULATOR_PORT} for the API emulator is in use "
                                    "(set NOWPLAYING_EMULATOR_PORT)")
                say(f"no X/Spotify credentials in .env: demo mode, API emulator on 127.0.0.1:{EMULATOR_PORT}")
                emulator = subprocess.Popen([*np, "emulator", "--fixtures", str(demo_fixtures()),
                                             "--port", str(EMULATOR_PORT)], env=env)
                children.append(emulator)
                _wait_http(EMULATOR_PORT, emulator)
                env.update(demo_environment(EMULATOR_PORT))
            say("running the pipeline once: extract -> transform -> load")
            code = subprocess.run([*np, "run"], env=env, check=False).returncode
            if code != 0:
                say(f"the pipeline run failed (exit {code}); serving what Cassandra already holds")
            say(f"dashboard on http://{host}:{port}  (Ctrl-C stops everything)")
            return run_command([*np, "serve", "--host", host, "--port", str(port)], env=env)
        except KeyboardInterrupt:
            return 130
        finally:
            for child in children:
                child.terminate()
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
