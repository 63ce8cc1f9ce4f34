"""Enrichment over real HTTP: metadata and genres in batches, the audio-features provider chain."""

from __future__ import annotations

import logging

from nowplaying.enrich import FEATURE_KEYS, open_enricher

from .helpers import settings_for

LEVELS = "3SOxfQuVGTOLxJO9cFKOI0"
YELLOW = "N7FQz98C199HOcwZcGn9oS"


def test_403_from_spotify_falls_back_to_reccobeats_with_one_warning(emulator, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="nowplaying.enrich")
    with open_enricher(settings_for(emulator)) as enricher:
        first = enricher.enrich([LEVELS, YELLOW, "0000000000000000000000"])
        second = enricher.enrich([LEVELS])
        stats = enricher.stats
    assert set(first) == {LEVELS, YELLOW}
    info = first[LEVELS]
    assert (info.title, info.artists, info.album, info.release_date) == ("Levels - Radio Edit", ["Avicii"], "Levels",
                                                                       "2011")
    assert info.features_source == "reccobeats" and set(info.features or {}) == set(FEATURE_KEYS)
    assert info.features["danceability"] == 0.857 and second[LEVELS].features_source == "reccobeats"
    warnings = [r for r in caplog.records if "403" in r.getMessage()]
    assert len(warnings) == 1  # once per run, and Spotify is not asked again
    assert stats["requests"]["audio_features"] == 1 and stats["requests"]["reccobeats_audio_features"] == 2
    assert stats["providers"] == {"spotify": False, "reccobeats": True}


def test_grandfathered_apps_get_spotify_features(emulator) -> None:
    emulator.faults.audio_features = True
    with open_enricher(settings_for(emulator)) as enricher:
        info = enricher.enrich([YELLOW])[YELLOW]
        assert info.features_source == "spotify" and enricher.stats["requests"].get("reccobeats_audio_features") is None


def test_no_provider_left_means_no_features_never_a_failure(emulator) -> None:
    settings = settings_for(emulator, reccobeats_api_base_url="http://127.0.0.1:9/reccobeats",
                            nowplaying_http_timeout=0.5)
    with open_enricher(settings) as enricher:
        enricher.providers[1].http.sleep = lambda s: None  # keep the connection retries quick
        info = enricher.enrich([LEVELS])[LEVELS]
        assert info.features is None and info.features_source is None
        assert enricher.stats["features_missing"] == 1 and enricher.stats["errors"] == 1


def test_genres_from_artists_in_batches_of_50(emulator) -> None:
    catalog = emulator.app.extensions["emulator"]["spotify"]
    ids = list(catalog.tracks)[-120:]
    with open_enricher(settings_for(emulator)) as enricher:
        infos = enricher.enrich(ids)
        assert len(infos) == 120 and enricher.stats["requests"]["tracks"] == 3  # 50 + 50 + 20
        artist_ids = {a for i in infos.values() for a in i.artist_ids}
        assert enricher.stats["requests"]["artists"] == -(-len(artist_ids) // 50)
    for track_id, info in infos.items():
        expected = []
        for artist in catalog.tracks[track_id]["artists"]:
            for genre in catalog.artists.get(artist["id"], {}).get("genres", []):
                if genre not in expected:
                    expected.append(genre)
        assert info.genres == expected
    assert any(info.genres for info in infos.values())


def test_outage_returns_what_it_has_and_never_raises(emulator) -> None:
    emulator.faults.extra["spotify_script"] = ["503"] * 12
    with open_enricher(settings_for(emulator)) as enricher:
        enricher.spotify.http.sleep = lambda s: None
        assert enricher.enrich([LEVELS]) == {}
        assert enricher.stats["errors"] == 1
