#!/bin/bash
# Spark on Kubernetes starts executor pods from this image with the single argument `executor` and the
# SPARK_* variables used below (this follows Spark's own kubernetes/dockerfiles/spark/entrypoint.sh).
# Any other arguments are a `nowplaying` command: `extract`, `transform`, `load`, `db migrate`, ...
set -euo pipefail
if [ "${1:-}" = "executor" ]; then
  # The driver passes the executor's JVM options (module opens included) as SPARK_JAVA_OPT_0..N.
  mapfile -t java_opts < <(env | grep '^SPARK_JAVA_OPT_' | sort -t_ -k4 -n | sed 's/^[^=]*=//')
  exec "$JAVA_HOME/bin/java" "${java_opts[@]}" \
    -Xms"$SPARK_EXECUTOR_MEMORY" -Xmx"$SPARK_EXECUTOR_MEMORY" \
    -cp "$SPARK_HOME/jars/*" \
    org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend \
    --driver-url "$SPARK_DRIVER_URL" --executor-id "$SPARK_EXECUTOR_ID" --cores "$SPARK_EXECUTOR_CORES" \
    --app-id "$SPARK_APPLICATION_ID" --hostname "$SPARK_EXECUTOR_POD_IP" \
    --resourceProfileId "${SPARK_RESOURCE_PROFILE_ID:-0}" --podName "$SPARK_EXECUTOR_POD_NAME"
fi
exec nowplaying "$@"
