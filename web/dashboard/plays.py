"""The Data view over plays_by_day: exact time-ordered paging at any depth, and a bounded search window.

Cassandra answers "the plays of day D, newest (or oldest) first" from one partition, and nothing else
cheaply: no OFFSET, no ORDER BY on other columns, and Cassandra 5.0's SAI indexes match whole terms
(=, range, CONTAINS) with no LIKE/OR and no ORDER BY on regular columns. So:

* Time order (the default, newest first; or oldest first): exact over the whole date range. Per-day
  counts (the loader's daily_stats_by_run posts summed over runs, one tiny partition per day; COUNT(*)
  when a day has no stats rows; cached) map a global offset to (day, offset in day).
  Inside a day, the played_at of every row (8 bytes each as milliseconds in an array: 8 MB per worker at
  1M plays, built once per day and day count from one clustering-key scan) turns the offset into
  `played_at <= t LIMIT ties + length`, so a page at any depth reads about `length` rows.
* Search (case-insensitive substring over text, track, artists, album, genres, source, author) and
  sorting by any other column apply to a bounded window: the newest `window` plays of the selected
  date range (default 5,000; shown in the UI). Narrowing the date range reaches older plays.
"""

from __future__ import annotations

import bisect
import datetime as dt
import operator
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from nowplaying.store.queries import PLAY_COLUMNS, Queries

from dashboard.cache import TTLCache
from dashboard.params import PlaysRequest

DIRECT_READ = 64  # offsets up to this read from the day's start: no position index needed
_EPOCH = dt.datetime(1970, 1, 1)  # the driver's timestamps are naive UTC
_MS = dt.timedelta(milliseconds=1)  # Cassandra's timestamp resolution
DEFAULT_WINDOW = 5000
FEATURES = ("danceability", "energy", "valence", "tempo", "acousticness", "instrumentalness", "liveness",
            "speechiness", "loudness")
_SEARCHED = ("text", "title", "album", "source", "author")


def _ttl_for(day: dt.date) -> float:
    """Recent days still receive plays (a run every 30 minutes); older ones are settled."""
    today = dt.datetime.now(dt.UTC).date()
    return 15.0 if day >= today - dt.timedelta(days=1) else 600.0


