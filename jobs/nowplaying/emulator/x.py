"""Emulated API: x (filled in by its issue)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

blueprint = Blueprint("x", __name__)


def load(fixtures: Path) -> object:
    return None
