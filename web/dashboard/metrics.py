"""Prometheus metrics, multi-process safe under Gunicorn.

When PROMETHEUS_MULTIPROC_DIR is set (`nowplaying serve` sets it to a fresh directory before any worker
starts), every worker writes its samples to files there and /metrics aggregates them with
MultiProcessCollector; a worker that exits is marked dead by the Gunicorn `child_exit` hook. Without
the variable (tests, a plain Flask run) the default in-process registry is used.
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, Histogram, generate_latest

REQUEST_SECONDS = Histogram(
    "nowplaying_web_request_duration_seconds", "HTTP request latency by endpoint",
    ["method", "endpoint", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUERY_SECONDS = Histogram(
    "nowplaying_cassandra_query_duration_seconds", "Cassandra query time by prepared statement",
    ["query"], buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5),
)
ROWS = Gauge("nowplaying_rows", "Rows in the store as last counted by the dashboard", ["kind"],
             multiprocess_mode="mostrecent")


def observe_query(name: str, seconds: float) -> None:
    QUERY_SECONDS.labels(name).observe(seconds)


def set_rows(kind: str, value: int) -> None:
    ROWS.labels(kind).set(value)


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
