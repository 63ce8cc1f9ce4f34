"""X extraction against the emulator over real HTTP: checkpoints, pagination, ceiling, faults, bad input."""

from __future__ import annotations

import time

import pytest
from nowplaying.errors import ConfigError, NowPlayingError
from nowplaying.sources import extract_source
from nowplaying.sources.fetch import RetryPolicy
from nowplaying.sources.x import XAccessDenied
from nowplaying.store.checkpoints import JsonFileCheckpoints

from .helpers import FAST, X_BASE_ID, ingest_settings, make_tweets, read_jsonl, x_store


def run_x(emu, tmp_path, name="out.jsonl", retry=FAST, state="state.json", **overrides):
    settings = ingest_settings(emu, tmp_path, **overrides)
    checkpoints = JsonFileCheckpoints(tmp_path / state)
    output = tmp_path / name
    summary = extract_source("x", settings, output, checkpoints, retry=retry)
    return summary, read_jsonl(output), checkpoints


def test_two_runs_with_a_checkpoint_read_only_new_posts(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(25))
    first, posts, checkpoints = run_x(emulator, tmp_path, "run1.jsonl")
    assert first.read == first.kept == 25 and len(posts) == 25
    assert checkpoints.get("x", emulator.base_url) == str(X_BASE_ID + 25)

    x_store(emulator).add(*make_tweets(7, first=26))
    second, posts2, checkpoints = run_x(emulator, tmp_path, "run2.jsonl")
    assert second.read == second.kept == 7
    assert sorted(p["id"] for p in posts2) == [str(X_BASE_ID + i) for i in range(26, 33)]
    assert checkpoints.get("x", emulator.base_url) == str(X_BASE_ID + 32)

    third, posts3, _ = run_x(emulator, tmp_path, "run3.jsonl")
    assert third.read == 0 and posts3 == []
    assert (tmp_path / "run3.jsonl").exists()  # an empty window still writes its (empty) file


def test_record_fields_follow_the_contract(emulator, tmp_path):
    tweets, users = make_tweets(1, text="#NowPlaying Simon &amp; Garfunkel - The Boxer &lt;3 &amp;amp;")
    x_store(emulator).add(tweets, users)
    _, posts, _ = run_x(emulator, tmp_path)
    assert posts == [{
        "id": str(X_BASE_ID + 1), "source": "x",
        # X escapes &, < and > in text; one unescape pass restores what the author typed ("&amp;" stays)
        "text": "#NowPlaying Simon & Garfunkel - The Boxer <3 &amp; https://t.co/t1",
        "urls": ["https://open.spotify.com/track/0000000000000000000001"],
        "created_at": "2026-11-27T00:01:00Z", "lang": "en", "author": "user1",
    }]


def test_pagination_across_several_pages(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(250))
    summary, posts, _ = run_x(emulator, tmp_path)
    assert summary.pages == 3 and summary.requests == 3
    assert len({p["id"] for p in posts}) == 250
    assert summary.line().startswith("x: read 250, kept 250, skipped 0, pages 3, requests 3")


def test_cost_ceiling_caps_posts_read(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(300))
    summary, posts, checkpoints = run_x(emulator, tmp_path, x_max_posts_per_run=150)
    # Pages ask for what is left of the ceiling: 100 + 50, never a post more.
    assert summary.read == 150 and len(posts) == 150 and summary.pages == 2
    assert any("X_MAX_POSTS_PER_RUN=150" in s for s in summary.stopped)
    # The newest posts were read; the checkpoint is the newest id, so the next run starts after it.
    assert checkpoints.get("x", emulator.base_url) == str(X_BASE_ID + 300)


def test_ceiling_below_one_page_reads_one_minimal_page(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(140))
    summary, _, _ = run_x(emulator, tmp_path, x_max_posts_per_run=105)
    assert summary.read == 100  # a second page would need >= 10 posts: stop rather than overrun
    tiny, _, _ = run_x(emulator, tmp_path, "tiny.jsonl", state="tiny.json", x_max_posts_per_run=5)
    assert tiny.requests == 1 and tiny.read == 10  # X's smallest page; documented
    zero, posts0, _ = run_x(emulator, tmp_path, "zero.jsonl", state="zero.json", x_max_posts_per_run=0)
    assert zero.requests == 0 and posts0 == []


