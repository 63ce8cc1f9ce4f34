"""Shared builders for the pipeline tests: history rows, subprocess env, table snapshots."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from nowplaying.config import Settings
from nowplaying.history import HistoryRow

TRACKS = [
    ("t-bowie", "Heroes", ["David Bowie"], "\"Heroes\""),
    ("t-ewf", "September", ["Earth, Wind & Fire"], "The Best of Earth, Wind & Fire"),
    ("t-daft", "Get Lucky", ["Daft Punk", "Pharrell Williams", "Nile Rodgers"], "Random Access Memories"),
    ("t-formula", "=HYPERLINK(\"http://evil\")", ["@evil", "-minus"], "+plus"),
]


def make_rows(run_id: str, day: dt.date, n: int, *, start_hour: int = 0, tag: str = "") -> list[HistoryRow]:
    rows = []
    base = dt.datetime.combine(day, dt.time(start_hour), tzinfo=dt.UTC)
    for i in range(n):
        at = base + dt.timedelta(seconds=7 * i)
        row = HistoryRow(source="mastodon" if i % 3 else "x", post_id=f"{run_id[-6:]}-{i}",
                         created_at=at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                         text=f"#NowPlaying post {i} '); DROP TABLE tracks;-- =cmd|' /C calc'!A0\n🎵",
                         run_id=run_id, author=f"@user{i % 7}", lang="en", urls=[f"https://t.test/{i}"])
        if i % 5 != 4:  # four in five resolve
            track_id, title, artists, album = TRACKS[i % len(TRACKS)]
            row.track_id, row.title, row.artists, row.album = track_id + tag, title, artists, album
            row.method, row.confidence, row.popularity = "search", 0.9, 50 + i % 40
            row.genres, row.loudness, row.tempo, row.features_source = ["rock"], -6.5, 120.0, "reccobeats"
        rows.append(row)
    return rows


def cli_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASSANDRA_", "NOWPLAYING_", "SPARK_"))}
    env.update({
        "CASSANDRA_HOSTS": ",".join(settings.cassandra_hosts),
        "CASSANDRA_PORT": str(settings.cassandra_port),
        "CASSANDRA_KEYSPACE": settings.cassandra_keyspace,
        "CASSANDRA_CONNECT_TIMEOUT": "3",
        "NOWPLAYING_DATA_DIR": str(settings.nowplaying_data_dir),
        "NOWPLAYING_LOG_FORMAT": "text",
        "NOWPLAYING_LOG_LEVEL": "WARNING",
    })
    env.update(extra)
    return env


NOWPLAYING = [sys.executable, "-m", "nowplaying"]


def snapshot(session, days: list[dt.date], run_ids: list[str], track_ids: list[str]) -> dict[str, list]:
    """Every row the load writes for these days/runs/tracks, as comparable tuples."""
    def rows(query: str, *args) -> list[tuple]:
        return sorted(tuple(r) for r in session.execute(query, args))

    snap: dict[str, list] = {"plays": [], "track_days": [], "artist_days": [], "day_stats": []}
    for day in days:
        snap["plays"] += rows("SELECT * FROM plays_by_day WHERE day = %s", day)
        snap["track_days"] += rows("SELECT * FROM track_plays_by_day WHERE day = %s", day)
        snap["artist_days"] += rows("SELECT * FROM artist_plays_by_day WHERE day = %s", day)
        snap["day_stats"] += rows("SELECT * FROM daily_stats_by_run WHERE day = %s", day)
    snap["days"] = [r for r in rows("SELECT day FROM plays_days WHERE bucket = 'all'") if r[0] in days]
    # updated_at is when the row was last written: every load sets it.
    snap["tracks"] = [[tuple(v for k, v in r._asdict().items() if k != "updated_at")
                       for r in session.execute("SELECT * FROM tracks WHERE track_id = %s", (t,))] for t in track_ids]
    snap["runs_by_month"] = [r for r in rows("SELECT run_id, started_at, status FROM runs_by_month WHERE month = %s",
                                             f"{days[0]:%Y-%m}") if r[0] in run_ids]
    return snap


def write_csv(settings: Settings, run_id: str, rows: list[HistoryRow]) -> Path:
    from nowplaying import paths
    from nowplaying.history import write_history

    path = paths.history_path(Path(settings.nowplaying_data_dir), run_id)
    write_history(path, rows)
    return path
