"""`load` against the real Cassandra: idempotent, no double counting, completed by a rerun, clear failure."""

from __future__ import annotations

import datetime as dt
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from nowplaying.pipeline import load_stage
from nowplaying.runstats import RunStats
from nowplaying.store.plays import load_run

from tests.pipeline.helpers import NOWPLAYING, TRACKS, cli_env, make_rows, snapshot, write_csv

pytestmark = pytest.mark.cassandra
TRACK_IDS = [t[0] for t in TRACKS]


def test_load_twice_writes_the_same_rows_and_counts_once(cassandra, settings):
    run_id = "scheduled__2026-03-02T10:00:00+00:00"
    day = dt.date(2026, 3, 2)
    rows = make_rows(run_id, day, 40)
    write_csv(settings, run_id, rows)
    stats = RunStats(run_id=run_id, read=41, kept=40, resolved=32, skipped={"invalid json": 1})
    stats.save(settings.nowplaying_data_dir)

    first, _ = load_stage(settings, run_id, cassandra)
    before = snapshot(cassandra, [day], [run_id], TRACK_IDS)
    second, _ = load_stage(settings, run_id, cassandra)
    after = snapshot(cassandra, [day], [run_id], TRACK_IDS)

    assert first.plays == second.plays == 40
    assert before == after
    assert len(after["plays"]) == 40
    # Aggregates equal what the CSV holds, not twice that.
    plays_by_track = {r.track_id: r.plays for r in cassandra.execute(
        "SELECT track_id, plays FROM track_plays_by_day WHERE day = %s", (day,))}
    expected = {t: sum(1 for r in rows if r.track_id == t) for t in TRACK_IDS}
    assert plays_by_track == expected
    ewf = cassandra.execute("SELECT plays FROM artist_plays_by_day WHERE day = %s AND artist = %s",
                            (day, "Earth, Wind & Fire")).all()
    assert [r.plays for r in ewf] == [expected["t-ewf"]]
    stats = cassandra.execute("SELECT posts, resolved FROM daily_stats_by_run WHERE day = %s", (day,)).one()
    assert (stats.posts, stats.resolved) == (40, 32)
    assert len(after["runs_by_month"]) == 1
    run = cassandra.execute("SELECT status, stats, durations FROM runs WHERE run_id = %s", (run_id,)).one()
    assert run.status == "success" and '"kept": 40' in run.stats and '"match_rate": 0.8' in run.stats
    assert "load" in run.durations

    # The author's text reaches Cassandra exactly as written (the CSV's formula guard is undone).
    formula = next(r for r in rows if r.track_id == "t-formula")
    play = cassandra.execute("SELECT text, title, artists, album FROM plays_by_day WHERE day = %s AND "
                             "played_at = %s AND source = %s AND post_id = %s",
                             (day, formula.played_at, formula.source, formula.post_id)).one()
    assert (play.text, play.title, play.artists, play.album) == (formula.text, formula.title, formula.artists,
                                                                 formula.album)
    track = cassandra.execute("SELECT title, artists, album FROM tracks WHERE track_id = 't-formula'").one()
    assert (track.title, track.artists, track.album) == (formula.title, formula.artists, formula.album)


def test_first_seen_is_the_earliest_play_whatever_the_load_order(cassandra, settings):
    late, early = "manual__2026-04-10T12:00:00", "manual__2026-04-01T12:00:00"
    write_csv(settings, late, make_rows(late, dt.date(2026, 4, 10), 8, tag="-seen"))
    write_csv(settings, early, make_rows(early, dt.date(2026, 4, 1), 8, tag="-seen"))
    load_run(cassandra, Path(settings.nowplaying_data_dir), late)
    load_run(cassandra, Path(settings.nowplaying_data_dir), early)
    load_run(cassandra, Path(settings.nowplaying_data_dir), late)  # a retry of the later run
    row = cassandra.execute("SELECT first_seen, last_seen FROM tracks WHERE track_id = 't-bowie-seen'").one()
    assert row.first_seen == dt.datetime(2026, 4, 1, 0, 0)
    assert row.last_seen.date() == dt.date(2026, 4, 10)


