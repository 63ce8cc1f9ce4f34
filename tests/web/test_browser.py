"""What the seed's user did, in headless Chromium against the real `nowplaying serve` (Gunicorn) on
127.0.0.1: search the table, sort a column, hide and show a column, pick bars and a line and watch the
exclusive selectors, change size and order; plus the XSS case. Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import XSS_TEXT, XSS_TITLE

pytestmark = [pytest.mark.browser, pytest.mark.cassandra, pytest.mark.slow]
CHROMIUM = os.environ.get("NOWPLAYING_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(web_data: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "CASSANDRA_HOSTS": ",".join(web_data.settings.cassandra_hosts),
           "CASSANDRA_PORT": str(web_data.settings.cassandra_port),
           "CASSANDRA_KEYSPACE": web_data.settings.cassandra_keyspace,
           "NOWPLAYING_WEB_WORKERS": "1", "NOWPLAYING_WEB_THREADS": "8", "NOWPLAYING_LOG_FORMAT": "text"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log = (tmp_path_factory.mktemp("serve") / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "nowplaying", "serve", "--port", str(port)], cwd=tmp_path_factory.
                            mktemp("cwd"), env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"nowplaying serve did not become ready: {Path(log.name).read_text()[-2000:]}")
        time.sleep(0.3)
    yield base
    proc.terminate()
    assert proc.wait(timeout=30) == 0  # SIGTERM: graceful and clean
    log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: apt-get install chromium (make test installs it)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


class Watch:
    """Dialogs (an XSS firing), CSP violations and page errors seen by a page."""

    def __init__(self, page: Any) -> None:
        self.dialogs: list[str] = []
        self.problems: list[str] = []
        self.offsite: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.problems.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:")) else
                self.offsite.append(r.url))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def clean(self) -> None:
        assert self.dialogs == [], f"a dialog fired: {self.dialogs}"
        assert self.problems == [], f"console errors / CSP violations: {self.problems}"
        assert self.offsite == [], f"requests beyond the app: {self.offsite}"


@pytest.fixture()
def page(browser: Any) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page, Watch(page)
    context.close()


def _until(page: Any, expression: str, timeout: float = 20.0) -> None:
    """Poll a JS expression with page.evaluate (DevTools protocol): wait_for_function would eval() in the
    page, which our CSP (rightly) blocks."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.05)


def _wait_draw(page: Any, previous: int) -> None:
    _until(page, f"!!(window.NP && NP.playsTable && NP.playsTable.ajax.json() && "
                 f"NP.playsTable.ajax.json().draw > {previous})")


def _draw(page: Any) -> int:
    return page.evaluate("NP.playsTable.ajax.json().draw")


def test_home_shows_counters_and_the_flow(server, page, artifacts):
    pg, watch = page
    pg.goto(server + "/")
    _until(pg, "document.getElementById('c-plays').textContent === '1,200'")
    assert pg.locator("#c-match").inner_text() == "20.0 %"  # the last run (run_b) had match_rate 0.2
    assert pg.locator("svg.flow-diagram .pulse").count() == 2
    pg.screenshot(path=str(artifacts / "web-home.png"), full_page=True)
    watch.clean()


def test_data_table_search_sort_and_column_visibility(server, page, artifacts):
    pg, watch = page
    pg.goto(server + "/data")
    _wait_draw(pg, 0)
    rows = pg.locator("#plays tbody tr")
    assert rows.count() == 50
    # XSS: the newest post is hostile; it shows as text and nothing fires.
    first_text = pg.locator("#plays tbody tr").first.locator("td.col-text").inner_text()
    assert first_text == XSS_TEXT
    assert pg.locator("#plays tbody img, #plays tbody script").count() == 0
    assert XSS_TITLE in pg.locator("#plays tbody tr").first.inner_text()
    pg.screenshot(path=str(artifacts / "web-data.png"), full_page=False)

    # Search.
    draw = _draw(pg)
    pg.locator("input[type=search]").fill("onerror")
    _wait_draw(pg, draw)
    texts = pg.locator("#plays tbody td.col-text").all_inner_texts()
    assert texts and all("onerror" in t.lower() or "onerror" in pg.locator("#plays tbody tr").nth(i).inner_text()
                         for i, t in enumerate(texts))
    assert pg.locator(".dt-info").inner_text().startswith("Showing 1 to")
    pg.screenshot(path=str(artifacts / "web-data-search.png"))
    draw = _draw(pg)
    pg.locator("input[type=search]").fill("")
    _wait_draw(pg, draw)

    # Sort by popularity (a server-side sort over the window): twice for descending.
    for expected_reverse in (False, True):
        draw = _draw(pg)
        pg.locator("#plays thead th", has_text="Popularity").click()
        _wait_draw(pg, draw)
        values = [int(v) for v in pg.locator("#plays tbody td.col-popularity").all_inner_texts() if v.strip()]
        assert len(values) > 10 and values == sorted(values, reverse=expected_reverse)

    # Hide and show a column with the Columns (colvis) button.
    assert pg.locator("#plays thead th", has_text="Album").count() == 1
    pg.get_by_role("button", name="Columns").click()
    pg.locator(".dt-button-collection .dt-button", has_text="Album").click()
    assert pg.locator("#plays thead th", has_text="Album").count() == 0
    pg.screenshot(path=str(artifacts / "web-data-colvis.png"))
    pg.locator(".dt-button-collection .dt-button", has_text="Album").click()
    assert pg.locator("#plays thead th", has_text="Album").count() == 1
    pg.keyboard.press("Escape")

    # The export link follows the current filter.
    href = pg.locator("#export").get_attribute("href")
    assert href.startswith("/api/plays.csv") and "order=popularity" in href
    watch.clean()


