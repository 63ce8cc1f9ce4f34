"""Resolution cache in Cassandra: normalised query -> result, positive and negative, with TTLs.

Songs recur (radio bots repost the same tracks all day), so a hit costs no Spotify request. Negative
results expire sooner: the catalog grows and our parser improves.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from nowplaying.resolve import Cached

POSITIVE_TTL = 30 * 24 * 3600
NEGATIVE_TTL = 24 * 3600


class CassandraResolutionCache:
    def __init__(self, session: Any, *, positive_ttl: int = POSITIVE_TTL, negative_ttl: int = NEGATIVE_TTL) -> None:
        self.session = session
        self.positive_ttl = positive_ttl
        self.negative_ttl = negative_ttl
        self._select = session.prepare(
            "SELECT track_id, title, artists, confidence FROM resolution_cache WHERE query_key = ?")
        self._insert = session.prepare(
            "INSERT INTO resolution_cache (query_key, track_id, title, artists, confidence, method, cached_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) USING TTL ?")

    def get(self, key: str) -> Cached | None:
        row = self.session.execute(self._select, (key,)).one()
        if row is None:
            return None
        return Cached(row.track_id, row.title, list(row.artists or []), float(row.confidence or 0.0))

    def put(self, key: str, value: Cached) -> None:
        ttl = self.positive_ttl if value.track_id else self.negative_ttl
        self.session.execute(self._insert, (key, value.track_id, value.title, value.artists, value.confidence,
                                            "search" if value.track_id else "none", datetime.now(UTC), ttl))
