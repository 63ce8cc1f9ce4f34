"""Track ids -> TrackInfo: metadata (tracks, 50 a call), genres (artists, 50 a call), audio features.

Audio features come from a chain of providers, each asked only for what the previous ones lacked:
Spotify /v1/audio-features (100 a call; apps registered after 2024-11-27 get 403, which switches the
provider off for the rest of the run with one warning) -> ReccoBeats (RECCOBEATS_API_BASE_URL, 40 a
call, answers by Spotify id) -> none. Missing features never fail anything: `enrich` never raises.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from nowplaying.config import Settings
from nowplaying.http import ApiError, BudgetExhausted, HttpClient, RequestBudget, error_message
from nowplaying.spotify import FeaturesForbidden, SpotifyClient, chunks

log = logging.getLogger(__name__)

FEATURE_KEYS = ("danceability", "energy", "valence", "tempo", "acousticness", "instrumentalness", "liveness",
                "speechiness", "loudness")
RECCOBEATS_BATCH = 40
_SPOTIFY_TRACK_HREF = re.compile(r"/track/([0-9A-Za-z]{22})")


@dataclass
class TrackInfo:
    track_id: str
    title: str
    artists: list[str]
    artist_ids: list[str]
    album: str | None
    album_id: str | None
    release_date: str | None
    popularity: int | None
    duration_ms: int | None
    explicit: bool | None
    isrc: str | None
    image_url: str | None
    genres: list[str] = field(default_factory=list)
    features: dict[str, float] | None = None
    features_source: str | None = None  # "spotify" | "reccobeats" | None


def pick_features(raw: dict[str, Any] | None) -> dict[str, float] | None:
    """The nine numbers we keep, as floats; None when the object has none of them."""
    if not isinstance(raw, dict):
        return None
    out: dict[str, float] = {}
    for key in FEATURE_KEYS:
        value = raw.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[key] = float(value)
    return out or None


def track_info(track: dict[str, Any]) -> TrackInfo:
    artists = [a for a in track.get("artists") or [] if isinstance(a, dict)]
    album = track.get("album") if isinstance(track.get("album"), dict) else {}
    images = [i for i in album.get("images") or [] if isinstance(i, dict) and i.get("url")]
    return TrackInfo(
        track_id=str(track["id"]),
        title=str(track.get("name") or ""),
        artists=[str(a.get("name") or "") for a in artists],
        artist_ids=[str(a["id"]) for a in artists if a.get("id")],
        album=album.get("name"),
        album_id=album.get("id"),
        release_date=album.get("release_date"),
        popularity=track.get("popularity") if isinstance(track.get("popularity"), int) else None,
        duration_ms=track.get("duration_ms") if isinstance(track.get("duration_ms"), int) else None,
        explicit=track.get("explicit") if isinstance(track.get("explicit"), bool) else None,
        isrc=(track.get("external_ids") or {}).get("isrc"),
        image_url=images[0]["url"] if images else None,
    )


class FeaturesProvider(Protocol):
    name: str
    enabled: bool

    def fetch(self, ids: list[str]) -> dict[str, dict[str, float]]: ...


class SpotifyFeatures:
    name = "spotify"

    def __init__(self, client: SpotifyClient) -> None:
        self.client = client
        self.enabled = True

    def fetch(self, ids: list[str]) -> dict[str, dict[str, float]]:
        try:
            raw = self.client.audio_features(ids)
        except FeaturesForbidden:
            # Expected for apps registered after 2024-11-27: say it once, stop asking.
            self.enabled = False
            log.warning("Spotify audio features answered 403 (app without access); using the fallback "
                        "provider for the rest of the run")
            return {}
        return {i: f for i, r in raw.items() if (f := pick_features(r))}


class ReccoBeatsFeatures:
    name = "reccobeats"

    def __init__(self, base_url: str, http: HttpClient) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http
        self.enabled = bool(self.base_url)

    def fetch(self, ids: list[str]) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for batch in chunks(ids, RECCOBEATS_BATCH):
            response, body = self.http.request("GET", f"{self.base_url}/v1/audio-features",
                                               endpoint="reccobeats_audio_features", params={"ids": ",".join(batch)})
            if response.status_code != 200 or not isinstance(body, dict):
                raise ApiError("reccobeats_audio_features", response.status_code, error_message(response))
            wanted = set(batch)
            for item in body.get("content") or []:
                if not isinstance(item, dict):
                    continue
                # Items carry ReccoBeats' own UUID; the Spotify id is in the href.
                match = _SPOTIFY_TRACK_HREF.search(str(item.get("href") or ""))
                spotify_id = match.group(1) if match else None
                if spotify_id in wanted and (features := pick_features(item)):
                    out[spotify_id] = features
        return out


class Enricher:
    def __init__(self, spotify: SpotifyClient, providers: list[FeaturesProvider],
                 extra_http: list[HttpClient] | None = None) -> None:
        self.spotify = spotify
        self.providers = providers
        self.extra_http = extra_http or []
        self.counts: Counter[str] = Counter()

    @property
    def stats(self) -> dict[str, Any]:
        requests: Counter[str] = Counter(self.spotify.counts)
        for http in self.extra_http:
            requests.update(http.counts)
        return {**dict(self.counts), "requests": dict(requests),
                "providers": {p.name: p.enabled for p in self.providers}}

    def enrich(self, track_ids: Iterable[str]) -> dict[str, TrackInfo]:
        """TrackInfo for every id Spotify knows; whatever fails is logged, counted and left out."""
        ids = [i for i in dict.fromkeys(track_ids) if isinstance(i, str) and i]
        infos: dict[str, TrackInfo] = {}
        if not ids:
            return infos
        try:
            for track_id, track in self.spotify.tracks(ids).items():
                if isinstance(track, dict) and track.get("id"):
                    infos[track_id] = track_info(track)
                else:
                    self.counts["unknown_tracks"] += 1
        except (ApiError, BudgetExhausted) as exc:
            self.counts["errors"] += 1
            log.warning("track metadata unavailable: %s", exc)
            return infos
        self.counts["tracks"] += len(infos)
        self._add_genres(infos)
        self._add_features(infos)
        return infos

    def _add_genres(self, infos: dict[str, TrackInfo]) -> None:
        artist_ids = [a for info in infos.values() for a in info.artist_ids]
        if not artist_ids:
            return
        try:
            artists = self.spotify.artists(artist_ids)
        except (ApiError, BudgetExhausted) as exc:
            self.counts["errors"] += 1
            log.warning("artist genres unavailable: %s", exc)
            return
        for info in infos.values():
            genres: list[str] = []
            for artist_id in info.artist_ids:
                artist = artists.get(artist_id)
                for genre in (artist or {}).get("genres") or []:
                    if isinstance(genre, str) and genre not in genres:
                        genres.append(genre)
            info.genres = genres

    def _add_features(self, infos: dict[str, TrackInfo]) -> None:
        missing = list(infos)
        for provider in self.providers:
            if not missing or not provider.enabled:
                continue
            try:
                found = provider.fetch(missing)
            except (ApiError, BudgetExhausted) as exc:
                self.counts["errors"] += 1
                log.warning("audio features from %s unavailable: %s", provider.name, exc)
                continue
            for track_id, features in found.items():
                if track_id in infos:
                    infos[track_id].features = features
                    infos[track_id].features_source = provider.name
                    self.counts[f"features_{provider.name}"] += 1
            missing = [i for i in missing if infos[i].features is None]
        self.counts["features_missing"] += len(missing)


@contextmanager
def open_enricher(settings: Settings, *, budget: RequestBudget | None = None) -> Iterator[Enricher]:
    """An enricher built from settings alone (Spark partitions call this)."""
    client = SpotifyClient(settings, budget=budget)
    recco_http = HttpClient(timeout=settings.nowplaying_http_timeout)
    providers: list[FeaturesProvider] = [SpotifyFeatures(client),
                                         ReccoBeatsFeatures(settings.reccobeats_api_base_url, recco_http)]
    try:
        yield Enricher(client, providers, [recco_http])
    finally:
        client.close()
        recco_http.close()
