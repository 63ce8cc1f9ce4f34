"""Transform throughput: synthetic posts with a warm resolution cache, Spark local[2], timed after start-up.

    .venv/bin/python bench/transform.py [--posts 100000] [--baseline-posts 10000] [--partitions 4]

1. Starts the API emulator (demo catalog) in this process and a throwaway Cassandra keyspace.
2. Builds N synthetic #NowPlaying posts from the catalog (a few hundred distinct texts, some with no
   music, 1% duplicates) as the run's raw JSONL.
3. Warms the resolution cache through the real resolver against the emulator (every distinct text once).
4. Starts Spark (local[2], UI off) and runs one tiny job, so its start-up is not counted; then times
   `transform_run` (parse, de-duplicate, sort, resolve + enrich per partition, stream to the CSV).
5. Baseline in the same run: the same code path without Spark, one process (read, normalise, resolve,
   enrich, write the CSV) on a subset, reported per 100k.
Memory: the driver's peak RSS before and after the transform (no collect(): rows stream one partition
at a time into the CSV). Target: <= 20 s per 100k posts beyond Spark's start-up.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_S_PER_100K = 20.0
RUN_ID = "bench__2026-11-27T10:00:00"
NOISE = ["good morning #nowplaying coffee first", "#NowPlaying nothing, just the rain outside",
         "what are you all listening to? #nowplaying", "#nowplaying my neighbour's drill again",
         "Now playing: Elden Ring, finally beat Malenia", "#NowPlaying the sound of silence in the office"]
TEMPLATES = ["#NowPlaying {a} - {t}", "{t} by {a} #nowplaying 🎵"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_posts(catalog: Path, n: int, seed: int = 7) -> tuple[list[str], list[dict]]:
    """Distinct texts, then n post records drawn from them (ids unique except 1% exact duplicates)."""
    rng = random.Random(seed)
    tracks = json.loads(catalog.read_text(encoding="utf-8"))["tracks"]
    rng.shuffle(tracks)
    texts = [tpl.format(a=t["artists"][0]["name"], t=t["name"]) for t in tracks[:200] for tpl in TEMPLATES]
    texts += NOISE
    start = 1_795_000_000  # 2026-11-18, seconds
    posts = []
    for i in range(n):
        if posts and rng.random() < 0.01:
            posts.append(dict(posts[-1]))  # the same post delivered twice
            continue
        posts.append({"id": str(10**17 + i), "source": "mastodon" if i % 3 else "x", "text": rng.choice(texts),
                      "urls": [], "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + i * 0.8)),
                      "lang": "en", "author": f"user{i % 997}"})
    return texts, posts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--baseline-posts", type=int, default=10_000)
    parser.add_argument("--partitions", type=int, default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

    from nowplaying import paths
    from nowplaying.config import load_settings
    from nowplaying.dev.up import demo_environment
    from nowplaying.emulator import DEMO_FIXTURES
    from nowplaying.emulator.app import start_in_thread
    from nowplaying.enrich import open_enricher
    from nowplaying.history import write_history
    from nowplaying.resolve import open_resolver
    from nowplaying.spark import records
    from nowplaying.spark.session import get_spark
    from nowplaying.spark.transform import transform_run
    from nowplaying.store.migrate import migrate
    from nowplaying.store.session import close, connect

    emu = start_in_thread(DEMO_FIXTURES)
    env = {k.lower(): v for k, v in demo_environment(emu.server.server_port).items()}
    env["mastodon_instances"] = [env["mastodon_instances"]]
    env["reccobeats_api_base_url"] = f"{emu.base_url}/reccobeats"
    tmp = Path(tempfile.mkdtemp(prefix="np-bench-transform-"))
    keyspace = f"np_bench_{uuid.uuid4().hex[:8]}"
    settings = load_settings(**env, cassandra_hosts=os.environ.get("CASSANDRA_HOSTS", "127.0.0.1"),
                             cassandra_keyspace=keyspace, nowplaying_data_dir=tmp,
                             spotify_max_requests_per_run=1_000_000, _env_file=None)
    admin = connect(settings, use_keyspace=False)
    migrate(admin, settings)
    session = connect(settings)
    table: list[tuple[str, str]] = []
    try:
        texts, posts = synthetic_posts(Path(DEMO_FIXTURES) / "spotify" / "catalog.json", args.posts)
        raw = paths.raw_path(tmp, "mastodon", RUN_ID)
        raw.parent.mkdir(parents=True, exist_ok=True)
        with raw.open("w", encoding="utf-8") as handle:
            for post in posts:
                handle.write(json.dumps(post, ensure_ascii=False) + "\n")

        started = time.perf_counter()
        with open_resolver(settings, session=session) as resolver:
            warm = [{"id": str(i), "text": t, "urls": []} for i, t in enumerate(texts)]
            resolved = sum(1 for r in resolver.resolve_posts(warm) if r.track_id)
        table.append(("cache warm-up (real resolver, emulator)",
                      f"{len(texts)} distinct texts, {resolved} resolved, {time.perf_counter() - started:.1f} s"))

        started = time.perf_counter()
        spark = get_spark("nowplaying-bench", conf={"spark.ui.enabled": "false", "spark.master": "local[2]"})
        spark.sparkContext.parallelize(range(4), 2).count()
        table.append(("Spark start-up (not counted)", f"{time.perf_counter() - started:.1f} s"))

        rss_before = rss_mb()
        result = transform_run(spark, settings, RUN_ID, partitions=args.partitions)
        spark_s = result.seconds
        per_100k = spark_s * 100_000 / args.posts
        table.append(("Spark transform, local[2]", f"{args.posts:,} posts in {spark_s:.1f} s -> {per_100k:.1f} s per "
                      f"100k ({args.posts / spark_s:,.0f} posts/s), {result.partitions} partitions"))
        table.append(("  phases", ", ".join(f"{k} {v:.1f} s" for k, v in result.phases.items())))
        table.append(("  kept / skipped / resolved", f"{result.kept:,} / {result.skipped} / {result.resolved:,}"))
        table.append(("  cache hit rate", f"{result.resolver.get('cache_hit_rate', 0):.1%}, "
                      f"requests {result.resolver.get('requests', {})}"))
        table.append(("  driver peak RSS", f"{rss_before:.0f} MB before, {rss_mb():.0f} MB after "
                      f"(CSV {result.path.stat().st_size / 1e6:.1f} MB)"))

        # Baseline: the same work in one process, no Spark.
        subset = posts[: args.baseline_posts]
        started = time.perf_counter()
        seen: dict[tuple[str, str], dict] = {}
        for post in subset:
            parsed = records.parse_post_line(json.dumps(post))
            if parsed and parsed[0] != records.SKIP:
                seen.setdefault(parsed[0], parsed[1])
        ordered = sorted(seen.values(), key=records.sort_key)
        with open_resolver(settings, session=session) as resolver, open_enricher(settings) as enricher:
            resolutions = list(resolver.resolve_posts(ordered))
            infos = enricher.enrich(sorted({r.track_id for r in resolutions if r.track_id}))
            out = tmp / "baseline.csv"
            write_history(out, (records.to_row(p, r, infos.get(r.track_id) if r.track_id else None, RUN_ID)
                                for p, r in zip(ordered, resolutions, strict=True)))
        base_s = time.perf_counter() - started
        base_100k = base_s * 100_000 / len(subset)
        table.append(("baseline: one process, no Spark", f"{len(subset):,} posts in {base_s:.1f} s -> "
                      f"{base_100k:.1f} s per 100k"))
        verdict = "meets" if per_100k <= TARGET_S_PER_100K else "MISSES"
        table.append(("result", f"{per_100k:.1f} s per 100k with Spark vs {base_100k:.1f} s baseline; "
                      f"{verdict} the <= {TARGET_S_PER_100K:.0f} s target"))
        spark.stop()
    finally:
        close(session)
        admin.execute(f"DROP KEYSPACE IF EXISTS {keyspace}", timeout=120)
        close(admin)
        emu.stop()

    load = os.getloadavg()[0]
    print(f"\nbench/transform.py  (load average {load:.1f} on {os.cpu_count()} cores)")
    width = max(len(k) for k, _ in table)
    for key, value in table:
        print(f"{key.ljust(width)}  {value}")


if __name__ == "__main__":
    from _entry import run

    run(main)
