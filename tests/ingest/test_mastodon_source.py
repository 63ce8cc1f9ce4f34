"""Mastodon extraction against the emulator over real HTTP: per-instance checkpoints, Link pagination,
ceiling, faults, HTML, federated duplicates, a failing instance."""

from __future__ import annotations

import pytest
from nowplaying.emulator.app import Faults, start_in_thread
from nowplaying.errors import NowPlayingError
from nowplaying.sources import extract_source
from nowplaying.sources.mastodon import next_link
from nowplaying.store.checkpoints import JsonFileCheckpoints

from .helpers import FAST, M_BASE_ID, ingest_settings, make_statuses, mastodon_store, read_jsonl

SPOTIFY = "https://open.spotify.com/intl-de/track/3n3Ppam7vgaVa1iaRUc9Lp?si=a1b2c3d4e5f60718"
REAL_CONTENT = (
    '<p><a href="https://mastodon.social/tags/NowPlaying" class="mention hashtag" rel="tag">#<span>NowPlaying'
    '</span></a> Simon &amp; Garfunkel – &quot;The Boxer&quot; <a href="' + SPOTIFY + '" target="_blank" '
    'rel="nofollow noopener noreferrer" translate="no"><span class="invisible">https://</span><span class="ellipsis">'
    'open.spotify.com/intl-de/track</span><span class="invisible">/3n3Ppam7vgaVa1iaRUc9Lp?si=a1b2c3d4e5f60718'
    '</span></a><br />thanks <span class="h-card" translate="no"><a href="https://fosstodon.org/@ana" '
    'class="u-url mention">@<span>ana</span></a></span> <a href="https://mastodon.social/tags/Folk" '
    'class="mention hashtag" rel="tag">#<span>Folk</span></a></p><p>it&#39;s 1970 again<script>alert("x")</script>'
    '</p>'
)


def run_m(settings, tmp_path, name="out.jsonl", state="state.json"):
    checkpoints = JsonFileCheckpoints(tmp_path / state)
    summary = extract_source("mastodon", settings, tmp_path / name, checkpoints, retry=FAST)
    return summary, read_jsonl(tmp_path / name), checkpoints


def test_real_mastodon_html_becomes_the_text_a_reader_sees(emulator, tmp_path):
    mastodon_store(emulator).add(make_statuses(1, content=REAL_CONTENT))
    _, posts, _ = run_m(ingest_settings(emulator, tmp_path), tmp_path)
    assert posts == [{
        "id": str(M_BASE_ID + 1), "source": "mastodon",
        "text": f'#NowPlaying Simon & Garfunkel – "The Boxer" {SPOTIFY}\nthanks @ana #Folk\n\nit\'s 1970 again',
        "urls": [SPOTIFY], "created_at": "2026-11-27T00:01:00Z", "lang": "en", "author": "u1",
    }]


def test_two_runs_with_a_checkpoint_read_only_new_posts(emulator, tmp_path):
    settings = ingest_settings(emulator, tmp_path)
    mastodon_store(emulator).add(make_statuses(90))
    first, posts, checkpoints = run_m(settings, tmp_path, "run1.jsonl")
    assert first.read == first.kept == 90 and first.pages == 3  # limit 40: 40 + 40 + 10
    assert checkpoints.get("mastodon", emulator.base_url) == str(M_BASE_ID + 90)

    mastodon_store(emulator).add(make_statuses(45, first=91))
    second, posts2, checkpoints = run_m(settings, tmp_path, "run2.jsonl")
    assert second.read == second.kept == 45
    assert sorted(int(p["id"]) for p in posts2) == list(range(M_BASE_ID + 91, M_BASE_ID + 136))
    assert not {p["id"] for p in posts} & {p["id"] for p in posts2}


def test_pagination_follows_link_next_and_stops_at_the_checkpoint(emulator, tmp_path):
    settings = ingest_settings(emulator, tmp_path)
    mastodon_store(emulator).add(make_statuses(130))
    checkpoints = JsonFileCheckpoints(tmp_path / "state.json")
    checkpoints.set("mastodon", emulator.base_url, str(M_BASE_ID + 50))
    summary = extract_source("mastodon", settings, tmp_path / "out.jsonl", checkpoints, retry=FAST)
    ids = [int(p["id"]) for p in read_jsonl(tmp_path / "out.jsonl")]
    assert sorted(ids) == list(range(M_BASE_ID + 51, M_BASE_ID + 131))
    assert summary.pages == 2 + 1  # 40 + 40, then the empty page that proves the end


def test_ceiling_per_instance(emulator, tmp_path):
    mastodon_store(emulator).add(make_statuses(100))
    summary, posts, checkpoints = run_m(ingest_settings(emulator, tmp_path, mastodon_max_posts_per_run=50),
                                        tmp_path)
    assert summary.read == 50 and len(posts) == 50 and summary.pages == 2  # 40 + 10
    assert any("MASTODON_MAX_POSTS_PER_RUN=50" in s for s in summary.stopped)
    assert checkpoints.get("mastodon", emulator.base_url) == str(M_BASE_ID + 100)


def test_faults_429_503_and_malformed_pages(emulator, tmp_path):
    mastodon_store(emulator).add(make_statuses(200))
    faults = emulator.faults
    faults.rate, faults.kinds, faults.seed = 0.4, ("429", "503", "malformed"), 1
    faults.extra["only"] = "mastodon"
    summary, posts, _ = run_m(ingest_settings(emulator, tmp_path), tmp_path)
    log = emulator.app.extensions["emulator_faults"]
    assert log.count() >= 3 and log.count("503") >= 1  # Mastodon's 503 is an HTML page from its proxy
    assert len({p["id"] for p in posts}) == 200
    assert summary.malformed_pages == log.count("malformed")
    assert summary.requests == summary.pages + log.count()


def test_two_instances_keep_separate_checkpoints_and_federated_copies_once(emulator, empty_fixtures, tmp_path):
    other = start_in_thread(empty_fixtures, faults=Faults(retry_after=0))
    try:
        shared = make_statuses(5, first=1)
        mastodon_store(emulator).add(shared + make_statuses(3, first=10))
        # The same five posts federated to the other instance: other local ids, same ActivityPub uri.
        copies = [dict(s, id=str(int(s["id"]) + 7_000)) for s in shared]
        mastodon_store(other).add(copies + make_statuses(4, first=20, domain="fosstodon.org"))
        settings = ingest_settings(emulator, tmp_path, mastodon_instances=f"{emulator.base_url},{other.base_url}")
        summary, posts, checkpoints = run_m(settings, tmp_path)
        assert summary.kept == 12 and summary.skipped["duplicate"] == 5
        assert checkpoints.get("mastodon", emulator.base_url) == str(M_BASE_ID + 12)
        assert checkpoints.get("mastodon", other.base_url) == str(M_BASE_ID + 7_005)
        assert len(posts) == 12
    finally:
        other.stop()


def test_one_failing_instance_does_not_stop_the_others(emulator, empty_fixtures, tmp_path):
    closed = start_in_thread(empty_fixtures, faults=Faults(extra={"mastodon_require_auth": True}))
    try:
        mastodon_store(emulator).add(make_statuses(3))
        settings = ingest_settings(emulator, tmp_path, mastodon_instances=f"{closed.base_url},{emulator.base_url}")
        summary, posts, _ = run_m(settings, tmp_path)
        assert len(posts) == 3
        assert summary.errors == [f"{closed.base_url} refused the public timeline (HTTP 401: "
                                  "This API requires an authenticated user)"]
        only_closed = ingest_settings(emulator, tmp_path, mastodon_instances=closed.base_url)
        with pytest.raises(NowPlayingError, match="every Mastodon instance failed"):
            run_m(only_closed, tmp_path, "closed.jsonl", "closed.json")
    finally:
        closed.stop()


def test_bad_statuses_are_counted_skips(emulator, tmp_path):
    good = make_statuses(2)
    bad = make_statuses(4, first=3)
    del bad[0]["content"]
    bad[1]["created_at"] = "not a date"
    bad[2]["content"] = "<p>" + "long " * 2_100 + "</p>"
    bad[3]["content"] = "<p>caf\udce9 \ud800 #<span>NowPlaying</span></p>"
    dup = dict(good[0])
    mastodon_store(emulator).add([*good, *bad, dup])
    summary, posts, _ = run_m(ingest_settings(emulator, tmp_path), tmp_path)
    assert summary.read == 7 and summary.kept == 3
    assert dict(summary.skipped) == {"missing_text": 1, "bad_created_at": 1, "too_long": 1, "duplicate": 1}
    assert any(p["text"] == "caf\ufffd \ufffd #NowPlaying" for p in posts)


def test_link_header_parsing():
    header = ('<https://m.example/api/v1/timelines/tag/np?max_id=10>; rel="next", '
              '<https://m.example/api/v1/timelines/tag/np?min_id=20>; rel="prev"')
    assert next_link(header) == "https://m.example/api/v1/timelines/tag/np?max_id=10"
    assert next_link('<https://m.example/x?min_id=1>; rel="prev"') is None
    assert next_link(None) is None and next_link("garbage") is None


def test_link_naming_another_host_is_followed_on_the_configured_instance(emulator, tmp_path):
    mastodon_store(emulator).add(make_statuses(60))
    # The server names itself differently in its links (LOCAL_DOMAIN behind a proxy); the client keeps
    # to the configured instance and never sends a request elsewhere.
    emulator.faults.extra["mastodon_public_url"] = "https://mastodon.invalid"
    summary, posts, _ = run_m(ingest_settings(emulator, tmp_path), tmp_path)
    assert summary.pages == 2 and len(posts) == 60 and not summary.stopped
