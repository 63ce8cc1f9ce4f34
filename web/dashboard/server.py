"""Run the dashboard under Gunicorn from Python (`nowplaying serve`, the web image, the benchmark).

Gunicorn's master forks the workers; each worker builds the Flask app and opens its own Cassandra
session. SIGTERM stops gracefully (graceful_timeout), Ctrl-C quickly; both exit 0.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication
from nowplaying.errors import PortInUse
from nowplaying.ports import port_free

CONF_FILE = Path(__file__).with_name("gunicorn_conf.py")




def prepare_metrics_dir() -> Path:
    """PROMETHEUS_MULTIPROC_DIR for this server: the given one emptied, or a fresh temporary one.
    Must run before prometheus_client is imported (it reads the variable at import)."""
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()
        return path
    path = Path(tempfile.mkdtemp(prefix="nowplaying-metrics-"))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    atexit.register(shutil.rmtree, path, True)
    return path


class DashboardServer(BaseApplication):
    def __init__(self, factory: Callable[[], Any], options: dict[str, Any]) -> None:
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        # The config file first (env-sized workers/threads, hooks), then what the command line said.
        namespace: dict[str, Any] = {"__file__": str(CONF_FILE)}
        exec(compile(CONF_FILE.read_text(), str(CONF_FILE), "exec"), namespace)  # noqa: S102 - our own file
        for key, value in namespace.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)
        for key, value in self.options.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        return self.factory()


def serve(host: str, port: int, *, factory: Callable[[], Any] | None = None, workers: int | None = None,
          threads: int | None = None, accesslog: str | None = None) -> None:
    """Block serving until SIGTERM / Ctrl-C. Raises PortInUse (one line) when the port is taken."""
    if not port_free(host, port):
        raise PortInUse(f"port {port} on {host} is already in use: stop what holds it or use --port")
    prepare_metrics_dir()
    if factory is None:
        from dashboard import create_app

        factory = create_app
    options = {"bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}", "workers": workers,
               "threads": threads, "accesslog": accesslog}
    DashboardServer(factory, options).run()
