"""`nowplaying serve`: filled in by its issue."""

from __future__ import annotations

import click

from nowplaying.errors import NowPlayingError


@click.command("serve")
def command() -> None:
    """Not implemented yet."""
    raise NowPlayingError("'serve' is not implemented yet")


COMMANDS = [command]
