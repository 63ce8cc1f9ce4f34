"""Extract checkpoints: the newest post id read, per source and instance ('' for X).

Two stores with one interface (nowplaying.sources.CheckpointStore): a JSON file for offline runs
(`--state-file`) and the source_checkpoints table for the pipeline.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nowplaying.errors import ConfigError
from nowplaying.fileio import atomic_write

if TYPE_CHECKING:
    from cassandra.cluster import Session


class JsonFileCheckpoints:
    """{"x": {"": {"since_id": "...", "updated_at": "..."}}, "mastodon": {"https://...": {...}}},
    rewritten atomically on every change so a crash never leaves half a file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def _load(self) -> dict[str, Any]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ConfigError(f"state file {self.path} is not valid JSON ({exc}); fix or remove it") from None
        if not isinstance(data, dict):
            raise ConfigError(f"state file {self.path} should hold a JSON object; fix or remove it")
        return data

    def get(self, source: str, instance: str) -> str | None:
        entry = self._load().get(source, {}).get(instance)
        if isinstance(entry, dict) and isinstance(entry.get("since_id"), str):
            return entry["since_id"]
        return None

    def set(self, source: str, instance: str, since_id: str) -> None:
        with self._lock:
            data = self._load()
            data.setdefault(source, {})[instance] = {
                "since_id": since_id, "updated_at": datetime.now(UTC).isoformat(timespec="seconds")}
            with atomic_write(self.path) as handle:
                json.dump(data, handle, indent=2, sort_keys=True)
                handle.write("\n")


class CassandraCheckpoints:
    """The source_checkpoints table ((source), instance) -> since_id, through prepared statements."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._select = session.prepare("SELECT since_id FROM source_checkpoints WHERE source = ? AND instance = ?")
        self._upsert = session.prepare(
            "INSERT INTO source_checkpoints (source, instance, since_id, updated_at) VALUES (?, ?, ?, ?)")

    def get(self, source: str, instance: str) -> str | None:
        row = self.session.execute(self._select, (source, instance)).one()
        return row.since_id if row else None

    def set(self, source: str, instance: str, since_id: str) -> None:
        self.session.execute(self._upsert, (source, instance, since_id, datetime.now(UTC)))

    def all(self) -> dict[tuple[str, str], str]:
        """Every checkpoint (two small partitions); for status pages and tests."""
        out = {}
        for source in ("x", "mastodon"):
            rows = self.session.execute("SELECT instance, since_id FROM source_checkpoints WHERE source = %s",
                                        (source,))
            out.update({(source, r.instance): r.since_id for r in rows})
        return out
