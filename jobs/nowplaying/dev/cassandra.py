"""A real single-node Apache Cassandra as a local JVM process, for development and tests.

The jars come from Maven Central (see pom.xml) into a cache outside the repo; data and logs live in
a git-ignored folder. start/stop/status are idempotent and leave no orphan JVM.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import string
import subprocess
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from nowplaying.errors import NowPlayingError, PortInUse
from nowplaying.ports import port_free

log = logging.getLogger(__name__)

CASSANDRA_VERSION = "5.0.6"
HEAP = "1g"
_EXPORTS = [
    "java.base/jdk.internal.misc", "java.base/jdk.internal.ref", "java.base/sun.nio.ch",
    "java.management.rmi/com.sun.jmx.remote.internal.rmi", "java.rmi/sun.rmi.registry",
    "java.rmi/sun.rmi.server", "java.sql/java.sql", "java.base/java.lang.ref", "jdk.unsupported/sun.misc",
]
_OPENS = [
    "java.base/java.lang.module", "java.base/jdk.internal.loader", "java.base/jdk.internal.ref",
    "java.base/jdk.internal.reflect", "java.base/jdk.internal.math", "java.base/jdk.internal.module",
    "java.base/jdk.internal.util.jar", "jdk.management/com.sun.management.internal", "java.base/sun.nio.ch",
    "java.base/java.io", "java.base/java.nio", "java.base/java.util.concurrent", "java.base/java.util",
    "java.base/java.util.concurrent.atomic", "java.base/java.lang", "java.base/java.math",
    "java.base/java.lang.reflect", "java.base/java.net",
]


@dataclass(frozen=True)
class DevNode:
    """Where the dev node keeps things and which ports it uses."""

    home: Path  # git-ignored: conf/, data/, logs/, pid
    cache: Path  # outside the repo: the resolved jars
    listen: str = "127.0.0.1"
    cql_port: int = 9042
    storage_port: int = 7000
    jmx_port: int = 7199

    @classmethod
    def from_env(cls) -> DevNode:
        home = Path(os.environ.get("NOWPLAYING_DEV_HOME", ".dev")).resolve() / "cassandra"
        cache = Path(os.environ.get("NOWPLAYING_CACHE_DIR", Path.home() / ".cache" / "nowplaying"))
        return cls(
            home=home,
            cache=cache.resolve() / f"cassandra-{CASSANDRA_VERSION}",
            cql_port=int(os.environ.get("CASSANDRA_PORT", "9042")),
            storage_port=int(os.environ.get("NOWPLAYING_DEV_CASSANDRA_STORAGE_PORT", "7000")),
            jmx_port=int(os.environ.get("NOWPLAYING_DEV_CASSANDRA_JMX_PORT", "7199")),
        )

    @property
    def pidfile(self) -> Path:
        return self.home / "cassandra.pid"

    @property
    def logdir(self) -> Path:
        return self.home / "logs"

    @property
    def libdir(self) -> Path:
        return self.cache / "lib"


def _port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False




def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0); read its state.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        return state != "Z"
    except OSError:
        return True


def _is_our_jvm(pid: int, node: DevNode) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    return "CassandraDaemon" in cmdline and str(node.home) in cmdline


def running_pid(node: DevNode) -> int | None:
    try:
        pid = int(node.pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) and _is_our_jvm(pid, node) else None


def ensure_jars(node: DevNode) -> Path:
    """Resolve cassandra-all and its runtime dependencies with Maven, once."""
    marker = node.libdir / ".complete"
    if marker.exists():
        return node.libdir
    mvn = shutil.which("mvn")
    if not mvn:
        raise NowPlayingError("Maven (mvn) is needed once to fetch Cassandra's jars from Maven Central")
    node.cache.mkdir(parents=True, exist_ok=True)
    pom = node.cache / "pom.xml"
    pom.write_text(resources.files("nowplaying.dev").joinpath("pom.xml").read_text())
    tmp = node.cache / "lib.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    log.info("fetching Cassandra jars from Maven Central (once)", extra={"version": CASSANDRA_VERSION})
    result = subprocess.run(
        [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies", f"-DoutputDirectory={tmp}",
         "-DincludeScope=runtime"],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-5:]
        raise NowPlayingError("Maven could not resolve cassandra-all: " + " | ".join(tail))
    shutil.rmtree(node.libdir, ignore_errors=True)
    tmp.rename(node.libdir)
    marker.touch()
    return node.libdir


def write_config(node: DevNode) -> Path:
    conf = node.home / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    node.logdir.mkdir(parents=True, exist_ok=True)
    template = string.Template(resources.files("nowplaying.dev").joinpath("cassandra.yaml.tmpl").read_text())
    (conf / "cassandra.yaml").write_text(template.substitute(
        data=node.home / "data", listen=node.listen, cql_port=node.cql_port, storage_port=node.storage_port,
    ))
    (conf / "logback.xml").write_text(resources.files("nowplaying.dev").joinpath("logback.xml").read_text())
    return conf


def java_command(node: DevNode, conf: Path, libdir: Path) -> list[str]:
    java = str(Path(os.environ["JAVA_HOME"]) / "bin" / "java") if os.environ.get("JAVA_HOME") else "java"
    cmd = [java, f"-Xms{HEAP}", f"-Xmx{HEAP}", "-XX:+UseG1GC", "-Xss512k", "-XX:+CrashOnOutOfMemoryError",
           "-Djdk.attach.allowAttachSelf=true"]
    for module in _EXPORTS:
        cmd += ["--add-exports", f"{module}=ALL-UNNAMED"]
    for module in _OPENS:
        cmd += ["--add-opens", f"{module}=ALL-UNNAMED"]
    cmd += [
        f"-Dcassandra.config=file://{conf / 'cassandra.yaml'}",
        f"-Dlogback.configurationFile={conf / 'logback.xml'}",
        f"-Dcassandra.logdir={node.logdir}",
        f"-Dcassandra.storagedir={node.home / 'data'}",
        f"-Dcassandra.jmx.local.port={node.jmx_port}",
        # A single seed node: nothing to wait for in gossip.
        "-Dcassandra.skip_wait_for_gossip_to_settle=0",
        "-Dcassandra.ring_delay_ms=100",
        "-Dcassandra-foreground=yes",
        "-cp", f"{conf}:{libdir}/*",
        "org.apache.cassandra.service.CassandraDaemon",
    ]
    return cmd


def cql_ready(host: str, port: int) -> str | None:
    """The server's release_version once CQL answers a query, else None."""
    if not _port_open(host, port):
        return None
    from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
    from cassandra.policies import RoundRobinPolicy

    profile = ExecutionProfile(load_balancing_policy=RoundRobinPolicy(), request_timeout=5)
    cluster = Cluster([host], port=port, connect_timeout=3, control_connection_timeout=3, protocol_version=5,
                      execution_profiles={EXEC_PROFILE_DEFAULT: profile})
    try:
        session = cluster.connect()
        row = session.execute("SELECT release_version FROM system.local", timeout=5).one()
        return str(row.release_version)
    except Exception:
        return None
    finally:
        cluster.shutdown()


