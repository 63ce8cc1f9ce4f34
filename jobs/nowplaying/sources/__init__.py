"""Post sources: X API v2 recent search and Mastodon hashtag timelines -> raw JSONL post records.

`extract_source` is the one entry point (the CLI and the pipeline call it): read what is new since the
checkpoint, write the output file atomically, and only then advance the checkpoint, so a crash between
the two re-reads posts instead of losing them.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Protocol

import httpx

from nowplaying.config import Settings
from nowplaying.errors import NowPlayingError
from nowplaying.sources.fetch import Fetcher, RetryPolicy
from nowplaying.sources.records import Deduper, read_posts, write_posts
from nowplaying.sources.summary import ExtractSummary

__all__ = ["CheckpointStore", "ExtractSummary", "extract_source", "read_posts", "x_instance"]

log = logging.getLogger(__name__)
USER_AGENT = "nowplaying/0.1 (#NowPlaying research pipeline)"


def x_instance(settings: Settings) -> str:
    """X's checkpoint row is keyed by its API base URL, as a Mastodon instance's is: moving from the
    emulator to api.x.com (or to a proxy) must not carry a since_id from another server's id space."""
    return settings.x_api_base_url.rstrip("/")


class CheckpointStore(Protocol):
    def get(self, source: str, instance: str) -> str | None: ...

    def set(self, source: str, instance: str, since_id: str) -> None: ...


def _client(settings: Settings) -> httpx.Client:
    # One pooled keep-alive client per run: pages of a run reuse a connection.
    return httpx.Client(timeout=httpx.Timeout(settings.nowplaying_http_timeout),
                        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                        follow_redirects=False)


def extract_source(source: str, settings: Settings, output: Path, checkpoints: CheckpointStore, *,
                   session_log: logging.Logger | None = None, retry: RetryPolicy | None = None,
                   client: httpx.Client | None = None) -> ExtractSummary:
    """Extract one source ("x" or "mastodon": every MASTODON_INSTANCES entry) into `output`."""
    from nowplaying.sources.mastodon import InstanceFailed, read_instance
    from nowplaying.sources.x import read_x

    say = session_log or log
    if source not in ("x", "mastodon"):
        raise NowPlayingError(f"unknown source {source!r}: expected x or mastodon")
    policy = retry or RetryPolicy(max_wait=settings.nowplaying_rate_limit_max_wait)
    summary = ExtractSummary(source)
    started = time.monotonic()
    records: list[dict] = []
    advances: dict[str, str] = {}
    own_client = client is None
    http = client or _client(settings)
    fetcher = Fetcher(http, policy)
    try:
        if source == "x":
            found, newest = read_x(settings, checkpoints.get("x", x_instance(settings)), fetcher, summary)
            records.extend(found)
            if newest:
                advances[x_instance(settings)] = newest
        else:
            dedupe = Deduper()
            for instance in settings.mastodon_instances:
                try:
                    found, newest = read_instance(settings, instance, checkpoints.get("mastodon", instance),
                                                  fetcher, summary, dedupe)
                except InstanceFailed as failed:
                    summary.errors.append(str(failed))
                    say.warning(str(failed))
                    continue
                records.extend(found)
                if newest:
                    advances[instance] = newest
            if summary.errors and len(summary.errors) == len(settings.mastodon_instances):
                raise NowPlayingError("every Mastodon instance failed: " + "; ".join(summary.errors))
    finally:
        if own_client:
            http.close()
        summary.requests = fetcher.counters.requests
        summary.retries = fetcher.counters.retries
        summary.malformed_pages = fetcher.counters.malformed_pages
        summary.rate_limit_waits = fetcher.counters.rate_limit_waits

    if summary.requests and not summary.pages and not records:
        # Not one page came back: an outage, not an empty window. Fail loudly, checkpoint untouched.
        summary.seconds = time.monotonic() - started
        raise NowPlayingError(f"{source}: no page could be read ({'; '.join(summary.stopped) or 'no answer'})")

    summary.kept = write_posts(output, records)
    # Only now that the file is safely on disk may the checkpoints move.
    for instance, since_id in advances.items():
        checkpoints.set(source, instance, since_id)
        summary.checkpoints[instance or source] = since_id
    summary.seconds = time.monotonic() - started
    say.info(summary.line())
    for reason in summary.stopped:
        if "ceiling" not in reason:
            say.warning("%s: stopped early, older posts in this window were not read: %s", source, reason)
    return summary
