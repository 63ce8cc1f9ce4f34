"""`nowplaying …`: one command per pod. Each subcommand lives in its own module here and only wires
settings, logging and the library together; nothing imports this package."""

from __future__ import annotations

import sys

import click

from nowplaying.errors import NowPlayingError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="nowplaying")
def cli() -> None:
    """nowplaying: #NowPlaying posts -> Spotify tracks -> Cassandra -> dashboard."""


def _register() -> None:
    from nowplaying.cli import db, dev, emulator, extract, pipeline, resolve, serve

    for module in (db, dev, emulator, extract, pipeline, resolve, serve):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> None:
    """Console entry point: expected failures print one line and exit non-zero, never a traceback."""
    try:
        cli.main(args=argv, prog_name="nowplaying", standalone_mode=False)
    except NowPlayingError as exc:
        click.echo(f"nowplaying: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("nowplaying: interrupted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("nowplaying: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
