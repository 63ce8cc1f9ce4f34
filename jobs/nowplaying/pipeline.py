"""The three stages of a run and `nowplaying run`, which chains them once in this process.

Each stage is also its own command (a pod under Airflow): transform and load read what the previous
stage wrote under NOWPLAYING_DATA_DIR (raw JSONL, the CSV, the run's stats file), never in-process state.

Reruns of one run id are safe: extract reuses a source's raw file when the run already has it (the
checkpoints moved on, fetching again would return nothing new and cost API calls), transform rewrites
the CSV, load upserts the same rows.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nowplaying import paths
from nowplaying.config import Settings
from nowplaying.errors import NowPlayingError
from nowplaying.logs import progress_bar
from nowplaying.runstats import RunStats, add_counts

if TYPE_CHECKING:
    from cassandra.cluster import Session
    from pyspark.sql import SparkSession

    from nowplaying.spark.transform import TransformResult
    from nowplaying.store.plays import LoadResult

log = logging.getLogger(__name__)
Say = Callable[[str], None]


def configured_sources(settings: Settings) -> list[str]:
    """X only with a bearer token (its reads are billed); Mastodon needs no credentials."""
    return (["x"] if settings.has_x_credentials else []) + (["mastodon"] if settings.mastodon_instances else [])


@contextmanager
def timed(stats: RunStats, stage: str) -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    finally:
        stats.durations[stage] = round(time.monotonic() - started, 3)


# ---- extract --------------------------------------------------------------------------------------------

def extract_stage(settings: Settings, run_id: str, stats: RunStats, session: Session, say: Say) -> None:
    from nowplaying.sources import extract_source
    from nowplaying.store.checkpoints import CassandraCheckpoints

    checkpoints = CassandraCheckpoints(session)
    for source in configured_sources(settings):
        output = paths.raw_path(settings.nowplaying_data_dir, source, run_id)
        if output.exists():
            say(f"  {source}: reusing {output} (this run already extracted it)")
            continue
        summary = extract_source(source, settings, output, checkpoints)
        stats.sources[source] = summary.as_dict()
        requests = summary.requests
        stats.set_stage_requests(f"extract.{source}",
                                 requests if isinstance(requests, dict) else {f"{source}.api": requests})
        say(f"  {summary.line()}")


# ---- transform ------------------------------------------------------------------------------------------

def _find_number(doc: Any, *names: str) -> int:
    """Sum the numbers stored under any of `names` anywhere in a stats document."""
    total = 0
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key in names and isinstance(value, int | float) and not isinstance(value, bool):
                total += int(value)
            else:
                total += _find_number(value, *names)
    return total


def _find_requests(doc: Any, prefix: str) -> dict[str, int]:
    """Endpoint counts under a "requests" key (a dict endpoint -> n) of a resolver/enricher stats doc."""
    found = doc.get("requests") if isinstance(doc, dict) else None
    if isinstance(found, dict):
        return {f"{prefix}{k}" if not str(k).startswith(prefix) else str(k): v for k, v in
                add_counts({}, found).items()}
    if isinstance(found, int):
        return {f"{prefix}requests": found}
    return {}


def apply_transform(stats: RunStats, result: TransformResult) -> None:
    stats.read, stats.kept, stats.resolved = result.read, result.kept, result.resolved
    stats.skipped = dict(result.skipped)
    stats.cache_hits = _find_number(result.resolver, "cache_hits", "hits")
    stats.cache_misses = _find_number(result.resolver, "cache_misses", "misses")
    requests = _find_requests(result.resolver, "spotify.")
    add_counts(requests, _find_requests(result.enricher, "enrich."))
    stats.set_stage_requests("transform", requests)
    stats.durations["transform"] = round(result.seconds, 3)


def transform_stage(settings: Settings, run_id: str, *, spark: SparkSession | None = None,
                    **kwargs: Any) -> tuple[TransformResult, RunStats]:
    from nowplaying.spark.session import get_spark
    from nowplaying.spark.transform import transform_run

    result = transform_run(spark or get_spark(), settings, run_id, **kwargs)
    stats = RunStats.load(settings.nowplaying_data_dir, run_id)
    apply_transform(stats, result)
    stats.save(settings.nowplaying_data_dir)
    return result, stats


# ---- load -----------------------------------------------------------------------------------------------

def load_stage(settings: Settings, run_id: str, session: Session) -> tuple[LoadResult, RunStats]:
    from nowplaying.store.plays import load_run
    from nowplaying.store.runs import record_run

    stats = RunStats.load(settings.nowplaying_data_dir, run_id)
    with progress_bar(stats.kept or None, f"load {run_id}") as bar:
        result = load_run(session, Path(settings.nowplaying_data_dir), run_id, on_progress=bar.update)
    stats.loaded, stats.load_skipped = result.plays, dict(result.skipped)
    stats.durations["load"] = round(result.seconds, 3)
    stats.error = None
    record_run(session, stats, status="success", finished=True)
    stats.save(settings.nowplaying_data_dir)
    return result, stats


# ---- run ------------------------------------------------------------------------------------------------

def run_pipeline(settings: Settings, run_id: str, *, say: Say, spark: SparkSession | None = None) -> RunStats:
    """extract -> transform -> load once, here; the run's row says running/success/failed."""
    from nowplaying.store.runs import record_run
    from nowplaying.store.session import close, connect

    session = connect(settings)  # fail first, in one line, when Cassandra is not there
    stats = RunStats.load(settings.nowplaying_data_dir, run_id)
    try:
        record_run(session, stats, status="running", finished=False)
        sources = ", ".join(configured_sources(settings)) or "none"
        say(f"[1/3] extract ({sources}) for run {run_id}")
        with timed(stats, "extract"):
            extract_stage(settings, run_id, stats, session, say)
        stats.save(settings.nowplaying_data_dir)
        say(f"      done in {stats.durations['extract']:.1f} s")

        say("[2/3] transform (Spark): normalise, de-duplicate, resolve, enrich -> CSV")
        result, stats = transform_stage(settings, run_id, spark=spark)
        say(f"      {result.line()}")

        say("[3/3] load -> Cassandra")
        loaded, stats = load_stage(settings, run_id, session)
        say(f"      {loaded.line()}")
        stats.durations["total"] = round(sum(v for k, v in stats.durations.items() if k != "total"), 3)
        record_run(session, stats, status="success", finished=True)
        stats.save(settings.nowplaying_data_dir)
        return stats
    except NowPlayingError as exc:
        stats.error = str(exc)
        _record_failure(session, stats)
        raise
    except Exception as exc:
        stats.error = f"{type(exc).__name__}: {exc}"
        _record_failure(session, stats)
        raise
    finally:
        close(session)


def _record_failure(session: Session, stats: RunStats) -> None:
    from nowplaying.store.runs import record_run

    try:
        record_run(session, stats, status="failed", finished=True)
    except Exception as exc:  # Cassandra may be what failed: the error already says so
        log.warning("could not record the failed run: %s", type(exc).__name__)


def summary_table(stats: RunStats) -> str:
    """The table `nowplaying run` prints at the end."""
    rows = [
        ("posts read", str(stats.read)), ("kept", str(stats.kept)),
        ("skipped", ", ".join(f"{k}={v}" for k, v in sorted(stats.skipped.items())) or "0"),
        ("resolved", f"{stats.resolved} ({stats.match_rate:.0%})"),
        ("cache hit rate", f"{stats.cache_hit_rate:.0%}"), ("loaded", str(stats.loaded)),
        ("requests", ", ".join(f"{k}={v}" for k, v in stats.requests.items()) or "0"),
        *[(f"{stage} s", f"{seconds:.1f}") for stage, seconds in stats.durations.items()],
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"  {k.ljust(width)}  {v}" for k, v in rows)