def _options(pg: Any, selector: str) -> list[str]:
    return pg.eval_on_selector_all(f"{selector} option", "els => els.map(e => e.value)")


def test_visuals_exclusive_selectors_size_and_order(server, page, artifacts):
    pg, watch = page
    pg.goto(server + "/visuals")
    _until(pg, "!!(window.NP && NP.visuals && NP.visuals.state.tracks.length > 0 && NP.visuals.charts.daily)")
    assert pg.locator("#tracks-table tbody tr").count() == 10
    # Bars: add tempo -> it disappears from the line selector.
    assert "tempo" in _options(pg, "#line")
    pg.select_option("#bars", ["energy", "tempo"])
    assert "tempo" not in _options(pg, "#line") and "energy" not in _options(pg, "#line")
    assert "danceability" in _options(pg, "#line")  # deselected from bars -> offered as the line again
    # Line: choose popularity -> it disappears from the bars selector.
    assert "popularity" in _options(pg, "#bars")
    pg.select_option("#line", "popularity")
    assert "popularity" not in _options(pg, "#bars")
    datasets = pg.evaluate("NP.visuals.charts.tracks.data.datasets.map(d => [d.type, d.label])")
    assert datasets == [["bar", "Energy"], ["bar", "Tempo"], ["line", "Popularity"]]
    # Size and order.
    pg.select_option("#size", "5")
    assert pg.locator("#tracks-table tbody tr").count() == 5
    assert pg.evaluate("NP.visuals.charts.tracks.data.labels.length") == 5
    pg.select_option("#order", "popularity:asc")
    values = [int(v) for v in pg.locator("#tracks-table tbody td:nth-child(4)").all_inner_texts()]
    assert values == sorted(values) and len(values) == 5
    pg.select_option("#size", "20")
    pg.select_option("#order", "plays:desc")
    plays = [int(v) for v in pg.locator("#tracks-table tbody td:nth-child(4)").all_inner_texts()]
    assert plays == sorted(plays, reverse=True) and len(plays) == 20
    # The hostile track title is the most played (it is catalog[0]): shown as text in table and labels.
    cells = pg.locator("#tracks-table tbody td.track").all_inner_texts()
    assert XSS_TITLE in cells
    labels = pg.evaluate("NP.visuals.charts.tracks.data.labels")
    assert any(label.startswith('"><img') for label in labels)
    assert pg.locator("main img, main script").count() == 0
    pg.wait_for_timeout(400)  # let the chart animation settle for the screenshot
    pg.screenshot(path=str(artifacts / "web-visuals.png"), full_page=True)
    watch.clean()


def test_pipeline_view_shows_runs_as_text(server, page, artifacts):
    pg, watch = page
    pg.goto(server + "/pipeline")
    assert pg.locator("#runs tbody tr").count() == 2
    pg.locator("#runs details summary").nth(1).click()
    details = pg.locator("#runs details").nth(1).inner_text()
    assert "<script>alert('xss')</script>" in details and "<img src=x onerror=alert(1)>" in details
    assert pg.locator("main img, main script").count() == 0
    pg.screenshot(path=str(artifacts / "web-pipeline.png"), full_page=True)
    watch.clean()