def test_injected_429_and_503_are_retried_and_nothing_is_lost(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(500))
    emulator.faults.rate, emulator.faults.kinds, emulator.faults.seed = 0.4, ("429", "503"), 1
    emulator.faults.extra["only"] = "x"
    summary, posts, _ = run_x(emulator, tmp_path)
    log = emulator.app.extensions["emulator_faults"]
    assert log.count("429") >= 1 and log.count("503") >= 1
    assert len({p["id"] for p in posts}) == 500 and summary.kept == 500
    assert summary.requests == summary.pages + log.count()
    assert summary.rate_limit_waits == log.count("429") and summary.retries == log.count("503")


def test_429_waits_for_a_near_reset(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(250))
    emulator.faults.extra.update(x_rate_limit=2, x_rate_window=1.5)
    started = time.monotonic()
    summary, posts, _ = run_x(emulator, tmp_path, retry=RetryPolicy(backoff=0.01, max_wait=5))
    assert len(posts) == 250 and summary.pages == 3
    assert summary.rate_limit_waits >= 1 and time.monotonic() - started >= 1.0


def test_far_rate_limit_reset_ends_the_run_cleanly_keeping_what_was_read(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(250))
    emulator.faults.extra.update(x_rate_limit=2, x_rate_window=900)
    summary, posts, checkpoints = run_x(emulator, tmp_path)
    assert summary.pages == 2 and summary.requests == 2 and len(posts) == 200
    assert any("rate limit used up, resets in" in s for s in summary.stopped)
    assert checkpoints.get("x", emulator.base_url) == str(X_BASE_ID + 250)


def test_malformed_pages_are_counted_and_retried(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(220))
    emulator.faults.rate, emulator.faults.kinds, emulator.faults.seed = 0.4, ("malformed",), 1
    summary, posts, _ = run_x(emulator, tmp_path)
    malformed = emulator.app.extensions["emulator_faults"].count("malformed")
    assert malformed >= 1 and summary.malformed_pages == malformed
    assert len(posts) == 220
    assert f"malformed pages {malformed}" in summary.line()


def test_persistent_outage_fails_in_one_line_and_keeps_the_checkpoint(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(10))
    emulator.faults.rate, emulator.faults.kinds = 1.0, ("503",)
    with pytest.raises(NowPlayingError, match=r"x: no page could be read \(HTTP 503 after 4 attempts\)"):
        run_x(emulator, tmp_path)
    assert JsonFileCheckpoints(tmp_path / "state.json").get("x", emulator.base_url) is None
    assert not (tmp_path / "out.jsonl").exists()


def test_slow_answers_time_out_and_are_retried(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(20))
    faults = emulator.faults
    faults.rate, faults.kinds, faults.slow_seconds, faults.seed = 0.5, ("slow",), 1.5, 1
    summary, posts, _ = run_x(emulator, tmp_path, nowplaying_http_timeout=0.5)
    assert len(posts) == 20 and summary.retries >= 1


def test_wrong_or_missing_token_is_one_clear_line(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(5))
    emulator.faults.extra["x_bearer_token"] = "the-right-one"
    with pytest.raises(XAccessDenied, match="HTTP 401.*check X_BEARER_TOKEN"):
        run_x(emulator, tmp_path)
    with pytest.raises(ConfigError, match="X_BEARER_TOKEN is not set"):
        run_x(emulator, tmp_path, x_bearer_token="")


