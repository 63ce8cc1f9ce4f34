"""Ingest test helpers: post builders, settings pointing at an emulator, a fast retry policy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nowplaying.config import Settings, load_settings
from nowplaying.emulator.app import RunningEmulator
from nowplaying.sources.fetch import RetryPolicy

# Retries in milliseconds so fault tests stay fast; rate-limit waits up to 5 s are waited out.
FAST = RetryPolicy(attempts=4, backoff=0.01, backoff_cap=0.05, max_wait=5.0)
X_BASE_ID = 1_862_000_000_000_000_000
M_BASE_ID = 113_000_000_000_000_000


def make_tweets(n: int, *, first: int = 1, text: str = "#NowPlaying Artist {i} - Song {i}",
                url: str | None = "https://open.spotify.com/track/{i:022d}") -> tuple[list[dict], list[dict]]:
    """n X API v2 Tweets (ids X_BASE_ID+first ... ) and their users."""
    tweets, users = [], []
    for i in range(first, first + n):
        tid = str(X_BASE_ID + i)
        body = text.format(i=i)
        tweet: dict[str, Any] = {"id": tid, "text": body, "edit_history_tweet_ids": [tid],
                                 "author_id": str(500 + i % 7), "lang": "en",
                                 "created_at": f"2026-11-27T{(i // 60) % 24:02d}:{i % 60:02d}:00.000Z",
                                 "entities": {"hashtags": [{"start": 0, "end": 11, "tag": "NowPlaying"}]}}
        if url:
            tco = f"https://t.co/t{i}"
            tweet["text"] = f"{body} {tco}"
            tweet["entities"]["urls"] = [{"start": len(body) + 1, "end": len(body) + 1 + len(tco), "url": tco,
                                          "expanded_url": url.format(i=i), "display_url": "open.spotify.com/track/…"}]
        tweets.append(tweet)
    for k in range(7):
        users.append({"id": str(500 + k), "name": f"User {k}", "username": f"user{k}"})
    return tweets, users


def make_statuses(n: int, *, first: int = 1, domain: str = "mastodon.social",
                  content: str = '<p>Artist {i} - Song {i} <a href="https://{domain}/tags/NowPlaying" '
                                 'class="mention hashtag" rel="tag">#<span>NowPlaying</span></a></p>') -> list[dict]:
    statuses = []
    for i in range(first, first + n):
        sid = str(M_BASE_ID + i)
        statuses.append({
            "id": sid, "created_at": f"2026-11-27T{(i // 60) % 24:02d}:{i % 60:02d}:00.000Z", "language": "en",
            "uri": f"https://{domain}/users/u{i % 5}/statuses/{sid}", "url": f"https://{domain}/@u{i % 5}/{sid}",
            "content": content.format(i=i, domain=domain), "spoiler_text": "", "reblog": None, "visibility": "public",
            "account": {"id": str(900 + i % 5), "username": f"u{i % 5}", "acct": f"u{i % 5}"},
            "tags": [{"name": "nowplaying", "url": f"https://{domain}/tags/nowplaying"}],
            "media_attachments": [], "mentions": [], "emojis": [],
        })
    return statuses


def x_store(emu: RunningEmulator):
    return emu.app.extensions["emulator"]["x"]


def mastodon_store(emu: RunningEmulator):
    return emu.app.extensions["emulator"]["mastodon"]


def ingest_settings(emu: RunningEmulator, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "x_api_base_url": emu.base_url, "x_bearer_token": "test-token", "mastodon_instances": emu.base_url,
        "x_max_posts_per_run": 1000, "mastodon_max_posts_per_run": 1000, "nowplaying_data_dir": tmp_path / "data",
        "nowplaying_http_timeout": 5.0, "_env_file": None,
    }
    values.update(overrides)
    return load_settings(**values)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
