"""The Spotify and ReccoBeats emulators answer in the real services' shapes (raw HTTP, no client)."""

from __future__ import annotations

import httpx
import pytest

SHAPE = {"href", "items", "limit", "next", "offset", "previous", "total"}


@pytest.fixture
def token(emulator) -> str:
    response = httpx.post(f"{emulator.base_url}/api/token", data={"grant_type": "client_credentials"},
                          auth=("id", "secret"))
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    return body["access_token"]


def get(emulator, path: str, token: str, **params: object) -> httpx.Response:
    return httpx.get(f"{emulator.base_url}{path}", params=params, headers={"Authorization": f"Bearer {token}"})


def test_token_errors_look_like_the_accounts_service(emulator) -> None:
    base = emulator.base_url
    missing = httpx.post(f"{base}/api/token", data={}, auth=("id", "secret"))
    assert missing.status_code == 400 and missing.json()["error"] == "unsupported_grant_type"
    emulator.faults.extra["clients"] = {"id": "right"}
    wrong = httpx.post(f"{base}/api/token", data={"grant_type": "client_credentials"}, auth=("id", "wrong"))
    assert wrong.status_code == 400 and wrong.json() == {"error": "invalid_client",
                                                          "error_description": "Invalid client secret"}


def test_web_api_requires_a_valid_token(emulator) -> None:
    none = httpx.get(f"{emulator.base_url}/v1/tracks/3SOxfQuVGTOLxJO9cFKOI0")
    assert none.status_code == 401 and none.json() == {"error": {"status": 401, "message": "No token provided"}}
    bad = get(emulator, "/v1/tracks/3SOxfQuVGTOLxJO9cFKOI0", "nope")
    assert bad.status_code == 401 and bad.json()["error"]["message"] == "Invalid access token"


def test_search_paging_object_and_field_filters(emulator, token) -> None:
    page = get(emulator, "/v1/search", token, q='track:"Levels" artist:Avicii', type="track", limit=5).json()
    tracks = page["tracks"]
    assert set(tracks) == SHAPE
    assert [t["name"] for t in tracks["items"]] == ["Levels - Radio Edit"]
    assert tracks["next"] is None and tracks["previous"] is None and tracks["total"] == 1
    # Free text: accents, case and partial words do not matter; the original outranks its karaoke.
    loose = get(emulator, "/v1/search", token, q="mana MARIPOSA traicion", type="track", limit=2).json()
    assert loose["tracks"]["items"][0]["artists"][0]["name"] == "Maná"
    # Paging: next/previous links, offset honoured.
    first = get(emulator, "/v1/search", token, q="love", type="track", limit=2).json()["tracks"]
    assert first["total"] > 2 and "offset=2" in first["next"]
    second = get(emulator, "/v1/search", token, q="love", type="track", limit=2, offset=2).json()["tracks"]
    assert second["previous"] and {t["id"] for t in second["items"]}.isdisjoint({t["id"] for t in first["items"]})
    years = get(emulator, "/v1/search", token, q="levels year:2010-2012", type="track").json()["tracks"]
    assert years["items"] and all(t["album"]["release_date"].startswith("2011") for t in years["items"])


def test_search_parameter_errors(emulator, token) -> None:
    assert get(emulator, "/v1/search", token, type="track").json()["error"]["message"] == "No search query"
    assert get(emulator, "/v1/search", token, q="x").json()["error"]["message"] == "Missing parameter type"
    assert get(emulator, "/v1/search", token, q="x", type="track", limit=51).status_code == 400
    emulator.faults.extra["search_max_limit"] = 10  # development-mode apps since 2026-02
    assert get(emulator, "/v1/search", token, q="x", type="track", limit=11).json()["error"]["message"] == \
        "Invalid limit"


def test_several_tracks_artists_and_unknown_ids(emulator, token) -> None:
    ids = ["3SOxfQuVGTOLxJO9cFKOI0", "0000000000000000000000"]
    tracks = get(emulator, "/v1/tracks", token, ids=",".join(ids)).json()["tracks"]
    assert tracks[0]["id"] == ids[0] and tracks[1] is None
    assert get(emulator, "/v1/tracks", token, ids=",".join(["3SOxfQuVGTOLxJO9cFKOI0"] * 51)).status_code == 400
    missing = get(emulator, "/v1/tracks/0000000000000000000000", token)
    assert missing.status_code == 404 and missing.json() == {"error": {"status": 404, "message": "Resource not found"}}
    artist_id = tracks[0]["artists"][0]["id"]
    artists = get(emulator, "/v1/artists", token, ids=artist_id).json()["artists"]
    assert artists[0]["id"] == artist_id and isinstance(artists[0]["genres"], list)


def test_audio_features_403_by_default_200_when_granted(emulator, token) -> None:
    denied = get(emulator, "/v1/audio-features", token, ids="3SOxfQuVGTOLxJO9cFKOI0")
    assert denied.status_code == 403 and denied.json()["error"]["status"] == 403
    emulator.faults.audio_features = True
    granted = get(emulator, "/v1/audio-features", token, ids="3SOxfQuVGTOLxJO9cFKOI0,0000000000000000000000").json()
    assert granted["audio_features"][0]["danceability"] == 0.857 and granted["audio_features"][1] is None
    assert get(emulator, "/v1/audio-features", token, ids=",".join(["3SOxfQuVGTOLxJO9cFKOI0"] * 101)).status_code == 400


def test_reccobeats_answers_by_spotify_id_with_href(emulator) -> None:
    body = httpx.get(f"{emulator.base_url}/reccobeats/v1/audio-features",
                     params={"ids": "3SOxfQuVGTOLxJO9cFKOI0,0000000000000000000000"}).json()
    assert len(body["content"]) == 1
    item = body["content"][0]
    assert item["href"] == "https://open.spotify.com/track/3SOxfQuVGTOLxJO9cFKOI0"
    assert item["id"] != "3SOxfQuVGTOLxJO9cFKOI0" and item["energy"] == 0.781


def test_scripted_faults_429_with_retry_after(emulator, token) -> None:
    emulator.faults.retry_after = 3
    emulator.faults.extra["spotify_script"] = ["429", "503"]
    limited = get(emulator, "/v1/tracks/3SOxfQuVGTOLxJO9cFKOI0", token)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "3"
    assert get(emulator, "/v1/tracks/3SOxfQuVGTOLxJO9cFKOI0", token).status_code == 503
    assert get(emulator, "/v1/tracks/3SOxfQuVGTOLxJO9cFKOI0", token).status_code == 200
