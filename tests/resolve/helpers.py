"""Shared helpers for the resolution tests."""

from __future__ import annotations

from pathlib import Path

from nowplaying.config import Settings, load_settings
from nowplaying.emulator.app import RunningEmulator

RESOLUTION = Path(__file__).resolve().parent.parent / "fixtures" / "resolution"


def settings_for(emulator: RunningEmulator, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "spotify_api_base_url": emulator.base_url,
        "spotify_accounts_base_url": emulator.base_url,
        "reccobeats_api_base_url": f"{emulator.base_url}/reccobeats",
        "spotify_client_id": "test-client",
        "spotify_client_secret": "test-secret",
        "nowplaying_http_timeout": 5.0,
    }
    values.update(overrides)
    return load_settings(_env_file=None, **values)
