"""Emulated API: mastodon (filled in by its issue)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

blueprint = Blueprint("mastodon", __name__)


def load(fixtures: Path) -> object:
    return None
