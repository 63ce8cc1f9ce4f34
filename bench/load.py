"""Load throughput: rows/s into Cassandra, concurrent prepared statements vs one synchronous INSERT per row.

    .venv/bin/python bench/load.py [--rows 40000] [--baseline-rows 4000] [--concurrency 32,64,128] [--tracks N]

Both sides write the same plays_by_day rows (same prepared INSERT, same values) in the same run, into a
throwaway keyspace on the running Cassandra (127.0.0.1:9042 or CASSANDRA_HOSTS/PORT) that is dropped at
the end. "load" is the real `nowplaying load` path (CSV read + validation + plays + aggregates + tracks);
its rows/s counts plays (the CSV's rows), its writes/s every statement. Target: >= 5,000 rows/s.
The plays reuse four tracks unless --tracks N spreads them over N distinct tracks (a real run has many:
each track costs its own tracks-row request, which the default hides).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nowplaying.config import load_settings  # noqa: E402
from nowplaying.history import HistoryReader, write_history  # noqa: E402
from nowplaying.store.migrate import migrate  # noqa: E402
from nowplaying.store.plays import PlayWriter, load_history, play_params  # noqa: E402
from nowplaying.store.session import close, connect  # noqa: E402

from tests.pipeline.helpers import make_rows  # noqa: E402

TARGET = 5_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--baseline-rows", type=int, default=4_000)
    parser.add_argument("--concurrency", default="32,64,128")
    parser.add_argument("--tracks", type=int, default=0, help="distinct tracks per load (0: the four fixtures)")
    args = parser.parse_args()

    keyspace = f"np_bench_{uuid.uuid4().hex[:8]}"
    settings = load_settings(cassandra_hosts=os.environ.get("CASSANDRA_HOSTS", "127.0.0.1"),
                             cassandra_keyspace=keyspace, _env_file=None)
    admin = connect(settings, use_keyspace=False)
    migrate(admin, settings)
    session = connect(settings)
    results: list[tuple[str, int, float, int]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            # Baseline: one blocking round trip per row, on its own day partition.
            base_rows = make_rows("bench__baseline", dt.date(2026, 1, 1), args.baseline_rows)
            writer = PlayWriter(session)
            params = [play_params(r, "bench__baseline") for r in base_rows]
            started = time.perf_counter()
            for p in params:
                session.execute(writer.play, p)
            results.append(("sync INSERT per row", len(params), time.perf_counter() - started, len(params)))

            rows_per_day = 84_000 // 7  # make_rows spaces posts 7 s apart: 12,000 per day
            for i, conc in enumerate(int(c) for c in args.concurrency.split(",")):
                run_id = f"bench__c{conc}"
                rows = []
                for d in range(0, args.rows, rows_per_day):
                    day = dt.date(2026, 2, 1) + dt.timedelta(days=40 * i + d // rows_per_day)
                    rows += make_rows(run_id, day, min(rows_per_day, args.rows - d), tag=f"-{i}")
                if args.tracks:
                    for n, row in enumerate(rows):
                        if row.track_id:
                            row.track_id = f"bench-{i}-{n % args.tracks}"
                path = Path(tmp) / f"{run_id}.csv"
                write_history(path, rows)
                del rows
                result = load_history(session, path, run_id, concurrency=conc)
                assert result.plays == args.rows and not result.skipped, result
                results.append((f"load, concurrent prepared (c={conc})", result.plays, result.seconds,
                                result.statements))
            # Reading + validating the CSV alone, to show where the time goes.
            started = time.perf_counter()
            n = sum(1 for _ in HistoryReader(path))
            results.append(("(CSV read + validate only)", n, time.perf_counter() - started, 0))
    finally:
        close(session)
        admin.execute(f"DROP KEYSPACE IF EXISTS {keyspace}", timeout=120)
        close(admin)

    baseline = results[0][1] / results[0][2]
    where = f"{settings.cassandra_hosts[0]}:{settings.cassandra_port}"
    tracks = f"{args.tracks:,} distinct tracks" if args.tracks else "4 tracks"
    print(f"\nbench/load.py: Cassandra {where}, {tracks} per load, target >= {TARGET:,} rows/s")
    print(f"{'method':<40} {'rows':>8} {'seconds':>8} {'rows/s':>9} {'writes/s':>9} {'vs sync':>8}")
    for name, rows, seconds, writes in results:
        rate = rows / seconds
        wrate = f"{writes / seconds:,.0f}" if writes else "-"
        print(f"{name:<40} {rows:>8,} {seconds:>8.2f} {rate:>9,.0f} {wrate:>9} {rate / baseline:>7.1f}x")
    best = max(r[1] / r[2] for r in results[1:-1])
    print(f"best load: {best:,.0f} rows/s ({'meets' if best >= TARGET else 'BELOW'} the {TARGET:,} rows/s target)")


if __name__ == "__main__":
    from _entry import run

    run(main)
