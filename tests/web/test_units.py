"""Pure pieces: the TTL cache's single flight and stale-while-revalidate, CSV neutralisation, parameters."""

from __future__ import annotations

import threading
import time

import pytest
from dashboard.cache import TTLCache
from dashboard.csvexport import neutralise, stream_csv
from dashboard.params import ApiError, plays_request


def test_single_flight_computes_once_for_concurrent_misses():
    cache = TTLCache()
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.2)
        return "value"

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_compute("k", 10, compute)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["value"] * 8 and len(calls) == 1


def test_stale_value_is_served_while_one_refresh_runs():
    cache = TTLCache()
    cache.put("k", "old", ttl=0.01)
    time.sleep(0.05)
    started = threading.Event()
    release = threading.Event()

    def slow():
        started.set()
        release.wait(5)
        return "new"

    t0 = time.monotonic()
    assert cache.get_or_compute("k", 10, slow, stale_for=60) == "old"
    assert cache.get_or_compute("k", 10, slow, stale_for=60) == "old"
    assert time.monotonic() - t0 < 1  # nobody waited for the refresh
    assert started.wait(5)
    release.set()
    deadline = time.monotonic() + 5
    while cache.get("k") != "new" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cache.get("k") == "new"
    assert cache.get_or_compute("gone", 10, lambda: "fresh", stale_for=60) == "fresh"


@pytest.mark.parametrize("raw, out", [
    ("=1+2", "'=1+2"), ("+SUM(A1)", "'+SUM(A1)"), ("-cmd", "'-cmd"), ("@x", "'@x"), ("\t=x", "'\t=x"),
    ("\r=x", "'\r=x"), ("  =x", "'  =x"), ("plain", "plain"), ("a=b", "a=b"), ("", ""),
])
def test_neutralise(raw, out):
    assert neutralise(raw) == out


def test_stream_csv_keeps_numbers_and_joins_lists():
    text = "".join(stream_csv([{"text": "=cmd", "artists": ["=a", "b"], "loudness": -5.5, "popularity": 3}],
                              flush_every=1))
    lines = text.splitlines()
    row = dict(zip(lines[0].split(","), lines[1].split(","), strict=False))
    assert row["text"] == "'=cmd" and row["artists"] == "'=a; b" and row["loudness"] == "-5.5"


def test_plays_request_defaults_and_names():
    req = plays_request({})
    assert (req.start, req.length, req.order, req.ascending, req.search) == (0, 50, "played_at", False, "")
    req = plays_request({"order[0][column]": "3", "order[0][dir]": "asc", "columns[3][data]": "title",
                         "search[value]": "  Avicii "})
    assert (req.order, req.ascending, req.search) == ("title", True, "Avicii")
    with pytest.raises(ApiError):
        plays_request({"length": "-1"})
