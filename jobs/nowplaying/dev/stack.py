"""The local stack behind `make test` and `make up`: Cassandra (ours or one already running) around a
command, and the one-shot pipeline plus dashboard on embedded defaults."""

from __future__ import annotations

import contextlib
import logging
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from nowplaying.config import Settings
from nowplaying.dev.cassandra import DevNode, cql_ready, running_pid, start, stop
from nowplaying.errors import CassandraUnavailable

log = logging.getLogger(__name__)
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@contextmanager
def cassandra_available(settings: Settings, say: callable = print) -> Iterator[None]:  # type: ignore[valid-type]
    """Make sure CQL answers at CASSANDRA_HOSTS; start (and afterwards stop) our dev node only when needed.

    A Cassandra that already answers (Docker, a cluster, a node from another terminal) is used as it is
    and left running.
    """
    node = DevNode.from_env()
    started_here = False
    local = set(settings.cassandra_hosts) <= LOCAL_HOSTS
    if running_pid(node):
        say(f"using the dev Cassandra already running on {node.listen}:{node.cql_port}")
    elif any(cql_ready(host, settings.cassandra_port) for host in settings.cassandra_hosts):
        say(f"using the Cassandra already answering at {','.join(settings.cassandra_hosts)}:{settings.cassandra_port}")
    elif local:
        say(start(node))
        started_here = True
    else:
        raise CassandraUnavailable(
            f"Cassandra not reachable at {','.join(settings.cassandra_hosts)}:{settings.cassandra_port}"
        )
    try:
        yield
    finally:
        if started_here:
            say(stop(node))


def run_command(argv: list[str], env: dict[str, str] | None = None) -> int:
    """Run a child command to completion. On Ctrl-C or SIGTERM the child gets SIGTERM (its graceful stop;
    from a terminal it also saw the SIGINT) and up to 30 s to finish before it is killed."""
    proc = subprocess.Popen(argv, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM (`kill`, `timeout`, a supervisor) like Ctrl-C, so the same clean-up runs."""

    def handler(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
