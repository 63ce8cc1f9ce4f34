"""The schema and a real Cassandra round trip."""

from __future__ import annotations

import datetime as dt

import pytest
from nowplaying.errors import CassandraUnavailable, ConfigError
from nowplaying.store.migrate import load_migrations, migrate, replication_cql, split_statements
from nowplaying.store.session import close, connect


def test_migrate_twice_records_each_version_once(cassandra, settings):
    assert migrate(cassandra, settings) == []  # the fixture migrated already: nothing pending
    rows = list(cassandra.execute("SELECT version FROM schema_migrations"))
    versions = [r.version for r in rows]
    assert sorted(versions) == [m.version for m in load_migrations()]
    assert len(versions) == len(set(versions))


def test_half_applied_migration_is_completed_by_rerun(cassandra, settings):
    # Simulate a migrator that died after some statements: drop one table and the version record.
    first = load_migrations()[0]
    cassandra.execute("DROP TABLE IF EXISTS resolution_cache", timeout=60)
    cassandra.execute("DELETE FROM schema_migrations WHERE version = %s", (first.version,))
    assert migrate(cassandra, settings) == [first.version]
    tables = {r.table_name for r in cassandra.execute(
        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = %s", (settings.cassandra_keyspace,))}
    assert "resolution_cache" in tables
    assert migrate(cassandra, settings) == []


def test_write_and_read_back_a_row(cassandra):
    # A day no other test writes, and the row is removed again: the session keyspace is shared.
    day = dt.date(1999, 12, 31)
    played = dt.datetime(1999, 12, 31, 23, 59, tzinfo=dt.UTC)
    cassandra.execute(
        "INSERT INTO plays_by_day (day, played_at, source, post_id, text, artists) VALUES (%s, %s, %s, %s, %s, %s)",
        (day, played, "mastodon", "1", "Robert'); DROP TABLE plays_by_day;--", ["Avicii"]),
    )
    row = cassandra.execute(
        "SELECT text, artists FROM plays_by_day WHERE day = %s AND played_at = %s AND source = %s AND post_id = %s",
        (day, played, "mastodon", "1"),
    ).one()
    cassandra.execute("DELETE FROM plays_by_day WHERE day = %s", (day,))
    assert row.text == "Robert'); DROP TABLE plays_by_day;--"
    assert row.artists == ["Avicii"]


def test_unreachable_cassandra_is_one_clear_error(settings):
    bad = settings.model_copy(update={"cassandra_port": 1, "cassandra_connect_timeout": 2.0})
    with pytest.raises(CassandraUnavailable, match=r"not reachable at 127\.0\.0\.1:1"):
        close(connect(bad))


@pytest.mark.parametrize(("spec", "expected"), [
    ("SimpleStrategy:1", "{'class': 'SimpleStrategy', 'replication_factor': 1}"),
    ("NetworkTopologyStrategy:dc1=3,eu-west=2",
     "{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'eu-west': 2}"),
])
def test_replication_spec(spec, expected):
    assert replication_cql(spec) == expected


@pytest.mark.parametrize("spec", ["", "SimpleStrategy:x", "NetworkTopologyStrategy:dc1", "Evil:1}; DROP"])
def test_bad_replication_spec_names_the_variable(spec):
    with pytest.raises(ConfigError, match="CASSANDRA_REPLICATION"):
        replication_cql(spec)


def test_statement_splitter_ignores_comments():
    cql = "-- a; comment\nCREATE TABLE a (x int PRIMARY KEY);\n\nCREATE TABLE b (y int PRIMARY KEY);"
    assert split_statements(cql) == ["CREATE TABLE a (x int PRIMARY KEY)", "CREATE TABLE b (y int PRIMARY KEY)"]
