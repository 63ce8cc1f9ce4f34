"""Checkpoint stores: the JSON state file and the source_checkpoints table (real Cassandra)."""

from __future__ import annotations

import json

import pytest
from nowplaying.errors import ConfigError
from nowplaying.sources import extract_source
from nowplaying.store.checkpoints import CassandraCheckpoints, JsonFileCheckpoints

from .helpers import FAST, M_BASE_ID, X_BASE_ID, ingest_settings, make_statuses, make_tweets, mastodon_store, x_store


def test_json_file_round_trip_and_atomic_rewrite(tmp_path):
    path = tmp_path / "state" / "checkpoints.json"
    store = JsonFileCheckpoints(path)
    assert store.get("x", "") is None
    store.set("x", "", "100")
    store.set("mastodon", "https://a.example", "7")
    store.set("x", "", "200")
    data = json.loads(path.read_text())
    assert data["x"][""]["since_id"] == "200" and data["mastodon"]["https://a.example"]["since_id"] == "7"
    assert JsonFileCheckpoints(path).get("mastodon", "https://a.example") == "7"
    assert [p.name for p in path.parent.iterdir()] == ["checkpoints.json"]  # no temporary files left


def test_corrupt_state_file_is_one_clear_error(tmp_path):
    path = tmp_path / "state.json"
    path.write_text("{half a file")
    with pytest.raises(ConfigError, match="state file .* is not valid JSON"):
        JsonFileCheckpoints(path).get("x", "")


@pytest.mark.cassandra
def test_cassandra_checkpoints_round_trip(cassandra):
    store = CassandraCheckpoints(cassandra)
    assert store.get("x", "") is None
    store.set("x", "", "5")
    store.set("x", "", "9")
    store.set("mastodon", "https://a.example", "3")
    assert store.get("x", "") == "9" and store.get("mastodon", "https://a.example") == "3"
    assert store.all() == {("x", ""): "9", ("mastodon", "https://a.example"): "3"}
    row = cassandra.execute("SELECT updated_at FROM source_checkpoints WHERE source='x' AND instance=''").one()
    assert row.updated_at is not None


@pytest.mark.cassandra
def test_extract_with_cassandra_checkpoints_reads_each_post_once(cassandra, emulator, tmp_path):
    store = CassandraCheckpoints(cassandra)
    for table_source in ("x", "mastodon"):
        cassandra.execute("DELETE FROM source_checkpoints WHERE source = %s", (table_source,))
    settings = ingest_settings(emulator, tmp_path)
    x_store(emulator).add(*make_tweets(30))
    mastodon_store(emulator).add(make_statuses(30))
    seen: list[str] = []
    for run in (1, 2):
        for source in ("x", "mastodon"):
            extract_source(source, settings, tmp_path / f"{source}{run}.jsonl", store, retry=FAST)
            seen += [json.loads(line)["id"] for line in (tmp_path / f"{source}{run}.jsonl").read_text().splitlines()]
        if run == 1:
            x_store(emulator).add(*make_tweets(5, first=31))
            mastodon_store(emulator).add(make_statuses(6, first=31))
    assert len(seen) == len(set(seen)) == 30 + 30 + 5 + 6
    assert store.get("x", emulator.base_url) == str(X_BASE_ID + 35)
    assert store.get("mastodon", emulator.base_url) == str(M_BASE_ID + 36)
