"""The Cassandra resolution cache: positive and negative rows with their TTLs, on the real node."""

from __future__ import annotations

import pytest
from nowplaying.resolve import Cached, open_resolver
from nowplaying.store.resolution_cache import NEGATIVE_TTL, POSITIVE_TTL, CassandraResolutionCache

from .helpers import settings_for

pytestmark = pytest.mark.cassandra
LEVELS = "3SOxfQuVGTOLxJO9cFKOI0"


def ttl_of(session, key: str) -> int:
    row = session.execute("SELECT TTL(method) AS ttl FROM resolution_cache WHERE query_key = %s", (key,)).one()
    return row.ttl


def test_positive_and_negative_rows_with_ttls(cassandra) -> None:
    cache = CassandraResolutionCache(cassandra)
    cache.put("t|pos", Cached(LEVELS, "Levels - Radio Edit", ["Avicii"], 0.97))
    cache.put("t|neg", Cached(None, None, [], 0.0))
    assert cache.get("t|pos") == Cached(LEVELS, "Levels - Radio Edit", ["Avicii"], pytest.approx(0.97, abs=1e-6))
    assert cache.get("t|neg") == Cached(None, None, [], 0.0)
    assert cache.get("t|absent") is None
    assert POSITIVE_TTL - 60 < ttl_of(cassandra, "t|pos") <= POSITIVE_TTL
    assert NEGATIVE_TTL - 60 < ttl_of(cassandra, "t|neg") <= NEGATIVE_TTL


def test_expired_rows_are_gone(cassandra) -> None:
    cache = CassandraResolutionCache(cassandra, negative_ttl=1)
    cache.put("t|short", Cached(None, None, [], 0.0))
    import time

    time.sleep(2.2)
    assert cache.get("t|short") is None


def test_a_second_run_costs_no_search(cassandra, emulator) -> None:
    posts = [{"id": "1", "text": "#NowPlaying Coldplay - Fix You"}, {"id": "2", "text": "#NowPlaying zzz - qqq"}]
    with open_resolver(settings_for(emulator), session=cassandra) as first:
        one = list(first.resolve_posts(posts))
        assert one[0].method == "search" and one[1].track_id is None and first.searches >= 2
    with open_resolver(settings_for(emulator), session=cassandra) as second:
        two = list(second.resolve_posts(posts))
    assert [r.track_id for r in two] == [r.track_id for r in one]
    assert two[0].method == "cache" and second.searches == 0 and second.stats["cache_hit_rate"] == 1.0
