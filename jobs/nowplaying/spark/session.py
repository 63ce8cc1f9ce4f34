"""One way to get a SparkSession, configured by spark-submit / SPARK_MASTER, never by this machine.

- Under spark-submit (the driver pod on Kubernetes) the master and every conf come from spark-submit;
  nothing here overrides them.
- Run as a plain process (`nowplaying transform`, `nowplaying run`): SPARK_MASTER, else local[*].
- On a non-local master the executors need the `nowplaying` package: unless they already have it
  (NOWPLAYING_SPARK_SHIP_PACKAGE=0, e.g. baked into the Spark image), a zip of it is built at run time
  and shipped with addPyFile.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

log = logging.getLogger(__name__)


def launched_by_spark_submit() -> bool:
    return "PYSPARK_GATEWAY_PORT" in os.environ


def get_spark(app_name: str = "nowplaying-transform", conf: dict[str, str] | None = None) -> SparkSession:
    """The process's SparkSession (created once; a test's session is reused as is)."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName(app_name)
    master = os.environ.get("SPARK_MASTER")
    if not master and not launched_by_spark_submit():
        master = "local[*]"
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        # Local workers are child processes: run them on this interpreter (it has our dependencies).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        # Everything in one process tree on this host: bind to loopback, not the first public interface.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        log4j = Path(__file__).resolve().parent / "log4j2.properties"
        builder = (builder.config("spark.ui.showConsoleProgress", "false")
                   .config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{log4j}"))
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    if not spark.sparkContext.master.startswith("local") and os.environ.get("NOWPLAYING_SPARK_SHIP_PACKAGE",
                                                                           "1") != "0":
        spark.sparkContext.addPyFile(str(package_zip()))
    return spark


def stop_spark() -> None:
    """Stop this process's SparkSession if one was started (no-op otherwise, pyspark not even imported)."""
    if "pyspark" not in sys.modules:
        return
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()


def package_zip() -> Path:
    """A zip of the `nowplaying` package (source files only) for executors' PYTHONPATH."""
    import nowplaying

    root = Path(nowplaying.__file__).resolve().parent
    target = Path(tempfile.mkdtemp(prefix="nowplaying-pyfiles-")) / "nowplaying.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                archive.write(path, Path("nowplaying") / path.relative_to(root))
    log.info("shipping the nowplaying package to executors", extra={"zip": str(target)})
    return target
