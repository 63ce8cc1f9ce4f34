"""`nowplaying transform|load|run`: filled in by the pipeline issue."""

from __future__ import annotations

import click

from nowplaying.errors import NowPlayingError


@click.command()
def transform() -> None:
    """Not implemented yet."""
    raise NowPlayingError("'transform' is not implemented yet")


@click.command()
def load() -> None:
    """Not implemented yet."""
    raise NowPlayingError("'load' is not implemented yet")


@click.command()
def run() -> None:
    """Not implemented yet."""
    raise NowPlayingError("'run' is not implemented yet")


COMMANDS = [transform, load, run]
