"""The CSV history file of a run: history/YYYY/MM/DD/<run_id>.csv, written by transform, read by load.

Format
- UTF-8 (no BOM), a header row, RFC 4180: the csv module with QUOTE_MINIMAL and CRLF line ends. Minimal
  quoting is exactly what RFC 4180 asks (quote a field holding a comma, quote, CR or LF; double the quotes)
  and keeps numbers unquoted, so spreadsheets type them as numbers.
- One row per kept post, resolved or not; empty cell = no value. List columns (artists, genres, urls, ...)
  hold a JSON array, which keeps names with commas ("Earth, Wind & Fire") intact.
- Formula neutralisation, reversible: every text cell that starts with = + - @ TAB CR, or with the escape
  quote ' itself, gets one ' in front. Spreadsheets then show it as text instead of running it, and the
  reader strips exactly one leading ' from text cells, so load stores the author's original text
  (hostile or not) in Cassandra. Numeric cells are written by us from numbers (a negative loudness
  "-5.2" is a number, not a formula) and the reader rejects anything that is not a number there.
- Written atomically (fileio.atomic_write): a reader sees the previous file or the whole new one.

The reader validates every row: a bad row is skipped and counted with its reason, never a crash.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from nowplaying.errors import NowPlayingError
from nowplaying.fileio import atomic_write

FEATURES = ("danceability", "energy", "valence", "tempo", "acousticness", "instrumentalness", "liveness",
            "speechiness", "loudness")
SOURCES = ("x", "mastodon")
METHODS = ("link", "search", "cache", "none")

# The column order of the file (the first eleven are the contract, in its order).
COLUMNS = ("source", "post_id", "created_at", "text", "track_id", "title", "artists", "album", "popularity",
           "confidence", "method", "genres", *FEATURES, "features_source", "run_id", "author", "lang", "urls",
           "artist_ids", "album_id", "release_date", "duration_ms", "explicit", "isrc", "image_url")
LIST_COLUMNS = frozenset({"artists", "genres", "urls", "artist_ids"})
INT_COLUMNS = frozenset({"popularity", "duration_ms"})
FLOAT_COLUMNS = frozenset({"confidence", *FEATURES})
BOOL_COLUMNS = frozenset({"explicit"})
TEXT_COLUMNS = frozenset(COLUMNS) - LIST_COLUMNS - INT_COLUMNS - FLOAT_COLUMNS - BOOL_COLUMNS
REQUIRED = ("source", "post_id", "created_at")

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")
_SURROGATES = re.compile("[\ud800-\udfff]")
# Posts are short; this bounds a single cell so a corrupt file cannot exhaust memory.
MAX_FIELD = 1 << 20


class HistoryFormatError(NowPlayingError):
    """The file is not a history CSV at all (missing columns): nothing in it can be trusted."""


@dataclass
class HistoryRow:
    """One kept post with its resolution and enrichment (None/[] = no value)."""

    source: str
    post_id: str
    created_at: str  # ISO 8601 UTC, "2026-11-27T22:00:00Z" (format_utc)
    text: str = ""
    track_id: str | None = None
    title: str | None = None
    artists: list[str] = field(default_factory=list)
    album: str | None = None
    popularity: int | None = None
    confidence: float | None = None
    method: str = "none"
    genres: list[str] = field(default_factory=list)
    danceability: float | None = None
    energy: float | None = None
    valence: float | None = None
    tempo: float | None = None
    acousticness: float | None = None
    instrumentalness: float | None = None
    liveness: float | None = None
    speechiness: float | None = None
    loudness: float | None = None
    features_source: str | None = None
    run_id: str = ""
    author: str | None = None
    lang: str | None = None
    urls: list[str] = field(default_factory=list)
    artist_ids: list[str] = field(default_factory=list)
    album_id: str | None = None
    release_date: str | None = None
    duration_ms: int | None = None
    explicit: bool | None = None
    isrc: str | None = None
    image_url: str | None = None

    @cached_property
    def played_at(self) -> datetime:  # parsed once: load reads it for the play and for the aggregates
        return parse_utc(self.created_at)

    @property
    def features(self) -> dict[str, float | None]:
        return {name: getattr(self, name) for name in FEATURES}


assert tuple(f.name for f in fields(HistoryRow)) == COLUMNS, "HistoryRow fields must follow COLUMNS"


# ---- values ---------------------------------------------------------------------------------------------

def clean_text(value: str) -> str:
    """Text that UTF-8 (the file, Cassandra) can hold: lone surrogates become U+FFFD."""
    return value if value.isascii() else _SURROGATES.sub("\ufffd", value)  # isascii is O(1): the common case


def parse_utc(value: str) -> datetime:
    """ISO 8601 with a zone (Z or +hh:mm) -> aware UTC datetime; naive times are taken as UTC."""
    if not isinstance(value, str) or not value:
        raise ValueError("empty timestamp")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_utc(moment: datetime) -> str:
    """Canonical form: second precision, milliseconds only when present (Cassandra keeps ms)."""
    moment = moment.astimezone(UTC)
    base = moment.replace(tzinfo=None, microsecond=0).isoformat()  # isoformat: C, ~10x strftime's speed
    ms = moment.microsecond // 1000
    return f"{base}.{ms:03d}Z" if ms else f"{base}Z"


def neutralise(value: str) -> str:
    """Prefix one ' when a spreadsheet would read the cell as a formula (or it starts with ' already)."""
    return "'" + value if value.startswith(_TRIGGERS) else value


def unneutralise(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def _format_float(value: float) -> str:
    return repr(float(value))  # shortest text that reads back as the same float


def to_cells(row: HistoryRow) -> list[str]:
    cells: list[str] = []
    for name in COLUMNS:
        value = getattr(row, name)
        if value is None:
            cells.append("")
        elif name in LIST_COLUMNS:
            items = [clean_text(str(v)) for v in value]
            cells.append(json.dumps(items, ensure_ascii=False) if items else "")
        elif name in BOOL_COLUMNS:
            cells.append("true" if value else "false")
        elif name in INT_COLUMNS:
            cells.append(str(int(value)))
        elif name in FLOAT_COLUMNS:
            cells.append("" if math.isnan(float(value)) else _format_float(value))
        else:
            cells.append(neutralise(clean_text(str(value))))
    return cells


class BadRow(ValueError):
    """A row that fails validation; the message is the counted skip reason."""


def _int(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise BadRow(f"bad integer in {name}") from None


def _float(name: str, raw: str) -> float:
    try:
        number = float(raw)
    except ValueError:
        raise BadRow(f"bad number in {name}") from None
    if not math.isfinite(number):
        raise BadRow(f"bad number in {name}")
    return number


def _bool(name: str, raw: str) -> bool:
    if raw not in ("true", "false"):
        raise BadRow(f"bad boolean in {name}")
    return raw == "true"


def _text(name: str, raw: str) -> str:
    return unneutralise(raw)


def _converter(name: str) -> Any:
    if name in LIST_COLUMNS:
        return _parse_list
    if name in INT_COLUMNS:
        return _int
    if name in FLOAT_COLUMNS:
        return _float
    if name in BOOL_COLUMNS:
        return _bool
    return _text


def from_cells(record: dict[str, str]) -> HistoryRow:
    values: dict[str, Any] = {}
    for name, convert, is_list in _CONVERTERS:
        raw = record.get(name)
        values[name] = convert(name, raw) if raw else ([] if is_list else None)
    for name in REQUIRED:
        if not values[name]:
            raise BadRow(f"missing {name}")
    if values["source"] not in SOURCES:
        raise BadRow("unknown source")
    try:
        played = parse_utc(values["created_at"])
    except ValueError:
        raise BadRow("bad created_at") from None
    played = played.replace(microsecond=played.microsecond // 1000 * 1000)  # the file keeps ms (format_utc)
    values["created_at"] = format_utc(played)
    values["method"] = values["method"] or "none"
    if values["method"] not in METHODS:
        raise BadRow("unknown method")
    conf = values["confidence"]
    if conf is not None and not 0.0 <= conf <= 1.0:
        raise BadRow("confidence out of range")
    values["text"] = values["text"] or ""
    values["run_id"] = values["run_id"] or ""
    row = HistoryRow(**values)
    row.__dict__["played_at"] = played  # fills the cached_property: the parse above is the only one
    return row


def _parse_list(name: str, raw: str) -> list[str]:
    if raw == "":
        return []
    try:
        items = json.loads(raw)
    except ValueError:
        raise BadRow(f"bad list in {name}") from None
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise BadRow(f"bad list in {name}")
    return items


# (column, converter of a non-empty cell, is a list: empty cell -> [] not None): decided once, not per cell (load reads
# every row through here).
_CONVERTERS = tuple((name, _converter(name), name in LIST_COLUMNS) for name in COLUMNS)


# ---- files ----------------------------------------------------------------------------------------------

def _writer(handle: Any) -> Any:
    return csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")


def write_history(path: Path, rows: Iterable[HistoryRow]) -> int:
    """Write every row (streamed: nothing is held in memory) atomically; returns the row count."""
    count = 0
    with atomic_write(Path(path), "w", encoding="utf-8", newline="") as handle:
        writer = _writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(to_cells(row))
            count += 1
    return count


def render_rows(rows: Iterable[HistoryRow]) -> str:
    """Rows as the file's CSV text (no header): Spark workers render, the driver only concatenates."""
    buffer = io.StringIO(newline="")
    writer = _writer(buffer)
    for row in rows:
        writer.writerow(to_cells(row))
    return buffer.getvalue()


