"""Shared fixtures. Tests run against the real Cassandra node `make test` starts (never a mock).

Each test session works in its own keyspace, migrated from scratch and dropped at the end, so tests
never touch the `make up` data and can run beside it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from nowplaying.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def test_keyspace() -> str:
    return f"np_test_{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def settings(test_keyspace: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for tests: the real local Cassandra, a throwaway keyspace and data dir."""
    data_dir = tmp_path_factory.mktemp("data")
    return load_settings(
        cassandra_hosts=os.environ.get("CASSANDRA_HOSTS", "127.0.0.1"),
        cassandra_keyspace=test_keyspace,
        nowplaying_data_dir=data_dir,
        _env_file=None,
    )


@pytest.fixture(scope="session")
def cassandra(settings: Settings) -> Iterator[object]:
    """A session bound to a freshly migrated test keyspace; the keyspace is dropped afterwards."""
    from nowplaying.errors import CassandraUnavailable
    from nowplaying.store.migrate import migrate
    from nowplaying.store.session import close, connect

    try:
        session = connect(settings, use_keyspace=False)
    except CassandraUnavailable as exc:
        pytest.fail(f"{exc}. Run the tests with `make test`, which starts Cassandra.", pytrace=False)
    migrate(session, settings)
    yield session
    session.execute(f"DROP KEYSPACE IF EXISTS {settings.cassandra_keyspace}", timeout=60)
    close(session)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session", autouse=True)
def _shut_down_driver_clusters() -> Iterator[None]:
    """Shut down every Cassandra driver Cluster the tests left open (apps under test keep one per process)
    before the interpreter exits; otherwise the driver's scheduler thread races the executor shutdown and
    prints a traceback after the summary."""
    yield
    from cassandra import cluster

    for open_cluster in list(getattr(cluster, "_clusters_for_shutdown", ())):
        open_cluster.shutdown()
