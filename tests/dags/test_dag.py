"""The DAG as Airflow itself parses it (real DagBag, both modes, each in a fresh interpreter because the
mode is read from the environment at parse time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DAGS = Path(__file__).resolve().parents[2] / "dags"

PROBE = r"""
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
out = {"errors": {k: v.splitlines()[-1] for k, v in bag.import_errors.items()}}
dag = bag.dags.get("nowplaying")
if dag is not None:
    out["schedule"] = str(dag.schedule)
    out["catchup"] = dag.catchup
    out["max_active_runs"] = dag.max_active_runs
    out["tasks"] = {}
    for task in dag.tasks:
        info = {"type": type(task).__name__, "downstream": sorted(task.downstream_task_ids),
                "retries": task.retries}
        for field in ("arguments", "cmds", "bash_command", "env", "namespace", "image", "service_account_name"):
            if hasattr(task, field):
                info[field] = getattr(task, field)
        if hasattr(task, "env_from"):
            info["env_from"] = [ (e.config_map_ref or e.secret_ref).name for e in task.env_from ]
        if hasattr(task, "labels"):
            info["labels"] = task.labels
        out["tasks"][task.task_id] = info
print(json.dumps(out, default=str))
"""


def parse(tmp_path: Path, **env: str) -> dict:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("NOWPLAYING_", "KUBERNETES_"))}
    full_env.update(AIRFLOW_HOME=str(tmp_path / "airflow-home"), AIRFLOW__CORE__LOAD_EXAMPLES="False", **env)
    result = subprocess.run([sys.executable, "-c", PROBE, str(DAGS)], env=full_env, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def kubernetes_dag(tmp_path_factory) -> dict:
    return parse(tmp_path_factory.mktemp("k8s"), NOWPLAYING_DAG_MODE="kubernetes", NOWPLAYING_K8S_PREFIX="np",
                 NOWPLAYING_K8S_NAMESPACE="demo", NOWPLAYING_PIPELINE_IMAGE="reg/nowplaying-spark:1")


def test_kubernetes_mode_parses_into_pods_running_the_cli(kubernetes_dag):
    dag = kubernetes_dag
    assert dag["errors"] == {}
    assert dag["schedule"] == "*/30 * * * *" and dag["catchup"] is False and dag["max_active_runs"] == 1
    tasks = dag["tasks"]
    assert set(tasks) == {"extract_x", "extract_mastodon", "transform", "load"}
    assert {t["type"] for t in tasks.values()} == {"KubernetesPodOperator"}
    assert tasks["extract_x"]["arguments"] == ["extract", "--source", "x", "--run-id", "{{ run_id }}"]
    assert tasks["load"]["arguments"] == ["load", "--run-id", "{{ run_id }}"]
    assert tasks["extract_x"]["downstream"] == ["transform"] == tasks["extract_mastodon"]["downstream"]
    assert tasks["transform"]["downstream"] == ["load"]
    for task in tasks.values():
        assert task["namespace"] == "demo" and task["image"] == "reg/nowplaying-spark:1"
        assert task["env_from"] == ["np-config", "np-credentials"]
        assert task["labels"]["nowplaying.io/cassandra-client"] == "true"
        assert task["retries"] >= 1


def test_transform_is_a_spark_driver_in_client_mode(kubernetes_dag):
    transform = kubernetes_dag["tasks"]["transform"]
    assert transform["cmds"] == ["spark-submit"]
    args = transform["arguments"]
    assert args[args.index("--master") + 1] == "k8s://https://kubernetes.default.svc:443"
    assert args[args.index("--deploy-mode") + 1] == "client"
    confs = dict(a.split("=", 1) for a in args if "=" in a and a.startswith("spark."))
    assert confs["spark.kubernetes.container.image"] == "reg/nowplaying-spark:1"
    assert confs["spark.driver.host"] == "$(POD_IP)"
    assert args[-3:] == [args[-3], "--run-id", "{{ run_id }}"] and args[-3].endswith("spark/transform_job.py")
    assert transform["service_account_name"] == "np-spark"


def test_local_mode_runs_the_same_commands_without_splicing_the_run_id(tmp_path):
    dag = parse(tmp_path, NOWPLAYING_DAG_MODE="local", NOWPLAYING_SOURCES="mastodon")
    assert dag["errors"] == {}
    tasks = dag["tasks"]
    assert set(tasks) == {"extract_mastodon", "transform", "load"}
    assert tasks["extract_mastodon"]["bash_command"] == 'nowplaying extract --source mastodon --run-id "$RUN_ID"'
    assert tasks["load"]["env"] == {"RUN_ID": "{{ run_id }}"}


def test_bad_configuration_is_an_import_error_not_a_silent_dag(tmp_path):
    dag = parse(tmp_path, NOWPLAYING_DAG_MODE="local", NOWPLAYING_SOURCES="x,myspace")
    assert "tasks" not in dag
    (error,) = dag["errors"].values()
    assert "NOWPLAYING_SOURCES" in error
