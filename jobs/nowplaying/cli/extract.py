"""`nowplaying extract --source x|mastodon --output PATH [--state-file PATH] [--run-id R]`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from nowplaying.cli.common import boot
from nowplaying.errors import ConfigError


@click.command("extract")
@click.option("--source", type=click.Choice(["x", "mastodon"]), required=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Raw JSONL to write (atomically). Default with --run-id: the run's raw file.")
@click.option("--state-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Keep checkpoints in this JSON file (offline use) instead of Cassandra.")
@click.option("--run-id", default=None, help="Pipeline run id: names the raw file under NOWPLAYING_DATA_DIR.")
@click.option("--summary-json", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the run summary as JSON here (for run stats).")
def command(source: str, output: Path | None, state_file: Path | None, run_id: str | None,
            summary_json: Path | None) -> None:
    """Read new posts from one source into raw JSONL; the checkpoint advances after the file is written."""
    from nowplaying.fileio import atomic_write
    from nowplaying.paths import raw_path
    from nowplaying.sources import extract_source

    settings = boot()
    if output is None:
        if not run_id:
            raise ConfigError("give --output PATH or --run-id R")
        try:
            output = raw_path(settings.nowplaying_data_dir, source, run_id)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    if state_file is not None:
        from nowplaying.store.checkpoints import JsonFileCheckpoints

        summary = extract_source(source, settings, output, JsonFileCheckpoints(state_file))
    else:
        from nowplaying.store.checkpoints import CassandraCheckpoints
        from nowplaying.store.session import close, connect

        session = connect(settings)
        try:
            summary = extract_source(source, settings, output, CassandraCheckpoints(session))
        finally:
            close(session)
    if summary_json is not None:
        with atomic_write(summary_json) as handle:
            json.dump(summary.as_dict(), handle, indent=2)
    click.echo(summary.line())


COMMANDS = [command]
