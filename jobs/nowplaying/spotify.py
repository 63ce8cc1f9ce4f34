"""Spotify Web API client: client-credentials token, search, batched tracks/artists/audio features.

The token is cached until shortly before it expires and fetched again on a 401 (expired or revoked).
Multi-get endpoints are called in batches (50 tracks or artists, 100 audio features). Development-mode
apps lost GET /v1/tracks?ids= and /v1/artists?ids= in 2026 and have a search `limit` of at most 10:
the client falls back to one-id calls and smaller limits instead of failing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpx

from nowplaying.config import Settings
from nowplaying.errors import ConfigError, NowPlayingError
from nowplaying.http import ApiError, HttpClient, RequestBudget, error_message

log = logging.getLogger(__name__)

TRACK_BATCH = 50
ARTIST_BATCH = 50
FEATURES_BATCH = 100


class SpotifyAuthError(NowPlayingError):
    """The accounts service refused the client credentials."""

    exit_code = 2


class FeaturesForbidden(ApiError):
    """403 on /v1/audio-features: this app has no access (registered after 2024-11-27)."""


def chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def require_credentials(settings: Settings) -> tuple[str, str]:
    if not settings.has_spotify_credentials:
        raise ConfigError("SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET are not set (put them in the environment "
                          "or .env; `nowplaying emulator` serves a stand-in API for local runs)")
    assert settings.spotify_client_id and settings.spotify_client_secret
    return settings.spotify_client_id, settings.spotify_client_secret.get_secret_value()


class SpotifyClient:
    def __init__(self, settings: Settings, *, http: HttpClient | None = None,
                 budget: RequestBudget | None = None, search_limit: int = 10) -> None:
        self.client_id, self._secret = require_credentials(settings)
        self.api = settings.spotify_api_base_url
        self.accounts = settings.spotify_accounts_base_url
        self.http = http or HttpClient(timeout=settings.nowplaying_http_timeout,
                                       budget=budget or RequestBudget(settings.spotify_max_requests_per_run))
        self.search_limit = search_limit
        self._token: str | None = None
        self._token_expiry = 0.0
        self._lock = threading.Lock()
        self.batch_tracks = True
        self.batch_artists = True

    def close(self) -> None:
        self.http.close()

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.http.counts)

    # --- auth -------------------------------------------------------------------------------------

    def token(self, *, force: bool = False) -> str:
        with self._lock:
            if force or self._token is None or time.time() > self._token_expiry - 30:
                self._fetch_token()
            assert self._token
            return self._token

    def _fetch_token(self) -> None:
        response, body = self.http.request(
            "POST", f"{self.accounts}/api/token", endpoint="token",
            data={"grant_type": "client_credentials"}, auth=(self.client_id, self._secret))
        if response.status_code in (400, 401):
            raise SpotifyAuthError(f"Spotify refused the client credentials ({error_message(response)}): "
                                   "check SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET")
        if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
            raise ApiError("token", response.status_code, error_message(response))
        self._token = str(body["access_token"])
        self._token_expiry = time.time() + float(body.get("expires_in", 3600))

    def get(self, path: str, *, endpoint: str, params: dict[str, Any] | None = None) -> tuple[httpx.Response, Any]:
        """GET an API path with the bearer token; a 401 fetches a new token and retries once."""
        refreshed = False
        headers = {"Authorization": f"Bearer {self.token()}"}

        def on_status(response: httpx.Response) -> bool:
            nonlocal refreshed
            if response.status_code == 401 and not refreshed:
                refreshed = True
                headers["Authorization"] = f"Bearer {self.token(force=True)}"
                return True
            return False

        return self.http.request("GET", f"{self.api}{path}", endpoint=endpoint, params=params, headers=headers,
                                 on_status=on_status)

    # --- search -----------------------------------------------------------------------------------

    def search_tracks(self, q: str, *, limit: int | None = None, market: str | None = None) -> list[dict[str, Any]]:
        limit = min(limit or self.search_limit, 50)
        while True:
            params: dict[str, Any] = {"q": q, "type": "track", "limit": limit}
            if market:
                params["market"] = market
            response, body = self.get("/v1/search", endpoint="search", params=params)
            if response.status_code == 400 and "limit" in error_message(response).lower() and limit > 5:
                # Development-mode apps accept at most 10 (since 2026-02); remember the smaller limit.
                limit = 10 if limit > 10 else 5
                self.search_limit = limit
                continue
            if response.status_code != 200:
                raise ApiError("search", response.status_code, error_message(response))
            items = ((body or {}).get("tracks") or {}).get("items") or []
            return [t for t in items if isinstance(t, dict) and t.get("id")]

    # --- multi-get --------------------------------------------------------------------------------

    def tracks(self, ids: Iterable[str]) -> dict[str, dict[str, Any] | None]:
        """Track objects by id (None for ids Spotify does not know)."""
        return self._several(list(dict.fromkeys(ids)), "tracks", TRACK_BATCH)

    def artists(self, ids: Iterable[str]) -> dict[str, dict[str, Any] | None]:
        return self._several(list(dict.fromkeys(ids)), "artists", ARTIST_BATCH)

    def _several(self, ids: list[str], kind: str, size: int) -> dict[str, dict[str, Any] | None]:
        out: dict[str, dict[str, Any] | None] = {}
        for batch in chunks(ids, size):
            if getattr(self, f"batch_{kind}"):
                response, body = self.get(f"/v1/{kind}", endpoint=kind, params={"ids": ",".join(batch)})
                if response.status_code == 200 and isinstance(body, dict):
                    for item_id, item in zip(batch, body.get(kind) or [], strict=False):
                        out[item_id] = item if isinstance(item, dict) else None
                    continue
                if response.status_code == 400 and len(batch) == 1:
                    out[batch[0]] = None  # "invalid id": not a track Spotify knows
                    continue
                if response.status_code not in (400, 403, 404):
                    raise ApiError(kind, response.status_code, error_message(response))
                # No multi-get for this app (or one bad id spoils the batch): one id per call from now on.
                if response.status_code in (403, 404):
                    setattr(self, f"batch_{kind}", False)
                    log.warning("GET /v1/%s?ids= is not available to this app (%s); fetching one id per request",
                                kind, response.status_code)
            for item_id in batch:
                out[item_id] = self._one(kind, item_id)
        return out

    def _one(self, kind: str, item_id: str) -> dict[str, Any] | None:
        response, body = self.get(f"/v1/{kind}/{item_id}", endpoint=f"{kind}_one")
        if response.status_code == 200 and isinstance(body, dict):
            return body
        if response.status_code in (400, 404):
            return None
        raise ApiError(kind, response.status_code, error_message(response))

    def audio_features(self, ids: Iterable[str]) -> dict[str, dict[str, Any] | None]:
        """Raises FeaturesForbidden on 403 (the caller turns the provider off for the run)."""
        out: dict[str, dict[str, Any] | None] = {}
        for batch in chunks(list(dict.fromkeys(ids)), FEATURES_BATCH):
            response, body = self.get("/v1/audio-features", endpoint="audio_features",
                                      params={"ids": ",".join(batch)})
            if response.status_code == 403:
                raise FeaturesForbidden("audio_features", 403, error_message(response))
            if response.status_code != 200 or not isinstance(body, dict):
                raise ApiError("audio_features", response.status_code, error_message(response))
            for item_id, item in zip(batch, body.get("audio_features") or [], strict=False):
                out[item_id] = item if isinstance(item, dict) else None
        return out
