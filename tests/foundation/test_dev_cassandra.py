"""`nowplaying dev cassandra start|stop|status`: a second, throwaway node on free ports, driven through the
real CLI, so the lifecycle the Makefile relies on is exercised end to end (idempotent, no orphan JVM)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dev(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nowplaying", "dev", "cassandra", *args], env=env,
                          capture_output=True, text=True, timeout=240, check=False)


@pytest.fixture
def node_env(tmp_path: Path) -> dict[str, str]:
    return dict(
        os.environ,
        NOWPLAYING_DEV_HOME=str(tmp_path / "dev"),
        CASSANDRA_PORT=str(free_port()),
        NOWPLAYING_DEV_CASSANDRA_STORAGE_PORT=str(free_port()),
        NOWPLAYING_DEV_CASSANDRA_JMX_PORT=str(free_port()),
    )


@pytest.mark.slow
def test_start_stop_status_are_idempotent_and_leave_no_jvm(node_env):
    assert dev(node_env, "status").returncode == 3
    first = dev(node_env, "start")
    assert first.returncode == 0, first.stderr
    assert "started" in first.stdout
    pid = int((Path(node_env["NOWPLAYING_DEV_HOME"]) / "cassandra" / "cassandra.pid").read_text())
    try:
        again = dev(node_env, "start")
        assert again.returncode == 0 and "already running" in again.stdout
        status = dev(node_env, "status")
        assert status.returncode == 0 and "answering CQL" in status.stdout
    finally:
        stopped = dev(node_env, "stop")
    assert stopped.returncode == 0 and f"stopped (pid {pid})" in stopped.stdout
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split(")")[-1][:3]
    assert "not running" in dev(node_env, "stop").stdout
    assert dev(node_env, "status").returncode == 3


def test_port_already_taken_is_said_plainly(node_env):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", int(node_env["CASSANDRA_PORT"])))
        squatter.listen()
        result = dev(node_env, "start")
    assert result.returncode == 4
    assert f"port {node_env['CASSANDRA_PORT']} (CQL) on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr
