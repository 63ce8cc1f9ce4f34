"""X API v2 recent search -> post records.

`GET {X_API_BASE_URL}/2/tweets/search/recent` with the app's bearer token, newest first, through
`meta.next_token`, from the checkpoint's since_id. X bills every post read, so the run stops at
X_MAX_POSTS_PER_RUN: each page asks for no more than what is left of it (X's pages hold 10..100).
Tweet text comes with &, < and > HTML-escaped; t.co links stay in the text as a reader sees them and
the expanded targets (entities.urls[].expanded_url) go into `urls`. A long post's full text is in
note_tweet when the API sends it.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from nowplaying.config import Settings
from nowplaying.errors import ConfigError, NowPlayingError
from nowplaying.sources.fetch import Denied, Fetcher, Rejected, Stop
from nowplaying.sources.records import Deduper, Skip, make_record
from nowplaying.sources.summary import ExtractSummary

log = logging.getLogger(__name__)

SEARCH_PATH = "/2/tweets/search/recent"
TWEET_FIELDS = "created_at,lang,author_id,entities"
PAGE_MIN, PAGE_MAX = 10, 100
_ESCAPED = re.compile(r"&(amp|lt|gt);")
_UNESCAPE = {"amp": "&", "lt": "<", "gt": ">"}


class XAccessDenied(NowPlayingError):
    exit_code = 5


def unescape_text(text: str) -> str:
    """Undo X's escaping of &, < and > in one pass (a literal "&amp;" typed by the author survives)."""
    return _ESCAPED.sub(lambda m: _UNESCAPE[m.group(1)], text)


def numeric_id(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) <= 30:
        return int(value)
    return None


def tweet_record(tweet: Any, users: dict[str, str]) -> dict[str, Any]:
    """One Tweet object (+ the page's id -> username map) -> a post record, or Skip(reason)."""
    if not isinstance(tweet, dict):
        raise Skip("not_an_object")
    text = tweet.get("text")
    entities = tweet.get("entities")
    note = tweet.get("note_tweet")
    if isinstance(note, dict) and isinstance(note.get("text"), str):
        text, entities = note["text"], note.get("entities", entities)
    if not isinstance(text, str):
        raise Skip("missing_text")
    urls: list[str] = []
    if isinstance(entities, dict) and isinstance(entities.get("urls"), list):
        for entity in entities["urls"]:
            if isinstance(entity, dict):
                target = entity.get("expanded_url") or entity.get("unwound_url") or entity.get("url")
                if isinstance(target, str):
                    urls.append(target)
    if "created_at" not in tweet:
        raise Skip("missing_created_at")
    return make_record(id=tweet.get("id"), source="x", text=unescape_text(text), urls=urls,
                       created_at=tweet.get("created_at"), lang=tweet.get("lang"),
                       author=users.get(str(tweet.get("author_id"))))


def _users(body: dict[str, Any]) -> dict[str, str]:
    includes = body.get("includes")
    users = includes.get("users") if isinstance(includes, dict) else None
    out: dict[str, str] = {}
    for user in users if isinstance(users, list) else []:
        if isinstance(user, dict) and isinstance(user.get("username"), str):
            out[str(user.get("id"))] = user["username"]
    return out


def read_x(settings: Settings, since_id: str | None, fetcher: Fetcher, summary: ExtractSummary
           ) -> tuple[list[dict[str, Any]], str | None]:
    """Read new posts; returns (records, newest id read or None). Stops cleanly on the ceiling, a far
    rate-limit reset or an outage (summary.stopped says why); raises on bad credentials."""
    if not settings.has_x_credentials:
        raise ConfigError("X_BEARER_TOKEN is not set: put the app's bearer token in the environment or .env")
    token = settings.x_bearer_token.get_secret_value()  # type: ignore[union-attr]
    headers = {"Authorization": f"Bearer {token}"}
    url = settings.x_api_base_url + SEARCH_PATH
    ceiling = settings.x_max_posts_per_run
    since = numeric_id(since_id)
    newest = since
    records: list[dict[str, Any]] = []
    dedupe = Deduper()
    first_id: str | None = None  # the newest id as the server ordered it, for non-numeric ids
    next_token: str | None = None
    while True:
        left = ceiling - summary.read
        if left <= 0:
            if ceiling:
                summary.stopped.append(f"ceiling reached (X_MAX_POSTS_PER_RUN={ceiling})")
            break
        if left < PAGE_MIN and summary.pages:
            # A page holds at least 10 posts: another one would overrun the ceiling.
            summary.stopped.append(f"ceiling reached (X_MAX_POSTS_PER_RUN={ceiling})")
            break
        params: dict[str, Any] = {"query": settings.x_query, "max_results": max(PAGE_MIN, min(PAGE_MAX, left)),
                                  "tweet.fields": TWEET_FIELDS, "expansions": "author_id"}
        if since is not None:
            params["since_id"] = str(since)
        if next_token:
            params["next_token"] = next_token
        try:
            page = fetcher.get(url, params=params, headers=headers)
        except Stop as stop:
            summary.stopped.append(stop.reason)
            break
        except Denied as denied:
            raise XAccessDenied(
                f"X API refused the request (HTTP {denied.status}: {denied.detail}): check X_BEARER_TOKEN"
                + (" and that your X API plan includes recent search" if denied.status != 401 else "")
            ) from None
        except Rejected as rejected:
            raise NowPlayingError(f"X API rejected the search (HTTP {rejected.status}: {rejected.detail}); "
                                  f"X_QUERY={settings.x_query!r}") from None
        summary.pages += 1
        body = page.body
        if not isinstance(body, dict):
            fetcher.counters.malformed_pages += 1
            summary.stopped.append("a page was not a JSON object")
            break
        tweets = body.get("data")
        if tweets is None:
            tweets = []  # X leaves `data` out when nothing matched
        if not isinstance(tweets, list):
            fetcher.counters.malformed_pages += 1
            summary.stopped.append("a page's data was not a list")
            break
        users = _users(body)
        reached_checkpoint = False
        for tweet in tweets:
            summary.read += 1
            tid = numeric_id(tweet.get("id")) if isinstance(tweet, dict) else None
            if first_id is None and isinstance(tweet, dict) and isinstance(tweet.get("id"), str):
                first_id = tweet["id"]
            if tid is not None and since is not None and tid <= since:
                summary.skipped["already_read"] += 1  # the server ignored since_id
                reached_checkpoint = True
                continue
            if tid is not None and (newest is None or tid > newest):
                newest = tid  # past a malformed post too: reading it again would not fix it
            try:
                record = tweet_record(tweet, users)
            except Skip as skip:
                summary.skipped[skip.reason] += 1
                continue
            if not dedupe.first(record["id"]):
                summary.skipped["duplicate"] += 1
                continue
            records.append(record)
        meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
        next_token = meta.get("next_token") if isinstance(meta.get("next_token"), str) else None
        if not tweets or not next_token or reached_checkpoint:
            break
    if newest is None and first_id and since is None:
        return records, first_id  # ids that are not numbers: trust the server's newest-first order
    return records, (str(newest) if newest is not None and newest != since else None)
