"""`nowplaying resolve`: filled in by its issue."""

from __future__ import annotations

import click

from nowplaying.errors import NowPlayingError


@click.command("resolve")
def command() -> None:
    """Not implemented yet."""
    raise NowPlayingError("'resolve' is not implemented yet")


COMMANDS = [command]