def start(node: DevNode, timeout: float = 180.0) -> str:
    """Start the node if it is not running and return once CQL answers. Returns a status line."""
    pid = running_pid(node)
    if pid:
        version = _wait_ready(node, pid, timeout)
        return f"Cassandra {version} already running (pid {pid}) on {node.listen}:{node.cql_port}"
    for name, port in (("CQL", node.cql_port), ("storage", node.storage_port), ("JMX", node.jmx_port)):
        if not port_free(node.listen, port):
            raise PortInUse(
                f"port {port} ({name}) on {node.listen} is already in use by another process: stop it, or point "
                "CASSANDRA_HOSTS/CASSANDRA_PORT at a Cassandra that is already running"
            )
    libdir = ensure_jars(node)
    conf = write_config(node)
    started = time.monotonic()
    out = open(node.logdir / "stdout.log", "ab")  # noqa: SIM115 - handed to the child
    proc = subprocess.Popen(
        java_command(node, conf, libdir), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True, cwd=node.home,
    )
    out.close()
    node.pidfile.write_text(str(proc.pid))
    try:
        version = _wait_ready(node, proc.pid, timeout)
    except BaseException:
        # Interrupted or failed: leave no orphan JVM behind.
        _terminate(proc.pid)
        node.pidfile.unlink(missing_ok=True)
        raise
    seconds = time.monotonic() - started
    return f"Cassandra {version} started (pid {proc.pid}) on {node.listen}:{node.cql_port} in {seconds:.1f} s"


def _wait_ready(node: DevNode, pid: int, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            raise NowPlayingError(f"Cassandra exited during start-up; last log lines: {_log_tail(node)}")
        version = cql_ready(node.listen, node.cql_port)
        if version:
            return version
        time.sleep(0.5)
    raise NowPlayingError(f"Cassandra did not answer CQL within {timeout:.0f} s; see {node.logdir}/system.log")


def _log_tail(node: DevNode, lines: int = 5) -> str:
    for name in ("stdout.log", "system.log"):
        path = node.logdir / name
        if path.exists():
            tail = path.read_text(errors="replace").strip().splitlines()[-lines:]
            if tail:
                return " | ".join(tail)
    return "(no log)"


def _terminate(pid: int, grace: float = 30.0) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            waited, _ = os.waitpid(pid, os.WNOHANG)
            if waited == pid:
                return
        except ChildProcessError:
            pass
        if not _alive(pid):
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def stop(node: DevNode) -> str:
    pid = running_pid(node)
    if not pid:
        node.pidfile.unlink(missing_ok=True)
        return "Cassandra is not running"
    _terminate(pid)
    node.pidfile.unlink(missing_ok=True)
    return f"Cassandra stopped (pid {pid})"


def status(node: DevNode) -> tuple[bool, str]:
    pid = running_pid(node)
    if not pid:
        return False, "Cassandra is not running"
    version = cql_ready(node.listen, node.cql_port)
    state = f"answering CQL, version {version}" if version else "starting (CQL not answering yet)"
    return True, f"Cassandra running (pid {pid}) on {node.listen}:{node.cql_port}, {state}; data in {node.home}"
