"""Dashboard benchmark: a Data page (/api/plays, 50 rows) at 10k / 100k (/ 1M with --full) plays under
32 concurrent clients on loopback, beside the seed's approach (every row sent to the browser in one
response), measured in the same run against the same Gunicorn server; plus the Data view's first paint.

    .venv/bin/python bench/web.py            # 10k and 100k plays, ~2-3 minutes
    .venv/bin/python bench/web.py --full     # adds 1M plays (seeding ~4-6 minutes on 2 cores)

Works in its own keyspace on the running Cassandra (127.0.0.1:9042 or CASSANDRA_HOSTS) and drops it.
Plays are spread PLAYS_PER_DAY per day partition (the pipeline's defaults cap a day near 29k posts).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "web"))
PLAYS_PER_DAY = 20_000
LAST_DAY = dt.date(2026, 11, 27)


# -- the server (a child process: Gunicorn forks its workers from it) ------------------------------------
def seed_app_factory():
    """The dashboard plus the seed's approach: one response carrying every play (as the seed's Data view
    rendered the whole table into the page)."""
    from dashboard import create_app, store
    from dashboard.plays import play_dict
    from flask import jsonify

    app = create_app()

    @app.get("/seed/all-plays")
    def all_plays():
        plays = store().plays()
        rows = [play_dict(r) for r in plays.q.stream_plays(plays.all_days(), fetch_size=5000)]
        return jsonify(data=rows)

    return app


def serve_child(port: int) -> None:
    from dashboard.server import serve

    serve("127.0.0.1", port, factory=seed_app_factory, accesslog=None)


# -- load generation -------------------------------------------------------------------------------------
def run_load(port: int, paths: list[str], clients: int, *,
             interval: float = 0.0) -> tuple[list[float], int, int, float]:
    """Issue `paths` with `clients` keep-alive connections: latencies (s) of 200s, bytes of the last, errors,
    and the throughput (answered requests per second of wall time).

    interval=0: closed loop, each client sends its next request as soon as the last answered (saturation).
    interval>0: paced, each client starts a request every `interval` seconds (users reading the page)."""
    lock = threading.Lock()
    queue = list(reversed(paths))
    latencies: list[float] = []
    size = [0]
    errors: list[str] = []

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        next_start = time.perf_counter() + random.random() * interval
        while True:
            if interval:
                time.sleep(max(0.0, next_start - time.perf_counter()))
                next_start += interval
            with lock:
                if not queue:
                    break
                path = queue.pop()
            start = time.perf_counter()
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            elapsed = time.perf_counter() - start
            with lock:
                if resp.status == 200:
                    latencies.append(elapsed)
                    size[0] = len(body)
                else:
                    errors.append(f"{resp.status} {path}: {body[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(min(clients, len(paths)))]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rate = (len(latencies) + len(errors)) / (time.perf_counter() - began)
    if errors:
        print(f"bench: {len(errors)} of {len(paths)} requests failed, first: {errors[0]}", file=sys.stderr)
    if not latencies:
        raise SystemExit("bench: every request failed")
    return latencies, size[0], len(errors), rate


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] * 1000


def first_paint(port: int, n: int = 20) -> tuple[float, int]:
    """Time to first byte of GET /data (the HTML shell; rows come from the API) and its size."""
    ttfb = []
    size = 0
    for _ in range(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start = time.perf_counter()
        conn.request("GET", "/data")
        resp = conn.getresponse()
        ttfb.append(time.perf_counter() - start)
        size = len(resp.read())
        conn.close()
    return statistics.median(ttfb) * 1000, size


# -- seeding ---------------------------------------------------------------------------------------------
class Seeder:
    def __init__(self, session, catalog) -> None:
        self.session = session
        self.catalog = catalog
        self.per_day: dict[int, int] = {}
        self.total = 0

    def ensure(self, total: int) -> float:
        import seeding

        start = time.perf_counter()
        day_index = 0
        while self.total < total:
            have = self.per_day.get(day_index, 0)
            add = min(PLAYS_PER_DAY - have, total - self.total)
            if add > 0:
                day = LAST_DAY - dt.timedelta(days=day_index)
                plays = seeding.make_plays(add, self.catalog, last_day=day, days=1, seed=day_index * 7 + have,
                                           id_prefix=f"d{day_index}_{have}_")
                seeding.write_plays(self.session, plays, f"bench_{day_index}_{have}")
                self.per_day[day_index] = have + add
                self.total += add
            day_index += 1
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="also measure at 1,000,000 plays")
    parser.add_argument("--sizes", default="", help="comma-separated play counts (overrides the defaults)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=1500, help="paged requests per measurement")
    parser.add_argument("--serve", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_child(args.serve)
        return

    import seeding
    from nowplaying.config import load_settings
    from nowplaying.store.migrate import migrate
    from nowplaying.store.session import close, connect

    sizes = [int(s) for s in args.sizes.split(",") if s] or ([10_000, 100_000] + ([1_000_000] if args.full else []))
    keyspace = f"np_bench_web_{uuid.uuid4().hex[:8]}"
    settings = load_settings(cassandra_keyspace=keyspace)
    session = connect(settings, use_keyspace=False)
    proc = None
    results: list[tuple] = []
    notes: list[str] = []
    try:
        migrate(session, settings)
        catalog = seeding.make_catalog(5000)
        seeding.write_tracks(session, catalog)
        seeder = Seeder(session, catalog)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "CASSANDRA_KEYSPACE": keyspace, "NOWPLAYING_LOG_LEVEL": "WARNING"}
        env.setdefault("NOWPLAYING_WEB_WORKERS", "2")
        env.setdefault("NOWPLAYING_WEB_THREADS", "8")
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        proc = subprocess.Popen([sys.executable, __file__, "--serve", str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rnd = random.Random(5)
        for size in sizes:
            seconds = seeder.ensure(size)
            print(f"seeded {size:,} plays ({seconds:.0f} s for this step)", file=sys.stderr, flush=True)
            time.sleep(16)  # let the dashboard's 15 s count cache for the newest days expire
            _wait_ready(port, proc)
            waited = _wait_for_compactions(session)
            # Warm-up (reported, not measured): counts, each day's row positions and prepared statements
            # in every worker, as in a server that has been up for a while: a deep page in every day,
            # several times over so that each Gunicorn worker sees every day.
            warm_start = time.perf_counter()
            warm = [f"/api/plays?start={start + PLAYS_PER_DAY // 2}&length=50"
                    for start in range(0, size, PLAYS_PER_DAY)] * 4
            run_load(port, ["/api/plays?draw=1&start=0&length=50"] * 64 + warm, args.clients)
            notes.append(f"{size:,}: waited {waited:.0f} s for compactions after seeding; warm-up of "
                         f"{64 + len(warm)} requests took {time.perf_counter() - warm_start:.1f} s")

            def measure(name: str, paths: list[str], interval: float = 0.0, size: int = size) -> None:
                lat, nbytes, err, rate = run_load(port, paths, args.clients, interval=interval)
                results.append((size, name, len(lat), pct(lat, .5), pct(lat, .95), nbytes, err, rate))

            def random_pages(n: int, draw: int, size: int = size) -> list[str]:
                return [f"/api/plays?draw={draw}&start={rnd.randrange(0, size - 50)}&length=50" for _ in range(n)]

            first = ["/api/plays?draw=1&start=0&length=50&order[0][column]=0&order[0][dir]=desc"] * args.requests
            measure("paged: first page", first)
            measure("paged: random page", random_pages(args.requests, 2))
            # Paced: 32 users each loading a page every 250 ms (128 requests/s offered), then every 125 ms.
            measure("paced 4/s/client: first page", first[:640], 0.25)
            measure("paced 4/s/client: random pg", random_pages(640, 4), 0.25)
            measure("paced 8/s/client: random pg", random_pages(640, 5), 0.125)
            search = ["/api/plays?draw=3&start=0&length=50&search[value]=love&order[0][column]=6&order[0][dir]=desc"]
            measure("paged: search+sort (window)", search * (args.requests // 3))
            measure("seed: every row", ["/seed/all-plays"] * (32 if size <= 10_000 else (4 if size <= 100_000 else 1)))
            ttfb, html = first_paint(port)
            results.append((size, "first paint /data (TTFB)", 20, ttfb, None, html, 0, None))
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        session.execute(f"DROP KEYSPACE IF EXISTS {keyspace}", timeout=120)
        close(session)

    print(f"\nbench/web.py: {args.clients} concurrent clients on loopback, Gunicorn "
          f"{os.environ.get('NOWPLAYING_WEB_WORKERS', '2')} workers x {os.environ.get('NOWPLAYING_WEB_THREADS', '8')} "
          f"threads, {PLAYS_PER_DAY:,} plays per day partition, {os.cpu_count()} CPUs (shared with Cassandra)")
    print(f"{'plays':>10} | {'approach':<28} | {'ok':>6} | {'errors':>6} | {'p50 ms':>9} | {'p95 ms':>9} | "
          f"{'req/s':>7} | {'bytes/resp':>11}")
    print("-" * 111)
    for size, name, n, p50, p95, nbytes, err, rate in results:
        p95s = f"{p95:9.1f}" if p95 is not None else f"{'-':>9}"
        rates = f"{rate:7.0f}" if rate is not None else f"{'-':>7}"
        print(f"{size:>10,} | {name:<28} | {n:>6} | {err:>6} | {p50:9.1f} | {p95s} | {rates} | {nbytes:>11,}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (other work on this machine inflates every figure)")
    print("target: p95 <= 50 ms for a 50-row Data page at 1M plays; first paint independent of table size")
    print("closed loop ('paged'): each client sends its next request when the last answers, so latency = clients /"
          " req/s: it measures the machine's capacity; 'paced' rows measure latency below capacity")
    for note in notes:
        print("note:", note)
    print(json.dumps({"keyspace_dropped": keyspace}))


def _wait_for_compactions(session, timeout: float = 300.0) -> float:
    """Wait (bounded) until Cassandra has no compaction running: a freshly bulk-loaded table compacting in
    the background would be measured instead of the dashboard. Returns the seconds waited."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if not list(session.execute("SELECT keyspace_name FROM system_views.sstable_tasks")):
            break
        time.sleep(2)
    return time.monotonic() - start


def _wait_ready(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("bench: the dashboard server exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("bench: the dashboard server did not become ready")


if __name__ == "__main__":
    from _entry import run

    run(main)
