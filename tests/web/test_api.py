"""The JSON API against real Cassandra: DataTables protocol, exact deep paging, the search window,
aggregates, runs, CSV export, and a 400 (never a 500) for every bad parameter."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter

import pytest
from conftest import DAYS, FORMULAS, LAST_DAY, PLAYS, WINDOW, XSS_ARTIST, XSS_TEXT

pytestmark = pytest.mark.cassandra


def ids(body: dict) -> list[str]:
    return [row["post_id"] for row in body["data"]]


def test_first_page_is_newest_first_with_datatables_envelope(client, web_data):
    r = client.get("/api/plays?draw=7&start=0&length=50")
    assert r.status_code == 200
    body = r.get_json()
    assert body["draw"] == 7
    assert body["recordsTotal"] == body["recordsFiltered"] == PLAYS
    assert body["windowed"] is False
    assert ids(body) == [p["post_id"] for p in web_data.ordered()[:50]]
    first = body["data"][0]
    assert first["text"] == XSS_TEXT  # stored and returned verbatim; escaping is the renderer's job
    assert first["played_at"].endswith("Z")


@pytest.mark.parametrize("start", [0, 120, 255, 256, 257, 399, 400, 401, 620, 650, 680, 700, 799, 1150])
def test_time_paging_is_exact_at_any_depth(client, web_data, start):
    expected = [p["post_id"] for p in web_data.ordered()]
    desc = client.get(f"/api/plays?start={start}&length=60").get_json()
    assert ids(desc) == expected[start:start + 60]
    asc = client.get(f"/api/plays?start={start}&length=60&order=played_at&dir=asc").get_json()
    assert ids(asc) == list(reversed(expected))[start:start + 60]


def test_datatables_order_parameters_and_date_range(client, web_data):
    day = LAST_DAY - dt.timedelta(days=1)
    q = (f"/api/plays?draw=1&start=10&length=25&order[0][column]=0&order[0][dir]=asc&columns[0][data]=played_at"
         f"&from={day}&to={day}")
    body = client.get(q).get_json()
    in_day = list(reversed(web_data.ordered(day, day)))
    assert body["recordsTotal"] == len(in_day) == PLAYS // DAYS
    assert ids(body) == [p["post_id"] for p in in_day[10:35]]
    beyond = client.get(f"/api/plays?start={len(in_day)}&from={day}&to={day}").get_json()
    assert beyond["data"] == []


def test_search_runs_over_the_bounded_window(client, web_data):
    body = client.get("/api/plays?search[value]=LOVE&length=100").get_json()
    window = web_data.ordered()[:WINDOW]
    def hit(p):
        hay = " ".join([p.get("text") or "", p.get("title") or "", p.get("album") or "", p["source"],
                        p.get("author") or "", *(p.get("artists") or []), *(p.get("genres") or [])])
        return "love" in hay.casefold()
    expected = [p["post_id"] for p in window if hit(p)]
    assert expected, "the fixture should contain matches"
    assert body["windowed"] is True and body["window"] == WINDOW
    assert body["recordsTotal"] == PLAYS
    assert body["recordsFiltered"] == len(expected)
    assert ids(body) == expected[:100]


def test_sort_by_another_column_within_the_window(client):
    body = client.get("/api/plays?order[0][column]=6&order[0][dir]=desc&length=100&start=0").get_json()
    values = [row["popularity"] for row in body["data"]]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=True) and present
    assert values[:len(present)] == present  # rows without popularity come last
    asc = client.get("/api/plays?order=artists&dir=asc&length=20").get_json()
    names = [", ".join(r["artists"]).casefold() for r in asc["data"]]
    assert names == sorted(names)


@pytest.mark.parametrize("query, message", [
    ("length=0", "length"), ("length=101", "length"), ("length=-1", "length"), ("length=ten", "integer"),
    ("start=-5", "start"), ("draw=x", "draw"),
    ("order[0][column]=99", "order[0][column]"), ("order[0][column]=1&order[0][dir]=sideways", "order[0][dir]"),
    ("order[0][column]=2&columns[2][data]=password", "column 2"), ("order=secret", "order"), ("dir=up", "dir"),
    ("from=2026-02-30", "from"), ("from=27/11/2026", "from"), ("to=2026-11-27T00:00", "to"),
    ("from=2026-11-27&to=2026-11-01", "after"), ("search=" + "x" * 201, "search"),
    ("search[value]=a&search[regex]=true", "regular"),
])
def test_bad_plays_parameters_are_400_with_a_message(client, query, message):
    for path in ("/api/plays", "/api/plays.csv"):
        r = client.get(f"{path}?{query}")
        assert r.status_code == 400, (path, query, r.data[:200])
        assert message in r.get_json()["error"]


@pytest.mark.parametrize("url", [
    "/api/tracks?from=2026-01-01&to=2026-12-31", "/api/tracks?from=nope", "/api/stats/top?kind=albums",
    "/api/stats/top?top=0", "/api/stats/top?top=11", "/api/stats/daily?to=2026-99-01", "/api/runs?limit=0",
    "/api/runs?limit=1000", "/api/runs?limit=1;DROP",
])
def test_bad_parameters_elsewhere_are_400(client, url):
    r = client.get(url)
    assert r.status_code == 400
    assert r.get_json()["error"]


def test_unknown_api_path_is_json_404(client):
    r = client.get("/api/nothing")
    assert r.status_code == 404 and r.get_json() == {"error": "not found"}


def test_stats_counters(client, web_data):
    body = client.get("/api/stats").get_json()
    assert body["plays"] == PLAYS
    assert body["tracks"] == len(web_data.catalog)
    artists = {a for p in web_data.plays if p.get("track_id") for a in p["artists"]}
    assert body["artists"] == len(artists)
    assert body["days"] == DAYS and body["last_day"] == str(LAST_DAY)
    assert body["last_run"]["run_id"] == "run_b" and body["last_run"]["status"] == "failed"


def test_tracks_for_visuals_sum_plays_over_runs(client, web_data):
    body = client.get("/api/tracks").get_json()
    assert body["to"] == str(LAST_DAY) and body["from"] == str(LAST_DAY - dt.timedelta(days=6))
    expected = Counter(p["track_id"] for p in web_data.plays if p.get("track_id"))
    got = {t["track_id"]: t["plays"] for t in body["tracks"]}
    assert got == dict(expected)
    first = body["tracks"][0]
    assert first["plays"] == max(expected.values())
    assert {"danceability", "energy", "tempo", "popularity", "duration_s"} <= set(first)


def test_top_series_and_daily_share(client, web_data):
    top = client.get(f"/api/stats/top?kind=artists&top=3&from={LAST_DAY - dt.timedelta(days=2)}&to={LAST_DAY}")
    body = top.get_json()
    assert body["days"] == [str(LAST_DAY - dt.timedelta(days=i)) for i in (2, 1, 0)]
    totals = Counter(a for p in web_data.plays if p.get("track_id") for a in p["artists"])
    assert [s["total"] for s in body["series"]] == [n for _, n in totals.most_common(3)]
    assert all(sum(s["values"]) == s["total"] for s in body["series"])
    tracks = client.get("/api/stats/top?kind=tracks&top=2").get_json()
    assert len(tracks["series"]) == 2
    daily = client.get(f"/api/stats/daily?from={LAST_DAY}&to={LAST_DAY}").get_json()["days"]
    day_plays = [p for p in web_data.plays if p["played_at"].date() == LAST_DAY]
    resolved = sum(1 for p in day_plays if p.get("track_id"))
    assert daily == [{"day": str(LAST_DAY), "posts": len(day_plays), "resolved": resolved,
                      "share": round(resolved / len(day_plays), 4)}]


def test_runs_newest_first_with_stats(client):
    runs = client.get("/api/runs?limit=5").get_json()["runs"]
    assert [r["run_id"] for r in runs] == ["run_b", "run_a"]
    assert runs[1]["stats"]["skipped"][XSS_TEXT] == 3
    assert runs[1]["match_rate"] == 0.7 and runs[1]["seconds"] == 42.0


def test_csv_export_streams_the_filter_and_neutralises_formulas(client, web_data):
    r = client.get(f"/api/plays.csv?from={LAST_DAY}&to={LAST_DAY}")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    assert r.is_streamed
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert [row["post_id"] for row in rows] == [p["post_id"] for p in web_data.ordered(LAST_DAY, LAST_DAY)]
    texts = {row["text"] for row in rows}
    for formula in FORMULAS:
        assert "'" + formula in texts and formula not in texts
    assert XSS_TEXT in texts  # CSV is not HTML: text stays as written
    titles = {row["title"] for row in rows}
    assert "'" + web_data.catalog[1]["title"] in titles
    loud = [row["loudness"] for row in rows if row["loudness"]]
    assert loud and all(v.startswith("-") for v in loud)  # numbers are left alone
    searched = list(csv.DictReader(io.StringIO(client.get("/api/plays.csv?search=ALERT(1)").get_data(as_text=True))))
    assert [row["text"] for row in searched] == [XSS_TEXT]  # the search filter, across the whole range


def test_artist_with_markup_is_data_not_html(client):
    body = client.get("/api/plays?length=1").get_json()
    assert body["data"][0]["artists"] == [XSS_ARTIST]
