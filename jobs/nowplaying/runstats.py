"""A run's statistics, carried from stage to stage in a small JSON file beside the run's CSV.

extract (inside `nowplaying run`), transform and load each run as their own process (pods under
Airflow), so each stage merges its figures into history/YYYY/MM/DD/<run_id>.stats.json (atomically) and
load writes the sum into Cassandra's runs table. A stage that runs again replaces its own figures, so
retries never double count.

The JSON keys of runs.stats are a contract with the web (common.md): read, kept, skipped (reason -> n),
resolved, match_rate, cache_hit_rate, requests (endpoint -> n), sources (source -> summary); we add
loaded, load_skipped, stages and error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nowplaying import paths
from nowplaying.fileio import atomic_write


def stats_path(data_dir: Path, run_id: str) -> Path:
    return paths.history_path(data_dir, run_id).with_suffix(".stats.json")


def add_counts(into: dict[str, int], more: Mapping[str, Any]) -> dict[str, int]:
    for key, value in more.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            into[str(key)] = into.get(str(key), 0) + int(value)
    return into


@dataclass
class RunStats:
    run_id: str
    read: int = 0  # raw post lines transform read
    kept: int = 0  # posts written to the CSV (valid, de-duplicated)
    skipped: dict[str, int] = field(default_factory=dict)  # transform's skips by reason
    resolved: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    requests: dict[str, int] = field(default_factory=dict)  # endpoint -> requests (extract + resolve + enrich)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # extract summaries
    durations: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    loaded: int = 0
    load_skipped: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    # Per-stage request counts, kept apart so a re-run stage replaces (not adds to) its own.
    stage_requests: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def match_rate(self) -> float:
        return round(self.resolved / self.kept, 4) if self.kept else 0.0

    @property
    def cache_hit_rate(self) -> float:
        total = self.cache_hits + self.cache_misses
        return round(self.cache_hits / total, 4) if total else 0.0

    def set_stage_requests(self, stage: str, requests: Mapping[str, Any]) -> None:
        self.stage_requests[stage] = add_counts({}, requests)
        merged: dict[str, int] = {}
        for counts in self.stage_requests.values():
            add_counts(merged, counts)
        self.requests = dict(sorted(merged.items()))

    def as_stats(self) -> dict[str, Any]:
        """The runs.stats JSON document."""
        return {
            "read": self.read, "kept": self.kept, "skipped": self.skipped, "resolved": self.resolved,
            "match_rate": self.match_rate, "cache_hit_rate": self.cache_hit_rate,
            "requests": self.requests, "sources": self.sources, "loaded": self.loaded,
            "load_skipped": self.load_skipped, "durations": self.durations,
            **({"error": self.error} if self.error else {}),
        }

    # ---- the sidecar file -----------------------------------------------------------------------------
    def save(self, data_dir: Path) -> Path:
        path = stats_path(data_dir, self.run_id)
        with atomic_write(path) as handle:
            json.dump(asdict(self), handle, ensure_ascii=False, indent=1, sort_keys=True)
        return path

    @classmethod
    def load(cls, data_dir: Path, run_id: str) -> RunStats:
        """The stats so far (a fresh object when no stage wrote any, or the file is unreadable)."""
        path = stats_path(data_dir, run_id)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(run_id=run_id)
        known = {k: v for k, v in doc.items() if k in cls.__dataclass_fields__}
        known["run_id"] = run_id
        try:
            return cls(**known)
        except TypeError:
            return cls(run_id=run_id)
