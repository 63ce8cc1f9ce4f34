"""Every query the dashboard makes, as prepared statements (no string-built CQL, no ALLOW FILTERING).

Each read is bounded by a partition: plays by day bucket, per-day aggregates by day, runs by month.
Walking several partitions happens concurrently (execute_async) and the caller decides how many.
`observe(name, seconds)` is called after every query so the app can export Cassandra query time.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from nowplaying.store.session import TUPLE_ROWS

if TYPE_CHECKING:
    from cassandra.cluster import Session
    from cassandra.query import PreparedStatement

# The columns the Data view and the CSV export show, in plays_by_day.
PLAY_COLUMNS = (
    "day", "played_at", "source", "post_id", "run_id", "author", "lang", "text", "track_id", "title", "artists",
    "album", "popularity", "confidence", "method", "genres", "danceability", "energy", "valence", "tempo",
    "acousticness", "instrumentalness", "liveness", "speechiness", "loudness",
)
TRACK_COLUMNS = (
    "track_id", "title", "artists", "album", "release_date", "popularity", "duration_ms", "explicit", "genres",
    "danceability", "energy", "valence", "tempo", "acousticness", "instrumentalness", "liveness", "speechiness",
    "loudness", "features_source", "first_seen", "last_seen",
)
RUN_COLUMNS = ("run_id", "started_at", "finished_at", "status", "stats", "durations", "requests")
DAYS_BUCKET = "all"  # plays_days has one partition; the pipeline writes bucket 'all'
CONCURRENCY = 16  # in-flight requests when walking many partitions (COUNTs scan whole partitions)

Observer = Callable[[str, float], None]


def _noop(_name: str, _seconds: float) -> None:
    return None


class Queries:
    """Prepared statements over one session (one per worker process; the driver is thread-safe)."""

    def __init__(self, session: Session, observe: Observer | None = None) -> None:
        self.session = session
        self.observe = observe or _noop
        def p(cql: str) -> PreparedStatement:
            # Column lists are module constants, never input: every value is a bind marker.
            return session.prepare(cql.replace("{plays}", ", ".join(PLAY_COLUMNS))
                                   .replace("{tracks}", ", ".join(TRACK_COLUMNS))
                                   .replace("{runs}", ", ".join(RUN_COLUMNS)))

        self._stmts: dict[str, PreparedStatement] = {
            "ping": p("SELECT release_version FROM system.local"),
            "days": p("SELECT day FROM plays_days WHERE bucket = ?"),
            "count_day": p("SELECT COUNT(*) FROM plays_by_day WHERE day = ?"),
            "day_times": p("SELECT played_at FROM plays_by_day WHERE day = ?"),
            "plays_desc": p("SELECT {plays} FROM plays_by_day WHERE day = ? LIMIT ?"),
            "plays_desc_from": p("SELECT {plays} FROM plays_by_day WHERE day = ? AND played_at <= ? LIMIT ?"),
            "plays_asc": p("SELECT {plays} FROM plays_by_day WHERE day = ? ORDER BY played_at ASC LIMIT ?"),
            "plays_asc_from": p("SELECT {plays} FROM plays_by_day WHERE day = ? AND played_at >= ?"
                                " ORDER BY played_at ASC LIMIT ?"),
            "plays_day_all": p("SELECT {plays} FROM plays_by_day WHERE day = ?"),
            "plays_day_all_asc": p("SELECT {plays} FROM plays_by_day WHERE day = ? ORDER BY played_at ASC"),
            "track": p("SELECT {tracks} FROM tracks WHERE track_id = ?"),
            "count_tracks": p("SELECT COUNT(*) FROM tracks"),
            "track_plays": p("SELECT track_id, plays, title, artists FROM track_plays_by_day WHERE day = ?"),
            "artist_plays": p("SELECT artist, plays FROM artist_plays_by_day WHERE day = ?"),
            "daily_stats": p("SELECT posts, resolved FROM daily_stats_by_run WHERE day = ?"),
            "runs_month": p("SELECT run_id, started_at, status FROM runs_by_month WHERE month = ? LIMIT ?"),
            "run": p("SELECT {runs} FROM runs WHERE run_id = ?"),
        }

    # -- plumbing ---------------------------------------------------------------------------------------
    def _run(self, name: str, params: Sequence[Any] = (), *, fetch_size: int | None = None,
             timeout: float | None = None, tuples: bool = False) -> Any:
        stmt = self._stmts[name].bind(params)
        if fetch_size:
            stmt.fetch_size = fetch_size
        options: dict[str, Any] = {"timeout": timeout} if timeout else {}
        if tuples:
            options["execution_profile"] = TUPLE_ROWS
        start = time.perf_counter()
        try:
            return self.session.execute(stmt, **options)
        finally:
            self.observe(name, time.perf_counter() - start)

    def _each(self, name: str, params: Iterable[Sequence[Any]]) -> list[list[Any]]:
        """Run one statement for many parameter tuples concurrently; results in input order."""
        params = list(params)
        results: list[list[Any]] = []
        start = time.perf_counter()
        try:
            for i in range(0, len(params), CONCURRENCY):
                futures = [self.session.execute_async(self._stmts[name].bind(ps)) for ps in params[i:i + CONCURRENCY]]
                results.extend(list(f.result()) for f in futures)
        finally:
            self.observe(name, time.perf_counter() - start)
        return results

    # -- health -----------------------------------------------------------------------------------------
    def ping(self, timeout: float = 2.0) -> str:
        return self._run("ping", timeout=timeout).one().release_version

    # -- plays ------------------------------------------------------------------------------------------
    def days(self) -> list[dt.date]:
        """Days having plays, newest first."""
        return [_date(row.day) for row in self._run("days", (DAYS_BUCKET,))]

    def count_days(self, days: Sequence[dt.date]) -> dict[dt.date, int]:
        """Exact number of plays in each day partition (a server-side count, one partition each)."""
        return {day: int(rows[0].count) for day, rows in zip(days, self._each("count_day", ((d,) for d in days)),
                                                              strict=True)}

    def day_times(self, day: dt.date) -> Iterator[dt.datetime]:
        """played_at of every play in a day, newest first (clustering order), driver-paged."""
        for row in self._run("day_times", (day,), fetch_size=5000, tuples=True):
            yield row[0]

    def plays_in_day(self, day: dt.date, *, limit: int, ascending: bool = False,
                     boundary: dt.datetime | None = None) -> list[Any]:
        """Up to `limit` plays of a day in time order, optionally starting at played_at `boundary`
        (inclusive: <= when newest first, >= when oldest first). Rows are tuples in PLAY_COLUMNS order."""
        if boundary is None:
            name, params = ("plays_asc" if ascending else "plays_desc"), (day, limit)
        else:
            name, params = ("plays_asc_from" if ascending else "plays_desc_from"), (day, boundary, limit)
        return list(self._run(name, params, fetch_size=max(limit, 1), tuples=True))

    def stream_plays(self, days: Iterable[dt.date], *, ascending: bool = False,
                     fetch_size: int = 1000) -> Iterator[Any]:
        """Every play of the given days, day by day in the order given, driver-paged (bounded memory);
        tuples in PLAY_COLUMNS order."""
        for day in days:
            yield from self._run("plays_day_all_asc" if ascending else "plays_day_all", (day,), fetch_size=fetch_size,
                                 tuples=True)

    # -- tracks and aggregates --------------------------------------------------------------------------
    def tracks(self, track_ids: Sequence[str]) -> dict[str, Any]:
        rows = self._each("track", ((t,) for t in track_ids))
        return {r[0].track_id: r[0] for r in rows if r}

    def count_tracks(self, timeout: float = 30.0) -> int:
        return int(self._run("count_tracks", timeout=timeout).one().count)

    def track_plays(self, days: Sequence[dt.date]) -> list[list[Any]]:
        """Per day (input order): the per-run rows (track_id, plays, title, artists); callers SUM over runs."""
        return self._each("track_plays", ((d,) for d in days))

    def artist_plays(self, days: Sequence[dt.date]) -> list[list[Any]]:
        return self._each("artist_plays", ((d,) for d in days))

    def daily_stats(self, days: Sequence[dt.date]) -> list[tuple[int, int]]:
        """Per day (input order): (posts, resolved) summed over the runs that contributed."""
        out = []
        for rows in self._each("daily_stats", ((d,) for d in days)):
            out.append((sum(r.posts or 0 for r in rows), sum(r.resolved or 0 for r in rows)))
        return out

    # -- runs -------------------------------------------------------------------------------------------
    def recent_runs(self, limit: int, *, months_back: int = 12, today: dt.date | None = None) -> list[Any]:
        """The newest `limit` runs, walking month buckets back from this month (at most months_back)."""
        month = (today or dt.datetime.now(dt.UTC).date()).replace(day=1)
        ids: list[str] = []
        for _ in range(months_back):
            for row in self._run("runs_month", (month.strftime("%Y-%m"), limit - len(ids))):
                ids.append(row.run_id)
            if len(ids) >= limit:
                break
            month = (month - dt.timedelta(days=1)).replace(day=1)
        rows = self._each("run", ((i,) for i in ids))
        return [r[0] for r in rows if r]


def _date(value: Any) -> dt.date:
    """The driver returns cassandra.util.Date for `date` columns; normalise to datetime.date."""
    if isinstance(value, dt.date):
        return value
    return value.date()
