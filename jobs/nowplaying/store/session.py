"""One way to open a Cassandra session, from the settings."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from nowplaying.config import Settings
from nowplaying.errors import CassandraUnavailable

if TYPE_CHECKING:
    from cassandra.cluster import Cluster, Session

log = logging.getLogger(__name__)

TUPLE_ROWS = "tuple_rows"  # execution profile whose rows are plain tuples in SELECT order


def make_cluster(settings: Settings) -> Cluster:
    from cassandra.auth import PlainTextAuthProvider
    from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
    from cassandra.policies import DCAwareRoundRobinPolicy, TokenAwarePolicy

    auth = None
    if settings.cassandra_username:
        password = settings.cassandra_password.get_secret_value() if settings.cassandra_password else ""
        auth = PlainTextAuthProvider(settings.cassandra_username, password)
    from cassandra.query import tuple_factory

    def profile(**extra: Any) -> ExecutionProfile:
        return ExecutionProfile(
            load_balancing_policy=TokenAwarePolicy(DCAwareRoundRobinPolicy(local_dc=settings.cassandra_local_dc)),
            request_timeout=settings.cassandra_request_timeout, **extra,
        )

    return Cluster(
        contact_points=settings.cassandra_hosts,
        port=settings.cassandra_port,
        auth_provider=auth,
        # Plain tuples skip building a namedtuple class per result: the dashboard's hot reads use them.
        execution_profiles={EXEC_PROFILE_DEFAULT: profile(), TUPLE_ROWS: profile(row_factory=tuple_factory)},
        connect_timeout=settings.cassandra_connect_timeout,
        control_connection_timeout=settings.cassandra_connect_timeout,
        protocol_version=5,
    )


def where(settings: Settings) -> str:
    return f"{','.join(settings.cassandra_hosts)}:{settings.cassandra_port}"


def connect(settings: Settings, *, keyspace: str | None = None, use_keyspace: bool = True) -> Session:
    """Open a session; with use_keyspace, bound to `keyspace` (default: CASSANDRA_KEYSPACE).

    Raises CassandraUnavailable (one line, no traceback) when no host answers within the timeout.
    """
    from cassandra import DriverException
    from cassandra.cluster import NoHostAvailable

    cluster = make_cluster(settings)
    try:
        session = cluster.connect()
        if use_keyspace:
            session.set_keyspace(keyspace or settings.cassandra_keyspace)
    except NoHostAvailable as exc:
        cluster.shutdown()
        reasons = "; ".join(sorted({type(e).__name__ + ": " + str(e)[:120] for e in exc.errors.values()}))
        raise CassandraUnavailable(f"Cassandra not reachable at {where(settings)} ({reasons or 'no host'})") from None
    except DriverException as exc:
        cluster.shutdown()
        raise CassandraUnavailable(f"Cassandra at {where(settings)}: {exc}") from None
    except Exception as exc:
        cluster.shutdown()
        # An unknown keyspace surfaces as InvalidRequest: point at the fix.
        if "Keyspace" in str(exc) and "does not exist" in str(exc):
            raise CassandraUnavailable(
                f"keyspace {keyspace or settings.cassandra_keyspace!r} does not exist: run `nowplaying db migrate`"
            ) from None
        raise
    return session


def close(session: Session) -> None:
    session.cluster.shutdown()
