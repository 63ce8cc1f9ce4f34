"""The emulator answers as the real X and Mastodon APIs document (shapes, errors, pagination, headers),
and injects faults deterministically."""

from __future__ import annotations

import httpx
from nowplaying.emulator.app import Faults, start_in_thread

from .helpers import M_BASE_ID, X_BASE_ID, make_statuses, make_tweets, mastodon_store, x_store

AUTH = {"Authorization": "Bearer any-token"}
SEARCH = "/2/tweets/search/recent"


def test_x_auth_and_parameter_errors(emulator):
    with httpx.Client(base_url=emulator.base_url) as http:
        missing = http.get(SEARCH, params={"query": "#NowPlaying"})
        assert missing.status_code == 401
        assert missing.json() == {"title": "Unauthorized", "detail": "Unauthorized", "type": "about:blank",
                                  "status": 401}
        small = http.get(SEARCH, params={"query": "#NowPlaying", "max_results": 5}, headers=AUTH)
        assert small.status_code == 400
        body = small.json()
        assert body["title"] == "Invalid Request" and body["errors"][0]["parameters"] == {"max_results": ["5"]}
        bad_field = http.get(SEARCH, params={"query": "a", "tweet.fields": "nonsense"}, headers=AUTH)
        assert bad_field.status_code == 400


def test_x_pages_meta_fields_and_expansions(emulator):
    x_store(emulator).add(*make_tweets(25))
    with httpx.Client(base_url=emulator.base_url, headers=AUTH) as http:
        plain = http.get(SEARCH, params={"query": "#NowPlaying"}).json()
        assert set(plain["data"][0]) == {"id", "text", "edit_history_tweet_ids"}  # defaults only
        assert "includes" not in plain
        assert plain["meta"]["result_count"] == 10 and plain["meta"]["newest_id"] == str(X_BASE_ID + 25)
        params = {"query": "#NowPlaying -is:retweet", "max_results": 10, "expansions": "author_id",
                  "tweet.fields": "created_at,lang,author_id,entities"}
        seen, token, pages = [], None, 0
        while True:
            response = http.get(SEARCH, params={**params, **({"next_token": token} if token else {})})
            assert {"x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"} <= set(response.headers)
            body = response.json()
            pages += 1
            seen += [t["id"] for t in body["data"]]
            assert {u["id"] for u in body["includes"]["users"]} >= {t["author_id"] for t in body["data"]}
            token = body["meta"].get("next_token")
            if not token:
                break
        assert pages == 3 and len(set(seen)) == 25 and body["meta"]["result_count"] == 5
        newer = http.get(SEARCH, params={**params, "since_id": str(X_BASE_ID + 25)}).json()
        assert newer == {"meta": {"result_count": 0}}  # no data key when nothing matched


def test_x_rate_window_answers_429_with_headers(emulator):
    emulator.faults.extra.update(x_rate_limit=1, x_rate_window=60)
    with httpx.Client(base_url=emulator.base_url, headers=AUTH) as http:
        assert http.get(SEARCH, params={"query": "a"}).headers["x-rate-limit-remaining"] == "0"
        limited = http.get(SEARCH, params={"query": "a"})
        assert limited.status_code == 429 and limited.json()["title"] == "Too Many Requests"
        assert int(limited.headers["x-rate-limit-reset"]) > 1_700_000_000


def test_mastodon_limits_links_and_ids(emulator):
    mastodon_store(emulator).add(make_statuses(100))
    url = "/api/v1/timelines/tag/NowPlaying"  # hashtags match case-insensitively
    with httpx.Client(base_url=emulator.base_url) as http:
        page = http.get(url, params={"limit": 80, "since_id": str(M_BASE_ID + 10)})
        statuses = page.json()
        assert len(statuses) == 40 and statuses[0]["id"] == str(M_BASE_ID + 100)
        assert page.links["next"]["url"].endswith(f"?limit=80&max_id={M_BASE_ID + 61}")  # since_id is not carried
        assert page.links["prev"]["url"].endswith(f"?limit=80&min_id={M_BASE_ID + 100}")
        assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(page.headers)
        after = http.get(url, params={"min_id": str(M_BASE_ID + 10), "limit": 5}).json()
        assert [s["id"] for s in after] == [str(M_BASE_ID + i) for i in range(15, 10, -1)]
        last = http.get(url, params={"max_id": str(M_BASE_ID + 3)})
        assert [s["id"] for s in last.json()] == [str(M_BASE_ID + 2), str(M_BASE_ID + 1)]
        assert "next" not in last.links  # a short page is the last one
        assert http.get("/api/v1/timelines/tag/other").json() == []


def test_faults_are_deterministic_per_seed_and_narrowed_by_only(empty_fixtures):
    def statuses(faults: Faults) -> list[int]:
        emu = start_in_thread(empty_fixtures, faults=faults)
        try:
            with httpx.Client(base_url=emu.base_url, headers=AUTH) as http:
                return [http.get(SEARCH, params={"query": "a"}).status_code for _ in range(12)]
        finally:
            emu.stop()

    first = statuses(Faults(rate=0.5, kinds=("429", "503"), seed=3, retry_after=0))
    assert first == statuses(Faults(rate=0.5, kinds=("429", "503"), seed=3, retry_after=0))
    assert {429, 503} <= set(first) and 200 in first
    assert set(statuses(Faults(rate=1.0, kinds=("503",), extra={"only": "mastodon"}))) == {200}


def test_injected_429_carries_retry_after_and_rate_headers(empty_fixtures):
    emu = start_in_thread(empty_fixtures, faults=Faults(rate=1.0, kinds=("429",), retry_after=7))
    try:
        x = httpx.get(emu.base_url + SEARCH, params={"query": "a"}, headers=AUTH)
        assert x.status_code == 429 and x.headers["retry-after"] == "7"
        assert x.headers["x-rate-limit-remaining"] == "0"
        m = httpx.get(emu.base_url + "/api/v1/timelines/tag/nowplaying")
        assert m.status_code == 429 and m.json() == {"error": "Too many requests"}
        assert m.headers["x-ratelimit-remaining"] == "0" and m.headers["x-ratelimit-reset"].endswith("Z")
    finally:
        emu.stop()
