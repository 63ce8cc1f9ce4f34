"""Where a run's files live under NOWPLAYING_DATA_DIR (a contract shared by extract, transform, load
and the DAG):

    raw/<source>/<YYYY-MM-DD>/<run_id>.jsonl      posts as extracted
    history/YYYY/MM/DD/<run_id>.csv               one row per kept post, resolved and enriched

The run id (Airflow's, e.g. "scheduled__2026-11-27T22:00:00+00:00") names every file, which makes
retries overwrite instead of duplicate. The day comes from the date in the run id when it has one,
so every task of a run agrees on it whenever it runs; otherwise it is today (UTC).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def safe_run_id(run_id: str) -> str:
    """The run id as a file name: no path separators or shell-special characters."""
    cleaned = _UNSAFE.sub("_", run_id.strip())
    if not cleaned.strip("._") or len(cleaned) > 200:
        raise ValueError(f"run id {run_id!r} cannot name a file")
    return cleaned


def run_day(run_id: str, today: date | None = None) -> date:
    match = _ISO_DAY.search(run_id)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    return today or datetime.now(UTC).date()


def raw_path(data_dir: Path, source: str, run_id: str) -> Path:
    day = run_day(run_id)
    return Path(data_dir) / "raw" / source / day.isoformat() / f"{safe_run_id(run_id)}.jsonl"


def find_raw(data_dir: Path, run_id: str) -> list[Path]:
    """Every source's raw file for this run (any day folder), sorted for a stable order."""
    return sorted((Path(data_dir) / "raw").glob(f"*/*/{safe_run_id(run_id)}.jsonl"))


def history_path(data_dir: Path, run_id: str) -> Path:
    day = run_day(run_id)
    return Path(data_dir) / "history" / f"{day:%Y}" / f"{day:%m}" / f"{day:%d}" / f"{safe_run_id(run_id)}.csv"


def new_run_id(now: datetime | None = None) -> str:
    """A run id for runs started by hand (`nowplaying run`), shaped like Airflow's."""
    now = now or datetime.now(UTC)
    return f"manual__{now:%Y-%m-%dT%H:%M:%S}"