def test_a_partial_load_is_completed_by_the_rerun(cassandra, settings):
    run_id = "manual__2026-05-05T08:00:00"
    day = dt.date(2026, 5, 5)
    rows = make_rows(run_id, day, 60)
    # State left by a load that died after the first 25 plays (and the aggregates it had then).
    write_csv(settings, run_id, rows[:25])
    load_run(cassandra, Path(settings.nowplaying_data_dir), run_id)
    write_csv(settings, run_id, rows)
    load_run(cassandra, Path(settings.nowplaying_data_dir), run_id)
    partial_then_full = snapshot(cassandra, [day], [run_id], [])

    clean_id = "manual__2026-05-06T08:00:00"
    clean_day = dt.date(2026, 5, 6)
    write_csv(settings, clean_id, make_rows(clean_id, clean_day, 60))
    load_run(cassandra, Path(settings.nowplaying_data_dir), clean_id)
    clean = snapshot(cassandra, [clean_day], [clean_id], [])
    assert len(partial_then_full["plays"]) == len(clean["plays"]) == 60
    assert [r[1:] for r in partial_then_full["track_days"]] == [
        (t, run_id, *rest) for (t, _, *rest) in [r[1:] for r in clean["track_days"]]]
    assert [r[2:] for r in partial_then_full["day_stats"]] == [r[2:] for r in clean["day_stats"]] == [(60, 48)]


def test_a_killed_load_process_is_completed_by_the_rerun(cassandra, settings):
    run_id = "manual__2026-06-07T09:00:00"
    day = dt.date(2026, 6, 7)
    n = 5_000
    rows = make_rows(run_id, day, n)  # 7 s apart: spans one day (84,000 s fits)
    assert {r.played_at.date() for r in rows} == {day}
    write_csv(settings, run_id, rows)
    env = cli_env(settings)
    proc = subprocess.Popen([*NOWPLAYING, "load", "--run-id", run_id], env=env, cwd=settings.nowplaying_data_dir,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    count = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        count = cassandra.execute("SELECT count(*) FROM plays_by_day WHERE day = %s", (day,)).one()[0]
        if count > 0:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    partial = cassandra.execute("SELECT count(*) FROM plays_by_day WHERE day = %s", (day,)).one()[0]
    assert proc.returncode == -signal.SIGKILL, "the load finished before it could be killed"
    assert 0 < partial < n, partial  # it really died midway
    assert cassandra.execute("SELECT status FROM runs WHERE run_id = %s", (run_id,)).one() is None

    rerun = subprocess.run([*NOWPLAYING, "load", "--run-id", run_id], env=env, cwd=settings.nowplaying_data_dir,
                           capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert cassandra.execute("SELECT count(*) FROM plays_by_day WHERE day = %s", (day,)).one()[0] == n
    stats = cassandra.execute("SELECT posts, resolved FROM daily_stats_by_run WHERE day = %s AND run_id = %s",
                              (day, run_id)).one()
    assert (stats.posts, stats.resolved) == (n, sum(1 for r in rows if r.track_id))
    assert cassandra.execute("SELECT status FROM runs WHERE run_id = %s", (run_id,)).one().status == "success"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_cassandra_down_fails_in_one_line_and_keeps_the_csv(cassandra, settings):
    run_id = "manual__2026-07-01T00:00:00"
    path = write_csv(settings, run_id, make_rows(run_id, dt.date(2026, 7, 1), 5))
    before = path.read_bytes()
    env = cli_env(settings, CASSANDRA_PORT=str(_closed_port()))
    down = subprocess.run([*NOWPLAYING, "load", "--run-id", run_id], env=env, cwd=settings.nowplaying_data_dir,
                          capture_output=True, text=True, timeout=60)
    assert down.returncode == 3
    lines = down.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nowplaying: error: Cassandra not reachable"), down.stderr
    assert "Traceback" not in down.stderr
    assert path.read_bytes() == before

    up = subprocess.run([*NOWPLAYING, "load", "--run-id", run_id], env=cli_env(settings),
                        cwd=settings.nowplaying_data_dir, capture_output=True, text=True, timeout=60)
    assert up.returncode == 0, up.stderr
    assert cassandra.execute("SELECT count(*) FROM plays_by_day WHERE day = %s",
                             (dt.date(2026, 7, 1),)).one()[0] == 5


def test_missing_csv_is_one_clear_error(settings):
    run = subprocess.run([*NOWPLAYING, "load", "--run-id", "manual__2026-08-01T00:00:00"], env=cli_env(settings),
                         cwd=settings.nowplaying_data_dir, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stderr.strip().startswith("nowplaying: error: no history file for run"), run.stderr
    assert "run `nowplaying transform --run-id manual__2026-08-01T00:00:00` first" in run.stderr
