"""Mastodon hashtag timelines -> post records.

For each MASTODON_INSTANCES entry: `GET {instance}/api/v1/timelines/tag/{MASTODON_HASHTAG}?limit=40`
(public, no auth), since the instance's checkpoint, following Link rel="next" (which carries max_id
only, so since_id is added back and also enforced here: ids are numeric strings, compared as numbers).
MASTODON_MAX_POSTS_PER_RUN applies per instance: reads are free, the ceiling bounds a run's size, and a
shared budget would starve the instances listed last. The same federated post seen on two instances
(same `uri`) is kept once. An instance that fails is reported and the others still run.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

import httpx

from nowplaying.config import Settings
from nowplaying.sources.fetch import Denied, Fetcher, Rejected, Stop
from nowplaying.sources.html import html_to_text
from nowplaying.sources.records import Deduper, Skip, make_record
from nowplaying.sources.summary import ExtractSummary
from nowplaying.sources.x import numeric_id

log = logging.getLogger(__name__)

PAGE_MAX = 40
_LINK = re.compile(r'<([^>]*)>\s*((?:;\s*[^;,]+)*)')


def next_link(header: str | None) -> str | None:
    """The rel="next" target of an RFC 8288 Link header."""
    for target, params in _LINK.findall(header or ""):
        rels = re.findall(r'rel\s*=\s*"?([^";,]+)"?', params)
        if any("next" in rel.split() for rel in rels):
            return target.strip()
    return None


def status_record(status: Any) -> dict[str, Any]:
    """One Status entity -> a post record (text as a reader sees it), or Skip(reason)."""
    if not isinstance(status, dict):
        raise Skip("not_an_object")
    if isinstance(status.get("reblog"), dict):
        raise Skip("reblog")
    content = status.get("content")
    if not isinstance(content, str):
        raise Skip("missing_text")
    text, urls = html_to_text(content)
    spoiler = status.get("spoiler_text")
    if isinstance(spoiler, str) and spoiler.strip():
        spoiler_text, _ = html_to_text(spoiler)  # a content warning is read before the post
        text = f"{spoiler_text}\n\n{text}" if text else spoiler_text
    account = status.get("account")
    author = account.get("acct") if isinstance(account, dict) else None
    if "created_at" not in status:
        raise Skip("missing_created_at")
    return make_record(id=status.get("id"), source="mastodon", text=text, urls=urls,
                       created_at=status.get("created_at"), lang=status.get("language"), author=author)


def _same_origin(url: httpx.URL, base: httpx.URL) -> bool:
    return url.scheme == base.scheme and url.host == base.host and url.port == base.port


def read_instance(settings: Settings, instance: str, since_id: str | None, fetcher: Fetcher,
                  summary: ExtractSummary, dedupe: Deduper) -> tuple[list[dict[str, Any]], str | None]:
    """Read one instance's new posts; returns (records, newest id read or None)."""
    base = httpx.URL(instance)
    url: httpx.URL | str = f"{instance}/api/v1/timelines/tag/{quote(settings.mastodon_hashtag, safe='')}"
    ceiling = settings.mastodon_max_posts_per_run
    since = numeric_id(since_id)
    newest = since
    records: list[dict[str, Any]] = []
    first_id: str | None = None  # the newest id as the server ordered it, for non-numeric ids
    read = 0
    params: dict[str, Any] | None = {}
    while True:
        left = ceiling - read
        if left <= 0:
            if ceiling:
                summary.stopped.append(f"{instance}: ceiling reached (MASTODON_MAX_POSTS_PER_RUN={ceiling})")
            break
        page_params = dict(params or {})
        page_params["limit"] = min(PAGE_MAX, left)
        if since is not None:
            page_params["since_id"] = str(since)
        try:
            page = fetcher.get(url, params=page_params)
        except Stop as stop:
            summary.stopped.append(f"{instance}: {stop.reason}")
            break
        except Denied as denied:
            raise InstanceFailed(f"{instance} refused the public timeline (HTTP {denied.status}: "
                                 f"{denied.detail})") from None
        except Rejected as rejected:
            raise InstanceFailed(f"{instance} rejected the request (HTTP {rejected.status}: "
                                 f"{rejected.detail})") from None
        summary.pages += 1
        statuses = page.body
        if not isinstance(statuses, list):
            fetcher.counters.malformed_pages += 1
            summary.stopped.append(f"{instance}: a page was not a JSON list")
            break
        reached_checkpoint = False
        for status in statuses:
            read += 1
            summary.read += 1
            sid = numeric_id(status.get("id")) if isinstance(status, dict) else None
            if first_id is None and isinstance(status, dict) and isinstance(status.get("id"), str):
                first_id = status["id"]
            if sid is not None and since is not None and sid <= since:
                reached_checkpoint = True  # the server ignored since_id: everything older is read
                summary.skipped["already_read"] += 1
                continue
            if sid is not None and (newest is None or sid > newest):
                newest = sid
            try:
                record = status_record(status)
            except Skip as skip:
                summary.skipped[skip.reason] += 1
                continue
            uri = status.get("uri") if isinstance(status.get("uri"), str) else None
            if not dedupe.first(f"mastodon:{record['id']}@{instance}", uri and f"uri:{uri}"):
                summary.skipped["duplicate"] += 1
                continue
            records.append(record)
        target = next_link(page.headers.get("link"))
        if not statuses or reached_checkpoint or not target:
            break
        link = page.url.join(target)
        if not _same_origin(link, base):
            # Servers behind proxies sometimes name themselves differently (localhost vs 127.0.0.1, an
            # internal host): follow the link's path and query, but only ever on the configured instance.
            log.debug("Link rel=next names %s; following it on %s", link.host, base.host)
        # Keep the link's own parameters (its max_id), re-adding limit and since_id ourselves.
        url = base.copy_with(path=link.path, query=None)
        params = {k: v for k, v in link.params.multi_items() if k not in ("limit", "since_id")}
    if newest is None and first_id and since is None:
        return records, first_id  # ids that are not numbers: trust the server's newest-first order
    return records, (str(newest) if newest is not None and newest != since else None)


class InstanceFailed(Exception):
    """One instance's one-line failure; the other instances still run."""
