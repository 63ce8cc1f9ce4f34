"""`load`: a run's CSV history -> Cassandra, idempotently.

Every write is an upsert keyed so that loading the same run again lands on the same rows:
- plays_by_day: one row per post, keyed (day, played_at, source, post_id).
- track_plays_by_day / artist_plays_by_day / daily_stats_by_run: the run's own contribution rows
  (run_id in the key, plain ints, no counters); readers SUM over run_id. A rerun rewrites them.
- plays_days: ('all', day) for each day the run has plays.
- tracks: metadata (from the run's newest play of the track) is overwritten by each load, with
  updated_at = the load's time. first_seen is a min kept without reads or LWTs: it is written
  USING TIMESTAMP (2^62 - played_at in µs), so the earliest play carries the highest write timestamp and
  wins every other write, in any load order, concurrent loads included; last_seen likewise with
  USING TIMESTAMP played_at (max wins).
  Consequence: a plain DELETE of a track row does not remove first_seen; delete it with
  `USING TIMESTAMP 4611686018427387904` (2^62) or higher.

Rows go in with prepared statements through cassandra.concurrent (bounded in-flight requests), streamed
from the CSV: memory holds the per-run aggregates (tracks x days), never the plays. Rows of one day
partition are grouped into single-partition UNLOGGED batches of up to 64 KiB (one mutation each; the
server's batch-size thresholds do not apply to single-partition batches): a Python client is bound by
per-request cost, and this multiplies throughput several times (bench/load.py measures it). A track's
three tracks-row updates travel as one single-partition batch as well (one request per distinct track).
Each row is bound exactly once; the batcher sizes it from its serialized values.
Absent values are bound as UNSET (no tombstone per empty cell), so a later load never blanks a value.

Order: plays, then tracks and aggregates. A load that dies midway leaves some rows written; the rerun
rewrites all of them with the same values, which completes it.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nowplaying.errors import CassandraUnavailable
from nowplaying.history import FEATURES, HistoryReader, HistoryRow

if TYPE_CHECKING:
    from cassandra.cluster import Session

log = logging.getLogger(__name__)

FIRST_SEEN_EPOCH = 1 << 62  # first_seen's write timestamp = FIRST_SEEN_EPOCH - played_at_us (see docstring)
DEFAULT_CONCURRENCY = 64
WRITE_CONSISTENCY = 6  # cassandra.ConsistencyLevel.LOCAL_QUORUM (the driver is imported lazily)

_PLAY_COLUMNS = ("day", "played_at", "source", "post_id", "run_id", "author", "lang", "text", "urls", "track_id",
                 "title", "artists", "artist_ids", "album", "popularity", "confidence", "method", "genres",
                 *FEATURES)
# Every play column after the first five is the HistoryRow field of the same name (one C-level getter).
_row_values = attrgetter(*_PLAY_COLUMNS[5:])
_TRACK_COLUMNS = ("title", "artists", "artist_ids", "album", "album_id", "release_date", "popularity",
                  "duration_ms", "explicit", "isrc", "image_url", "genres", *FEATURES, "features_source")


@dataclass
class _TrackSeen:
    row: HistoryRow  # the newest play's row in this run (its metadata wins)
    first: datetime
    last: datetime


@dataclass
class LoadResult:
    run_id: str
    path: Path
    plays: int = 0
    read: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    tracks: int = 0
    days: int = 0
    statements: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        skipped = sum(self.skipped.values())
        rate = self.statements / self.seconds if self.seconds else 0.0
        return (f"load {self.run_id}: {self.plays} plays, {self.tracks} tracks, {self.days} days, "
                f"{skipped} rows skipped, {self.statements} writes in {self.seconds:.1f} s ({rate:,.0f}/s)")


def bindable(value: Any) -> Any:
    """None / empty list -> UNSET: no tombstone, and no earlier value blanked."""
    if value is None or value == []:
        return _unset()
    return value


def _unset() -> Any:
    from cassandra.query import UNSET_VALUE

    return UNSET_VALUE


def _micros(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


class PlayWriter:
    """Prepared statements for one session; `execute` runs a stream of parameters concurrently."""

    def __init__(self, session: Session, *, concurrency: int = DEFAULT_CONCURRENCY) -> None:
        self.session = session
        self.concurrency = concurrency
        self.statements = 0
        cols = ", ".join(_PLAY_COLUMNS)
        marks = ", ".join("?" for _ in _PLAY_COLUMNS)
        self.play = self._prepare(f"INSERT INTO {{ks}}.plays_by_day ({cols}) VALUES ({marks})")  # noqa: S608
        sets = ", ".join(f"{c} = ?" for c in _TRACK_COLUMNS)
        # Metadata at the request's own write time (no USING TIMESTAMP): a list overwritten USING TIMESTAMP
        # twice with the same timestamp would keep both copies (list cells are keyed by time UUIDs, the
        # tombstone is at ts-1).
        self.track_meta = self._prepare(
            f"UPDATE {{ks}}.tracks SET {sets}, updated_at = ? WHERE track_id = ?")  # noqa: S608
        self.track_last = self._prepare("UPDATE {ks}.tracks USING TIMESTAMP ? SET last_seen = ? WHERE track_id = ?")
        self.track_first = self._prepare("UPDATE {ks}.tracks USING TIMESTAMP ? SET first_seen = ? WHERE track_id = ?")
        self.track_day = self._prepare("INSERT INTO {ks}.track_plays_by_day (day, track_id, run_id, plays, title, "
                                       "artists) VALUES (?, ?, ?, ?, ?, ?)")
        self.artist_day = self._prepare("INSERT INTO {ks}.artist_plays_by_day (day, artist, run_id, plays) "
                                        "VALUES (?, ?, ?, ?)")
        self.day_stats = self._prepare("INSERT INTO {ks}.daily_stats_by_run (day, run_id, posts, resolved) "
                                       "VALUES (?, ?, ?, ?)")
        self.play_day = self._prepare("INSERT INTO {ks}.plays_days (bucket, day) VALUES ('all', ?)")

    def _prepare(self, cql: str) -> Any:
        """Prepare with the keyspace spelled out (the server warns about USE + prepared statements).
        Only our constant names are interpolated (the keyspace is a validated identifier); values are bound.
        Writes are LOCAL_QUORUM (the driver's default is LOCAL_ONE): a load that reports success is on a
        majority of the local DC's replicas. On one node it costs nothing."""
        statement = self.session.prepare(cql.replace("{ks}", self.session.keyspace))
        statement.consistency_level = WRITE_CONSISTENCY
        return statement

    def execute(self, statement: Any, params: Iterable[tuple], on_done: Callable[[int], None] | None = None, *,
                partition: int | None = None) -> int:
        """Run `statement` once per parameter tuple, `concurrency` requests in flight; returns the row count.

        With `partition` (the index of the partition key among the parameters), consecutive rows of one
        partition travel as one UNLOGGED batch: a single-partition batch is one mutation on one replica
        (no batchlog, atomic and isolated), and saves the per-request cost that bounds a Python client.
        """
        if partition is None:
            requests: Iterable[tuple[Any, Any, int]] = ((statement, p, 1) for p in params)
        else:
            requests = ((batch, None, n) for batch, n in _partition_batches(statement, params, partition))
        return self.send(requests, on_done)

    def write_tracks(self, tracks: dict[str, _TrackSeen], now: datetime) -> int:
        """Each track's metadata, last_seen and first_seen as one single-partition batch: one request per
        track instead of three (a run has about one distinct track per few plays, so this is most of the
        requests after the plays). Each statement keeps its own write timestamp inside the batch."""
        def requests() -> Iterator[tuple[Any, Any, int]]:
            for track_id, seen in tracks.items():
                batch = _batch()
                batch.add(self.track_meta, _track_meta_params(track_id, seen, now))
                batch.add(self.track_last, (_micros(seen.last), seen.last, track_id))
                batch.add(self.track_first, (FIRST_SEEN_EPOCH - _micros(seen.first), seen.first, track_id))
                yield batch, None, 3

        return self.send(requests())

    def send(self, requests: Iterable[tuple[Any, Any, int]], on_done: Callable[[int], None] | None = None) -> int:
        """Execute (statement, parameters, rows written) requests, `concurrency` in flight; returns the rows."""
        from cassandra.concurrent import execute_concurrent

        rows = 0
        reported = 0

        def counted() -> Iterator[tuple[Any, Any]]:
            nonlocal rows
            for statement, params, n in requests:
                rows += n
                yield statement, params

        # results_generator: results are consumed as they arrive, nothing accumulates.
        for _ in execute_concurrent(self.session, counted(), concurrency=self.concurrency,
                                    raise_on_first_error=True, results_generator=True):
            if on_done and rows - reported >= 500:
                on_done(rows - reported)
                reported = rows
        if on_done and rows > reported:
            on_done(rows - reported)
        self.statements += rows
        return rows


# Batch bounds. Cassandra's batch_size_warn/fail thresholds (5 / 50 KiB) only apply to batches that span
# several partitions (CASSANDRA-10876); ours never do. Per request a Python client pays ~0.5 ms of driver
# work, so bigger batches are cheaper (bench/load.py: CPU per row drops ~25% from ~4 KiB to ~40 KiB and
# flattens beyond); the bound keeps each request and its server-side mutation small.
BATCH_ROWS = 256
BATCH_BYTES = 64 * 1024


def _size(values: list) -> int:
    """Approximate mutation size of one bound row: its serialized values plus per-cell overhead."""
    return 16 + sum(len(v) + 8 for v in values if v.__class__ is bytes)  # None / UNSET write no cell


def _batch() -> Any:
    """An UNLOGGED batch: ours are single-partition, so one mutation, atomic, no batchlog."""
    from cassandra.query import BatchStatement, BatchType

    return BatchStatement(batch_type=BatchType.UNLOGGED, consistency_level=WRITE_CONSISTENCY)


def _partition_batches(statement: Any, params: Iterable[tuple], partition: int) -> Iterator[tuple[Any, int]]:
    """Bind each row once (the bound bytes also give its exact size) and group one partition's rows."""
    batch, key, n, size = None, None, 0, 0
    for p in params:
        bound = statement.bind(p)
        row_size = _size(bound.values)
        if batch is not None and (p[partition] != key or n >= BATCH_ROWS or size + row_size > BATCH_BYTES):
            yield batch, n
            batch = None
        if batch is None:
            batch, key, n, size = _batch(), p[partition], 0, 0
        batch.add(bound)
        n += 1
        size += row_size
    if batch is not None:
        yield batch, n


def play_params(row: HistoryRow, run_id: str) -> tuple:
    """The plays_by_day values in _PLAY_COLUMNS order; runs once per CSV row, so no dict in between."""
    played = row.played_at
    unset = _unset()
    return (played.date(), played, row.source, row.post_id, row.run_id or run_id,
            *(unset if v is None or v == [] else v for v in _row_values(row)))


class _Aggregates:
    """What a run contributes beyond its plays, gathered while the plays stream past."""

    def __init__(self) -> None:
        self.tracks: dict[str, _TrackSeen] = {}
        self.track_days: Counter[tuple[date, str]] = Counter()
        self.track_names: dict[str, tuple[str | None, list[str]]] = {}
        self.artist_days: Counter[tuple[date, str]] = Counter()
        self.day_posts: Counter[date] = Counter()
        self.day_resolved: Counter[date] = Counter()

    def add(self, row: HistoryRow) -> None:
        played = row.played_at
        day = played.date()
        self.day_posts[day] += 1
        if not row.track_id:
            return
        self.day_resolved[day] += 1
        self.track_days[(day, row.track_id)] += 1
        self.track_names[row.track_id] = (row.title, row.artists)
        for artist in dict.fromkeys(a for a in row.artists if a):  # once per play, order kept
            self.artist_days[(day, artist)] += 1
        seen = self.tracks.get(row.track_id)
        if seen is None:
            self.tracks[row.track_id] = _TrackSeen(row, played, played)
        else:
            if played < seen.first:
                seen.first = played
            if played >= seen.last:
                seen.last, seen.row = played, row


def _track_meta_params(track_id: str, seen: _TrackSeen, now: datetime) -> tuple:
    return (*(bindable(getattr(seen.row, c)) for c in _TRACK_COLUMNS), now, track_id)


def load_rows(session: Session, rows: Iterable[HistoryRow], run_id: str, *, concurrency: int = DEFAULT_CONCURRENCY,
              on_progress: Callable[[int], None] | None = None) -> tuple[int, _Aggregates, PlayWriter]:
    """Write plays then the run's aggregates and track rows; returns (plays, aggregates, writer)."""
    writer = PlayWriter(session, concurrency=concurrency)
    agg = _Aggregates()

    def plays() -> Iterator[tuple]:
        for row in rows:
            agg.add(row)
            yield play_params(row, run_id)

    played = writer.execute(writer.play, plays(), on_progress, partition=0)
    now = datetime.now(UTC)
    writer.write_tracks(agg.tracks, now)
    writer.execute(writer.track_day, ((day, t, run_id, n, *map(bindable, agg.track_names[t]))
                                      for (day, t), n in sorted(agg.track_days.items())), partition=0)
    writer.execute(writer.artist_day, ((day, a, run_id, n) for (day, a), n in sorted(agg.artist_days.items())),
                   partition=0)
    writer.execute(writer.day_stats, ((day, run_id, n, agg.day_resolved[day])
                                      for day, n in sorted(agg.day_posts.items())))
    writer.execute(writer.play_day, ((day,) for day in sorted(agg.day_posts)))
    return played, agg, writer


def load_history(session: Session, path: Path, run_id: str, *, concurrency: int = DEFAULT_CONCURRENCY,
                 on_progress: Callable[[int], None] | None = None) -> LoadResult:
    """Load one run's CSV. Cassandra failing midway -> CassandraUnavailable (one line); rerun to complete."""
    from cassandra import DriverException, RequestExecutionException
    from cassandra.cluster import NoHostAvailable
    from cassandra.connection import ConnectionException

    started = time.monotonic()
    result = LoadResult(run_id=run_id, path=Path(path))
    reader = HistoryReader(path)
    try:
        played, agg, writer = load_rows(session, reader, run_id, concurrency=concurrency, on_progress=on_progress)
    except (DriverException, RequestExecutionException, NoHostAvailable, ConnectionException) as exc:
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        raise CassandraUnavailable(
            f"Cassandra failed while loading run {run_id} ({type(exc).__name__}: {detail}); the CSV {path} is kept: "
            f"rerun `nowplaying load --run-id {run_id}` to complete the load") from None
    result.plays = played
    result.read = reader.read
    result.skipped = dict(reader.skipped)
    result.tracks = len(agg.tracks)
    result.days = len(agg.day_posts)
    result.statements = writer.statements
    result.seconds = time.monotonic() - started
    if reader.skipped:
        log.warning("skipped %d bad rows in %s", sum(reader.skipped.values()), path,
                    extra={"skipped": dict(reader.skipped)})
    return result


def load_run(session: Session, data_dir: Path, run_id: str, **kwargs: Any) -> LoadResult:
    from nowplaying import paths
    from nowplaying.history import HistoryFormatError

    path = paths.history_path(data_dir, run_id)
    if not path.exists():
        raise HistoryFormatError(f"no history file for run {run_id} at {path}: "
                                 f"run `nowplaying transform --run-id {run_id}` first")
    return load_history(session, path, run_id, **kwargs)

