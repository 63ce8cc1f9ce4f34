"""Versioned CQL migrations, applied in order and recorded in schema_migrations.

Files are migrations/NNNN_name.cql; statements are separated by ';' at the end of a line. Every
statement must be idempotent (IF NOT EXISTS), so a migration that died half-way is completed by a
rerun; it is recorded only after all its statements succeeded. ALTER TABLE ... ADD of a column that
already exists is treated as applied for the same reason.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import TYPE_CHECKING

from nowplaying.config import Settings
from nowplaying.errors import ConfigError

if TYPE_CHECKING:
    from cassandra.cluster import Session

log = logging.getLogger(__name__)
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.cql$")
_IDENT = re.compile(r"^[a-zA-Z][a-zA-Z0-9_]{0,47}$")


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    statements: list[str]
    checksum: str


def split_statements(cql: str) -> list[str]:
    body = "\n".join(line for line in cql.splitlines() if not line.strip().startswith("--"))
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", body) if s.strip()]


def load_migrations() -> list[Migration]:
    found = []
    for entry in resources.files("nowplaying.store").joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if not match:
            continue
        text = entry.read_text(encoding="utf-8")
        found.append(Migration(match.group(1), match.group(2), split_statements(text),
                               hashlib.sha256(text.encode()).hexdigest()[:16]))
    return sorted(found, key=lambda m: m.version)


def replication_cql(spec: str) -> str:
    """'SimpleStrategy:1' or 'NetworkTopologyStrategy:dc1=3,dc2=2' -> a CQL replication map."""
    strategy, _, rest = spec.partition(":")
    if strategy == "SimpleStrategy" and rest.isdigit():
        return f"{{'class': 'SimpleStrategy', 'replication_factor': {int(rest)}}}"
    if strategy == "NetworkTopologyStrategy" and rest:
        parts = []
        for item in rest.split(","):
            dc, _, factor = item.partition("=")
            if not re.match(r"^[\w.-]+$", dc.strip()) or not factor.isdigit():
                break
            parts.append(f"'{dc.strip()}': {int(factor)}")
        else:
            return "{'class': 'NetworkTopologyStrategy', " + ", ".join(parts) + "}"
    raise ConfigError(
        f"CASSANDRA_REPLICATION={spec!r}: expected 'SimpleStrategy:N' or 'NetworkTopologyStrategy:dc=N,...'"
    )


def migrate(session: Session, settings: Settings, keyspace: str | None = None) -> list[str]:
    """Create the keyspace if needed and apply pending migrations. Returns the versions applied now."""
    from cassandra import InvalidRequest

    ks = keyspace or settings.cassandra_keyspace
    if not _IDENT.match(ks):
        raise ConfigError(f"CASSANDRA_KEYSPACE={ks!r}: letters, digits and _ only, starting with a letter")
    session.execute(
        f"CREATE KEYSPACE IF NOT EXISTS {ks} WITH replication = {replication_cql(settings.cassandra_replication)}"
    )
    session.set_keyspace(ks)
    session.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version text PRIMARY KEY, name text, checksum text, applied_at timestamp)"
    )
    applied = {row.version: row.checksum for row in session.execute("SELECT version, checksum FROM schema_migrations")}
    done_now = []
    for migration in load_migrations():
        if migration.version in applied:
            if applied[migration.version] != migration.checksum:
                # Applied migrations are history: a change belongs in a new file, or it never reaches this keyspace.
                log.warning("migration changed after it was applied; add a new migration instead",
                            extra={"version": migration.version, "migration": migration.name})
            continue
        log.info("applying migration", extra={"version": migration.version, "migration": migration.name})
        for statement in migration.statements:
            try:
                session.execute(statement, timeout=60)
            except InvalidRequest as exc:
                if "already exist" in str(exc) or "conflicts with an existing column" in str(exc):
                    continue
                raise
        # IF NOT EXISTS: two migrators racing (two pods) record the version once.
        session.execute(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (%s, %s, %s, %s)"
            " IF NOT EXISTS",
            (migration.version, migration.name, migration.checksum, datetime.now(UTC)),
        )
        done_now.append(migration.version)
    return done_now