def write_rendered(path: Path, chunks: Iterable[str]) -> None:
    """Header + already rendered chunks (render_rows), atomically."""
    with atomic_write(Path(path), "w", encoding="utf-8", newline="") as handle:
        _writer(handle).writerow(COLUMNS)
        for chunk in chunks:
            handle.write(chunk)


class HistoryReader:
    """Iterate the valid rows of a history file; `skipped` counts the rest by reason.

    A file without the required header raises HistoryFormatError (one line); a bad row never raises.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.read = 0
        self.skipped: Counter[str] = Counter()

    def __iter__(self) -> Iterator[HistoryRow]:
        csv.field_size_limit(MAX_FIELD)
        try:
            handle = self.path.open("rb")
        except FileNotFoundError:
            raise HistoryFormatError(f"no history file at {self.path}") from None
        with handle:
            reader = csv.reader(_decoded_lines(handle, self.skipped), strict=True)
            try:
                header = next(reader)
            except StopIteration:
                raise HistoryFormatError(f"{self.path} is empty (no header row)") from None
            except csv.Error as exc:
                raise HistoryFormatError(f"{self.path}: unreadable header ({exc})") from None
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise HistoryFormatError(f"{self.path} is not a history CSV (missing {', '.join(missing)})")
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error:
                    self.read += 1
                    self.skipped["malformed csv"] += 1
                    continue
                if not cells:
                    continue
                self.read += 1
                if len(cells) != len(header):
                    self.skipped["wrong number of fields"] += 1
                    continue
                try:
                    yield from_cells(dict(zip(header, cells, strict=True)))
                except BadRow as exc:
                    self.skipped[str(exc)] += 1


def _decoded_lines(handle: Any, skipped: Counter[str]) -> Iterator[str]:
    """Lines of the (binary) file; a line that is not UTF-8 is dropped and counted, the read goes on."""
    for raw in handle:
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            skipped["not utf-8"] += 1
