"""The command-line contract, as a pod runs it: `nowplaying extract` and `nowplaying emulator` as
subprocesses, over real HTTP."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from nowplaying.emulator import DEMO_FIXTURES

from .helpers import X_BASE_ID, make_tweets, read_jsonl, x_store


def cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nowplaying", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120, check=False)


def api_env(base_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("X_", "MASTODON_", "NOWPLAYING_"))}
    env.update({"X_API_BASE_URL": base_url, "X_BEARER_TOKEN": "cli-secret-token", "MASTODON_INSTANCES": base_url,
                "NOWPLAYING_LOG_FORMAT": "json", **extra})
    return env


def test_extract_contract_with_state_file(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(15))
    env = api_env(emulator.base_url)
    out, state = tmp_path / "x.jsonl", tmp_path / "state.json"
    first = cli("extract", "--source", "x", "--output", str(out), "--state-file", str(state), env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().startswith("x: read 15, kept 15, skipped 0, pages 1, requests 1")
    assert len(read_jsonl(out)) == 15
    assert "cli-secret-token" not in first.stderr + first.stdout

    x_store(emulator).add(*make_tweets(4, first=16))
    second = cli("extract", "--source", "x", "--output", str(out), "--state-file", str(state), env=env, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert sorted(p["id"] for p in read_jsonl(out)) == [str(X_BASE_ID + i) for i in range(16, 20)]
    assert json.loads(state.read_text())["x"][emulator.base_url]["since_id"] == str(X_BASE_ID + 19)


def test_run_id_names_the_raw_file(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(3))
    env = api_env(emulator.base_url, NOWPLAYING_DATA_DIR=str(tmp_path / "data"))
    result = cli("extract", "--source", "mastodon", "--run-id", "scheduled__2026-11-27T22:00:00+00:00",
                 "--state-file", str(tmp_path / "s.json"), "--summary-json", str(tmp_path / "summary.json"),
                 env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    raw = tmp_path / "data" / "raw" / "mastodon" / "2026-11-27" / "scheduled__2026-11-27T22_00_00+00_00.jsonl"
    assert raw.exists() and raw.read_text() == ""
    assert json.loads((tmp_path / "summary.json").read_text())["source"] == "mastodon"


def test_errors_are_one_line(emulator, tmp_path):
    env = api_env(emulator.base_url, X_BEARER_TOKEN="")
    missing = cli("extract", "--source", "x", "--output", str(tmp_path / "o.jsonl"), "--state-file",
                  str(tmp_path / "s.json"), env=env, cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines()[-1] == ("nowplaying: error: X_BEARER_TOKEN is not set: put the app's "
                                                       "bearer token in the environment or .env")
    emulator.faults.extra["x_bearer_token"] = "another"
    denied = cli("extract", "--source", "x", "--output", str(tmp_path / "o.jsonl"), "--state-file",
                 str(tmp_path / "s.json"), env=api_env(emulator.base_url), cwd=tmp_path)
    assert denied.returncode == 5 and "Traceback" not in denied.stderr
    assert "HTTP 401: Unauthorized): check X_BEARER_TOKEN" in denied.stderr
    neither = cli("extract", "--source", "x", env=api_env(emulator.base_url), cwd=tmp_path)
    assert neither.returncode == 2 and "give --output PATH or --run-id R" in neither.stderr


@pytest.fixture
def demo_emulator(tmp_path: Path) -> Iterator[str]:
    """`nowplaying emulator` as its own process on a free port, serving the bundled demo set."""
    proc = subprocess.Popen([sys.executable, "-m", "nowplaying", "emulator", "--fixtures", str(DEMO_FIXTURES),
                             "--port", "0"], stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        line = proc.stderr.readline() if proc.stderr else ""
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert match, f"emulator did not start: {line!r}"
        yield f"http://127.0.0.1:{match.group(1)}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        assert proc.returncode == 0  # SIGTERM is a clean stop


def test_demo_set_extracts_completely_through_the_emulator_cli(demo_emulator, tmp_path):
    env = api_env(demo_emulator, X_MAX_POSTS_PER_RUN="5000", MASTODON_MAX_POSTS_PER_RUN="5000")
    labels = json.loads((DEMO_FIXTURES / "labels.json").read_text(encoding="utf-8"))
    ids = []
    for source, expected in (("x", 1300), ("mastodon", 1100)):
        out = tmp_path / f"{source}.jsonl"
        result = cli("extract", "--source", source, "--output", str(out), "--state-file", str(tmp_path / "s.json"),
                     env=env, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        posts = read_jsonl(out)
        assert len(posts) == expected and all(p["source"] == source for p in posts)
        ids += [p["id"] for p in posts]
    assert sorted(ids) == sorted(labels)  # every labelled post lands exactly once
