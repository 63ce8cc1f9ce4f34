"""Emulated Mastodon: `GET /api/v1/timelines/tag/:hashtag` (public, no auth).

Fixtures: `mastodon/statuses.jsonl`, one Mastodon Status entity per line (id, created_at, content as the
server renders it, language, account{acct, ...}, tags[{name, url}], ...). Served as a Mastodon 4.x
server does (docs.joinmastodon.org/methods/timelines/#tag and the server's controller):

- newest first by numeric id; `limit` default 20, at most 40; `max_id`, `since_id`, `min_id` (min_id
  answers the page immediately newer than it, still newest first); `local`, `remote`, `only_media`.
- Link header: rel="next" (max_id = oldest id of the page) only when the page is full, rel="prev"
  (min_id = newest id) when it is not empty. Like the real server, the links carry only the
  pagination id plus limit/local/remote/only_media: a since_id does not survive into rel="next".
- X-RateLimit-Limit/-Remaining/-Reset (ISO 8601) on every answer: 300 requests per 5 minutes by default,
  `faults.extra["mastodon_rate_limit"]` / `["mastodon_rate_window"]` to change; 429 {"error": ...}.
- `faults.extra["mastodon_require_auth"]` answers 401 as a server with public previews off does;
  `faults.extra["mastodon_page_overlap"]` makes each next page repeat the previous page's last N statuses.

Tests add statuses between runs with `MastodonStore.add`.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request

from nowplaying.emulator.app import json_response

blueprint = Blueprint("mastodon", __name__)

DEFAULT_LIMIT, MAX_LIMIT = 20, 40


@dataclass
class MastodonStore:
    statuses: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    window_start: float = 0.0
    window_used: int = 0

    def add(self, statuses: list[dict[str, Any]]) -> None:
        with self.lock:
            self.statuses = sorted([*self.statuses, *statuses], key=lambda s: int(s["id"]), reverse=True)

    def take_request(self, limit: int, window: float) -> tuple[int, float]:
        now = time.time()
        with self.lock:
            if now - self.window_start >= window:
                self.window_start, self.window_used = now, 0
            self.window_used += 1
            return limit - self.window_used, self.window_start + window


def load(fixtures: Path) -> MastodonStore:
    store = MastodonStore()
    path = Path(fixtures) / "mastodon" / "statuses.jsonl"
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            store.add([json.loads(line) for line in handle if line.strip()])
    return store


def error(status: int, message: str) -> Response:
    return Response(json.dumps({"error": message}), status=status, mimetype="application/json")


def _int_param(name: str) -> int | None:
    value = request.args.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _truthy(name: str) -> bool:
    return request.args.get(name, "").lower() in ("1", "true", "yes", "on")


@blueprint.get("/api/v1/timelines/tag/<path:hashtag>")
def tag_timeline(hashtag: str) -> Response:
    store: MastodonStore = current_app.extensions["emulator"]["mastodon"]
    extra = current_app.config["FAULTS"].extra
    limit_n, window = int(extra.get("mastodon_rate_limit", 300)), float(extra.get("mastodon_rate_window", 300))
    remaining, reset = store.take_request(limit_n, window)
    reset_iso = datetime.fromtimestamp(reset, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    headers = {"X-RateLimit-Limit": str(limit_n), "X-RateLimit-Remaining": str(max(remaining, 0)),
               "X-RateLimit-Reset": reset_iso}
    if remaining < 0:
        response = error(429, "Too many requests")
    elif extra.get("mastodon_require_auth") and not request.headers.get("Authorization"):
        response = error(401, "This API requires an authenticated user")
    else:
        response = _timeline(store, hashtag)
    response.headers.update(headers)
    return response


def _timeline(store: MastodonStore, hashtag: str) -> Response:
    raw_limit = _int_param("limit")
    limit = DEFAULT_LIMIT if raw_limit is None or raw_limit <= 0 else min(raw_limit, MAX_LIMIT)
    max_id, since_id, min_id = _int_param("max_id"), _int_param("since_id"), _int_param("min_id")
    only_media, local, remote = _truthy("only_media"), _truthy("local"), _truthy("remote")
    tag = hashtag.lower()

    def wanted(status: dict[str, Any]) -> bool:
        if not any(t.get("name", "").lower() == tag for t in status.get("tags", [])):
            return False
        if only_media and not status.get("media_attachments"):
            return False
        is_local = "@" not in status.get("account", {}).get("acct", "")
        return not ((local and not is_local) or (remote and is_local))

    with store.lock:
        statuses = store.statuses
    candidates = [s for s in statuses
                  if (max_id is None or int(s["id"]) < max_id)
                  and (since_id is None or int(s["id"]) > since_id)
                  and (min_id is None or int(s["id"]) > min_id)]
    if min_id is not None:
        # The page right after min_id: the oldest matches first, answered newest first.
        page = [s for s in reversed(candidates) if wanted(s)][:limit][::-1]
    else:
        page = []
        for status in candidates:
            if wanted(status):
                page.append(status)
                if len(page) == limit:
                    break
    response = json_response(page)
    links = []
    # Mastodon builds links from its configured LOCAL_DOMAIN; `mastodon_public_url` plays that part.
    public = current_app.config["FAULTS"].extra.get("mastodon_public_url") or request.host_url
    base = f"{public.rstrip('/')}/api/v1/timelines/tag/{hashtag}"
    keep = {k: v for k, v in request.args.items() if k in ("limit", "local", "remote", "only_media")}
    if page and len(page) == limit:
        # `mastodon_page_overlap` (tests): the next page repeats the last N statuses.
        overlap = min(int(current_app.config["FAULTS"].extra.get("mastodon_page_overlap", 0)), len(page) - 1)
        links.append(f'<{base}?{urlencode({**keep, "max_id": page[-1 - overlap]["id"]})}>; rel="next"')
    if page:
        links.append(f'<{base}?{urlencode({**keep, "min_id": page[0]["id"]})}>; rel="prev"')
    if links:
        response.headers["Link"] = ", ".join(links)
    return response
