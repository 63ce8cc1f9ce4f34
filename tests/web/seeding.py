"""Test and benchmark data for the dashboard: writes the tables the pipeline's loader writes
(plays_by_day, tracks, track/artist_plays_by_day, daily_stats_by_run, plays_days, runs, runs_by_month)
with concurrent prepared inserts, and generates synthetic plays at any size.

It follows 0001_initial.cql, the per-run contribution rule (aggregates keyed by run_id) and the loader's
(nowplaying.store.plays) way of writing: an absent value is bound UNSET (its `bindable`), so it leaves no
tombstone that every later read would have to skip. It takes plain dicts, so tests and benchmarks can make any size.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

FEATURES = ("danceability", "energy", "valence", "tempo", "acousticness", "instrumentalness", "liveness",
            "speechiness", "loudness")
PLAY_COLS = ("day", "played_at", "source", "post_id", "run_id", "author", "lang", "text", "urls", "track_id", "title",
             "artists", "artist_ids", "album", "popularity", "confidence", "method", "genres", *FEATURES)
TRACK_COLS = ("track_id", "title", "artists", "artist_ids", "album", "album_id", "release_date", "popularity",
              "duration_ms", "explicit", "isrc", "image_url", "genres", *FEATURES, "features_source", "first_seen",
              "last_seen", "updated_at")


def _insert(table: str, cols: Iterable[str]) -> str:
    cols = list(cols)
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"


def _concurrent(session: Any, cql: str, rows: Iterable[tuple], concurrency: int = 32, group: int = 50) -> None:
    """Concurrent prepared inserts, `group` consecutive rows per UNLOGGED batch: rows come sorted by
    partition (day), so a batch is (almost always) one partition, i.e. one mutation for Cassandra."""
    from cassandra.concurrent import execute_concurrent
    from cassandra.query import BatchStatement, BatchType
    from nowplaying.store.plays import bindable

    stmt = session.prepare(cql)
    pending: list[tuple[Any, tuple]] = []
    batch = BatchStatement(batch_type=BatchType.UNLOGGED)
    for row in rows:
        batch.add(stmt, tuple(bindable(v) for v in row))
        if len(batch) >= group:
            pending.append((batch, ()))
            batch = BatchStatement(batch_type=BatchType.UNLOGGED)
        if len(pending) >= 2000:
            execute_concurrent(session, pending, concurrency=concurrency, raise_on_first_error=True)
            pending = []
    if len(batch):
        pending.append((batch, ()))
    if pending:
        execute_concurrent(session, pending, concurrency=concurrency, raise_on_first_error=True)


def write_tracks(session: Any, tracks: Iterable[dict[str, Any]]) -> None:
    _concurrent(session, _insert("tracks", TRACK_COLS), (tuple(t.get(c) for c in TRACK_COLS) for t in tracks))


def write_plays(session: Any, plays: Iterable[dict[str, Any]], run_id: str) -> int:
    """Write plays (dicts with PLAY_COLS keys, `played_at` an aware datetime) and this run's aggregates."""
    track_days: dict[tuple[dt.date, str], list[Any]] = {}
    artist_days: dict[tuple[dt.date, str], int] = defaultdict(int)
    daily: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    days: set[dt.date] = set()
    count = 0

    def rows() -> Iterator[tuple]:
        nonlocal count
        for play in plays:
            play = {**play, "run_id": run_id}
            day = play["played_at"].astimezone(dt.UTC).date()
            play["day"] = day
            days.add(day)
            daily[day][0] += 1
            if play.get("track_id"):
                daily[day][1] += 1
                entry = track_days.setdefault((day, play["track_id"]), [0, play.get("title"), play.get("artists")])
                entry[0] += 1
                for artist in play.get("artists") or []:
                    artist_days[(day, artist)] += 1
            count += 1
            yield tuple(play.get(c) for c in PLAY_COLS)

    _concurrent(session, _insert("plays_by_day", PLAY_COLS), rows())
    _concurrent(session, _insert("track_plays_by_day", ("day", "track_id", "run_id", "plays", "title", "artists")),
                ((d, t, run_id, v[0], v[1], v[2]) for (d, t), v in track_days.items()))
    _concurrent(session, _insert("artist_plays_by_day", ("day", "artist", "run_id", "plays")),
                ((d, a, run_id, n) for (d, a), n in artist_days.items()))
    _concurrent(session, _insert("daily_stats_by_run", ("day", "run_id", "posts", "resolved")),
                ((d, run_id, v[0], v[1]) for d, v in daily.items()))
    _concurrent(session, _insert("plays_days", ("bucket", "day")), (("all", d) for d in days))
    return count