def iso_utc(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # the driver returns naive UTC datetimes
        return value.isoformat() + "Z"
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _num(value: Any, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


def play_dict(row: Sequence[Any]) -> dict[str, Any]:
    """A plays_by_day row (a tuple in PLAY_COLUMNS order) as the JSON the Data view and the CSV export use."""
    out = dict(zip(PLAY_COLUMNS, row, strict=True))
    out["day"] = str(out["day"])
    out["played_at"] = iso_utc(out["played_at"])
    out["artists"] = list(out["artists"] or [])
    out["genres"] = list(out["genres"] or [])
    out["confidence"] = _num(out["confidence"], 3)
    for name in FEATURES:
        out[name] = _num(out[name])
    return out


def _haystack(play: dict[str, Any]) -> str:
    parts = [play.get(k) or "" for k in _SEARCHED]
    parts.extend(play["artists"])
    parts.extend(play["genres"])
    return "\n".join(parts).casefold()


def _sort_key(name: str) -> Callable[[tuple[str, dict[str, Any]]], tuple[bool, Any]]:
    def key(item: tuple[str, dict[str, Any]]) -> tuple[bool, Any]:
        value = item[1].get(name)
        if isinstance(value, list):
            value = ", ".join(value).casefold()
        elif isinstance(value, str):
            value = value.casefold()
        return (value is None or value == "", value if value not in (None, "") else 0)
    return key


@dataclass
class Page:
    rows: list[dict[str, Any]]
    total: int  # plays in the date range
    filtered: int  # plays matching (== total when no search)
    windowed: bool  # search/sort ran over the bounded window
    window: int
    day_from: dt.date | None
    day_to: dt.date | None


class PlaysService:
    """Per worker process; caches are per process and keyed by what they depend on."""

    def __init__(self, queries: Queries, *, window: int = DEFAULT_WINDOW) -> None:
        self.q = queries
        self.window = window
        self.cache = TTLCache(maxsize=4096)
        # Serialised /api/plays responses: everyone opening the Data view asks for the same first page.
        self.responses = TTLCache(maxsize=256)

    # -- day index --------------------------------------------------------------------------------------
    def all_days(self) -> list[dt.date]:
        return self.cache.get_or_compute(("days",), 10.0, self.q.days, stale_for=300.0)

    def days_in_range(self, day_from: dt.date | None, day_to: dt.date | None) -> list[dt.date]:
        """Days having plays within [from, to], newest first."""
        return [d for d in self.all_days() if (day_from is None or d >= day_from) and (day_to is None or d <= day_to)]

    def counts(self, days: Sequence[dt.date]) -> dict[dt.date, int]:
        """Exact plays per day. Cached per day; a recently expired count is used while a background
        thread recounts (stale-while-revalidate), so no page request waits on a COUNT."""
        out: dict[dt.date, int] = {}
        missing: list[dt.date] = []
        stale: list[dt.date] = []
        for day in days:
            cached = self.cache.get(("count", day))
            if cached is None:
                cached = self.cache.peek_stale(("count", day), 300.0)
                (missing if cached is None else stale).append(day)
            if cached is not None:
                out[day] = cached
        if stale:
            self.cache.run_in_background(("recount", tuple(stale)), lambda: self._count(stale))
        if missing:
            out.update(self._count(missing))
        return out

    def _count(self, days: list[dt.date]) -> dict[dt.date, int]:
        # The loader's per-run daily_stats rows (posts per day, SUM over runs) are one tiny partition per
        # day; a server-side COUNT(*) of a 20k-row partition is not, and 50 of them at once time out on a
        # busy node. COUNT(*) remains the fallback for a day without stats rows.
        counted = dict(zip(days, (posts for posts, _ in self.q.daily_stats(days)), strict=True))
        unknown = [day for day, n in counted.items() if not n]
        if unknown:
            counted.update(self.q.count_days(unknown))
        for day, n in counted.items():
            self.cache.put(("count", day), n, _ttl_for(day))
        return counted

    def _times(self, day: dt.date, count: int) -> array:
        """played_at (ms) of every row of the day, newest first.

        Keyed by the day's count: plays are only ever added, so an unchanged count means unchanged
        positions. Single flight: concurrent deep pages of one day wait for one key scan."""
        return self.cache.get_or_compute(("times", day, count), 3600.0,
                                         lambda: array("q", ((ts - _EPOCH) // _MS for ts in self.q.day_times(day))))

    def _rows_in_day(self, day: dt.date, offset: int, n: int, count: int, ascending: bool) -> list[Any]:
        if offset <= DIRECT_READ:
            return self.q.plays_in_day(day, limit=offset + n, ascending=ascending)[offset:]
        times = self._times(day, count)
        if offset >= len(times):  # the count ran ahead of the rows (a recount is due)
            return []
        # Rows sharing a played_at (posts of the same second) form a group; the read starts at its edge.
        ms = times[len(times) - 1 - offset if ascending else offset]
        first = bisect.bisect_left(times, -ms, key=operator.neg)  # the group's newest-first index range
        last = bisect.bisect_right(times, -ms, key=operator.neg) - 1
        skip = offset - (len(times) - 1 - last if ascending else first)
        rows = self.q.plays_in_day(day, limit=skip + n, ascending=ascending, boundary=_EPOCH + ms * _MS)
        return rows[skip:]

    # -- pages ------------------------------------------------------------------------------------------
    def page(self, req: PlaysRequest) -> Page:
        days = self.days_in_range(req.day_from, req.day_to)
        counts = self.counts(days)
        total = sum(counts.values())
        if req.time_ordered and not req.search:
            rows = self._time_page(days, counts, req.start, req.length, req.ascending)
            return Page([play_dict(r) for r in rows], total, total, False, self.window, req.day_from, req.day_to)
        matches = self._window_matches(days, req.search, req.order, req.ascending)
        rows = [p for _, p in matches[req.start:req.start + req.length]]
        return Page(rows, total, len(matches), True, self.window, req.day_from, req.day_to)

    def _time_page(self, days: list[dt.date], counts: dict[dt.date, int], start: int, length: int,
                   ascending: bool) -> list[Any]:
        ordered = list(reversed(days)) if ascending else days
        rows: list[Any] = []
        skip = start
        for day in ordered:
            count = counts.get(day, 0)
            if skip >= count:
                skip -= count
                continue
            rows.extend(self._rows_in_day(day, skip, length - len(rows), count, ascending))
            skip = 0
            if len(rows) >= length:
                break
        return rows[:length]

    def window_rows(self, days: list[dt.date]) -> list[tuple[str, dict[str, Any]]]:
        """The newest `window` plays of these days, as (haystack, play) pairs; cached briefly."""
        if not days:
            return []
        key = ("window", days[0], days[-1], len(days), self.window)

        def compute() -> list[tuple[str, dict[str, Any]]]:
            out: list[tuple[str, dict[str, Any]]] = []
            for day in days:
                for row in self.q.plays_in_day(day, limit=self.window - len(out)):
                    play = play_dict(row)
                    out.append((_haystack(play), play))
                if len(out) >= self.window:
                    break
            return out

        return self.cache.get_or_compute(key, min(_ttl_for(days[0]), 30.0), compute, stale_for=300.0)

    def _window_matches(self, days: list[dt.date], search: str, order: str,
                        ascending: bool) -> list[tuple[str, dict[str, Any]]]:
        items = self.window_rows(days)
        if search:
            needle = search.casefold()
            items = [item for item in items if needle in item[0]]
        if order == "played_at":
            return items if not ascending else list(reversed(items))
        present = [it for it in items if it[1].get(order) not in (None, "", [])]
        absent = [it for it in items if it[1].get(order) in (None, "", [])]
        present.sort(key=_sort_key(order), reverse=not ascending)
        return present + absent  # rows without a value last, whichever the direction

    # -- export -----------------------------------------------------------------------------------------
    def export(self, req: PlaysRequest) -> Iterator[dict[str, Any]]:
        """Every play of the date range matching the search, in time order, streamed from Cassandra."""
        days = self.days_in_range(req.day_from, req.day_to)
        ascending = req.time_ordered and req.ascending
        needle = req.search.casefold()
        for row in self.q.stream_plays(list(reversed(days)) if ascending else days, ascending=ascending):
            play = play_dict(row)
            if needle and needle not in _haystack(play):
                continue
            yield play
