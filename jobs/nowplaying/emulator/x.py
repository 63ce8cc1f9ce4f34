"""Emulated X API v2: `GET /2/tweets/search/recent` with app-only bearer auth.

Fixtures: `x/tweets.jsonl` (one X API v2 Tweet object per line, every field we may be asked for) and
`x/users.jsonl` (one User object per line: id, name, username). Served as the real API serves them
(docs.x.com, "Search Posts: recent"):

- `Authorization: Bearer <token>`; missing or wrong -> 401 problem body {title, type, status, detail}.
- `query` (required), `max_results` 10..100 (default 10), `since_id`, `until_id`, `start_time`,
  `end_time`, `next_token` (alias `pagination_token`), newest first.
- `tweet.fields` selects fields beyond the defaults (id, text, edit_history_tweet_ids);
  `expansions=author_id` adds `includes.users`; `user.fields` selects user fields beyond id/name/username.
- `meta`: newest_id, oldest_id, result_count and next_token (only while more results exist); no `data`
  key at all when nothing matched.
- x-rate-limit-limit/-remaining/-reset (epoch seconds) on every answer; 429 once the window is used up.
  The window defaults to X's 450 requests per 15 minutes for app auth; tests shrink it through
  `faults.extra["x_rate_limit"]` and `faults.extra["x_rate_window"]` (seconds).
- `faults.extra["x_bearer_token"]`: the only token accepted (default: any non-empty one);
  `faults.extra["x_page_overlap"]`: each next page repeats the previous page's last N posts.

Tweet text is stored as the API sends it: `&`, `<` and `>` HTML-escaped, t.co links in the text and the
expanded targets in entities.urls. The 7-day window of recent search is not enforced: demo data must
answer whenever the demo runs. Tests add posts between runs with `XStore.add`.
"""

from __future__ import annotations

import base64
import bisect
import functools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, request

from nowplaying.emulator.app import json_response

blueprint = Blueprint("x", __name__)

DEFAULT_TWEET_FIELDS = ("id", "text", "edit_history_tweet_ids")
TWEET_FIELDS = {
    "article", "attachments", "author_id", "card_uri", "community_id", "context_annotations",
    "conversation_id", "created_at", "display_text_range", "edit_controls", "edit_history_tweet_ids",
    "entities", "geo", "id", "in_reply_to_user_id", "lang", "media_metadata", "non_public_metrics",
    "note_tweet", "organic_metrics", "possibly_sensitive", "promoted_metrics", "public_metrics",
    "referenced_tweets", "reply_settings", "scopes", "source", "text", "withheld",
}
USER_FIELDS = {
    "affiliation", "connection_status", "created_at", "description", "entities", "id", "location",
    "most_recent_tweet_id", "name", "pinned_tweet_id", "profile_banner_url", "profile_image_url",
    "protected", "public_metrics", "receives_your_dm", "subscription_type", "url", "username",
    "verified", "verified_type", "withheld",
}
EXPANSIONS = {
    "attachments.media_keys", "attachments.poll_ids", "author_id", "edit_history_tweet_ids",
    "entities.mentions.username", "geo.place_id", "in_reply_to_user_id", "referenced_tweets.id",
    "referenced_tweets.id.author_id",
}


@dataclass
class XStore:
    """Tweets newest first (by numeric id) and users by id; safe to extend while serving."""

    tweets: list[dict[str, Any]] = field(default_factory=list)
    keys: list[int] = field(default_factory=list)  # -id of each tweet: ascending, for bisect
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    window_start: float = 0.0
    window_used: int = 0

    def add(self, tweets: list[dict[str, Any]], users: list[dict[str, Any]] = ()) -> None:
        with self.lock:
            for user in users:
                self.users[str(user["id"])] = user
            self.tweets = sorted([*self.tweets, *tweets], key=lambda t: int(t["id"]), reverse=True)
            self.keys = [-int(t["id"]) for t in self.tweets]

    def take_request(self, limit: int, window: float) -> tuple[int, int]:
        """Count one request against the rate window; returns (remaining, reset epoch)."""
        now = time.time()
        with self.lock:
            if now - self.window_start >= window:
                self.window_start, self.window_used = now, 0
            self.window_used += 1
            return limit - self.window_used, int(self.window_start + window + 0.999)


