"""Fixtures for the resolution tests: the emulator over real HTTP, serving the dev catalog."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from nowplaying.config import Settings
from nowplaying.emulator.app import Faults, RunningEmulator, start_in_thread

from .helpers import RESOLUTION, settings_for


@pytest.fixture(scope="session")
def spotify_fixtures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("spotify-fixtures")
    (root / "spotify").mkdir()
    shutil.copy(RESOLUTION / "extra" / "catalog.json", root / "spotify" / "catalog.json")
    return root


@pytest.fixture(scope="session")
def emulator_session(spotify_fixtures: Path) -> Iterator[RunningEmulator]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    running = start_in_thread(spotify_fixtures, faults=Faults())
    yield running
    running.stop()


@pytest.fixture
def emulator(emulator_session: RunningEmulator) -> Iterator[RunningEmulator]:
    """The shared emulator with its faults reset before and after each test."""
    emulator_session.app.config["FAULTS"] = Faults()
    yield emulator_session
    emulator_session.app.config["FAULTS"] = Faults()


@pytest.fixture
def spotify_settings(emulator: RunningEmulator) -> Settings:
    return settings_for(emulator)
