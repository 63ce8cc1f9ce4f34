"""Gunicorn settings for the dashboard (`nowplaying serve` loads this file; so can `gunicorn -c`).

NOWPLAYING_WEB_WORKERS (processes, default 2) and NOWPLAYING_WEB_THREADS (threads per worker, default 4)
size it; NOWPLAYING_WEB_TIMEOUT / NOWPLAYING_WEB_GRACEFUL_TIMEOUT bound a stuck request and shutdown.
`bind` is set by `nowplaying serve --host/--port` (NOWPLAYING_WEB_BIND when run by gunicorn directly).
"""

from __future__ import annotations

import os

if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # Imported here, once, in the arbiter (as prometheus_client's docs show): importing it first inside
    # child_exit can happen re-entrantly from the SIGCHLD handler while the arbiter is stopping, and a
    # half-imported module then fails the shutdown. `nowplaying serve` sets the variable before this file loads.
    from prometheus_client import multiprocess
else:
    multiprocess = None


def _int_env(name: str, default: int, lo: int, hi: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"nowplaying: error: {name}={raw!r}: expected an integer") from None
    if not lo <= value <= hi:
        raise SystemExit(f"nowplaying: error: {name}={value}: expected {lo}..{hi}")
    return value


bind = os.environ.get("NOWPLAYING_WEB_BIND", "127.0.0.1:8000")
workers = _int_env("NOWPLAYING_WEB_WORKERS", 2, 1, 64)
threads = _int_env("NOWPLAYING_WEB_THREADS", 4, 1, 64)
worker_class = "gthread"  # threads share one Cassandra session per process (the driver is thread-safe)
timeout = _int_env("NOWPLAYING_WEB_TIMEOUT", 60, 5, 3600)
graceful_timeout = _int_env("NOWPLAYING_WEB_GRACEFUL_TIMEOUT", 20, 1, 600)
keepalive = 5
backlog = 512
accesslog = "-"
errorlog = "-"
loglevel = "info"
# client, request line, status, bytes, duration in ms
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
proc_name = "nowplaying-web"
preload_app = False  # each worker imports the app after fork; Cassandra opens lazily per worker
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker) -> None:
    """Open this worker's Cassandra session now rather than on its first request (a failure is not fatal:
    /readyz reports it and the next request retries)."""
    app = getattr(worker, "wsgi", None)
    store = getattr(app, "extensions", {}).get("nowplaying_store") if app is not None else None
    if store is None:
        return
    try:
        store.queries()
    except Exception as exc:
        worker.log.warning("cassandra not ready in worker %s: %s", worker.pid, str(exc)[:200])


def child_exit(server, worker) -> None:
    """Multi-process Prometheus: drop the live gauges of a worker that exited."""
    if multiprocess is not None:
        multiprocess.mark_process_dead(worker.pid)
