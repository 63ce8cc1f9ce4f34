"""Pure per-record functions the Spark job maps over partitions: parse and normalise a raw post line,
order posts, and turn a post plus its resolution and enrichment into a history row.

Everything a post's author wrote is kept as text (never evaluated); only its shape is checked.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from nowplaying.history import FEATURES, SOURCES, HistoryRow, clean_text, format_utc, parse_utc

SKIP = "!skip"


def parse_post_line(line: str) -> tuple[Any, Any] | None:
    """A raw JSONL line -> ((source, id), post) | (SKIP, reason) | None for a blank line."""
    if not line.strip():
        return None
    try:
        doc = json.loads(line)
    except ValueError:
        return SKIP, "invalid json"
    if not isinstance(doc, dict):
        return SKIP, "not an object"
    post_id = doc.get("id")
    if isinstance(post_id, int) and not isinstance(post_id, bool):
        post_id = str(post_id)
    if not isinstance(post_id, str) or not post_id.strip():
        return SKIP, "missing id"
    source = doc.get("source")
    if source not in SOURCES:
        return SKIP, "unknown source"
    text = doc.get("text")
    if not isinstance(text, str):
        return SKIP, "missing text"
    try:
        created = parse_utc(doc.get("created_at"))
    except (ValueError, TypeError):
        return SKIP, "bad created_at"
    urls = doc.get("urls") or []
    if not isinstance(urls, list):
        urls = []
    post = {
        "id": clean_text(post_id.strip()),
        "source": source,
        "text": clean_text(text),
        "urls": [clean_text(u) for u in urls if isinstance(u, str)],
        "created_at": format_utc(created),
        "lang": clean_text(doc["lang"]) if isinstance(doc.get("lang"), str) else None,
        "author": clean_text(doc["author"]) if isinstance(doc.get("author"), str) else None,
    }
    return (source, post["id"]), post


def sort_key(post: Mapping[str, Any]) -> tuple[int, str, str]:
    """CSV order: time, then source and id (stable across reruns)."""
    return int(parse_utc(post["created_at"]).timestamp() * 1000), post["source"], post["id"]


def to_row(post: Mapping[str, Any], resolution: Any, info: Any, run_id: str) -> HistoryRow:
    """post + Resolution (+ TrackInfo when enriched) -> HistoryRow."""
    row = HistoryRow(source=post["source"], post_id=post["id"], created_at=post["created_at"], text=post["text"],
                     run_id=run_id, author=post.get("author"), lang=post.get("lang"), urls=list(post.get("urls") or []))
    track_id = getattr(resolution, "track_id", None)
    # The CSV's method is the evidence a track was identified by: "link" or "search" (a cache answer
    # is a search verified on an earlier run; only searches are cached). So a retry that reads the
    # cache writes the same row; how many answers came from the cache is in the run stats.
    method = getattr(resolution, "method", None) or "none"
    row.method = "search" if method == "cache" else method
    if not track_id:
        row.method = "none"
        row.confidence = _confidence(getattr(resolution, "confidence", None))
        return row
    row.track_id = track_id
    row.confidence = _confidence(resolution.confidence)
    row.title = resolution.title
    row.artists = list(resolution.artists or [])
    if info is not None:
        row.title = info.title or row.title
        row.artists = list(info.artists or row.artists)
        row.artist_ids = list(info.artist_ids or [])
        row.album, row.album_id, row.release_date = info.album, info.album_id, info.release_date
        row.popularity, row.duration_ms, row.explicit = info.popularity, info.duration_ms, info.explicit
        row.isrc, row.image_url = info.isrc, info.image_url
        row.genres = list(info.genres or [])
        for name, value in (info.features or {}).items():
            if name in FEATURES:
                setattr(row, name, _float(value))
        row.features_source = info.features_source if info.features else None
    return row


def _float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _confidence(value: Any) -> float | None:
    """Three decimals, as `nowplaying resolve` prints it: a cached answer (stored as a 32-bit float)
    then writes the same text as a fresh one."""
    number = _float(value)
    return None if number is None else round(number, 3)


