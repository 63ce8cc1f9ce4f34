"""Resolution quality on the labelled sets stays at its targets (a correctness figure, not a timing).

Runs the same scorer as bench/resolve.py, against the emulator over HTTP.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "resolve.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_resolve", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_resolve"] = module
    spec.loader.exec_module(module)
    return module


HELD_OUT = Path(__file__).resolve().parents[1] / "fixtures" / "resolution"


# The held-out sets' analysis halves were studied, so they guard against regressions like the sets we built;
# their blind halves stay out of the tests (sixth, studied whole, is in too). "strict": an engine that wants
# every word, with the limits of a development-mode app.
@pytest.mark.parametrize(("name", "strict"), [
    ("dev", False), ("extra", False), ("robust", False),
    (str(HELD_OUT / "fresh" / "analysis"), False), (str(HELD_OUT / "fresh" / "analysis"), True),
    (str(HELD_OUT / "independent" / "analysis"), False), (str(HELD_OUT / "independent" / "analysis"), True),
    (str(HELD_OUT / "third" / "analysis"), False), (str(HELD_OUT / "fifth" / "analysis"), False),
    (str(HELD_OUT / "sixth"), False),
])
def test_targets_hold_on_the_labelled_sets(bench, name: str, strict: bool) -> None:
    labelled = bench.load_set(name)
    score = bench.evaluate(labelled, "ours", bench.STRICT if strict else None)
    assert score.precision >= 0.98, score.errors
    assert score.recall >= 0.95, score.errors
    assert score.left_alone == score.nomusic, score.errors
    assert score.searches_per_post <= 1.0
    assert score.ambiguous_reported == score.ambiguous


def test_the_seed_method_is_measurably_worse_on_no_music_posts(bench) -> None:
    labelled = bench.load_set("dev")
    seed = bench.evaluate(labelled, "seed")
    assert seed.left_alone < seed.nomusic  # it claims tracks for TV, games, spam
