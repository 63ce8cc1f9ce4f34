"""Views, headers, ops endpoints and failure modes through the Flask test client (real Cassandra)."""

from __future__ import annotations

import re

import pytest
from conftest import XSS_TEXT

pytestmark = pytest.mark.cassandra
PAGES = ("/", "/data", "/visuals", "/pipeline")


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_with_strict_headers_and_no_inline_code(client, path):
    r = client.get(path)
    assert r.status_code == 200 and r.mimetype == "text/html"
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert "style-src 'self'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in r.headers["Permissions-Policy"]
    html = r.get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.I), "inline event handler"
    assert not re.search(r"<[a-z][^>]*\sstyle\s*=", html, re.I), "inline style attribute"
    assert "<style" not in html
    assert "//cdn" not in html and "https://" not in html.split("<footer")[0].replace("https://www.w3.org", "")


def test_api_responses_carry_the_headers_too(client):
    r = client.get("/api/plays?length=1")
    assert r.headers["Content-Security-Policy"] and r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.mimetype == "application/json"


def test_pipeline_page_escapes_hostile_run_stats(client):
    html = client.get("/pipeline").get_data(as_text=True)
    assert "run_a" in html and "run_b" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html


def test_data_page_first_paint_does_not_query_plays(client):
    html = client.get("/data").get_data(as_text=True)
    assert 'id="plays"' in html and XSS_TEXT not in html
    assert "500" in html  # the search window bound is stated in the UI


def test_pipeline_links_when_configured(web_data):
    from dashboard import create_app

    settings = web_data.settings.model_copy(update={"nowplaying_airflow_url": "http://airflow.example:8080",
                                                    "nowplaying_spark_history_url": "http://spark.example:18080"})
    html = create_app(settings).test_client().get("/pipeline").get_data(as_text=True)
    assert 'href="http://airflow.example:8080"' in html and 'href="http://spark.example:18080"' in html
    plain = create_app(web_data.settings).test_client().get("/pipeline").get_data(as_text=True)
    assert "airflow.example" not in plain and "NOWPLAYING_AIRFLOW_URL" in plain


def test_health_ready_and_metrics(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["status"] == "ready"
    client.get("/api/stats")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'nowplaying_web_request_duration_seconds_bucket{endpoint="/api/stats"' in text
    assert 'nowplaying_cassandra_query_duration_seconds_count{query="daily_stats"}' in text
    assert re.search(r'nowplaying_rows\{kind="plays"\} 1200', text)


def test_vendor_files_are_an_allow_list(client):
    r = client.get("/vendor/dataTables.min.js")
    assert r.status_code == 200 and "javascript" in r.mimetype and len(r.data) > 10_000
    assert client.get("/vendor/chart.umd.min.js").status_code == 200
    assert client.get("/vendor/package.json").status_code == 404
    assert client.get("/vendor/..%2F..%2Fpackage.json").status_code == 404
    assert client.get("/vendor/jquery/dist/jquery.js").status_code == 404


def test_empty_database_gives_friendly_empty_states(empty_settings):
    from dashboard import create_app

    client = create_app(empty_settings).test_client()
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    assert "No pipeline runs recorded yet" in client.get("/pipeline").get_data(as_text=True)
    plays = client.get("/api/plays?draw=3").get_json()
    assert plays == {**plays, "draw": 3, "recordsTotal": 0, "recordsFiltered": 0, "data": []}
    assert client.get("/api/plays?search=x&order=energy").get_json()["data"] == []
    stats = client.get("/api/stats").get_json()
    assert stats["plays"] == stats["tracks"] == stats["artists"] == 0 and stats["last_run"] is None
    assert client.get("/api/tracks").get_json()["tracks"] == []
    assert client.get("/api/stats/top").get_json()["series"] == []
    assert client.get("/api/stats/daily").get_json()["days"] == []
    assert client.get("/api/runs").get_json() == {"runs": []}
    assert client.get("/api/plays.csv").get_data(as_text=True).startswith("played_at,source")


def test_unreachable_cassandra_is_503_not_500(settings):
    from dashboard import create_app

    down = settings.model_copy(update={"cassandra_port": 1, "cassandra_connect_timeout": 1.0})
    client = create_app(down).test_client()
    assert client.get("/healthz").status_code == 200  # the process is alive
    ready = client.get("/readyz")
    assert ready.status_code == 503 and "not reachable" in ready.get_json()["error"]
    api = client.get("/api/plays")
    assert api.status_code == 503 and "not reachable" in api.get_json()["error"]
    page = client.get("/pipeline")
    assert page.status_code == 503 and "Database unavailable" in page.get_data(as_text=True)
    assert client.get("/data").status_code == 200  # first paint needs no database
