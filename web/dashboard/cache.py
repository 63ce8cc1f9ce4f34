"""A small thread-safe TTL cache, one per worker process (Gunicorn threads share it).

Used for values that are expensive to compute from Cassandra and change only when a pipeline run
lands (every 30 minutes): per-day play counts, the search window, aggregates.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class TTLCache:
    def __init__(self, maxsize: int = 256) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        # Expired entries kept for stale-while-revalidate: key -> (expired at, value).
        self._stale_data: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._refreshing: set[Hashable] = set()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            expires, value = item
            if expires < time.monotonic():
                del self._data[key]
                self._stale_data[key] = (expires, value)
                while len(self._stale_data) > self.maxsize:
                    self._stale_data.popitem(last=False)
                return None
            self._data.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any, ttl: float) -> None:
        with self._lock:
            self._data[key] = (time.monotonic() + ttl, value)
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def get_or_compute(self, key: Hashable, ttl: float, compute: Callable[[], Any], *,
                       stale_for: float = 0.0) -> Any:
        """Single flight: when many threads miss the same key at once, one computes and the others wait
        for its result instead of sending the same Cassandra queries in parallel.

        With stale_for > 0, a value expired less than stale_for seconds ago is returned at once while one
        background thread recomputes it (stale-while-revalidate): no request waits on a refresh."""
        value = self.get(key)
        if value is not None:
            return value
        if stale_for > 0:
            stale = self._stale(key, stale_for)
            if stale is not None:
                self._refresh_in_background(key, ttl, compute)
                return stale
        with self._lock:
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            value = self.get(key)
            if value is None:
                value = compute()
                self.put(key, value, ttl)
        with self._lock:
            self._computing.pop(key, None)
        return value

    def _stale(self, key: Hashable, stale_for: float) -> Any | None:
        with self._lock:
            item = self._stale_data.get(key)
        if item is None or item[0] + stale_for < time.monotonic():
            return None
        return item[1]

    def peek_stale(self, key: Hashable, stale_for: float) -> Any | None:
        """An expired value no older than stale_for seconds past expiry, if any (after get() missed)."""
        return self._stale(key, stale_for)

    def _refresh_in_background(self, key: Hashable, ttl: float, compute: Callable[[], Any]) -> None:
        self.run_in_background(key, lambda: self.put(key, compute(), ttl))

    def run_in_background(self, key: Hashable, job: Callable[[], Any]) -> None:
        """Run `job` in a daemon thread unless a job for `key` is already running."""
        with self._lock:
            if key in self._refreshing:
                return
            self._refreshing.add(key)

        def run() -> None:
            try:
                job()
            except Exception:  # noqa: S110 - the next request computes (and reports) it in the foreground
                pass
            finally:
                with self._lock:
                    self._refreshing.discard(key)

        threading.Thread(target=run, name="cache-refresh", daemon=True).start()

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._stale_data.clear()
