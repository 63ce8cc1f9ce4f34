"""`nowplaying run` end to end: the real CLI in a subprocess, the emulator over HTTP, Cassandra, Spark."""

from __future__ import annotations

import json
import subprocess

import pytest
from nowplaying import paths
from nowplaying.config import load_settings
from nowplaying.history import HistoryReader
from nowplaying.pipeline import configured_sources

from tests.pipeline.conftest import emulator_env
from tests.pipeline.helpers import NOWPLAYING, cli_env, snapshot

pytestmark = [pytest.mark.cassandra, pytest.mark.spark, pytest.mark.slow]
RUN_ID = "scheduled__2026-11-27T12:00:00+00:00"


def test_sources_x_only_with_a_bearer_token():
    assert configured_sources(load_settings(_env_file=None)) == ["mastodon"]
    assert configured_sources(load_settings(x_bearer_token="t", _env_file=None)) == ["x", "mastodon"]


def _run(env: dict[str, str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run([*NOWPLAYING, "run", "--run-id", RUN_ID], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=400)


def test_run_fills_cassandra_and_history_and_a_rerun_changes_nothing(cassandra, settings, emulator):
    env = cli_env(settings, **{**emulator_env(emulator.base_url), "X_MAX_POSTS_PER_RUN": "30",
                               "MASTODON_MAX_POSTS_PER_RUN": "40", "SPARK_MASTER": "local[2]",
                               "PYSPARK_SUBMIT_ARGS": "--conf spark.ui.enabled=false pyspark-shell"})
    first = _run(env, settings.nowplaying_data_dir)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "[1/3] extract (x, mastodon)" in first.stderr and "[3/3] load" in first.stderr
    assert f"run {RUN_ID}: ok" in first.stdout and "posts read" in first.stdout

    csv_path = paths.history_path(settings.nowplaying_data_dir, RUN_ID)
    rows = list(HistoryReader(csv_path))
    assert len(rows) == 70  # the two ceilings: 30 from X, 40 from Mastodon
    days = sorted({r.played_at.date() for r in rows})
    tracks = sorted({r.track_id for r in rows if r.track_id})
    before = snapshot(cassandra, days, [RUN_ID], tracks)
    assert len(before["plays"]) == len(rows)
    assert sum(r[2] for r in before["day_stats"]) == len(rows)  # (day, run_id, posts, resolved)
    assert [t for t in before["tracks"] if not t] == []
    run = cassandra.execute("SELECT status, stats, durations, requests FROM runs WHERE run_id = %s", (RUN_ID,)).one()
    stats = json.loads(run.stats)
    assert run.status == "success"
    assert (stats["read"], stats["kept"], stats["loaded"]) == (70, 70, 70)
    assert stats["resolved"] == sum(1 for r in rows if r.track_id) > 0
    assert 0 < stats["match_rate"] <= 1 and set(stats["sources"]) == {"x", "mastodon"}
    assert {"extract", "transform", "load"} <= set(run.durations)
    assert any(k.startswith("spotify.") for k in run.requests) and any(k.startswith("x") for k in run.requests)
    csv_bytes = csv_path.read_bytes()

    second = _run(env, settings.nowplaying_data_dir)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "reusing" in second.stderr
    assert csv_path.read_bytes() == csv_bytes
    assert snapshot(cassandra, days, [RUN_ID], tracks) == before
    again = json.loads(cassandra.execute("SELECT stats FROM runs WHERE run_id = %s", (RUN_ID,)).one().stats)
    assert {k: again[k] for k in ("read", "kept", "resolved", "loaded", "skipped")} == \
        {k: stats[k] for k in ("read", "kept", "resolved", "loaded", "skipped")}
