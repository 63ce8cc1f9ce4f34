"""The CLI contract: subcommands listed, one-line errors, secrets never logged."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

from nowplaying.config import load_settings
from nowplaying.logs import JsonFormatter, SecretMask

SUBCOMMANDS = ["db", "extract", "resolve", "transform", "load", "run", "serve", "emulator", "dev"]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nowplaying", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def test_help_lists_every_subcommand():
    result = run_cli("--help")
    assert result.returncode == 0
    listed = {line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()}
    assert set(SUBCOMMANDS) <= listed


def test_unreachable_cassandra_is_one_line_not_a_traceback(monkeypatch):
    import os

    env = dict(os.environ, CASSANDRA_PORT="1", CASSANDRA_CONNECT_TIMEOUT="2")
    result = run_cli("db", "migrate", env=env)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert "Cassandra not reachable at 127.0.0.1:1" in result.stderr


def test_malformed_setting_names_the_variable():
    import os

    env = dict(os.environ, CASSANDRA_PORT="not-a-port")
    result = run_cli("db", "migrate", env=env)
    assert result.returncode == 2
    assert "CASSANDRA_PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_secrets_are_masked_in_json_logs():
    settings = load_settings(spotify_client_secret="s3cr3t-value", x_bearer_token="AAAA-bearer", _env_file=None)
    record = logging.makeLogRecord({"msg": "token %s and %s", "args": ("s3cr3t-value", "AAAA-bearer"),
                                    "name": "t", "levelno": 20, "levelname": "INFO", "header": "Bearer AAAA-bearer"})
    assert SecretMask(settings.secret_values()).filter(record)
    doc = json.loads(JsonFormatter().format(record))
    assert "s3cr3t" not in json.dumps(doc) and "AAAA-bearer" not in json.dumps(doc)
    assert doc["msg"] == "token *** and ***"
