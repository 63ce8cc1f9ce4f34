"""The Spark transform in real local mode, against the API emulator over real HTTP (demo data set)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nowplaying import paths
from nowplaying.emulator import DEMO_FIXTURES
from nowplaying.history import HistoryReader
from nowplaying.sources import extract_source
from nowplaying.spark.transform import NoRawFiles, transform_run
from nowplaying.store.checkpoints import JsonFileCheckpoints

pytestmark = pytest.mark.spark
RUN_ID = "scheduled__2026-11-20T10:00:00+00:00"
HOSTILE = {"id": "hostile-1", "source": "mastodon", "created_at": "2026-11-20T09:59:59Z", "lang": "en",
           "author": "=cmd|' /C calc'!A0", "urls": [],
           "text": "=cmd|' /C calc'!A0 <script>x</script> \"; DROP TABLE plays_by_day; -- \ud800 🎵\r\nline2, comma"}


@pytest.fixture(scope="module")
def raw_run(emu_settings, tmp_path_factory) -> dict[str, int]:
    """This run's raw files, extracted by the real sources from the emulator, plus damaged lines."""
    state = tmp_path_factory.mktemp("state") / "checkpoints.json"
    lines = {}
    for source in ("x", "mastodon"):
        out = paths.raw_path(emu_settings.nowplaying_data_dir, source, RUN_ID)
        summary = extract_source(source, emu_settings, out, JsonFileCheckpoints(state))
        lines[source] = summary.kept
    raw = paths.raw_path(emu_settings.nowplaying_data_dir, "mastodon", RUN_ID)
    first = raw.read_text(encoding="utf-8").splitlines()[0]
    with raw.open("a", encoding="utf-8") as handle:
        handle.write(first + "\n")  # the same post twice
        handle.write("{not json\n")
        handle.write(json.dumps({"source": "mastodon", "text": "no id", "created_at": "2026-11-20T10:00:00Z"}) + "\n")
        handle.write(json.dumps({"id": "9", "source": "myspace", "text": "x", "created_at": "2026-11-20T10:00:00Z"})
                     + "\n")
        handle.write(json.dumps({"id": "8", "source": "x", "text": "x", "created_at": "last tuesday"}) + "\n")
        handle.write("\n")
        handle.write(json.dumps(HOSTILE) + "\n")
    return lines


@pytest.fixture(scope="module")
def cold(spark, emu_settings, raw_run, cassandra):
    """The first transform of the run: an empty resolution cache (Cassandra's), so it searches."""
    result = transform_run(spark, emu_settings, RUN_ID, batch_size=25)
    return result, result.path.read_bytes()


def test_transform_writes_the_runs_csv(cold, raw_run):
    result, _ = cold
    extracted = raw_run["x"] + raw_run["mastodon"]
    assert extracted > 40
    assert result.skipped == {"bad created_at": 1, "duplicate": 1, "invalid json": 1, "missing id": 1,
                              "unknown source": 1}
    assert result.read == extracted + 1 + 4 + 1  # + the duplicate, 4 damaged lines (a blank one is no post), hostile
    assert result.kept == extracted + 1
    rows = list(HistoryReader(result.path))
    assert len(rows) == result.kept
    assert len({(r.source, r.post_id) for r in rows}) == len(rows)
    assert [r.played_at for r in rows] == sorted(r.played_at for r in rows)
    assert {r.run_id for r in rows} == {RUN_ID}

    hostile = next(r for r in rows if r.post_id == "hostile-1")
    assert hostile.text == HOSTILE["text"].replace("\ud800", "\ufffd")
    assert hostile.author == HOSTILE["author"]
    assert "'=cmd|' /C calc'!A0" in result.path.read_text(encoding="utf-8")

    # Resolution went through the real resolver and enricher: claims agree with the demo set's labels.
    labels = json.loads((Path(DEMO_FIXTURES) / "labels.json").read_text(encoding="utf-8"))
    claimed = [r for r in rows if r.track_id and r.post_id in labels and not labels[r.post_id]["ambiguous"]]
    assert result.resolved == sum(1 for r in rows if r.track_id) > len(rows) // 3
    assert len(claimed) > 15
    correct = sum(1 for r in claimed if r.track_id in labels[r.post_id]["accept"])
    assert correct / len(claimed) >= 0.95
    enriched = [r for r in rows if r.track_id and r.album]
    assert len(enriched) == result.resolved
    assert any(r.features_source == "reccobeats" and r.energy is not None for r in enriched)
    assert "search" in {r.method for r in rows}
    assert result.resolver["requests"] and result.enricher


def test_rerun_reads_the_cache_and_writes_the_identical_file(spark, emu_settings, cold, cassandra):
    first, cold_bytes = cold
    searched = sum(1 for r in HistoryReader(first.path) if r.method == "search")
    warm = transform_run(spark, emu_settings, RUN_ID, partitions=3)
    # Same rows, same bytes: a search answered from resolution_cache is still a "search" row.
    assert warm.path.read_bytes() == cold_bytes
    assert warm.resolver["cache_hits"] >= searched > 0
    assert warm.resolver["requests"].get("search", 0) < first.resolver["requests"].get("search", 1)
    assert cassandra.execute("SELECT count(*) FROM resolution_cache").one()[0] > 0

    # Whatever the partitioning or batch size.
    again = transform_run(spark, emu_settings, RUN_ID, partitions=1, batch_size=7)
    assert again.path.read_bytes() == cold_bytes
    assert [p.name for p in again.path.parent.iterdir() if p.name.startswith(".")] == []  # no temp files left


def test_no_raw_files_is_one_clear_error(spark, emu_settings):
    with pytest.raises(NoRawFiles, match="run `nowplaying extract --run-id manual__2030"):
        transform_run(spark, emu_settings, "manual__2030-01-01T00:00:00")
