"""Query-parameter validation for the JSON API: bad input is a 400 with a one-line JSON message.

The Data table speaks DataTables' server-side protocol (draw, start, length, search[value],
order[0][column], order[0][dir], columns[i][data]); the same endpoint accepts plain names too
(search/q, order=<column name>, dir) so it is usable from curl.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

# The Data view's columns, in the table's order (the index is what DataTables sends).
DATA_COLUMNS = (
    "played_at", "source", "text", "title", "artists", "album", "popularity", "genres", "danceability",
    "energy", "valence", "tempo", "acousticness", "instrumentalness", "liveness", "speechiness", "loudness",
)
MAX_LENGTH = 100
MAX_START = 10_000_000
MAX_SEARCH = 200
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ApiError(Exception):
    """A client error: rendered as {"error": message} with the status (400 unless said)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def int_param(args: Mapping[str, str], name: str, default: int, lo: int, hi: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(f"{name} must be an integer, got {raw[:40]!r}") from None
    if not lo <= value <= hi:
        raise ApiError(f"{name} must be between {lo} and {hi}, got {value}")
    return value


def choice_param(args: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if raw not in choices:
        raise ApiError(f"{name} must be one of {', '.join(choices)}, got {raw[:40]!r}")
    return raw


def date_param(args: Mapping[str, str], name: str) -> dt.date | None:
    raw = args.get(name)
    if raw is None or raw == "":
        return None
    if not _DATE.match(raw):
        raise ApiError(f"{name} must be a date YYYY-MM-DD, got {raw[:40]!r}")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ApiError(f"{name} is not a valid date: {raw!r}") from None


def date_range(args: Mapping[str, str], *, max_days: int | None = None) -> tuple[dt.date | None, dt.date | None]:
    start, end = date_param(args, "from"), date_param(args, "to")
    if start and end and start > end:
        raise ApiError(f"from ({start}) is after to ({end})")
    if max_days and start and end and (end - start).days + 1 > max_days:
        raise ApiError(f"the date range may span at most {max_days} days")
    return start, end


@dataclass(frozen=True)
class PlaysRequest:
    draw: int
    start: int
    length: int
    search: str
    order: str  # a DATA_COLUMNS name
    ascending: bool
    day_from: dt.date | None
    day_to: dt.date | None

    @property
    def time_ordered(self) -> bool:
        return self.order == "played_at"


def plays_request(args: Mapping[str, str], *, default_length: int = 50) -> PlaysRequest:
    draw = int_param(args, "draw", 0, 0, 2**31 - 1)
    start = int_param(args, "start", 0, 0, MAX_START)
    length = int_param(args, "length", default_length, 1, MAX_LENGTH)
    search = args.get("search[value]", args.get("search", args.get("q", ""))) or ""
    if len(search) > MAX_SEARCH:
        raise ApiError(f"search must be at most {MAX_SEARCH} characters")
    if args.get("search[regex]") == "true":
        raise ApiError("regular-expression search is not supported")
    if "order[0][column]" in args:
        index = int_param(args, "order[0][column]", 0, 0, len(DATA_COLUMNS) - 1)
        order = DATA_COLUMNS[index]
        sent = args.get(f"columns[{index}][data]")
        if sent and sent != order:
            raise ApiError(f"column {index} is {order!r}, the request says {sent[:40]!r}")
        direction = choice_param(args, "order[0][dir]", "desc", ("asc", "desc"))
    else:
        order = choice_param(args, "order", "played_at", DATA_COLUMNS)
        direction = choice_param(args, "dir", "desc", ("asc", "desc"))
    day_from, day_to = date_range(args)
    return PlaysRequest(draw, start, length, search.strip(), order, direction == "asc", day_from, day_to)
