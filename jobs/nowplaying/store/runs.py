"""The runs table (run_id -> status, stats, durations, requests) and its month listing runs_by_month.

A run keeps the started_at it was first recorded with (read before write, one row), so every write of
the same run lands on the same runs_by_month row: retries update, never add, a listing entry.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from nowplaying.runstats import RunStats

if TYPE_CHECKING:
    from cassandra.cluster import Session

_RUN_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})")


def run_started_at(session: Session, run_id: str) -> datetime | None:
    row = session.execute("SELECT started_at FROM runs WHERE run_id = %s", (run_id,)).one()
    if row is None or row.started_at is None:
        return None
    return row.started_at.replace(tzinfo=UTC)


def time_from_run_id(run_id: str) -> datetime | None:
    """Airflow run ids carry their logical time ("scheduled__2026-11-27T22:00:00+00:00")."""
    match = _RUN_TIME.search(run_id)
    if not match:
        return None
    try:
        return datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}:{match.group(3)}:{match.group(4)}"
                                      ).replace(tzinfo=UTC)
    except ValueError:
        return None


def record_run(session: Session, stats: RunStats, *, status: str, finished: bool) -> datetime:
    """Upsert the run's row and its month listing; returns the run's started_at."""
    started = run_started_at(session, stats.run_id) or time_from_run_id(stats.run_id) or datetime.now(UTC)
    finished_at = datetime.now(UTC) if finished else None
    session.execute(
        "UPDATE runs SET started_at = %s, finished_at = %s, status = %s, stats = %s, durations = %s, "
        "requests = %s WHERE run_id = %s",
        (started, finished_at, status, json.dumps(stats.as_stats(), ensure_ascii=False, sort_keys=True),
         {k: float(v) for k, v in stats.durations.items()}, {k: int(v) for k, v in stats.requests.items()},
         stats.run_id),
    )
    session.execute(
        "INSERT INTO runs_by_month (month, started_at, run_id, status) VALUES (%s, %s, %s, %s)",
        (f"{started:%Y-%m}", started, stats.run_id, status),
    )
    return started
