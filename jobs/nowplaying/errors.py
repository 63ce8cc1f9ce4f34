"""Errors the CLI turns into one clear line (never a traceback)."""

from __future__ import annotations


class NowPlayingError(Exception):
    """An expected failure: the message is the one line a user sees."""

    exit_code = 1


class ConfigError(NowPlayingError):
    """A setting is missing or malformed; the message names the variable."""

    exit_code = 2


class CassandraUnavailable(NowPlayingError):
    """Cassandra did not answer within the driver's timeout."""

    exit_code = 3


class PortInUse(NowPlayingError):
    """A port we want to listen on is taken by another process."""

    exit_code = 4
