"""The transform job: the run's raw JSONL -> the run's CSV history file.

Plan (no collect() of the dataset):
  textFile(raw files) -> parse + normalise (a bad line becomes a (SKIP, reason) record)
  -> reduceByKey on (source, id): one post per id, chosen deterministically, duplicates and skip
     reasons counted in the same shuffle
  -> sortByKey (time, source, id): the CSV's stable order
  -> mapPartitions: one resolver + enricher per partition (open_resolver/open_enricher from Settings),
     posts resolved in batches (bounded concurrency and memory), track metadata memoised per partition
  -> persist + count (all executors work in parallel) -> toLocalIterator: the driver streams one
     partition at a time into fileio.atomic_write, so its memory is bounded by a partition, not the run.
     Workers render each batch as CSV text (history.render_rows): the driver only concatenates.
Each partition ends with one stats record (resolver/enricher request and cache counts) that the driver
sums instead of writing.
"""

from __future__ import annotations

import json
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
from nowplaying.history import render_rows, write_rendered
from nowplaying.spark import records

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

log = logging.getLogger(__name__)

BATCH_SIZE = 200  # posts resolved per call: bounds requests in flight and memory per partition
TRACK_MEMO = 20_000  # track metadata remembered per partition (LRU)
ANSWER_MEMO = 50_000  # resolutions remembered per partition by (text, urls) (LRU)
ROWS, STATS = "rows", "stats"


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
    phases: dict[str, float] = field(default_factory=dict)  # "resolve" (all partitions), "write" (CSV)

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
    """The mapPartitions function: sorted (key, (packed post | None, n)) -> ("rows", (csv text, n))... then one
    ("stats", dict).

    Skip records ((SKIP, reason), (None, n)) sort first and are only counted; a post seen n > 1 times
    counts n - 1 duplicates.
    """

    def run(records_in: Iterator[tuple[Any, tuple[Packed | None, int]]]) -> Iterator[tuple[str, Any]]:
        from nowplaying.enrich import open_enricher
        from nowplaying.resolve import open_resolver

        counts: dict[str, int] = {}

        def posts() -> Iterator[dict]:
            for key, (packed, n) in records_in:
                if packed is None:
                    counts[key[1]] = counts.get(key[1], 0) + n
                    continue
                if n > 1:
                    counts["duplicate"] = counts.get("duplicate", 0) + n - 1
                counts[""] = counts.get("", 0) + n
                yield json.loads(packed[1])

        stream = posts()
        first = next(stream, None)
        if first is None:
            yield STATS, {"counts": counts}
            return
        session = worker_session(settings) if use_cache_db else None
        memo: OrderedDict[str, Any] = OrderedDict()
        answers = _Answers()
        resolved = 0
        with open_resolver(settings, session=session) as resolver, open_enricher(settings) as enricher:
            for batch in _batches(_chain(first, stream), batch_size):
                resolutions = resolve_batch(resolver, batch, answers)
                wanted = sorted({r.track_id for r in resolutions if r.track_id and r.track_id not in memo})
                if wanted:
                    infos = enricher.enrich(wanted)
                    for track_id in wanted:
                        memo[track_id] = infos.get(track_id)
                        if len(memo) > TRACK_MEMO:
                            memo.popitem(last=False)
                rows = []
                for post, res in zip(batch, resolutions, strict=True):
                    info = memo.get(res.track_id) if res.track_id else None
                    if res.track_id:
                        resolved += 1
                        if res.track_id in memo:
                            memo.move_to_end(res.track_id)  # recently used: keep it in the LRU
                    rows.append(records.to_row(post, res, info, run_id))
                # The batch leaves the worker as CSV text: the driver only appends it to the file.
                yield ROWS, (render_rows(rows), len(rows))
            resolver_stats = dict(resolver.stats)
            # Posts answered from the partition's memo never reached the resolver: they are cache hits too.
            resolver_stats["cache_hits"] = resolver_stats.get("cache_hits", 0) + answers.hits
            resolver_stats["partition_memo_hits"] = answers.hits
            yield STATS, {"counts": counts, "resolver": resolver_stats, "enricher": dict(enricher.stats),
                          "resolved": resolved}

    return run


class _Answers:
    """Resolutions already computed in this partition, by (text, urls): the resolver is a function of
    those two (its cache is keyed by the text), so a repeated post (radio bots, reposts) is answered
    without parsing it again. Bounded LRU."""

    def __init__(self, limit: int = ANSWER_MEMO) -> None:
        self.limit = limit
        self.data: OrderedDict[tuple, Any] = OrderedDict()
        self.hits = 0

    @staticmethod
    def key(post: dict) -> tuple:
        return post.get("text") or "", tuple(post.get("urls") or ())

    def get(self, key: tuple) -> Any:
        found = self.data.get(key)
        if found is not None:
            self.data.move_to_end(key)
        return found

    def put(self, key: tuple, value: Any) -> None:
        self.data[key] = value
        if len(self.data) > self.limit:
            self.data.popitem(last=False)


