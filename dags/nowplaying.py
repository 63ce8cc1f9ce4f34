"""nowplaying: every 30 minutes, extract (one task per source) -> transform (Spark) -> load.

Each task runs one `nowplaying` command, the same one `nowplaying run` chains locally:

    nowplaying extract --source <x|mastodon> --run-id <run_id>
    spark-submit .../nowplaying/spark/transform_job.py --run-id <run_id>
    nowplaying load --run-id <run_id>

Airflow's run id names every file and row a run writes, so a retried task overwrites its own output
instead of duplicating it.

Two modes from this one definition (NOWPLAYING_DAG_MODE):
- ``kubernetes`` (the default inside a cluster): KubernetesPodOperator pods in the pipeline image, with the
  settings and credentials of the nowplaying chart (its ConfigMap and Secret) and its history volume. The
  transform pod is the Spark driver (client mode) and starts its executors as pods.
- ``local`` (the default elsewhere, e.g. `airflow standalone` on a laptop): the same commands as Bash tasks.

Everything is read from the environment when the file is parsed; nothing here touches the network.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pendulum
from airflow.sdk import DAG

MODE = os.environ.get("NOWPLAYING_DAG_MODE") or ("kubernetes" if os.environ.get("KUBERNETES_SERVICE_HOST")
                                                 else "local")
SOURCES = [s.strip() for s in os.environ.get("NOWPLAYING_SOURCES", "x,mastodon").split(",") if s.strip()]
if MODE not in {"kubernetes", "local"} or not SOURCES or not set(SOURCES) <= {"x", "mastodon"}:
    raise ValueError(f"NOWPLAYING_DAG_MODE={MODE!r} / NOWPLAYING_SOURCES={SOURCES!r}: expected kubernetes|local "
                     "and a comma-separated subset of x,mastodon")
RUN_ID = "{{ run_id }}"

# Names of the nowplaying chart's objects: its fullname (the release name when it contains "nowplaying").
K8S_NAMESPACE = os.environ.get("NOWPLAYING_K8S_NAMESPACE", "nowplaying")
K8S_PREFIX = os.environ.get("NOWPLAYING_K8S_PREFIX", "nowplaying")
PIPELINE_IMAGE = os.environ.get("NOWPLAYING_PIPELINE_IMAGE", "nowplaying-spark:0.1.0")
SPARK_EXECUTORS = os.environ.get("NOWPLAYING_SPARK_EXECUTORS", "2")
SPARK_EXECUTOR_MEMORY = os.environ.get("NOWPLAYING_SPARK_EXECUTOR_MEMORY", "1g")
# Policy-scan findings the job pods keep on purpose, as checkov.io/skip annotations (tests/chart/test_policy.py
# scans these pods; the reasons match the chart's exceptions for the same image).
POLICY_EXCEPTIONS = {
    "CKV_K8S_8": "batch pods run to completion and Airflow watches them; liveness probes are for servers",
    "CKV_K8S_9": "batch pods take no traffic, so there is nothing for a readiness probe to gate",
    "CKV_K8S_11": "CPU is requested, not limited: a CPU limit throttles the Spark JVM in bursts while the "
                  "request already reserves its share; memory is limited",
    "CKV_K8S_15": "pull policy IfNotPresent: kind and minikube run images loaded into the node; version tags "
                  "are never reused",
    "CKV_K8S_35": "Settings reads API credentials from the environment (envFrom the chart's Secret), the "
                  "same as every other nowplaying process",
    "CKV_K8S_40": "UID 185 is the pipeline image's user (Apache Spark's convention), shared with the executors "
                  "so the history volume keeps one owner",
    "CKV_K8S_43": "the image is pinned by version tag (NOWPLAYING_PIPELINE_IMAGE); set it to tag@sha256 to pin "
                  "a digest",
    "CKV2_K8S_6": "a pod-only scan sees no NetworkPolicy; job pods serve nothing except the Spark driver, "
                  "which must accept its executors on Spark's dynamic ports",
}
SPARK_DRIVER_EXCEPTIONS = {
    "CKV_K8S_38": "the Spark driver creates, watches and deletes its executor pods through the Kubernetes API",
}
TRANSFORM_JOB = "/opt/venv/lib/python3.11/site-packages/nowplaying/spark/transform_job.py"

default_args = {
    "owner": "nowplaying",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=5),
    "execution_timeout": timedelta(minutes=20),
}


def spark_submit_args(run_id: str) -> list[str]:
    """spark-submit in the transform pod: driver in the pod (client mode), executors as pods."""
    conf = {
        "spark.kubernetes.namespace": K8S_NAMESPACE,
        "spark.kubernetes.container.image": PIPELINE_IMAGE,
        # Executors belong to (and are garbage-collected with) the driver pod; they call back to its IP.
        "spark.kubernetes.driver.pod.name": "$(POD_NAME)",
        "spark.driver.host": "$(POD_IP)",
        "spark.driver.bindAddress": "0.0.0.0",  # noqa: S104 - inside the pod, for its executors
        "spark.executor.instances": SPARK_EXECUTORS,
        "spark.executor.memory": SPARK_EXECUTOR_MEMORY,
        "spark.executor.cores": "1",
        # The chart's executor template: settings/credentials as env, the history volume, the Cassandra label.
        "spark.kubernetes.executor.podTemplateFile": "/opt/nowplaying/spark/executor-template.yaml",
        "spark.eventLog.enabled": "true",
        "spark.eventLog.dir": "file:///data/spark-events",
    }
    args = ["--master", "k8s://https://kubernetes.default.svc:443", "--deploy-mode", "client",
            "--name", "nowplaying-transform"]
    for key, value in conf.items():
        args += ["--conf", f"{key}={value}"]
    return [*args, TRANSFORM_JOB, "--run-id", run_id]


def checkov_skips(reasons: dict[str, str]) -> dict[str, str]:
    return {f"checkov.io/skip{i}": f"{check}={why}" for i, (check, why) in enumerate(sorted(reasons.items()), 1)}


def kubernetes_task(task_id: str, arguments: list[str], *, cmds: list[str] | None = None,
                    spark_driver: bool = False):
    from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
    from kubernetes.client import models as k8s

    env = [k8s.V1EnvVar(name="NOWPLAYING_SPARK_SHIP_PACKAGE", value="0")]
    # The root filesystem is read-only: the history volume and a scratch /tmp (Spark's local dir) are
    # the only writable places.
    mounts = [k8s.V1VolumeMount(name="history", mount_path="/data"),
              k8s.V1VolumeMount(name="tmp", mount_path="/tmp")]  # noqa: S108 - a pod-private emptyDir
    volumes = [k8s.V1Volume(name="history", persistent_volume_claim=k8s.V1PersistentVolumeClaimVolumeSource(
        claim_name=f"{K8S_PREFIX}-history")), k8s.V1Volume(name="tmp", empty_dir=k8s.V1EmptyDirVolumeSource())]
    if spark_driver:
        env += [k8s.V1EnvVar(name=name, value_from=k8s.V1EnvVarSource(
                    field_ref=k8s.V1ObjectFieldSelector(field_path=path)))
                for name, path in (("POD_NAME", "metadata.name"), ("POD_IP", "status.podIP"))]
        mounts.append(k8s.V1VolumeMount(name="executor-template", mount_path="/opt/nowplaying/spark"))
        volumes.append(k8s.V1Volume(name="executor-template", config_map=k8s.V1ConfigMapVolumeSource(
            name=f"{K8S_PREFIX}-spark-executor-template")))
    return KubernetesPodOperator(
        task_id=task_id,
        name=f"nowplaying-{task_id.replace('_', '-')}",
        namespace=K8S_NAMESPACE,
        image=PIPELINE_IMAGE,
        cmds=cmds,
        arguments=arguments,
        env_vars=env,
        env_from=[k8s.V1EnvFromSource(config_map_ref=k8s.V1ConfigMapEnvSource(name=f"{K8S_PREFIX}-config")),
                  k8s.V1EnvFromSource(secret_ref=k8s.V1SecretEnvSource(name=f"{K8S_PREFIX}-credentials",
                                                                       optional=True))],
        volumes=volumes,
        volume_mounts=mounts,
        labels={"app.kubernetes.io/part-of": "nowplaying", "app.kubernetes.io/component": task_id,
                "nowplaying.io/cassandra-client": "true"},
        service_account_name=f"{K8S_PREFIX}-spark" if spark_driver else "default",
        automount_service_account_token=spark_driver,
        container_resources=k8s.V1ResourceRequirements(
            requests={"cpu": "250m", "memory": "1536Mi" if spark_driver else "256Mi"},
            limits={"memory": "2Gi" if spark_driver else "512Mi"}),
        security_context=k8s.V1PodSecurityContext(run_as_non_root=True, run_as_user=185, fs_group=185,
                                                  seccomp_profile=k8s.V1SeccompProfile(type="RuntimeDefault")),
        container_security_context=k8s.V1SecurityContext(
            allow_privilege_escalation=False, read_only_root_filesystem=True,
            capabilities=k8s.V1Capabilities(drop=["ALL"])),
        annotations=checkov_skips({**POLICY_EXCEPTIONS, **(SPARK_DRIVER_EXCEPTIONS if spark_driver else {})}),
        get_logs=True,
        on_finish_action="delete_succeeded_pod",
        reattach_on_restart=True,
        startup_timeout_seconds=300,
    )


def local_task(task_id: str, command: str):
    from airflow.providers.standard.operators.bash import BashOperator

    # The run id goes in through the environment, never spliced into the shell line: a manually
    # triggered run id is user input.
    return BashOperator(task_id=task_id, bash_command=command, env={"RUN_ID": RUN_ID}, append_env=True)


with DAG(
    dag_id="nowplaying",
    description="#NowPlaying posts -> Spotify tracks -> Cassandra, every 30 minutes",
    doc_md=__doc__,
    schedule="*/30 * * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    # Checkpoints advance run by run: never two runs at once.
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=29),
    default_args=default_args,
    tags=["nowplaying", MODE],
) as dag:
    if MODE == "kubernetes":
        extracts = [kubernetes_task(f"extract_{source}", ["extract", "--source", source, "--run-id", RUN_ID])
                    for source in SOURCES]
        transform = kubernetes_task("transform", spark_submit_args(RUN_ID), cmds=["spark-submit"],
                                    spark_driver=True)
        load = kubernetes_task("load", ["load", "--run-id", RUN_ID])
    else:
        extracts = [local_task(f"extract_{source}", f'nowplaying extract --source {source} --run-id "$RUN_ID"')
                    for source in SOURCES]
        transform = local_task("transform", 'nowplaying transform --run-id "$RUN_ID"')
        load = local_task("load", 'nowplaying load --run-id "$RUN_ID"')
    extracts >> transform >> load
