"""The Helm chart renders, validates its values against values.schema.json, and wires the contracts
(env names, commands, labels) the pods rely on. Uses the real helm binary (`make tools` builds it)."""

from __future__ import annotations

import subprocess

import pytest
import yaml
from tooling import CHART, HELM, needs
from tooling import render as render_text

pytestmark = needs(HELM)


def render(*sets: str) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(render_text(*sets)) if doc]


def helm_fails(*sets: str) -> str:
    args = [str(HELM.get()), "template", "np", str(CHART)]
    for item in sets:
        args += ["--set", item]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0
    return result.stderr


def by_kind(docs: list[dict], kind: str) -> list[dict]:
    return [d for d in docs if d["kind"] == kind]


def test_lint_passes():
    result = subprocess.run([str(HELM.get()), "lint", str(CHART), "--strict"], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_object_has_the_standard_labels():
    for doc in render("emulator.enabled=true", "sparkHistory.enabled=true"):
        labels = doc["metadata"]["labels"]
        for key in ("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component",
                    "app.kubernetes.io/managed-by", "helm.sh/chart"):
            assert key in labels, (doc["kind"], doc["metadata"]["name"], key)


def test_config_uses_the_contract_variable_names():
    config = next(d for d in by_kind(render(), "ConfigMap") if d["metadata"]["name"] == "np-nowplaying-config")
    assert {"CASSANDRA_HOSTS", "CASSANDRA_PORT", "CASSANDRA_KEYSPACE", "MASTODON_INSTANCES",
            "NOWPLAYING_DATA_DIR"} <= set(config["data"])
    assert config["data"]["CASSANDRA_HOSTS"] == "np-nowplaying-cassandra"


def test_demo_mode_points_every_api_at_the_emulator():
    docs = render("emulator.enabled=true")
    config = next(d for d in by_kind(docs, "ConfigMap") if d["metadata"]["name"] == "np-nowplaying-config")
    for key in ("X_API_BASE_URL", "MASTODON_INSTANCES", "SPOTIFY_API_BASE_URL", "SPOTIFY_ACCOUNTS_BASE_URL"):
        assert config["data"][key] == "http://np-nowplaying-emulator:8765"
    emulator = next(d for d in by_kind(docs, "Deployment") if d["metadata"]["name"].endswith("-emulator"))
    assert emulator["spec"]["template"]["spec"]["containers"][0]["args"][0] == "emulator"


def test_web_runs_the_serve_command_with_probes_and_no_root():
    web = next(d for d in by_kind(render(), "Deployment") if d["metadata"]["name"].endswith("-web"))
    pod = web["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["args"][:1] == ["serve"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_external_cassandra_needs_hosts():
    assert "externalCassandra.hosts is required" in helm_fails("cassandra.enabled=false")
    docs = render("cassandra.enabled=false", "externalCassandra.hosts=c1\\,c2")
    assert not by_kind(docs, "StatefulSet")
    config = next(d for d in by_kind(docs, "ConfigMap") if d["metadata"]["name"] == "np-nowplaying-config")
    assert config["data"]["CASSANDRA_HOSTS"] == "c1,c2"


@pytest.mark.parametrize("bad", ["cassandra.replication=Evil:1", "web.workers=0", "images.pullPolicy=Sometimes",
                                 "config.mastodonInstances=ftp://x", "unknownKey=1", "images.cassandra.tag=latest"])
def test_schema_rejects_bad_values(bad):
    assert "values don't meet the specifications of the schema" in helm_fails(bad)


def test_airflow_can_start_job_pods_and_executors_get_the_job_environment():
    docs = render()
    role = next(d for d in by_kind(docs, "Role") if d["metadata"]["name"].endswith("-airflow-pods"))
    assert any("pods" in rule["resources"] and "create" in rule["verbs"] for rule in role["rules"])
    binding = next(d for d in by_kind(docs, "RoleBinding") if d["metadata"]["name"].endswith("-airflow-pods"))
    assert {"namespace": "airflow", "name": "airflow-scheduler", "kind": "ServiceAccount"} in binding["subjects"]
    template_cm = next(d for d in by_kind(docs, "ConfigMap")
                       if d["metadata"]["name"] == "np-nowplaying-spark-executor-template")
    executor = yaml.safe_load(template_cm["data"]["executor-template.yaml"])
    container = executor["spec"]["containers"][0]
    assert container["envFrom"][0]["configMapRef"]["name"] == "np-nowplaying-config"
    assert executor["metadata"]["labels"]["nowplaying.io/cassandra-client"] == "true"
