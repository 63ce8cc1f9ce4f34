"""Every manifest the chart renders is a valid Kubernetes object: kubeconform -strict against JSON schemas
generated from Kubernetes' own OpenAPI documents (tests/chart/k8s_schemas.py; `make tools` builds both).
Strict: an unknown field, a wrong type, a missing required field or a kind the schemas do not know fails."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from tooling import HELM, K8S_SCHEMAS, KUBECONFORM, dag_pods, needs, render, schema_dir

pytestmark = needs(HELM, KUBECONFORM, K8S_SCHEMAS)

# The value combinations the chart tests render, plus the switches that add or drop objects.
VALUE_SETS = {
    "defaults": [],
    "demo": ["emulator.enabled=true", "sparkHistory.enabled=true"],
    "external-cassandra": ["cassandra.enabled=false", "externalCassandra.hosts=c1\\,c2",
                           "externalCassandra.localDc=dc2"],
    "switches-off": ["networkPolicy.enabled=false", "airflow.rbac.create=false", "spark.serviceAccount.create=false",
                     "schemaJob.enabled=false", "web.replicas=1"],
    "existing-objects": ["secrets.existingSecret=creds", "history.existingClaim=shared", "imagePullSecrets[0].name=reg",
                         "networkPolicy.webIngressNamespaces={ingress-nginx}", "emulator.enabled=true",
                         "cassandra.persistence.storageClass=fast", "history.storageClass=nfs"],
}


def kubeconform(*files: Path) -> list[dict]:
    """kubeconform's verdict on each resource of `files` (valid ones included)."""
    location = f"{schema_dir()}/{{{{ .ResourceKind }}}}{{{{ .KindSuffix }}}}.json"
    result = subprocess.run([str(KUBECONFORM.get()), "-strict", "-summary", "-verbose", "-output", "json",
                             "-schema-location", location, *map(str, files)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout, result.stderr
    resources = json.loads(result.stdout)["resources"]
    assert result.returncode == (0 if all(r["status"] == "statusValid" for r in resources) else 1), result.stderr
    return resources


def executor_pod(manifests: str) -> dict:
    """The Pod the Spark executor template ConfigMap holds (spark.kubernetes.executor.podTemplateFile)."""
    configmap = next(d for d in yaml.safe_load_all(manifests)
                     if d and d["kind"] == "ConfigMap" and d["metadata"]["name"].endswith("-spark-executor-template"))
    return yaml.safe_load(configmap["data"]["executor-template.yaml"])


def invalid(resources: list[dict]) -> list[str]:
    return [f"{r['filename']}: {r['kind']}/{r['name']}: {r['status']}: {r['msg']}"
            for r in resources if r["status"] != "statusValid"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("rendered")
    files = {}
    for name, sets in VALUE_SETS.items():
        text = render(*sets)
        files[name] = out / f"{name}.yaml"
        files[name].write_text(text)
        files[f"{name}-executor"] = out / f"{name}-executor-pod.yaml"
        files[f"{name}-executor"].write_text(yaml.safe_dump(executor_pod(text)))
    files["dag-pods"] = out / "dag-pods.yaml"
    files["dag-pods"].write_text(yaml.safe_dump_all(dag_pods()))
    return files


def test_every_rendered_object_and_the_executor_pod_template_are_valid(rendered):
    resources = kubeconform(*rendered.values())
    assert invalid(resources) == []
    # Nothing was skipped: one verdict per document helm rendered.
    for name, path in rendered.items():
        documents = [d for d in yaml.safe_load_all(path.read_text()) if d]
        assert len([r for r in resources if r["filename"] == str(path)]) == len(documents), name
    checked = {(r["kind"], r["name"]) for r in resources}
    # The hook Job, the helm test Pod and the optional objects are all among them.
    for kind, name in [("Job", "np-nowplaying-schema"), ("Pod", "np-nowplaying-test-web"),
                       ("StatefulSet", "np-nowplaying-cassandra"), ("Deployment", "np-nowplaying-emulator"),
                       ("Deployment", "np-nowplaying-spark-history"), ("PodDisruptionBudget", "np-nowplaying-web"),
                       ("NetworkPolicy", "np-nowplaying-cassandra"), ("RoleBinding", "np-nowplaying-airflow-pods"),
                       ("PersistentVolumeClaim", "np-nowplaying-history"),
                       ("Pod", "")]:  # the executor template's Pod has no name: Spark names each executor
        assert (kind, name) in checked, (kind, name)
    # The Pods the DAG starts (Airflow suffixes each name): extract x, extract mastodon, transform, load.
    job_pods = sorted(r["name"].rsplit("-", 1)[0] for r in resources if r["filename"] == str(rendered["dag-pods"]))
    assert job_pods == [f"nowplaying-{task}" for task in ("extract-mastodon", "extract-x", "load", "transform")]


def web_deployment(rendered: dict[str, Path]) -> dict:
    return next(d for d in yaml.safe_load_all(rendered["defaults"].read_text())
                if d and d["kind"] == "Deployment" and d["metadata"]["name"].endswith("-web"))


def misspelled_port(doc: dict) -> None:
    port = doc["spec"]["template"]["spec"]["containers"][0]["ports"][0]
    port["containerPrt"] = port.pop("containerPort")


def probe_period_as_text(doc: dict) -> None:
    doc["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["periodSeconds"] = "ten"


def top_level_typo(doc: dict) -> None:
    doc["metdata"] = doc.pop("metadata")


def no_containers(doc: dict) -> None:
    del doc["spec"]["template"]["spec"]["containers"]


def unknown_kind(doc: dict) -> None:
    doc["kind"] = "Deploymnet"


@pytest.mark.parametrize(("breakage", "message"), [
    (misspelled_port, "additional properties 'containerPrt' not allowed"),
    (probe_period_as_text, "/readinessProbe/periodSeconds': got string, want null or integer"),
    (top_level_typo, "additional properties 'metdata' not allowed"),
    (no_containers, "missing property 'containers'"),
    (unknown_kind, "could not find schema for Deploymnet"),
])
def test_a_broken_manifest_is_rejected(rendered, tmp_path, breakage, message):
    doc = web_deployment(rendered)
    assert invalid(kubeconform(rendered["defaults"])) == []  # the unbroken original passes
    breakage(doc)
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(doc))
    (result,) = kubeconform(broken)
    assert result["status"] in {"statusInvalid", "statusError"}
    assert message in result["msg"]