def load(fixtures: Path) -> XStore:
    store = XStore()
    tweets_file, users_file = Path(fixtures) / "x" / "tweets.jsonl", Path(fixtures) / "x" / "users.jsonl"
    tweets = _read_jsonl(tweets_file) if tweets_file.exists() else []
    users = _read_jsonl(users_file) if users_file.exists() else []
    store.add(tweets, users)
    return store


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def problem(status: int, title: str, detail: str, kind: str = "about:blank", **extra: Any) -> Response:
    body = {"title": title, "detail": detail, "type": kind, "status": status, **extra}
    return Response(json.dumps(body), status=status, mimetype="application/json")


def invalid_request(parameter: str, value: str, message: str) -> Response:
    body = {
        "errors": [{"parameters": {parameter: [value]}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
    return Response(json.dumps(body), status=400, mimetype="application/json")


def encode_token(tweet_id: str) -> str:
    return base64.b32encode(f"np:{tweet_id}".encode()).decode().rstrip("=").lower()


def decode_token(token: str) -> str | None:
    try:
        raw = base64.b32decode(token.upper() + "=" * (-len(token) % 8)).decode()
    except ValueError:
        return None
    return raw[3:] if raw.startswith("np:") and raw[3:].isdigit() else None


# --- the query language: the subset #NowPlaying searches use ---------------------------------------

_TERM = re.compile(r'-?"[^"]*"|\S+')


@functools.lru_cache(maxsize=64)
def _matcher(query: str) -> Callable[[dict[str, Any]], bool]:
    terms = []
    for raw in _TERM.findall(query):
        negate = raw.startswith("-") and len(raw) > 1
        term = raw[1:] if negate else raw
        terms.append((negate, term.strip('"').lower()))

    def test(tweet: dict[str, Any]) -> bool:
        text = tweet.get("text", "").lower()
        tags = {h.get("tag", "").lower() for h in tweet.get("entities", {}).get("hashtags", [])}
        for negate, term in terms:
            if term in ("or", "and"):
                continue
            if term == "is:retweet":
                hit = text.startswith("rt @") or any(r.get("type") == "retweeted"
                                                       for r in tweet.get("referenced_tweets", []))
            elif term == "is:reply":
                hit = any(r.get("type") == "replied_to" for r in tweet.get("referenced_tweets", []))
            elif term.startswith("lang:"):
                hit = tweet.get("lang") == term[5:]
            elif term.startswith("has:links"):
                hit = bool(tweet.get("entities", {}).get("urls"))
            elif term.startswith("#"):
                hit = term[1:] in tags or re.search(rf"#{re.escape(term[1:])}\b", text) is not None
            else:
                hit = term in text
            if hit == negate:
                return False
        return True

    return test


def _csv(name: str) -> list[str]:
    return [part.strip() for part in request.args.get(name, "").split(",") if part.strip()]


def _check_auth() -> Response | None:
    header = request.headers.get("Authorization", "")
    expected = current_app.config["FAULTS"].extra.get("x_bearer_token")
    token = header[7:].strip() if header.startswith("Bearer ") else ""
    if not token or (expected and token != expected):
        return problem(401, "Unauthorized", "Unauthorized")
    return None


@blueprint.get("/2/tweets/search/recent")
def search_recent() -> Response:
    denied = _check_auth()
    if denied is not None:
        return denied
    store: XStore = current_app.extensions["emulator"]["x"]
    extra = current_app.config["FAULTS"].extra
    limit, window = int(extra.get("x_rate_limit", 450)), float(extra.get("x_rate_window", 900))
    remaining, reset = store.take_request(limit, window)
    headers = {"x-rate-limit-limit": str(limit), "x-rate-limit-remaining": str(max(remaining, 0)),
               "x-rate-limit-reset": str(reset)}
    if remaining < 0:
        response = problem(429, "Too Many Requests", "Too Many Requests")
        response.headers.update(headers)
        return response
    response = _search(store)
    response.headers.update(headers)
    return response


def _search(store: XStore) -> Response:
    args = request.args
    query = args.get("query", "")
    if not query.strip():
        return invalid_request("query", "", "The `query` query parameter can not be empty")
    if len(query) > 512:
        return invalid_request("query", query, "The `query` query parameter is too long (512 max)")
    raw_max = args.get("max_results", "10")
    if not raw_max.isdigit() or not 10 <= int(raw_max) <= 100:
        return invalid_request("max_results", raw_max,
                               f"The `max_results` query parameter value [{raw_max}] is not between 10 and 100")
    max_results = int(raw_max)
    for name in ("since_id", "until_id"):
        value = args.get(name)
        if value is not None and not value.isdigit():
            return invalid_request(name, value, f"The `{name}` query parameter value [{value}] is not valid")
    tweet_fields, user_fields, expansions = _csv("tweet.fields"), _csv("user.fields"), _csv("expansions")
    for name, values, allowed in (("tweet.fields", tweet_fields, TWEET_FIELDS),
                                  ("user.fields", user_fields, USER_FIELDS),
                                  ("expansions", expansions, EXPANSIONS)):
        bad = [v for v in values if v not in allowed]
        if bad:
            return invalid_request(name, bad[0], f"The `{name}` query parameter value [{bad[0]}] is not one of "
                                                 f"[{', '.join(sorted(allowed))}]")
    token = args.get("next_token") or args.get("pagination_token")
    before: int | None = None
    if token:
        decoded = decode_token(token)
        if decoded is None:
            return invalid_request("next_token", token, f"The `next_token` query parameter value [{token}] "
                                                        "is not valid")
        before = int(decoded)
    since = int(args["since_id"]) if args.get("since_id") else None
    until = int(args["until_id"]) if args.get("until_id") else None
    start, end = args.get("start_time"), args.get("end_time")

    match = _matcher(query)
    with store.lock:
        tweets, keys = store.tweets, store.keys
    # Newest first: jump past everything at or above the next_token / until_id bound.
    upper = min(b for b in (before, until, 2**64) if b is not None)
    start_at = bisect.bisect_left(keys, -upper + 1)
    page: list[dict[str, Any]] = []
    more = False
    for tweet in tweets[start_at:]:
        tid = int(tweet["id"])
        if since is not None and tid <= since:
            break
        created = tweet.get("created_at", "")
        if (start and created < start) or (end and created >= end) or not match(tweet):
            continue
        if len(page) == max_results:
            more = True
            break
        page.append(tweet)

    if not page:
        return json_response({"meta": {"result_count": 0}})
    keep = set(DEFAULT_TWEET_FIELDS) | set(tweet_fields)
    body: dict[str, Any] = {"data": [{k: v for k, v in t.items() if k in keep} for t in page]}
    if "author_id" in expansions:
        ukeep = {"id", "name", "username", *user_fields}
        seen: dict[str, dict[str, Any]] = {}
        for tweet in page:
            user = store.users.get(str(tweet.get("author_id")))
            if user and user["id"] not in seen:
                seen[user["id"]] = {k: v for k, v in user.items() if k in ukeep}
        if seen:
            body["includes"] = {"users": list(seen.values())}
    meta: dict[str, Any] = {"newest_id": page[0]["id"], "oldest_id": page[-1]["id"], "result_count": len(page)}
    if more:
        # `x_page_overlap` (tests): the next page repeats the last N posts, as a misbehaving server might.
        overlap = min(int(current_app.config["FAULTS"].extra.get("x_page_overlap", 0)), len(page) - 1)
        meta["next_token"] = encode_token(page[-1 - overlap]["id"])
    body["meta"] = meta
    return json_response(body)