def write_run(session: Any, run_id: str, started_at: dt.datetime, *, status: str = "success",
              stats: dict[str, Any] | None = None, seconds: float = 42.0) -> None:
    finished = started_at + dt.timedelta(seconds=seconds)
    session.execute(session.prepare(_insert("runs", ("run_id", "started_at", "finished_at", "status", "stats",
                                                     "durations", "requests"))),
                    (run_id, started_at, finished, status, json.dumps(stats or {}),
                     {"extract": 3.5, "transform": 30.0, "load": 8.5}, {"spotify_search": 120, "x_search": 2}))
    session.execute(session.prepare(_insert("runs_by_month", ("month", "started_at", "run_id", "status"))),
                    (started_at.strftime("%Y-%m"), started_at, run_id, status))


# -- synthetic data ------------------------------------------------------------------------------------
WORDS = ("love", "night", "summer", "fire", "heart", "dance", "blue", "dream", "city", "light", "gold", "rain",
         "wild", "home", "star", "echo", "river", "neon", "ghost", "paper")
GENRES = ("pop", "rock", "indie", "hip hop", "techno", "jazz", "soul", "metal", "folk", "house", "k-pop", "latin")


def make_catalog(n_tracks: int, seed: int = 7) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    artists = [f"{rnd.choice(WORDS).title()} {rnd.choice(WORDS).title()}s" for _ in range(max(1, n_tracks // 3))]
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    out = []
    for i in range(n_tracks):
        names = [rnd.choice(artists)] + ([rnd.choice(artists)] if rnd.random() < 0.15 else [])
        track = {
            "track_id": f"trk{i:07d}", "title": f"{rnd.choice(WORDS).title()} {rnd.choice(WORDS)} {i}",
            "artists": names, "artist_ids": [f"art{abs(hash(a)) % 10**8}" for a in names],
            "album": f"{rnd.choice(WORDS).title()} Album", "album_id": f"alb{i // 10:06d}",
            "release_date": f"{rnd.randint(1970, 2026)}-01-01", "popularity": rnd.randint(0, 100),
            "duration_ms": rnd.randint(120_000, 360_000), "explicit": rnd.random() < 0.2, "isrc": f"USX{i:09d}",
            "image_url": None, "genres": rnd.sample(GENRES, rnd.randint(0, 3)), "features_source": "reccobeats",
            "first_seen": now, "last_seen": now, "updated_at": now,
        }
        for f in FEATURES:
            track[f] = round(rnd.uniform(60, 180), 2) if f == "tempo" else (
                round(rnd.uniform(-20, -2), 2) if f == "loudness" else round(rnd.random(), 3))
        out.append(track)
    return out


def make_plays(n: int, catalog: list[dict[str, Any]], *, last_day: dt.date, days: int, seed: int = 11,
               resolved_share: float = 0.7, id_prefix: str = "p") -> Iterator[dict[str, Any]]:
    """n plays spread evenly over `days` days ending at last_day; popular tracks are played more (Zipf-ish)."""
    rnd = random.Random(seed)
    weights = [1.0 / (i + 1) for i in range(len(catalog))]
    picks = rnd.choices(catalog, weights=weights, k=min(n, 50_000))
    start = dt.datetime.combine(last_day - dt.timedelta(days=days - 1), dt.time(), tzinfo=dt.UTC)
    span = days * 86400
    for i in range(n):
        played_at = start + dt.timedelta(seconds=(i * span) // n, milliseconds=rnd.randint(0, 999))
        track = picks[i % len(picks)] if rnd.random() < resolved_share else None
        play: dict[str, Any] = {
            "played_at": played_at, "source": "x" if i % 3 else "mastodon", "post_id": f"{id_prefix}{i:08d}",
            "author": f"user{i % 997}", "lang": "en", "urls": [],
            "text": f"#NowPlaying {track['title']} by {track['artists'][0]}" if track else f"#NowPlaying something {i}",
        }
        if track:
            play.update({k: track[k] for k in ("track_id", "title", "artists", "artist_ids", "album", "popularity",
                                               "genres", *FEATURES)})
            play.update(confidence=0.92, method="search")
        else:
            play.update(method="none", confidence=0.0)
        yield play
