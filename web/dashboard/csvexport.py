"""CSV export of plays, streamed row by row, with spreadsheet formulas neutralised.

A cell a spreadsheet would evaluate (starting with = + - @, a tab or a carriage return) is prefixed
with a single quote. Only text is touched: numbers (loudness is negative) stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

CSV_COLUMNS = (
    "played_at", "source", "post_id", "author", "text", "track_id", "title", "artists", "album", "popularity",
    "genres", "confidence", "method", "danceability", "energy", "valence", "tempo", "acousticness",
    "instrumentalness", "liveness", "speechiness", "loudness",
)
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    stripped = value.lstrip(" \n")
    if stripped.startswith(_TRIGGERS) or value.startswith(_TRIGGERS):
        return "'" + value
    return value


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return neutralise("; ".join(str(v) for v in value))
    if isinstance(value, str):
        return neutralise(value)
    return value


def stream_csv(plays: Iterable[dict[str, Any]], *, flush_every: int = 500) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for n, play in enumerate(plays, 1):
        writer.writerow([cell(play.get(c)) for c in CSV_COLUMNS])
        if n % flush_every == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
