"""`nowplaying serve [--host H] [--port N]`: the dashboard under Gunicorn (the same command in the web image)."""

from __future__ import annotations

import click

from nowplaying.cli.common import boot


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 in a pod).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Worker processes [env NOWPLAYING_WEB_WORKERS, default 2].")
@click.option("--threads", type=click.IntRange(1, 64), default=None,
              help="Threads per worker [env NOWPLAYING_WEB_THREADS, default 4].")
def command(host: str, port: int, workers: int | None, threads: int | None) -> None:
    """Serve the dashboard (Home, Data, Visuals, Pipeline, /api, /healthz, /readyz, /metrics) until Ctrl-C."""
    settings = boot()
    # Imported late: the server sets PROMETHEUS_MULTIPROC_DIR before prometheus_client loads.
    from dashboard import VENDOR_DIR
    from dashboard.server import serve

    if not (VENDOR_DIR / "datatables.net").is_dir():
        click.echo(f"nowplaying: warning: front-end libraries missing in {VENDOR_DIR}: run `npm ci --prefix web`",
                   err=True)

    def factory():
        from dashboard import create_app

        return create_app(settings)

    click.echo(f"nowplaying: dashboard on http://{host}:{port}", err=True)
    serve(host, port, factory=factory, workers=workers, threads=threads)


COMMANDS = [command]
