"""Ingest fixtures: an emulator over real HTTP on a free port, from an empty fixtures directory that
tests fill through the stores (XStore.add / MastodonStore.add)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nowplaying.emulator.app import Faults, RunningEmulator, start_in_thread


@pytest.fixture
def empty_fixtures(tmp_path: Path) -> Path:
    root = tmp_path / "fixtures"
    for sub in ("x", "mastodon"):
        (root / sub).mkdir(parents=True)
    return root


@pytest.fixture
def emulator(empty_fixtures: Path) -> Iterator[RunningEmulator]:
    emu = start_in_thread(empty_fixtures, faults=Faults(retry_after=0))
    yield emu
    emu.stop()
