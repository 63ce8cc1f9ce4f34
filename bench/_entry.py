"""How a benchmark script runs: `python bench/<name>.py` calls `_entry.run(main)` (not a benchmark itself:
`make bench` runs bench/[!_]*.py)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable


def run(main: Callable[[], object]) -> None:
    """Run a benchmark; a missing prerequisite (Cassandra not running, say) is one line, not a traceback."""
    from nowplaying.errors import NowPlayingError

    logging.getLogger("cassandra").setLevel(logging.CRITICAL)  # its connection tracebacks: reported below
    try:
        main()
    except NowPlayingError as exc:
        sys.exit(f"bench: {exc} (make bench starts a node)")
