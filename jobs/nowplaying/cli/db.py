"""`nowplaying db migrate`: create the keyspace and apply pending CQL migrations."""

from __future__ import annotations

import click

from nowplaying.cli.common import boot


@click.group()
def db() -> None:
    """Cassandra schema."""


@db.command()
def migrate() -> None:
    """Create the keyspace (CASSANDRA_REPLICATION) and apply pending migrations; safe to rerun."""
    from nowplaying.store.migrate import migrate as run_migrations
    from nowplaying.store.session import close, connect

    settings = boot()
    session = connect(settings, use_keyspace=False)
    try:
        applied = run_migrations(session, settings)
    finally:
        close(session)
    if applied:
        click.echo(f"applied migrations {', '.join(applied)} to keyspace {settings.cassandra_keyspace}")
    else:
        click.echo(f"keyspace {settings.cassandra_keyspace} is up to date")


COMMANDS = [db]
