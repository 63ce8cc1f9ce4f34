"""Pipeline fixtures: one real Spark local[2] session per test session, the API emulator on the demo set."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest
from nowplaying.config import Settings


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from nowplaying.spark.session import get_spark

    os.environ["SPARK_MASTER"] = "local[2]"
    session = get_spark("nowplaying-tests", conf={
        "spark.ui.enabled": "false",  # no UI port clashes between test runs
        "spark.sql.shuffle.partitions": "2",
        "spark.driver.memory": "512m",
    })
    yield session
    session.stop()
    os.environ.pop("SPARK_MASTER", None)


@pytest.fixture(scope="session")
def emulator() -> Iterator[object]:
    from nowplaying.emulator import DEMO_FIXTURES
    from nowplaying.emulator.app import Faults, start_in_thread

    emu = start_in_thread(DEMO_FIXTURES, faults=Faults(retry_after=0))
    yield emu
    emu.stop()


def emulator_env(base_url: str) -> dict[str, str]:
    """The variables `make up` sets in demo mode (dev/up.py), pointing every API at the emulator."""
    from nowplaying.dev.up import demo_environment

    return demo_environment(int(base_url.rsplit(":", 1)[1]))


@pytest.fixture(scope="session")
def emu_settings(settings: Settings, emulator) -> Settings:
    """The test settings (throwaway keyspace and data dir) with every API on the emulator."""
    update = {k.lower(): v for k, v in emulator_env(emulator.base_url).items()}
    update["mastodon_instances"] = [update["mastodon_instances"]]
    update["x_max_posts_per_run"] = 30
    update["mastodon_max_posts_per_run"] = 40
    from nowplaying.config import load_settings

    return load_settings(**{**settings.model_dump(), **update}, _env_file=None)
