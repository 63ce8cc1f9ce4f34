"""The Spotify client over real HTTP against the emulator: token, retries, rate limits, budget, batching."""

from __future__ import annotations

import time

import pytest
from nowplaying.errors import ConfigError
from nowplaying.http import ApiError, BudgetExhausted, HttpClient, RequestBudget
from nowplaying.spotify import SpotifyAuthError, SpotifyClient

from .helpers import settings_for

LEVELS = "3SOxfQuVGTOLxJO9cFKOI0"


class Waits:
    """Records every backoff the client asks for (and really waits, briefly)."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)
        time.sleep(min(seconds, 0.05))


def client_for(emulator, *, budget: int | None = None, timeout: float = 5.0, waits: Waits | None = None,
               **settings: object) -> SpotifyClient:
    s = settings_for(emulator, nowplaying_http_timeout=timeout, **settings)
    http = HttpClient(timeout=timeout, budget=RequestBudget(budget), sleep=waits or Waits(), seed=1)
    return SpotifyClient(s, http=http)


def test_missing_credentials_name_both_variables(emulator) -> None:
    with pytest.raises(ConfigError, match="SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET"):
        SpotifyClient(settings_for(emulator, spotify_client_secret=None))


def test_refused_credentials_are_one_clear_error(emulator) -> None:
    emulator.faults.extra["clients"] = {"test-client": "another-secret"}
    client = client_for(emulator)
    with pytest.raises(SpotifyAuthError, match="Invalid client secret.*SPOTIFY_CLIENT_ID"):
        client.search_tracks("levels")


def test_token_is_cached_and_refreshed_on_401(emulator) -> None:
    client = client_for(emulator)
    client.tracks([LEVELS])
    client.tracks([LEVELS])
    assert client.counts["token"] == 1  # cached
    emulator.faults.extra["token_real_ttl"] = 0.5
    client.token(force=True)
    time.sleep(0.7)  # the server now says "The access token expired"; the client still trusts it
    assert client.tracks([LEVELS])[LEVELS]["name"] == "Levels - Radio Edit"
    assert client.counts["token"] == 3 and client.counts["tracks"] == 4  # one 401, one refresh, one retry


def test_429_honours_retry_after(emulator) -> None:
    waits = Waits()
    client = client_for(emulator, waits=waits)
    emulator.faults.retry_after = 7
    emulator.faults.extra["spotify_script"] = ["429"]
    assert client.search_tracks("avicii levels")[0]["id"] == LEVELS
    assert waits.seconds == [7.0]


def test_5xx_and_malformed_json_are_retried_with_capped_jittered_backoff(emulator) -> None:
    waits = Waits()
    client = client_for(emulator, waits=waits)
    client.token()
    emulator.faults.extra["spotify_script"] = ["503", "500", "malformed"]
    assert client.search_tracks("avicii levels")[0]["id"] == LEVELS
    assert client.counts["search"] == 4 and len(waits.seconds) == 3
    assert all(0 <= w <= client.http.backoff_cap for w in waits.seconds)
    # Exponential caps with full jitter: attempt n waits at most base * 2**n.
    assert all(w <= client.http.backoff_base * 2 ** n for n, w in enumerate(waits.seconds))


def test_slow_answers_time_out_and_are_retried(emulator) -> None:
    client = client_for(emulator, timeout=0.5)
    client.token()
    emulator.faults.slow_seconds = 1.0
    emulator.faults.extra["spotify_script"] = ["slow"]
    assert client.tracks([LEVELS])[LEVELS] is not None
    assert client.http.retries["ReadTimeout"] == 1


def test_persistent_failure_is_an_api_error_not_a_hang(emulator) -> None:
    client = client_for(emulator)
    client.token()
    emulator.faults.extra["spotify_script"] = ["503"] * 5
    with pytest.raises(ApiError, match="HTTP 503"):
        client.search_tracks("levels")
    assert client.counts["search"] == client.http.max_attempts


def test_request_budget_is_a_hard_ceiling(emulator) -> None:
    client = client_for(emulator, budget=3)
    client.search_tracks("levels")  # token + search
    client.search_tracks("yellow")
    with pytest.raises(BudgetExhausted):
        client.search_tracks("fix you")
    assert client.http.budget.used == 3


def test_batches_of_50_and_null_for_unknown_ids(emulator) -> None:
    client = client_for(emulator)
    catalog = emulator.app.extensions["emulator"]["spotify"]
    ids = [*list(catalog.tracks)[:120], "0000000000000000000000"]
    found = client.tracks(ids)
    assert client.counts["tracks"] == 3  # 50 + 50 + 21
    assert found["0000000000000000000000"] is None and all(found[i] for i in ids[:120])


def test_without_multi_get_the_client_falls_back_to_one_id_per_call(emulator) -> None:
    emulator.faults.extra["no_multi_get"] = True
    client = client_for(emulator)
    found = client.tracks([LEVELS, "0000000000000000000000"])
    assert found[LEVELS]["id"] == LEVELS and found["0000000000000000000000"] is None
    assert client.counts["tracks"] == 1 and client.counts["tracks_one"] == 2
    client.tracks(["N7FQz98C199HOcwZcGn9oS"])
    assert client.counts["tracks"] == 1  # remembered for the run


def test_search_limit_shrinks_for_development_mode_apps(emulator) -> None:
    emulator.faults.extra["search_max_limit"] = 10
    client = client_for(emulator)
    client.search_limit = 50
    assert client.search_tracks("love")
    assert client.search_limit == 10