def resolve_batch(resolver: Any, batch: list[dict], answers: _Answers) -> list[Any]:
    """One Resolution per post of `batch` (input order): each new (text, urls) goes to the resolver once."""
    from dataclasses import replace

    keys = [answers.key(p) for p in batch]
    known: dict[tuple, Any] = {}
    todo: dict[tuple, dict] = {}  # key -> the first post carrying it
    for key, post in zip(keys, batch, strict=True):
        if key in known or key in todo:
            continue
        found = answers.get(key)
        if found is not None:
            known[key] = found
        else:
            todo[key] = post
    fresh = list(resolver.resolve_posts(list(todo.values())))
    if len(fresh) != len(todo):
        raise RuntimeError(f"resolver returned {len(fresh)} results for {len(todo)} posts")
    for key, resolution in zip(todo, fresh, strict=True):
        answers.put(key, resolution)
        known[key] = resolution
    out = []
    for key, post in zip(keys, batch, strict=True):
        resolution = known[key]
        if todo.get(key) is not post:
            answers.hits += 1
        out.append(resolution if resolution.id == post["id"] else replace(resolution, id=post["id"]))
    return out


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


# A post travels through the shuffles as (sort key, canonical JSON text): strings pickle far cheaper
# than dicts, and the smallest text is a deterministic pick between two copies of one post.
Packed = tuple[tuple[int, str, str], str]


def _parse_partition(lines: Iterator[str]) -> Iterator[tuple[Any, tuple[Packed | None, int]]]:
    """Lines -> ((source, id), (packed post, 1)) or ((SKIP, reason), (None, 1)): one shuffle then both
    de-duplicates posts and counts skips by reason (no separate counting job)."""
    for line in lines:
        parsed = records.parse_post_line(line)
        if parsed is None:
            continue
        key, value = parsed
        if key == records.SKIP:
            yield (records.SKIP, value), (None, 1)
        else:
            yield key, ((records.sort_key(value), json.dumps(value, sort_keys=True, ensure_ascii=False)), 1)


def _combine(a: tuple[Packed | None, int], b: tuple[Packed | None, int]) -> tuple[Packed | None, int]:
    post = min(a[0], b[0]) if a[0] is not None and b[0] is not None else None
    return post, a[1] + b[1]


def _order(item: tuple[Any, tuple[Packed | None, int]]) -> tuple[int, str, str]:
    key, (packed, _) = item
    return (-1, key[0], key[1]) if packed is None else packed[0]


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

    # file:// + the plain path (run ids are file-name safe: no glob or URI characters to escape).
    lines = sc.union([sc.textFile(f"file://{p.resolve()}") for p in raw_files])
    unique = lines.mapPartitions(_parse_partition).reduceByKey(_combine, numPartitions=n_parts)
    ordered = unique.map(lambda kv: (_order(kv), kv)).sortByKey(numPartitions=n_parts).values()
    rows = ordered.mapPartitions(resolve_partition(settings, run_id, batch_size, use_cache_db))
    rows = rows.persist(StorageLevel.MEMORY_AND_DISK)
    counts: dict[str, int] = {}
    try:
        phase = time.monotonic()
        rows.count()  # resolve every partition in parallel before streaming them in order
        result.partitions = rows.getNumPartitions()
        result.phases["resolve"] = round(time.monotonic() - phase, 3)
        phase = time.monotonic()

        def stream() -> Iterator[Any]:
            for kind, value in rows.toLocalIterator():
                if kind == ROWS:
                    text, n = value
                    result.kept += n
                    yield text
                    continue
                for reason, n in value["counts"].items():
                    counts[reason] = counts.get(reason, 0) + n
                result.resolved += value.get("resolved", 0)
                _merge(result.resolver, value.get("resolver", {}))
                _merge(result.enricher, value.get("enricher", {}))

        write_rendered(out, stream())
        result.phases["write"] = round(time.monotonic() - phase, 3)
    finally:
        rows.unpersist()
    ok = counts.pop("", 0)
    result.skipped = dict(sorted(counts.items()))
    result.read = ok + sum(n for reason, n in counts.items() if reason != "duplicate")
    _rates(result.resolver)
    result.seconds = time.monotonic() - started
    return result


def _rates(stats: dict[str, Any]) -> None:
    """Summed per-partition stats: recompute the ratios from the summed counts."""
    hits, misses, posts = stats.get("cache_hits", 0), stats.get("cache_misses", 0), stats.get("posts", 0)
    if "cache_hit_rate" in stats:
        stats["cache_hit_rate"] = round(hits / (hits + misses), 3) if hits + misses else 0.0
    if "searches_per_post" in stats:
        stats["searches_per_post"] = round(stats.get("searches", 0) / posts, 3) if posts else 0.0
