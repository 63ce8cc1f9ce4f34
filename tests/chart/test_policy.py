"""Policy scan: checkov's Kubernetes checks over everything the chart renders (and the Spark executor pod
template it ships). Every finding is either fixed in the chart or excepted beside the object by a
`checkov.io/skipN: CHECK=why` annotation (the `nowplaying.policyExceptions` helper); these tests fail on any
finding that is neither, and on an exception that excuses nothing."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from tooling import CHECKOV, HELM, dag_pods, needs, render

pytestmark = needs(HELM, CHECKOV)

SKIP_PREFIX = "checkov.io/skip"


def chart_documents() -> list[dict]:
    """Every workload the chart can render, from two releases with different labels (so one release's
    NetworkPolicies cannot cover the other's pods), and the executor Pod from the template ConfigMap."""
    demo = [d for d in yaml.safe_load_all(render("emulator.enabled=true", "sparkHistory.enabled=true")) if d]
    defaults = [d for d in yaml.safe_load_all(render(release="other")) if d]
    template = next(d for d in demo if d["kind"] == "ConfigMap" and d["metadata"]["name"].endswith("executor-template"))
    executor = yaml.safe_load(template["data"]["executor-template.yaml"])
    executor["metadata"]["name"] = "spark-executor"  # Spark names each executor; the scan needs a name
    return [*demo, *defaults, executor]


def without_exceptions(documents: list[dict]) -> list[dict]:
    stripped = json.loads(json.dumps(documents))
    for doc in stripped:
        annotations = doc["metadata"].get("annotations") or {}
        for key in [k for k in annotations if k.startswith(SKIP_PREFIX)]:
            del annotations[key]
    return stripped


def checkov(directory: Path, framework: str = "kubernetes") -> subprocess.Popen:
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    # --skip-download: offline, nothing fetched from the vendor's platform.
    return subprocess.Popen([str(CHECKOV.get()), "--directory", str(directory), "--framework", framework,
                             "--output", "json", "--skip-download", "--compact"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def start_scan(documents: list[dict], directory: Path) -> subprocess.Popen:
    directory.mkdir()
    (directory / "chart.yaml").write_text(yaml.safe_dump_all(documents))
    return checkov(directory)


def result(process: subprocess.Popen, framework: str = "kubernetes") -> dict:
    stdout, stderr = process.communicate(timeout=300)
    assert stdout.strip(), stderr[-2000:]
    report = json.loads(stdout)
    report = report[0] if isinstance(report, list) else report
    assert report["check_type"] == framework
    assert report["summary"]["parsing_errors"] == 0, report["summary"]
    return report


def findings(report: dict, kind: str) -> set[tuple[str, str]]:
    return {(c["check_id"], c["resource"]) for c in report["results"][f"{kind}_checks"]}


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> tuple[dict, dict]:
    """The chart as shipped, and the same manifests with every exception annotation removed (run in parallel)."""
    out = tmp_path_factory.mktemp("policy")
    documents = chart_documents() + list(dag_pods())
    shipped = start_scan(documents, out / "shipped")
    stripped = start_scan(without_exceptions(documents), out / "stripped")
    return result(shipped), result(stripped)


def test_the_chart_has_no_unexcepted_finding(scans):
    shipped, _ = scans
    failed = [f"{c['check_id']} {c['check_name']}: {c['resource']}" for c in shipped["results"]["failed_checks"]]
    assert failed == []
    # The scan did look at the workloads: hundreds of checks passed over every rendered object.
    assert shipped["summary"]["resource_count"] >= 40 and shipped["summary"]["passed"] >= 500, shipped["summary"]


def test_every_exception_states_why_and_excuses_a_real_finding(scans):
    shipped, stripped = scans
    skipped = shipped["results"]["skipped_checks"]
    assert skipped, "no exceptions at all: then the helper is not wired"
    for check in skipped:
        reason = check["check_result"].get("suppress_comment") or ""
        assert len(reason.split()) >= 6, (check["check_id"], check["resource"], reason)
    # Without the annotations checkov reports exactly the excepted findings: each exception is needed, and
    # the scan does fail on a finding that has none.
    assert findings(stripped, "failed") == findings(shipped, "skipped")


def test_what_the_scan_enforces_holds_for_every_pod():
    """The hardening the chart and the DAG fixed rather than excepted, seen in the manifests themselves."""
    for doc in chart_documents() + list(dag_pods()):
        if doc["kind"] not in {"Deployment", "StatefulSet", "Job", "Pod"}:
            continue
        pod = doc["spec"] if doc["kind"] == "Pod" else doc["spec"]["template"]["spec"]
        where = (doc["kind"], doc["metadata"]["name"])
        # Only the Spark driver talks to the Kubernetes API (it starts its executors).
        driver = doc["metadata"]["name"].startswith("nowplaying-transform")
        assert pod["automountServiceAccountToken"] is driver, where
        assert pod["securityContext"]["runAsNonRoot"] is True, where
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, where
        assert doc["metadata"].get("namespace") or doc["metadata"]["name"] == "spark-executor", where
        for container in pod["containers"]:
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False, where
            assert security["capabilities"]["drop"] == ["ALL"], where
            # Cassandra alone keeps a writable root (excepted: its entrypoint rewrites its config).
            assert security.get("readOnlyRootFilesystem") is (doc["kind"] != "StatefulSet"), where
            assert ":latest" not in container.get("image", "")


def test_the_image_dockerfiles_pass_the_scan(tmp_path):
    """checkov's Dockerfile checks over images/*/Dockerfile: non-root users, no ADD of remote files, pinned
    bases...; an exception is a `#checkov:skip=CHECK:why` line in the Dockerfile. Stripped of those lines,
    the scan must report exactly the excepted findings."""
    images = Path(__file__).resolve().parents[2] / "images"

    def scan(directory: Path) -> dict:
        report = result(checkov(directory, "dockerfile"), "dockerfile")
        assert report["summary"]["resource_count"] == 3, report["summary"]
        return report

    shipped = scan(images)
    assert [(c["check_id"], c["file_path"]) for c in shipped["results"]["failed_checks"]] == []
    for check in shipped["results"]["skipped_checks"]:
        assert len((check["check_result"].get("suppress_comment") or "").split()) >= 6, check["check_id"]
    stripped = tmp_path / "images"
    for dockerfile in images.glob("*/Dockerfile"):
        target = stripped / dockerfile.parent.name / "Dockerfile"
        target.parent.mkdir(parents=True)
        target.write_text("".join(line for line in dockerfile.read_text().splitlines(keepends=True)
                                  if not line.startswith("#checkov:skip=")))
    excepted = {(c["check_id"], c["file_path"]) for c in shipped["results"]["skipped_checks"]}
    assert {(c["check_id"], c["file_path"]) for c in scan(stripped)["results"]["failed_checks"]} == excepted
