"""`nowplaying resolve` as a user runs it: a subprocess against the emulator over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LEVELS = "3SOxfQuVGTOLxJO9cFKOI0"


def run(args: list[str], emulator, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SPOTIFY_", "CASSANDRA_"))}
    environ.update(SPOTIFY_API_BASE_URL=emulator.base_url, SPOTIFY_ACCOUNTS_BASE_URL=emulator.base_url,
                   SPOTIFY_CLIENT_ID="cli-client", SPOTIFY_CLIENT_SECRET="cli-secret-value",
                   NOWPLAYING_LOG_FORMAT="json")
    environ.update(env)
    return subprocess.run([sys.executable, "-m", "nowplaying", "resolve", *args], capture_output=True, text=True,
                          env=environ, timeout=120, check=False, cwd=Path(__file__).parent)


def write_input(path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": "#NowPlaying Avicii - Levels"}),
        "{this is not json",
        json.dumps({"id": "b", "text": "#NowPlaying", "urls": [f"https://open.spotify.com/track/{LEVELS}"]}),
        json.dumps(["no", "object"]),
        json.dumps({"id": "c", "text": "#NowPlaying the game on TV, go team!"}),
        json.dumps({"id": "d", "text": None}),
        json.dumps({"id": "e", "text": "=HYPERLINK(\"http://x\") <script>alert(1)</script>'; DROP TABLE x;"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_one_line_per_input_line_in_order(emulator, tmp_path: Path) -> None:
    src, out = tmp_path / "posts.jsonl", tmp_path / "out" / "resolved.jsonl"
    write_input(src)
    result = run(["--input", str(src), "--output", str(out)], emulator)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", None, "b", None, "c", "d", "e"]
    assert all(list(r) == ["id", "track_id", "title", "artists", "confidence", "method"] for r in records)
    assert (records[0]["track_id"], records[0]["method"]) == (LEVELS, "search")
    assert (records[2]["track_id"], records[2]["method"]) == (LEVELS, "link")
    assert all(r["method"] == "none" and r["track_id"] is None for r in records[3:])
    summary = result.stdout.strip().splitlines()
    assert len(summary) == 1 and "2/7 posts resolved" in summary[0] and "malformed_json 1" in summary[0]
    assert "Traceback" not in result.stderr and "cli-secret-value" not in result.stderr + result.stdout


def test_missing_credentials_name_the_variables(emulator, tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    write_input(src)
    result = run(["--input", str(src), "--output", str(tmp_path / "o.jsonl")], emulator, SPOTIFY_CLIENT_SECRET="")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET" in result.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_missing_input_is_one_line(emulator, tmp_path: Path) -> None:
    result = run(["--input", str(tmp_path / "nope.jsonl"), "--output", str(tmp_path / "o.jsonl")], emulator)
    assert result.returncode == 1 and "input file not found" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.cassandra
def test_with_the_cassandra_cache(emulator, cassandra, settings, tmp_path: Path) -> None:
    src, out = tmp_path / "posts.jsonl", tmp_path / "resolved.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Coldplay - Yellow #np"}) + "\n", encoding="utf-8")
    env = {"CASSANDRA_KEYSPACE": settings.cassandra_keyspace, "CASSANDRA_HOSTS": ",".join(settings.cassandra_hosts),
           "CASSANDRA_PORT": str(settings.cassandra_port)}
    first = run(["--input", str(src), "--output", str(out), "--cache", "cassandra"], emulator, **env)
    assert first.returncode == 0, first.stderr
    second = run(["--input", str(src), "--output", str(out), "--cache", "cassandra"], emulator, **env)
    assert json.loads(out.read_text())["method"] == "cache" and "0 searches" in second.stdout
