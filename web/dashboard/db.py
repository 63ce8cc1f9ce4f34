"""One Cassandra session per worker process, opened lazily on first use (after Gunicorn's fork).

The driver's connections and event loop threads do not survive fork(), so nothing is opened at import
or in the master: `store()` checks the pid and opens a fresh session in whichever process calls it.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from typing import TYPE_CHECKING

from nowplaying.config import Settings

from dashboard import metrics

if TYPE_CHECKING:
    from nowplaying.store.queries import Queries

    from dashboard.insights import Insights
    from dashboard.plays import PlaysService

log = logging.getLogger(__name__)


class Store:
    """Holds the session and the prepared queries of this process."""

    def __init__(self, settings: Settings, *, window: int | None = None) -> None:
        self.settings = settings
        self.window = window
        self._plays: PlaysService | None = None
        self._insights: Insights | None = None
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._queries: Queries | None = None
        self._session = None

    def queries(self) -> Queries:
        pid = os.getpid()
        if self._queries is not None and self._pid == pid:
            return self._queries
        with self._lock:
            if self._queries is None or self._pid != pid:
                from nowplaying.store.queries import Queries
                from nowplaying.store.session import connect

                session = connect(self.settings)
                self._session, self._pid = session, pid
                self._queries = Queries(session, observe=metrics.observe_query)
                self._plays = self._insights = None
                atexit.register(self.close)
                log.info("cassandra session opened", extra={"pid": pid, "keyspace": self.settings.cassandra_keyspace})
        return self._queries

    def plays(self) -> PlaysService:
        queries = self.queries()
        if self._plays is None or self._plays.q is not queries:
            from dashboard.plays import DEFAULT_WINDOW, PlaysService

            self._plays = PlaysService(queries, window=self.window or DEFAULT_WINDOW)
        return self._plays

    def insights(self) -> Insights:
        plays = self.plays()
        if self._insights is None or self._insights.plays is not plays:
            from dashboard.insights import Insights

            self._insights = Insights(plays.q, plays)
        return self._insights

    def close(self) -> None:
        with self._lock:
            if self._session is not None and self._pid == os.getpid():
                from nowplaying.store.session import close

                close(self._session)
            self._session = self._queries = None
            self._pid = None
