"""The bundled demo set: what the issue asks of it, and that the committed files are the generator's."""

from __future__ import annotations

import json
from datetime import datetime

from nowplaying.dev.demo_data import generate
from nowplaying.emulator import DEMO_FIXTURES


def load_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_demo_set_size_span_and_labels():
    tweets = load_jsonl(DEMO_FIXTURES / "x" / "tweets.jsonl")
    statuses = load_jsonl(DEMO_FIXTURES / "mastodon" / "statuses.jsonl")
    labels = json.loads((DEMO_FIXTURES / "labels.json").read_text(encoding="utf-8"))
    catalog = json.loads((DEMO_FIXTURES / "spotify" / "catalog.json").read_text(encoding="utf-8"))
    posts = tweets + statuses
    assert len(posts) >= 2000 and len(tweets) >= 500 and len(statuses) >= 500
    moments = [datetime.fromisoformat(p["created_at"].replace("Z", "+00:00")) for p in posts]
    assert (max(moments) - min(moments)).days >= 7
    assert max(moments).date().isoformat() == "2026-11-27"
    assert set(labels) == {p["id"] for p in posts}
    track_ids = {t["id"] for t in catalog["tracks"]}
    accepted = {i for v in labels.values() for i in v["accept"]}
    assert accepted <= track_ids and len(accepted) >= 300
    assert all(len(i) == 22 and i.isalnum() for i in track_ids)
    no_track = sum(1 for v in labels.values() if not v["accept"])
    assert 0.1 < no_track / len(labels) < 0.25  # non-music posts and songs the catalog lacks
    assert len(catalog["audio_features"]) > 0.75 * len(catalog["tracks"])
    assert sum(1 for a in catalog["artists"] if a["genres"]) > 0.9 * len(catalog["artists"]) - 10
    names = [t["name"] for t in catalog["tracks"]]
    for marker in ("Karaoke Version", "Remaster", "Live at", "Tribute to"):
        assert any(marker in n for n in names), marker
    size = sum(p.stat().st_size for p in DEMO_FIXTURES.rglob("*") if p.is_file())
    assert size < 6 * 1024 * 1024


def test_committed_demo_set_is_what_the_generator_writes(tmp_path):
    generate(tmp_path)
    for rel in ("x/tweets.jsonl", "x/users.jsonl", "mastodon/statuses.jsonl", "spotify/catalog.json", "labels.json"):
        assert (tmp_path / rel).read_bytes() == (DEMO_FIXTURES / rel).read_bytes(), rel
