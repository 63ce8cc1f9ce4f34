"""Benchmark: posts/s extracted from the emulator over loopback HTTP, X-shaped pages of 100.

    .venv/bin/python bench/extract.py [--posts 10000] [--rounds 3]

Serves the bundled demo tweets (cloned under fresh ids up to --posts) from `nowplaying emulator` in its own
process (as in a pod: the server does not share this process's interpreter lock), then
runs the real `extract_source("x", ...)` (one pooled client, records validated, JSONL written atomically,
checkpoint saved) and, as the baseline measured in the same run, a naive loop over the same pages with a new
HTTP client (new connection, new TLS context) per page and the same per-post conversion. Prints one table;
the target is >= 2,000 posts/s for extract. Bounded: a few seconds per round, no network beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "jobs"))

from nowplaying.config import load_settings  # noqa: E402
from nowplaying.emulator import DEMO_FIXTURES  # noqa: E402
from nowplaying.sources import extract_source  # noqa: E402
from nowplaying.sources.records import Skip, dumps_record  # noqa: E402
from nowplaying.sources.x import SEARCH_PATH, TWEET_FIELDS, _users, tweet_record  # noqa: E402
from nowplaying.store.checkpoints import JsonFileCheckpoints  # noqa: E402

TARGET = 2000.0


def fixtures(root: Path, posts: int) -> Path:
    """The demo tweets, cloned under new (increasing) ids until there are `posts` of them."""
    demo = [json.loads(line) for line in (DEMO_FIXTURES / "x" / "tweets.jsonl").read_text().splitlines()]
    (root / "x").mkdir(parents=True)
    (root / "x" / "users.jsonl").write_bytes((DEMO_FIXTURES / "x" / "users.jsonl").read_bytes())
    with (root / "x" / "tweets.jsonl").open("w", encoding="utf-8") as handle:
        for i in range(posts):
            tweet = dict(demo[i % len(demo)])
            tweet["id"] = str(1_900_000_000_000_000_000 + i)
            handle.write(json.dumps(tweet, ensure_ascii=False) + "\n")
    return root


class Emulator:
    """`nowplaying emulator --port 0` as a child process; its first stderr line names the port."""

    def __init__(self, fixtures_dir: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "nowplaying", "emulator", "--fixtures", str(fixtures_dir),
                                      "--port", "0"], stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, "NOWPLAYING_LOG_LEVEL": "WARNING",
                                          "PYTHONPATH": str(ROOT / "jobs")})
        line = self.proc.stderr.readline() if self.proc.stderr else ""
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if not match:
            self.stop()
            raise SystemExit(f"the emulator did not start: {line.strip()}")
        self.base_url = f"http://127.0.0.1:{match.group(1)}"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def run_extract(base_url: str, posts: int, work: Path, round_no: int) -> tuple[int, int, float]:
    settings = load_settings(x_api_base_url=base_url, x_bearer_token="bench", x_max_posts_per_run=posts,
                             _env_file=None)
    started = time.perf_counter()
    summary = extract_source("x", settings, work / f"out{round_no}.jsonl",
                             JsonFileCheckpoints(work / f"state{round_no}.json"))
    return summary.kept, summary.pages, time.perf_counter() - started


def run_naive(base_url: str, posts: int, work: Path, round_no: int) -> tuple[int, int, float]:
    """Same pages, same conversion, but a fresh client (and connection) for every page."""
    params = {"query": "#NowPlaying -is:retweet", "max_results": 100, "tweet.fields": TWEET_FIELDS,
              "expansions": "author_id"}
    headers = {"Authorization": "Bearer bench"}
    records, pages, token = [], 0, None
    started = time.perf_counter()
    while len(records) < posts:
        with httpx.Client(timeout=15) as client:  # new pool, new TLS context, new connection
            body = client.get(base_url + SEARCH_PATH, params={**params, **({"next_token": token} if token else {})},
                              headers=headers).json()
        pages += 1
        users = _users(body)
        for tweet in body.get("data", []):
            with contextlib.suppress(Skip):
                records.append(tweet_record(tweet, users))
        token = body.get("meta", {}).get("next_token")
        if not token:
            break
    with (work / f"naive{round_no}.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(dumps_record(record) + "\n")
    return len(records), pages, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="np-bench-extract-") as tmp:
        work = Path(tmp)
        emu = Emulator(fixtures(work / "fixtures", args.posts))
        try:
            rows = []
            for name, fn in (("extract_source (pooled client)", run_extract),
                             ("baseline: new client per page", run_naive)):
                results = [fn(emu.base_url, args.posts, work, r) for r in range(args.rounds)]
                kept, pages = results[0][0], results[0][1]
                rates = [k / s for k, _, s in results]
                rows.append((name, kept, pages, statistics.median(s for _, _, s in results), statistics.median(rates)))
        finally:
            emu.stop()
    print(f"\nX-shaped pages of 100 over loopback, {args.rounds} rounds each, median shown")
    print(f"{'mode':<34}{'posts':>8}{'pages':>7}{'seconds':>9}{'posts/s':>10}")
    for name, kept, pages, seconds, rate in rows:
        print(f"{name:<34}{kept:>8}{pages:>7}{seconds:>9.2f}{rate:>10.0f}")
    extract_rate, base_rate = rows[0][4], rows[1][4]
    verdict = "meets" if extract_rate >= TARGET else "MISSES"
    print(f"extract: {extract_rate:.0f} posts/s ({extract_rate / base_rate:.2f}x the baseline); "
          f"{verdict} the {TARGET:.0f} posts/s target")


if __name__ == "__main__":
    main()
