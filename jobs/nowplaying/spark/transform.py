"""The transform job: the run's raw JSONL -> the run's CSV history file.

Plan (no collect() of the dataset):
  textFile(raw files) -> parse + normalise (bad lines counted by reason)
  -> reduceByKey on (source, id): one post per id, chosen deterministically
  -> sortByKey (time, source, id): the CSV's stable order
  -> mapPartitions: one resolver + enricher per partition (open_resolver/open_enricher from Settings),
     posts resolved in batches (bounded concurrency and memory), track metadata memoised per partition
  -> persist + count (all executors work in parallel) -> toLocalIterator: the driver streams one
     partition at a time into fileio.atomic_write, so its memory is bounded by a partition, not the run.
Each partition ends with one stats record (resolver/enricher request and cache counts) that the driver
sums instead of writing.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nowplaying import paths
from nowplaying.config import Settings
from nowplaying.errors import NowPlayingError
from nowplaying.history import write_history
from nowplaying.spark import records

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

log = logging.getLogger(__name__)

BATCH_SIZE = 200  # posts resolved per call: bounds requests in flight and memory per partition
TRACK_MEMO = 20_000  # track metadata remembered per partition (LRU)
ROW, STATS = "row", "stats"


class NoRawFiles(NowPlayingError):
    """Nothing to transform: extract has not written this run's raw files."""


@dataclass
class TransformResult:
    run_id: str
    path: Path
    read: int = 0
    kept: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    resolved: int = 0
    resolver: dict[str, Any] = field(default_factory=dict)
    enricher: dict[str, Any] = field(default_factory=dict)
    partitions: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        rate = f"{self.resolved / self.kept:.0%}" if self.kept else "n/a"
        return (f"transform {self.run_id}: {self.read} read, {self.kept} kept, {sum(self.skipped.values())} skipped, "
                f"{self.resolved} resolved ({rate}) in {self.seconds:.1f} s -> {self.path}")


def _merge(into: dict[str, Any], more: dict[str, Any]) -> None:
    """Sum two stats documents (numbers add, nested dicts merge)."""
    for key, value in more.items():
        if isinstance(value, dict):
            _merge(into.setdefault(key, {}), value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            into[key] = into.get(key, 0) + value
        else:
            into.setdefault(key, value)


# ---- executor side ------------------------------------------------------------------------------------

_WORKER_SESSIONS: dict[tuple, Any] = {}


def worker_session(settings: Settings) -> Any:
    """One Cassandra session per Python worker process (reused across its tasks) for the resolution
    cache; None -> the resolver keeps an in-memory cache (transform does not need Cassandra to work)."""
    from nowplaying.errors import CassandraUnavailable
    from nowplaying.store.session import connect

    key = (tuple(settings.cassandra_hosts), settings.cassandra_port, settings.cassandra_keyspace)
    if key not in _WORKER_SESSIONS:
        try:
            _WORKER_SESSIONS[key] = connect(settings)
        except CassandraUnavailable as exc:
            log.warning("resolution cache in memory only: %s", exc)
            _WORKER_SESSIONS[key] = None
    return _WORKER_SESSIONS[key]


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def resolve_partition(settings: Settings, run_id: str, batch_size: int = BATCH_SIZE, use_cache_db: bool = True):
    """The mapPartitions function: posts (sorted) -> ("row", tuple)... then one ("stats", dict)."""

    def run(posts: Iterator[dict]) -> Iterator[tuple[str, Any]]:
        from nowplaying.enrich import open_enricher
        from nowplaying.resolve import open_resolver

        first = next(posts, None)
        if first is None:
            return
        session = worker_session(settings) if use_cache_db else None
        memo: OrderedDict[str, Any] = OrderedDict()
        resolved = 0
        with open_resolver(settings, session=session) as resolver, open_enricher(settings) as enricher:
            for batch in _batches(_chain(first, posts), batch_size):
                resolutions = list(resolver.resolve_posts(batch))
                if len(resolutions) != len(batch):
                    raise RuntimeError(f"resolver returned {len(resolutions)} results for {len(batch)} posts")
                wanted = sorted({r.track_id for r in resolutions if r.track_id and r.track_id not in memo})
                if wanted:
                    infos = enricher.enrich(wanted)
                    for track_id in wanted:
                        memo[track_id] = infos.get(track_id)
                        if len(memo) > TRACK_MEMO:
                            memo.popitem(last=False)
                for post, res in zip(batch, resolutions, strict=True):
                    info = memo.get(res.track_id) if res.track_id else None
                    if res.track_id:
                        resolved += 1
                        if res.track_id in memo:
                            memo.move_to_end(res.track_id)  # recently used: keep it in the LRU
                    yield ROW, records.row_to_tuple(records.to_row(post, res, info, run_id))
            yield STATS, {"resolver": dict(resolver.stats), "enricher": dict(enricher.stats), "resolved": resolved}

    return run


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _parse_partition(lines: Iterator[str]) -> Iterator[tuple[Any, Any]]:
    for line in lines:
        parsed = records.parse_post_line(line)
        if parsed is not None:
            yield parsed


# ---- driver side ----------------------------------------------------------------------------------------

def transform_run(spark: SparkSession, settings: Settings, run_id: str, *, batch_size: int = BATCH_SIZE,
                  partitions: int | None = None, use_cache_db: bool = True) -> TransformResult:
    from pyspark import StorageLevel

    started = time.monotonic()
    data_dir = Path(settings.nowplaying_data_dir)
    raw_files = paths.find_raw(data_dir, run_id)
    if not raw_files:
        raise NoRawFiles(f"no raw files for run {run_id} under {data_dir / 'raw'}: "
                         f"run `nowplaying extract --run-id {run_id}` first")
    out = paths.history_path(data_dir, run_id)
    result = TransformResult(run_id=run_id, path=out)
    sc = spark.sparkContext
    n_parts = partitions or max(2, sc.defaultParallelism)

    lines = sc.union([sc.textFile(p.resolve().as_uri()) for p in raw_files])
    parsed = lines.mapPartitions(_parse_partition).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        outcome = parsed.map(lambda kv: kv[1] if kv[0] == records.SKIP else "").countByValue()
        ok = outcome.pop("", 0)
        result.skipped = {reason: int(n) for reason, n in sorted(outcome.items())}
        result.read = ok + sum(result.skipped.values())

        unique = parsed.filter(lambda kv: kv[0] != records.SKIP).reduceByKey(records.pick, numPartitions=n_parts)
        ordered = unique.map(lambda kv: (records.sort_key(kv[1]), kv[1])).sortByKey(numPartitions=n_parts).values()
        rows = ordered.mapPartitions(resolve_partition(settings, run_id, batch_size, use_cache_db))
        rows = rows.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            rows.count()  # resolve every partition in parallel before streaming them in order
            result.partitions = rows.getNumPartitions()

            def stream() -> Iterator[Any]:
                for kind, value in rows.toLocalIterator():
                    if kind == ROW:
                        yield records.row_from_tuple(value)
                    else:
                        result.resolved += value.pop("resolved", 0)
                        _merge(result.resolver, value["resolver"])
                        _merge(result.enricher, value["enricher"])

            result.kept = write_history(out, stream())
        finally:
            rows.unpersist()
    finally:
        parsed.unpersist()
    duplicates = ok - result.kept
    if duplicates:
        result.skipped["duplicate"] = duplicates
    result.seconds = time.monotonic() - started
    return result
