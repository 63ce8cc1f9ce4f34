"""Home counters, the Visuals data and the Pipeline runs, from the per-day aggregate tables.

Aggregates are per-run contribution rows (re-running a run rewrites its own rows): every reader here
SUMs over run_id. Reads are bounded by a date range of at most MAX_RANGE_DAYS day partitions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

from nowplaying.store.queries import Queries

from dashboard import metrics
from dashboard.params import ApiError
from dashboard.plays import FEATURES, PlaysService, iso_utc

MAX_RANGE_DAYS = 92
DEFAULT_RANGE_DAYS = 7
CANDIDATES = 200  # the Visuals chart orders/slices the most played tracks of the range
NUMERIC_TRACK_COLUMNS = ("plays", "popularity", "duration_s", *FEATURES)


class Insights:
    def __init__(self, queries: Queries, plays: PlaysService) -> None:
        self.q = queries
        self.plays = plays
        self.cache = plays.cache

    def resolve_range(self, day_from: dt.date | None, day_to: dt.date | None) -> tuple[list[dt.date], dt.date | None,
                                                                                       dt.date | None]:
        """Default: the DEFAULT_RANGE_DAYS days ending at the newest day with plays. Returns days ascending."""
        all_days = self.plays.all_days()
        if day_to is None:
            day_to = all_days[0] if all_days else None
        if day_from is None and day_to is not None:
            day_from = day_to - dt.timedelta(days=DEFAULT_RANGE_DAYS - 1)
        if day_from and day_to and (day_to - day_from).days + 1 > MAX_RANGE_DAYS:
            raise ApiError(f"the date range may span at most {MAX_RANGE_DAYS} days")
        if day_from is None or day_to is None:
            return [], day_from, day_to
        days = [day_from + dt.timedelta(days=i) for i in range((day_to - day_from).days + 1)]
        return days, day_from, day_to

    # -- Home -------------------------------------------------------------------------------------------
    def counters(self) -> dict[str, Any]:
        days = self.plays.all_days()
        plays = sum(self.plays.counts(days).values())
        # Both walk whole tables or every day's partition: refreshed in the background once known.
        tracks = self.cache.get_or_compute(("tracks_count",), 120.0, self.q.count_tracks, stale_for=3600.0)
        artists = self.cache.get_or_compute(("artists_count",), 120.0, lambda: self._distinct_artists(days),
                                            stale_for=3600.0)
        for kind, value in (("plays", plays), ("tracks", tracks), ("artists", artists)):
            metrics.set_rows(kind, value)
        runs = self.runs(1)
        return {
            "plays": plays, "tracks": tracks, "artists": artists, "days": len(days),
            "first_day": str(days[-1]) if days else None, "last_day": str(days[0]) if days else None,
            "last_run": runs[0] if runs else None,
        }

    def _distinct_artists(self, days: list[dt.date]) -> int:
        names: set[str] = set()
        for rows in self.q.artist_plays(days):
            names.update(r.artist for r in rows if r.artist)
        return len(names)

    # -- Visuals ----------------------------------------------------------------------------------------
    def tracks(self, day_from: dt.date | None, day_to: dt.date | None) -> dict[str, Any]:
        days, day_from, day_to = self.resolve_range(day_from, day_to)
        key = ("tracks", day_from, day_to)
        return self.cache.get_or_compute(key, 60.0, lambda: self._tracks(days, day_from, day_to))

    def _tracks(self, days: list[dt.date], day_from: dt.date | None, day_to: dt.date | None) -> dict[str, Any]:
        plays: dict[str, int] = defaultdict(int)
        names: dict[str, tuple[str | None, list[str]]] = {}
        for rows in self.q.track_plays(days):
            for r in rows:
                plays[r.track_id] += r.plays or 0
                names.setdefault(r.track_id, (r.title, list(r.artists or [])))
        top = sorted(plays, key=lambda t: (-plays[t], t))[:CANDIDATES]
        details = self.q.tracks(top)
        out = []
        for track_id in top:
            row = details.get(track_id)
            title, artists = names[track_id]
            item: dict[str, Any] = {
                "track_id": track_id, "title": (row.title if row else None) or title,
                "artists": list(row.artists or []) if row else artists, "album": row.album if row else None,
                "plays": plays[track_id], "popularity": row.popularity if row else None,
                "duration_s": round(row.duration_ms / 1000, 1) if row and row.duration_ms else None,
                "genres": list(row.genres or []) if row else [],
            }
            for name in FEATURES:
                value = getattr(row, name) if row else None
                item[name] = None if value is None else round(float(value), 4)
            out.append(item)
        return {"from": _s(day_from), "to": _s(day_to), "candidates": CANDIDATES, "columns": NUMERIC_TRACK_COLUMNS,
                "tracks": out}

    def top_series(self, kind: str, day_from: dt.date | None, day_to: dt.date | None, top: int) -> dict[str, Any]:
        days, day_from, day_to = self.resolve_range(day_from, day_to)
        key = ("top", kind, day_from, day_to, top)
        return self.cache.get_or_compute(key, 60.0, lambda: self._top_series(kind, days, day_from, day_to, top))

    def _top_series(self, kind: str, days: list[dt.date], day_from: dt.date | None, day_to: dt.date | None,
                    top: int) -> dict[str, Any]:
        per_day: list[dict[str, int]] = []
        labels: dict[str, str] = {}
        fetched = self.q.track_plays(days) if kind == "tracks" else self.q.artist_plays(days)
        for rows in fetched:
            counts: dict[str, int] = defaultdict(int)
            for r in rows:
                if kind == "tracks":
                    counts[r.track_id] += r.plays or 0
                    labels.setdefault(r.track_id, f"{r.title or r.track_id} — {', '.join(r.artists or [])}")
                else:
                    counts[r.artist] += r.plays or 0
                    labels.setdefault(r.artist, r.artist)
            per_day.append(counts)
        totals: dict[str, int] = defaultdict(int)
        for counts in per_day:
            for k, v in counts.items():
                totals[k] += v
        best = sorted(totals, key=lambda k: (-totals[k], k))[:top]
        series = [{"key": k, "label": labels[k], "total": totals[k], "values": [c.get(k, 0) for c in per_day]}
                  for k in best]
        return {"kind": kind, "from": _s(day_from), "to": _s(day_to), "days": [str(d) for d in days],
                "series": series}

    def daily(self, day_from: dt.date | None, day_to: dt.date | None) -> dict[str, Any]:
        days, day_from, day_to = self.resolve_range(day_from, day_to)

        def compute() -> dict[str, Any]:
            rows = []
            for day, (posts, resolved) in zip(days, self.q.daily_stats(days), strict=True):
                rows.append({"day": str(day), "posts": posts, "resolved": resolved,
                             "share": round(resolved / posts, 4) if posts else None})
            return {"from": _s(day_from), "to": _s(day_to), "days": rows}

        return self.cache.get_or_compute(("daily", day_from, day_to), 60.0, compute)

    # -- Pipeline ---------------------------------------------------------------------------------------
    def runs(self, limit: int) -> list[dict[str, Any]]:
        return self.cache.get_or_compute(("runs", limit), 10.0,
                                         lambda: [run_dict(r) for r in self.q.recent_runs(limit)])


def run_dict(row: Any) -> dict[str, Any]:
    try:
        stats = json.loads(row.stats) if row.stats else {}
        if not isinstance(stats, dict):
            stats = {"value": stats}
    except (TypeError, ValueError):
        stats = {"unparsed": str(row.stats)[:500]}
    started, finished = row.started_at, row.finished_at
    seconds = (finished - started).total_seconds() if started and finished else None
    return {
        "run_id": row.run_id, "status": row.status, "started_at": iso_utc(started), "finished_at": iso_utc(finished),
        "seconds": round(seconds, 1) if seconds is not None else None, "match_rate": stats.get("match_rate"),
        "stats": stats, "durations": dict(row.durations or {}), "requests": dict(row.requests or {}),
    }


def _s(day: dt.date | None) -> str | None:
    return str(day) if day else None
