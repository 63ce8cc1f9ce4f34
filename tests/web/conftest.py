"""Web fixtures: a keyspace of our own (other suites write plays into the shared test keyspace), seeded
through tests/web/seeding.py with the tables the pipeline's loader writes, including hostile text."""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import seeding

XSS_TEXT = "<script>alert('xss')</script> \"><img src=x onerror=alert(1)> #NowPlaying"
XSS_TITLE = '"><img src=x onerror=alert(2)>'
XSS_ARTIST = "<script>alert(\"artist\")</script>"
FORMULAS = ('=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)")
LAST_DAY = dt.date(2026, 11, 27)
DAYS = 3
PLAYS = 1200
WINDOW = 500


@dataclass
class WebData:
    settings: Any
    session: Any
    plays: list[dict[str, Any]] = field(default_factory=list)
    catalog: list[dict[str, Any]] = field(default_factory=list)
    run_ids: list[str] = field(default_factory=list)

    def ordered(self, day_from: dt.date | None = None, day_to: dt.date | None = None) -> list[dict[str, Any]]:
        """Plays newest first in Cassandra's clustering order (played_at DESC, source, post_id)."""
        rows = [p for p in self.plays if (day_from is None or p["played_at"].date() >= day_from)
                and (day_to is None or p["played_at"].date() <= day_to)]
        rows.sort(key=lambda p: (p["source"], p["post_id"]))
        rows.sort(key=lambda p: p["played_at"], reverse=True)
        return rows


def _keyspace_session(settings: Any, keyspace: str) -> tuple[Any, Any]:
    from nowplaying.store.migrate import migrate
    from nowplaying.store.session import connect

    ks_settings = settings.model_copy(update={"cassandra_keyspace": keyspace})
    session = connect(ks_settings, use_keyspace=False)
    migrate(session, ks_settings)
    return ks_settings, session


@pytest.fixture(scope="session")
def web_data(cassandra: Any, settings: Any) -> Iterator[WebData]:
    """A migrated keyspace for the web tests with PLAYS plays over DAYS days, hostile rows included."""
    from nowplaying.store.session import close

    ks_settings, session = _keyspace_session(settings, f"np_web_{uuid.uuid4().hex[:10]}")
    catalog = seeding.make_catalog(40)
    catalog[0]["title"] = XSS_TITLE
    catalog[0]["artists"] = [XSS_ARTIST]
    catalog[1]["title"] = FORMULAS[0]
    seeding.write_tracks(session, catalog)
    plays = list(seeding.make_plays(PLAYS, catalog, last_day=LAST_DAY, days=DAYS))
    # Posts of the same second share played_at: pairs throughout, and one run of 90 that spans page
    # boundaries deep inside a day, so exact paging must handle ties in both orders.
    for i in range(0, PLAYS - 1, 7):
        if plays[i + 1]["played_at"].date() == plays[i]["played_at"].date():
            plays[i + 1]["played_at"] = plays[i]["played_at"]
    for i in range(501, 590):
        plays[i]["played_at"] = plays[500]["played_at"]
    # The newest plays carry the hostile text, so they are on the first page and in every window.
    plays[-1].update(text=XSS_TEXT, track_id=catalog[0]["track_id"], title=XSS_TITLE, artists=[XSS_ARTIST])
    for i, formula in enumerate(FORMULAS):
        plays[-2 - i]["text"] = formula
    seeding.write_plays(session, plays, "run_a")
    stats = {"read": 1300, "kept": PLAYS, "resolved": 840, "match_rate": 0.7, "cache_hit_rate": 0.25,
             "skipped": {XSS_TEXT: 3, "lang": 97}, "requests": {"spotify_search": 400}}
    seeding.write_run(session, "run_a", dt.datetime(2026, 11, 27, 21, 30, tzinfo=dt.UTC), stats=stats)
    seeding.write_run(session, "run_b", dt.datetime(2026, 11, 27, 22, 0, tzinfo=dt.UTC), status="failed",
                      stats={"read": 5, "match_rate": 0.2})
    for p in plays:
        p["run_id"] = "run_a"
    data = WebData(ks_settings, session, plays, catalog, ["run_b", "run_a"])
    yield data
    session.execute(f"DROP KEYSPACE IF EXISTS {ks_settings.cassandra_keyspace}", timeout=60)
    close(session)


@pytest.fixture(scope="session")
def app(web_data: WebData) -> Any:
    from dashboard import create_app

    return create_app(web_data.settings, window=WINDOW)


@pytest.fixture()
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture(scope="session")
def empty_settings(cassandra: Any, settings: Any) -> Iterator[Any]:
    """A migrated keyspace with no data at all."""
    from nowplaying.store.session import close

    ks_settings, session = _keyspace_session(settings, f"np_web_empty_{uuid.uuid4().hex[:8]}")
    yield ks_settings
    session.execute(f"DROP KEYSPACE IF EXISTS {ks_settings.cassandra_keyspace}", timeout=60)
    close(session)
