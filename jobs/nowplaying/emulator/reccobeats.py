"""Emulated ReccoBeats (free audio features, no key), mounted under /reccobeats.

The real API: GET https://api.reccobeats.com/v1/audio-features?ids=<Spotify ids, at most 40> answers
`{"content": [...]}` with one object per track it has analysed (others are simply absent), each with
its own UUID as `id` and the Spotify track link as `href`: callers map results back through `href`.
It reads the same catalog as the Spotify emulator (its audio_features), so the demo has features even
though Spotify answers 403.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from nowplaying.emulator.spotify import Catalog, inject_fault
from nowplaying.emulator.spotify import load as load_catalog

blueprint = Blueprint("reccobeats", __name__, url_prefix="/reccobeats")

MAX_IDS = 40
FEATURE_KEYS = ("acousticness", "danceability", "energy", "instrumentalness", "key", "liveness", "loudness",
                "mode", "speechiness", "tempo", "valence")


def load(fixtures: Path) -> Catalog:
    return load_catalog(fixtures)


def _error(status: int, message: str) -> Response:
    # ReccoBeats answers errors in Spring Boot's shape.
    response = jsonify({"timestamp": "2026-01-01T00:00:00.000+00:00", "status": status,
                        "error": message, "path": request.path})
    response.status_code = status
    return response


@blueprint.before_request
def _faults() -> Response | None:
    return inject_fault("reccobeats", current_app.extensions["emulator"]["reccobeats"].rng)


@blueprint.get("/v1/audio-features")
def audio_features() -> Response:
    raw = request.args.get("ids", "")
    ids = [i.strip() for i in raw.split(",") if i.strip()]
    if not ids:
        return _error(400, "Bad Request")
    if len(ids) > MAX_IDS:
        return _error(400, "Bad Request")
    catalog: Catalog = current_app.extensions["emulator"]["reccobeats"]
    content: list[dict[str, Any]] = []
    for spotify_id in ids:
        features = catalog.features.get(spotify_id)
        if not features:
            continue
        item: dict[str, Any] = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, spotify_id)),
            "href": f"https://open.spotify.com/track/{spotify_id}",
        }
        item.update({k: features[k] for k in FEATURE_KEYS if k in features})
        content.append(item)
    return jsonify({"content": content})
