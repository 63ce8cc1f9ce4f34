"""The JSON API behind the views. Every parameter is validated (400 + {"error": ...} otherwise).

GET /api/plays        DataTables server-side protocol: draw, start (>= 0), length (1-100, default 50),
                      search[value] (<= 200 chars; or search / q), order[0][column] (index into
                      /api "columns") + order[0][dir] asc|desc (or order=<column>&dir=asc|desc),
                      from / to (YYYY-MM-DD, inclusive; default all days). Time order is exact at any
                      depth; search or any other sort applies to the newest `window` plays of the range.
GET /api/plays.csv    the same filter as CSV, every matching play of the range, streamed, time order.
GET /api/tracks       from / to (<= 92 days; default the 7 days ending at the newest day with plays):
                      the 200 most played tracks of the range with plays, popularity, audio features.
GET /api/stats        counters: plays, tracks, artists, days, last run.
GET /api/stats/daily  from / to: posts, resolved and the resolved share per day.
GET /api/stats/top    kind=tracks|artists, top (1-10, default 5), from / to: plays per day of the top N.
GET /api/runs         limit (1-100, default 20): recent pipeline runs with their stats.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from flask import Blueprint, Response, jsonify, request

from dashboard import store
from dashboard.csvexport import stream_csv
from dashboard.params import DATA_COLUMNS, MAX_LENGTH, choice_param, date_range, int_param, plays_request

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("")
def index() -> Response:
    return jsonify(endpoints=__doc__.split("\n\n", 1)[1].strip().splitlines(), columns=DATA_COLUMNS,
                   max_length=MAX_LENGTH, window=store().window or None)


PAGE_TTL = 5.0  # seconds a serialised page is reused (a pipeline run lands every 30 minutes)


@bp.get("/plays")
def plays() -> Response:
    req = plays_request(request.args)
    service = store().plays()

    def render() -> str:
        page = service.page(req)
        body: dict[str, Any] = {
            "recordsTotal": page.total, "recordsFiltered": page.filtered, "data": page.rows,
            "windowed": page.windowed, "window": page.window,
            "from": str(page.day_from) if page.day_from else None, "to": str(page.day_to) if page.day_to else None,
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))

    # The page without `draw` (DataTables' request counter) is shared; draw is spliced in per request.
    cached = service.responses.get_or_compute(dataclasses.replace(req, draw=0), PAGE_TTL, render, stale_for=60.0)
    return Response(f'{{"draw":{req.draw},' + cached[1:], mimetype="application/json")


@bp.get("/plays.csv")
def plays_csv() -> Response:
    req = plays_request(request.args)
    service = store().plays()
    rows = service.export(req)
    name = "nowplaying-plays"
    if req.day_from or req.day_to:
        name += f"-{req.day_from or 'start'}-{req.day_to or 'end'}"
    return Response(stream_csv(rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"',
                             "Cache-Control": "no-store"})


@bp.get("/tracks")
def tracks() -> Response:
    day_from, day_to = date_range(request.args)
    return jsonify(store().insights().tracks(day_from, day_to))


@bp.get("/stats")
def stats() -> Response:
    return jsonify(store().insights().counters())


@bp.get("/stats/daily")
def daily() -> Response:
    day_from, day_to = date_range(request.args)
    return jsonify(store().insights().daily(day_from, day_to))


@bp.get("/stats/top")
def top() -> Response:
    kind = choice_param(request.args, "kind", "tracks", ("tracks", "artists"))
    n = int_param(request.args, "top", 5, 1, 10)
    day_from, day_to = date_range(request.args)
    return jsonify(store().insights().top_series(kind, day_from, day_to, n))


@bp.get("/runs")
def runs() -> Response:
    limit = int_param(request.args, "limit", 20, 1, 100)
    return jsonify(runs=store().insights().runs(limit))
