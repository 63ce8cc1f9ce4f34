"""The nowplaying dashboard: Home, Data, Visuals and Pipeline views, a JSON API and ops endpoints.

`create_app(settings)` builds the Flask app; Gunicorn (dashboard.server, `nowplaying serve`) runs it.
Cassandra is opened lazily in each worker process (dashboard.db) and read only through
nowplaying.store.queries.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, g, jsonify, render_template, request
from nowplaying.config import Settings, load_settings
from nowplaying.errors import CassandraUnavailable

from dashboard.params import ApiError

if TYPE_CHECKING:
    from dashboard.db import Store

log = logging.getLogger(__name__)
PACKAGE_DIR = Path(__file__).resolve().parent
# npm installs the front-end libraries beside the package in a checkout; an image puts them elsewhere and
# says where with NOWPLAYING_WEB_ASSETS_DIR.
VENDOR_DIR = Path(os.environ.get("NOWPLAYING_WEB_ASSETS_DIR") or PACKAGE_DIR.parent / "node_modules")


def create_app(settings: Settings | None = None, *, window: int | None = None,
               vendor_dir: Path | None = None) -> Flask:
    """The app. `window` bounds the Data view's search/sort window (default 5,000 newest plays)."""
    # Imported here, not at module level: `dashboard.server` must set PROMETHEUS_MULTIPROC_DIR before
    # prometheus_client is first imported.
    from dashboard import security
    from dashboard.db import Store

    settings = settings or load_settings()
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.update(
        NOWPLAYING_SETTINGS=settings,
        VENDOR_DIR=Path(vendor_dir or VENDOR_DIR),
        JSON_SORT_KEYS=False,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["nowplaying_store"] = Store(settings, window=window)
    # Jinja autoescapes .html templates by default; say so explicitly so nobody turns it off by accident.
    app.jinja_env.autoescape = True
    # Nested run stats as readable JSON text; autoescape then escapes it like any other string.
    app.jinja_env.filters["plain"] = lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v

    from dashboard.views import api, ops, pages, vendor

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(ops.bp)
    app.register_blueprint(vendor.bp)
    security.install(app)
    _install_errors(app)
    _install_timing(app)

    @app.context_processor
    def _links() -> dict[str, Any]:
        return {"airflow_url": settings.nowplaying_airflow_url or None,
                "spark_history_url": settings.nowplaying_spark_history_url or None}

    return app


def store() -> Store:
    from flask import current_app

    return current_app.extensions["nowplaying_store"]


def _wants_json() -> bool:
    return request.path.startswith(("/api/", "/readyz", "/healthz"))


def _install_errors(app: Flask) -> None:
    from cassandra import DriverException

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> tuple[Response, int]:
        return jsonify(error=exc.message), exc.status

    def _unavailable(message: str) -> tuple[Any, int]:
        if _wants_json():
            return jsonify(error=message), 503
        return render_template("error.html", title="Database unavailable", message=message), 503

    @app.errorhandler(CassandraUnavailable)
    def _cassandra_down(exc: CassandraUnavailable) -> tuple[Any, int]:
        log.warning("cassandra unavailable", extra={"error": str(exc)})
        return _unavailable(str(exc))

    @app.errorhandler(DriverException)
    def _driver_error(exc: DriverException) -> tuple[Any, int]:
        log.warning("cassandra query failed", extra={"error": f"{type(exc).__name__}: {str(exc)[:200]}"})
        return _unavailable(f"Cassandra query failed ({type(exc).__name__}); try again shortly")

    @app.errorhandler(404)
    def _not_found(_exc: Exception) -> tuple[Any, int]:
        if _wants_json():
            return jsonify(error="not found"), 404
        return render_template("error.html", title="Not found", message="There is no page at this address."), 404

    @app.errorhandler(405)
    def _method(_exc: Exception) -> tuple[Any, int]:
        return jsonify(error="method not allowed"), 405

    @app.errorhandler(500)
    def _internal(_exc: Exception) -> tuple[Any, int]:
        if _wants_json():
            return jsonify(error="internal error"), 500
        return render_template("error.html", title="Something went wrong", message="The error was logged."), 500


def _install_timing(app: Flask) -> None:
    from dashboard import metrics

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.get("started")
        if started is not None:
            endpoint = request.url_rule.rule if request.url_rule else "unmatched"
            metrics.REQUEST_SECONDS.labels(request.method, endpoint, str(response.status_code)).observe(
                time.perf_counter() - started)
        return response
