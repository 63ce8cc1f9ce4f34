"""The chart tests' external tools (helm, kubeconform + Kubernetes schemas, checkov), built by `make tools` at
pinned versions into the cache (~/.cache/nowplaying) and exported by the Makefile as NOWPLAYING_* variables.

Under `make test` the variables are set, so a missing tool is a failure, never a skip. Run bare (pytest
without make), a test module uses whatever `make tools` left in the cache and skips, saying so, when
nothing is there."""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

CACHE = Path(os.environ.get("NOWPLAYING_CACHE_DIR") or Path.home() / ".cache" / "nowplaying")
CHART = Path(__file__).resolve().parents[2] / "charts" / "nowplaying"
DAGS = Path(__file__).resolve().parents[2] / "dags"


def _version_key(path: Path) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", str(path.relative_to(CACHE)))]


@dataclass(frozen=True)
class Tool:
    name: str
    env: str
    path: Path | None
    exported: bool  # the Makefile set the variable: the tool must be there

    @classmethod
    def find(cls, name: str, env: str, cached: str, marker: str = "") -> Tool:
        """`env` (+ `marker`, a file the tool's directory holds when complete) if set, else the newest match
        of the glob `cached` under the cache directory."""
        if os.environ.get(env):
            return cls(name, env, Path(os.environ[env]) / marker if marker else Path(os.environ[env]), True)
        found = sorted(CACHE.glob(cached), key=_version_key)
        return cls(name, env, found[-1] if found else None, False)

    @property
    def available(self) -> bool:
        return self.path is not None and self.path.exists()

    def get(self) -> Path:
        if not self.available:
            pytest.fail(f"{self.name}: {self.env}={self.path} does not exist; `make tools` builds it", pytrace=False)
        assert self.path is not None
        return self.path


HELM = Tool.find("helm", "NOWPLAYING_HELM", "gotools/helm-*/helm")
KUBECONFORM = Tool.find("kubeconform", "NOWPLAYING_KUBECONFORM", "gotools/kubeconform-*/kubeconform")
# A directory of kubeconform schemas (tests/chart/k8s_schemas.py); SOURCE is written last.
K8S_SCHEMAS = Tool.find("Kubernetes JSON schemas", "NOWPLAYING_K8S_SCHEMAS", "k8s-schemas/v*/SOURCE", "SOURCE")
CHECKOV = Tool.find("checkov", "NOWPLAYING_CHECKOV", "tools/checkov-*/bin/checkov")


def needs(*tools: Tool) -> pytest.MarkDecorator:
    """Skip only when run outside `make test` and `make tools` has not built these yet."""
    missing = [t.name for t in tools if not t.available and not t.exported]
    return pytest.mark.skipif(bool(missing), reason=f"{', '.join(missing)} not built: run `make tools` "
                                                     "(`make test` builds and exports them)")


def schema_dir() -> Path:
    return K8S_SCHEMAS.get().parent


def render(*sets: str, release: str = "np", namespace: str = "demo") -> str:
    """`helm template` of the chart (hooks and the helm test Pod included) as one YAML stream."""
    args = [str(HELM.get()), "template", release, str(CHART), "--namespace", namespace]
    for item in sets:
        args += ["--set", item]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


# Airflow builds each KubernetesPodOperator's Pod at run time; dry_run builds it without a cluster.
_DAG_PODS = r"""
import json, sys
from airflow.dag_processing.dagbag import DagBag
from kubernetes.client import ApiClient
bag = DagBag(dag_folder=sys.argv[1])
assert not bag.import_errors, bag.import_errors
pods = [ApiClient().sanitize_for_serialization(t.build_pod_request_obj(dry_run=True))
        for t in bag.dags["nowplaying"].tasks]
print(json.dumps(pods))
"""


@functools.cache
def dag_pods() -> tuple[dict, ...]:
    """The Pods the DAG's tasks start in Kubernetes mode, as Airflow builds them (parsed once per session)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOWPLAYING_", "KUBERNETES_"))}
    with tempfile.TemporaryDirectory(prefix="nowplaying-airflow-") as airflow_home:
        env.update(AIRFLOW_HOME=airflow_home, AIRFLOW__CORE__LOAD_EXAMPLES="False", NOWPLAYING_DAG_MODE="kubernetes",
                   NOWPLAYING_K8S_PREFIX="np-nowplaying", NOWPLAYING_K8S_NAMESPACE="demo",
                   NOWPLAYING_PIPELINE_IMAGE="registry.example/nowplaying-spark:0.1.0")
        result = subprocess.run([sys.executable, "-c", _DAG_PODS, str(DAGS)], env=env, capture_output=True, text=True,
                                timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return tuple(json.loads(result.stdout.strip().splitlines()[-1]))
