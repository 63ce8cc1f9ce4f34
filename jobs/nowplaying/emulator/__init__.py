"""A stand-in for the X API v2, Mastodon and Spotify Web API (plus ReccoBeats), over real HTTP.

Tests talk to it on 127.0.0.1, `make up` uses it when no credentials are set, and the chart deploys
it for a demo. Each API is a Flask blueprint in its own module (x.py, mastodon.py, spotify.py,
reccobeats.py); app.py composes them and injects faults.
"""

from pathlib import Path

DEMO_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "demo"
