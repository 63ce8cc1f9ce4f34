"""The post record (DESIGN.md's raw JSONL contract): validation, de-duplication, reading and writing.

One object a line: id (str), source ("x" | "mastodon"), text (plain text), urls (expanded link targets),
created_at ("2026-11-27T22:00:00Z"), lang (str | None), author (str | None). Everything in a post is
author-controlled and untrusted: a record is either made valid (lone surrogates replaced, control
characters dropped, fields bounded) or skipped with a reason. Never a crash.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nowplaying.fileio import atomic_write

log = logging.getLogger(__name__)

SOURCES = ("x", "mastodon")
MAX_TEXT_CHARS = 10_000  # longer than any #NowPlaying share; X long posts go to 25,000 but are not songs
MAX_ID_CHARS = 64
MAX_URLS = 20
MAX_URL_CHARS = 2048
MAX_AUTHOR_CHARS = 100
MAX_LANG_CHARS = 16

# C0/C1 controls except tab and newline, plus lone surrogates (JSON "\ud800" decodes to one).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NEEDS_CLEANING = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACE = re.compile(r"\s")
_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_UTC_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$")


class Skip(Exception):
    """A post that cannot become a record; `reason` is the counter key in the run summary."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def clean_text(value: str) -> str:
    """Text safe to store and encode: lone surrogates -> U+FFFD, CRLF -> LF, control characters dropped."""
    if not _NEEDS_CLEANING.search(value):  # the common case, checked in one pass
        return value
    value = _SURROGATE.sub("\ufffd", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


def normalize_created_at(value: Any) -> str:
    """Any ISO 8601 timestamp -> UTC "YYYY-MM-DDTHH:MM:SSZ"; naive times are taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        raise Skip("bad_created_at")
    if _UTC_SECONDS.match(value):
        try:  # the APIs' own format ("...T22:00:00.000Z"): validate the fields, then trim the fraction
            datetime(int(value[0:4]), int(value[5:7]), int(value[8:10]), int(value[11:13]), int(value[14:16]),
                     int(value[17:19]))
        except ValueError:
            raise Skip("bad_created_at") from None
        return value[:19] + "Z"
    text = value.strip().replace("z", "Z")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Skip("bad_created_at") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clean_urls(urls: Any) -> list[str]:
    out: list[str] = []
    if not isinstance(urls, list | tuple):
        return out
    for url in urls:
        if not isinstance(url, str):
            continue
        url = clean_text(url).strip()
        if not url.lower().startswith(("http://", "https://")) or len(url) > MAX_URL_CHARS or _SPACE.search(url):
            continue
        if url not in out:
            out.append(url)
        if len(out) == MAX_URLS:
            break
    return out


def _short(value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        return None
    value = clean_text(value).strip()
    return value[:limit] or None


def make_record(*, id: Any, source: str, text: Any, urls: Any, created_at: Any, lang: Any,
                author: Any) -> dict[str, Any]:
    """A valid post record, or Skip(reason)."""
    if isinstance(id, int) and not isinstance(id, bool):
        id = str(id)
    if not isinstance(id, str) or not _ID.match(id):
        raise Skip("bad_id")
    if source not in SOURCES:
        raise Skip("bad_source")
    if not isinstance(text, str):
        raise Skip("missing_text")
    text = clean_text(text).strip()
    if len(text) > MAX_TEXT_CHARS:
        raise Skip("too_long")
    return {
        "id": id,
        "source": source,
        "text": text,
        "urls": _clean_urls(urls),
        "created_at": normalize_created_at(created_at),
        "lang": _short(lang, MAX_LANG_CHARS),
        "author": _short(author, MAX_AUTHOR_CHARS),
    }


def validate_record(raw: Any) -> dict[str, Any]:
    """A record read back from a file, re-validated (it may come from anywhere)."""
    if not isinstance(raw, Mapping):
        raise Skip("not_an_object")
    return make_record(id=raw.get("id"), source=raw.get("source", ""), text=raw.get("text"),
                       urls=raw.get("urls", []), created_at=raw.get("created_at"), lang=raw.get("lang"),
                       author=raw.get("author"))


class Deduper:
    """Keeps the first sighting of each key (post id, or a federated post's URI across instances)."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def first(self, *keys: str | None) -> bool:
        present = [k for k in keys if k]
        if any(k in self._seen for k in present):
            return False
        self._seen.update(present)
        return True


def dumps_record(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def write_posts(path: Path, records: Iterable[Mapping[str, Any]]) -> int:
    """Write records as JSONL atomically (temporary file, fsync, rename). Returns the line count."""
    count = 0
    with atomic_write(Path(path)) as handle:
        for record in records:
            handle.write(dumps_record(record) + "\n")
            count += 1
    return count


def read_posts(path: Path, skipped: Counter[str] | None = None) -> Iterator[dict[str, Any]]:
    """Yield the valid records of a raw JSONL file; malformed lines are skipped and counted in `skipped`
    (and logged once at the end). Invalid UTF-8 bytes become U+FFFD rather than losing the line."""
    counts: Counter[str] = skipped if skipped is not None else Counter()
    before = sum(counts.values())
    with Path(path).open("rb") as handle:
        for number, raw_line in enumerate(handle, 1):
            line = raw_line.decode("utf-8", errors="replace").strip()
            if not line:
                continue
            try:
                yield validate_record(json.loads(line))
            except json.JSONDecodeError:
                counts["malformed_json"] += 1
                log.debug("skipped malformed line", extra={"path": str(path), "line": number})
            except Skip as skip:
                counts[skip.reason] += 1
    dropped = sum(counts.values()) - before
    if dropped:
        log.warning("skipped %d malformed line(s) in %s: %s", dropped, path,
                    ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
