"""Front-end libraries from web/node_modules (installed by `npm ci --prefix web` from the lock file),
served by the app itself: an allow-list of files, never a CDN, never a vendored copy in git."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, send_from_directory
from flask.typing import ResponseReturnValue

bp = Blueprint("vendor", __name__, url_prefix="/vendor")

FILES = {
    "jquery.min.js": "jquery/dist/jquery.min.js",
    "dataTables.min.js": "datatables.net/js/dataTables.min.js",
    "dataTables.dataTables.min.js": "datatables.net-dt/js/dataTables.dataTables.min.js",
    "dataTables.dataTables.min.css": "datatables.net-dt/css/dataTables.dataTables.min.css",
    "dataTables.buttons.min.js": "datatables.net-buttons/js/dataTables.buttons.min.js",
    "buttons.colVis.min.js": "datatables.net-buttons/js/buttons.colVis.min.js",
    "buttons.dataTables.min.js": "datatables.net-buttons-dt/js/buttons.dataTables.min.js",
    "buttons.dataTables.min.css": "datatables.net-buttons-dt/css/buttons.dataTables.min.css",
    "chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
}


@bp.get("/<name>")
def asset(name: str) -> ResponseReturnValue:
    relative = FILES.get(name)
    if relative is None:
        abort(404)
    root = current_app.config["VENDOR_DIR"]
    if not (root / relative).is_file():
        current_app.logger.error("front-end library missing: %s (run `npm ci --prefix web`)", relative)
        abort(404)
    return send_from_directory(root, relative, max_age=86400)
