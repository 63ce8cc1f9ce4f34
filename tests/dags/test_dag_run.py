"""Airflow itself runs the DAG end to end (`airflow dags test`, local mode): extract from both sources on the
API emulator, transform with Spark local mode, load into a fresh Cassandra keyspace. The Kubernetes mode
runs the very same commands in pods (test_dag.py checks the pods Airflow builds)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

DAGS = Path(__file__).resolve().parents[2] / "dags"
LOGICAL_DATE = "2026-11-28T00:00:00+00:00"

pytestmark = [pytest.mark.cassandra, pytest.mark.spark, pytest.mark.slow]


def run(args: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def test_airflow_runs_the_dag_end_to_end(cassandra, settings, tmp_path):
    from nowplaying.dev.up import demo_environment
    from nowplaying.emulator import DEMO_FIXTURES
    from nowplaying.emulator.app import Faults, start_in_thread

    keyspace = f"np_dag_{uuid.uuid4().hex[:8]}"
    emu = start_in_thread(DEMO_FIXTURES, faults=Faults(retry_after=0))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOWPLAYING_", "KUBERNETES_", "AIRFLOW_"))}
    env.update(demo_environment(int(emu.base_url.rsplit(":", 1)[1])))
    env.update(
        # The Bash tasks run `nowplaying` from this environment's bin directory.
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        AIRFLOW_HOME=str(tmp_path / "airflow-home"), AIRFLOW__CORE__DAGS_FOLDER=str(DAGS),
        AIRFLOW__CORE__LOAD_EXAMPLES="False", NOWPLAYING_DAG_MODE="local", NOWPLAYING_LOG_FORMAT="json",
        CASSANDRA_KEYSPACE=keyspace, NOWPLAYING_DATA_DIR=str(tmp_path / "data"),
    )
    try:
        for step in (["-m", "nowplaying", "db", "migrate"], ["-m", "airflow", "db", "migrate"]):
            done = run([sys.executable, *step], env, 300)
            assert done.returncode == 0, done.stderr[-2000:]
        dag_run = run([sys.executable, "-m", "airflow", "dags", "test", "nowplaying", LOGICAL_DATE], env, 900)
        output = dag_run.stdout + dag_run.stderr
        assert dag_run.returncode == 0, output[-3000:]
        finished = [line for line in output.splitlines() if "DagRun Finished: dag_id=nowplaying" in line]
        assert finished and "state=success" in finished[-1], output[-3000:]

        # What the run left behind: one succeeded run with every demo post read, its plays, its history file.
        runs = list(cassandra.execute(f"SELECT run_id, status, stats FROM {keyspace}.runs"))
        assert len(runs) == 1 and runs[0].run_id.startswith("manual__"), runs
        stats = json.loads(runs[0].stats)
        assert runs[0].status == "success", runs[0]
        assert stats["read"] == 2400 and stats["kept"] > 2000 and stats["resolved"] > 1000, stats
        plays = cassandra.execute(f"SELECT COUNT(*) FROM {keyspace}.plays_by_day", timeout=60).one()[0]
        assert plays == stats["kept"]
        histories = list((tmp_path / "data" / "history").rglob("*.csv"))
        assert len(histories) == 1
        with histories[0].open(newline="", encoding="utf-8") as handle:
            assert sum(1 for _ in csv.DictReader(handle)) == stats["kept"]
    finally:
        emu.stop()
        cassandra.execute(f"DROP KEYSPACE IF EXISTS {keyspace}", timeout=120)
