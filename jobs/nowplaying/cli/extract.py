"""`nowplaying extract`: filled in by its issue."""

from __future__ import annotations

import click

from nowplaying.errors import NowPlayingError


@click.command("extract")
def command() -> None:
    """Not implemented yet."""
    raise NowPlayingError("'extract' is not implemented yet")


COMMANDS = [command]
