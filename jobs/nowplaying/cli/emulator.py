"""`nowplaying emulator`: filled in by its issue."""

from __future__ import annotations

import click

from nowplaying.errors import NowPlayingError


@click.command("emulator")
def command() -> None:
    """Not implemented yet."""
    raise NowPlayingError("'emulator' is not implemented yet")


COMMANDS = [command]
