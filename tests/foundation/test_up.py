"""`make up` end to end: `nowplaying dev up` (what the Makefile runs) against the real Cassandra, in its own
keyspace, data folder and ports: emulator in demo mode -> one pipeline run -> the dashboard answers with the
demo data -> SIGTERM stops everything it started (no emulator or Gunicorn left listening)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.slow
def test_make_up_serves_the_demo_data_and_stops_cleanly(tmp_path, cassandra):
    keyspace = f"np_up_{uuid.uuid4().hex[:8]}"
    web_port, emulator_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("X_", "MASTODON_", "SPOTIFY_", "RECCOBEATS_", "NOWPLAYING_"))}
    env.update(CASSANDRA_KEYSPACE=keyspace, NOWPLAYING_DATA_DIR=str(tmp_path / "data"),
               NOWPLAYING_EMULATOR_PORT=str(emulator_port), NOWPLAYING_LOG_FORMAT="json")
    log = (tmp_path / "up.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "nowplaying", "dev", "up", "--port", str(web_port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 480
        stats = None
        while time.monotonic() < deadline and proc.poll() is None:
            if listening(web_port):
                try:
                    stats = get_json(f"http://127.0.0.1:{web_port}/api/stats")
                    break
                except OSError:
                    pass
            time.sleep(2)
        output = (tmp_path / "up.log").read_text()
        assert stats is not None, output[-3000:]
        assert stats["plays"] >= 2000, stats  # the whole demo set was extracted, transformed and loaded
        with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/", timeout=10) as response:
            assert response.status == 200
        assert listening(emulator_port)
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
        log.close()
        cassandra.execute(f"DROP KEYSPACE IF EXISTS {keyspace}", timeout=60)
    assert code in (0, 130, -signal.SIGTERM), (tmp_path / "up.log").read_text()[-2000:]
    assert not listening(web_port) and not listening(emulator_port)
