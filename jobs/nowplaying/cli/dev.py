"""`nowplaying dev …`: development-only helpers (a local Cassandra node, `make up`)."""

from __future__ import annotations

import sys

import click

from nowplaying.cli.common import boot


@click.group()
def dev() -> None:
    """Development helpers: a local Cassandra node and the local stack."""


@dev.group()
def cassandra() -> None:
    """A real single-node Cassandra as a local JVM (jars from Maven Central)."""


@cassandra.command("start")
@click.option("--timeout", default=180.0, show_default=True, help="Seconds to wait for CQL.")
def cassandra_start(timeout: float) -> None:
    """Start the node (if not running) and return once CQL answers."""
    from nowplaying.dev.cassandra import DevNode, start

    boot()
    click.echo(start(DevNode.from_env(), timeout=timeout))


@cassandra.command("stop")
def cassandra_stop() -> None:
    """Stop the node started by `start` (no-op when not running)."""
    from nowplaying.dev.cassandra import DevNode, stop

    boot()
    click.echo(stop(DevNode.from_env()))


@cassandra.command("status")
def cassandra_status() -> None:
    """Print the node's state; exit 0 when running, 3 when not (LSB)."""
    from nowplaying.dev.cassandra import DevNode, status

    boot()
    running, line = status(DevNode.from_env())
    click.echo(line)
    sys.exit(0 if running else 3)



@dev.command("with-cassandra", context_settings={"ignore_unknown_options": True})
@click.argument("argv", nargs=-1, type=click.UNPROCESSED, required=True)
def with_cassandra(argv: tuple[str, ...]) -> None:
    """Run ARGV with Cassandra available; stop the node afterwards if this command started it."""
    from nowplaying.dev.stack import cassandra_available, run_command, sigterm_as_interrupt

    settings = boot()
    with sigterm_as_interrupt(), cassandra_available(settings, say=lambda line: click.echo(line, err=True)):
        code = run_command(list(argv))
    sys.exit(code)


@dev.command("up")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def up(host: str, port: int) -> None:
    """`make up`: Cassandra, schema, one pipeline run (demo data without credentials), then the dashboard
    until Ctrl-C; stops what it started."""
    from nowplaying.dev.stack import sigterm_as_interrupt
    from nowplaying.dev.up import run_stack

    settings = boot()
    with sigterm_as_interrupt():
        code = run_stack(settings, host=host, port=port, say=lambda line: click.echo(line, err=True))
    sys.exit(code)


COMMANDS = [dev]
