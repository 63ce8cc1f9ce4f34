"""What every subcommand does first: settings, then logging with secrets masked."""

from __future__ import annotations

from nowplaying.config import Settings, load_settings
from nowplaying.logs import setup_logging


def boot() -> Settings:
    settings = load_settings()
    setup_logging(settings.nowplaying_log_level, settings.nowplaying_log_format, settings.secret_values())
    return settings
