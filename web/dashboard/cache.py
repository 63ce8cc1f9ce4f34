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

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            expires, value = item
            if expires < time.monotonic():
                del self._data[key]
                return None
            self._data.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any, ttl: float) -> None:
        with self._lock:
            self._data[key] = (time.monotonic() + ttl, value)
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def get_or_compute(self, key: Hashable, ttl: float, compute: Callable[[], Any]) -> Any:
        value = self.get(key)
        if value is None:
            # Two threads may compute the same value at once; both results are equal, so no lock held
            # across the Cassandra round trip.
            value = compute()
            self.put(key, value, ttl)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
