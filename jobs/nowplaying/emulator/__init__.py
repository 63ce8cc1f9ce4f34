"""A stand-in for the X API v2, Mastodon and Spotify Web API (plus ReccoBeats), over real HTTP.

Tests talk to it on 127.0.0.1, `make up` uses it when no credentials are set, and the chart deploys
it for a demo. Each API is a Flask blueprint in its own module (x.py, mastodon.py, spotify.py,
reccobeats.py); app.py composes them and injects faults.

A fixtures directory holds, each part optional:
    x/tweets.jsonl            X API v2 Tweet objects, one a line (text HTML-escaped as X sends it)
    x/users.jsonl             X API v2 User objects (id, name, username) for expansions=author_id
    mastodon/statuses.jsonl   Mastodon Status entities, content as Mastodon renders it
    spotify/catalog.json      {"tracks": [...], "artists": [...], "audio_features": {id: {...}}}
    labels.json               post id -> {"accept": [track ids], "ambiguous": bool}
DEMO_FIXTURES is the bundled demo set, written by `python -m nowplaying.dev.demo_data`.
"""

from pathlib import Path

DEMO_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "demo"
