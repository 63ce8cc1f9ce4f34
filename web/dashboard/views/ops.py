"""Probes and metrics: /healthz (the process answers), /readyz (Cassandra answers), /metrics."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from dashboard import metrics, store

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    from cassandra import DriverException
    from nowplaying.errors import CassandraUnavailable

    try:
        version = store().queries().ping()
    except (CassandraUnavailable, DriverException, OSError) as exc:
        return jsonify(status="unavailable", error=str(exc)[:300]), 503
    return jsonify(status="ready", cassandra=version), 200


@bp.get("/metrics")
def prometheus() -> Response:
    body, content_type = metrics.render()
    return Response(body, content_type=content_type)