def test_bad_tweets_are_counted_skips_never_a_crash(emulator, tmp_path):
    good, users = make_tweets(3)
    bad = [
        {"id": str(X_BASE_ID + 10), "created_at": "2026-11-27T01:00:00.000Z",  # no text
         "entities": {"hashtags": [{"start": 0, "end": 11, "tag": "NowPlaying"}]}},
        {"id": str(X_BASE_ID + 11), "text": "#NowPlaying no date"},
        {"id": str(X_BASE_ID + 12), "text": "#NowPlaying " + "x" * 10_000, "created_at": "2026-11-27T01:00:00Z"},
        {"id": str(X_BASE_ID + 13), "text": "#NowPlaying lone \ud83d surrogate", "created_at": "2026-11-27T01:00:00Z"},
        {"id": str(X_BASE_ID + 14), "text": "#NowPlaying bad date", "created_at": "yesterday"},
        {"id": str(X_BASE_ID + 15), "text": "#NowPlaying 🎧 <script>alert(1)</script>",
         "created_at": "2026-11-27T01:00:00Z", "entities": {"urls": [{"expanded_url": "javascript:alert(1)"}]}},
    ]
    x_store(emulator).add(good + bad, users)
    summary, posts, _ = run_x(emulator, tmp_path)
    by_id = {p["id"]: p for p in posts}
    assert summary.read == 9 and summary.kept == 5
    assert dict(summary.skipped) == {"missing_text": 1, "missing_created_at": 1, "too_long": 1, "bad_created_at": 1}
    assert by_id[str(X_BASE_ID + 13)]["text"] == "#NowPlaying lone \ufffd surrogate"
    assert by_id[str(X_BASE_ID + 15)]["urls"] == []  # only http(s) link targets
    assert "skipped 4 (bad_created_at=1, missing_created_at=1, missing_text=1, too_long=1)" in summary.line()


def test_duplicate_ids_across_pages_are_kept_once(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(250))
    emulator.faults.extra["x_page_overlap"] = 3  # each next page repeats 3 posts of the previous one
    summary, posts, _ = run_x(emulator, tmp_path)
    assert len(posts) == len({p["id"] for p in posts}) == 250
    assert summary.skipped["duplicate"] > 0 and summary.read == 250 + summary.skipped["duplicate"]


def test_empty_answer_without_data_key(emulator, tmp_path):
    summary, posts, checkpoints = run_x(emulator, tmp_path)
    assert summary.pages == 1 and summary.read == 0 and posts == []
    assert checkpoints.get("x", emulator.base_url) is None


def test_checkpoint_advances_only_after_the_output_is_written(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(12))
    output_dir = tmp_path / "not-a-dir"
    output_dir.write_text("a file where a directory should be")
    settings = ingest_settings(emulator, tmp_path)
    checkpoints = JsonFileCheckpoints(tmp_path / "state.json")
    with pytest.raises(OSError):
        extract_source("x", settings, output_dir / "out.jsonl", checkpoints, retry=FAST)
    assert checkpoints.get("x", emulator.base_url) is None  # the posts were not saved, so they will be read again


def test_invalid_utf8_in_a_page_becomes_a_replacement_character(emulator, tmp_path):
    x_store(emulator).add(*make_tweets(3))
    emulator.faults.rate, emulator.faults.kinds = 1.0, ("bad_utf8",)
    summary, posts, _ = run_x(emulator, tmp_path)
    assert summary.kept == 3 and summary.malformed_pages == 0
    assert posts[0]["text"].startswith("\ufffd#NowPlaying")


def test_checkpoint_belongs_to_the_api_base_url(emulator, tmp_path):
    """A since_id from one server (the emulator) is never sent to another (api.x.com)."""
    x_store(emulator).add(*make_tweets(12))
    first, _, checkpoints = run_x(emulator, tmp_path, "a.jsonl")
    assert first.read == 12 and checkpoints.get("x", emulator.base_url) == str(X_BASE_ID + 12)
    other = emulator.base_url.replace("127.0.0.1", "localhost")  # the same emulator under another name
    again, posts, checkpoints = run_x(emulator, tmp_path, "b.jsonl", x_api_base_url=other)
    assert again.read == 12 and len(posts) == 12
    assert checkpoints.get("x", other) == str(X_BASE_ID + 12)
