{{/* Chart name, truncated to the 63 characters Kubernetes names allow. */}}
{{- define "nowplaying.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name; the release name alone when it already contains the chart name. */}}
{{- define "nowplaying.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "nowplaying.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Common labels; call with (dict "ctx" $ "component" "web"). */}}
{{- define "nowplaying.labels" -}}
helm.sh/chart: {{ include "nowplaying.chart" .ctx }}
{{ include "nowplaying.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: nowplaying
{{- end }}

{{- define "nowplaying.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nowplaying.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* image reference; call with (dict "ctx" $ "image" .Values.images.web). */}}
{{- define "nowplaying.image" -}}
{{- printf "%s:%s" .image.repository (default .ctx.Chart.AppVersion .image.tag) }}
{{- end }}

{{- define "nowplaying.secretName" -}}
{{- default (printf "%s-credentials" (include "nowplaying.fullname" .)) .Values.secrets.existingSecret }}
{{- end }}

{{- define "nowplaying.historyClaim" -}}
{{- default (printf "%s-history" (include "nowplaying.fullname" .)) .Values.history.existingClaim }}
{{- end }}

{{- define "nowplaying.sparkServiceAccount" -}}
{{- default (printf "%s-spark" (include "nowplaying.fullname" .)) .Values.spark.serviceAccount.name }}
{{- end }}

{{- define "nowplaying.cassandraHosts" -}}
{{- if .Values.cassandra.enabled }}
{{- printf "%s-cassandra" (include "nowplaying.fullname" .) }}
{{- else }}
{{- required "externalCassandra.hosts is required when cassandra.enabled=false" .Values.externalCassandra.hosts }}
{{- end }}
{{- end }}

{{/* The environment every nowplaying container shares: settings from the ConfigMap, credentials from the Secret. */}}
{{- define "nowplaying.env" -}}
envFrom:
  - configMapRef:
      name: {{ include "nowplaying.fullname" . }}-config
  - secretRef:
      name: {{ include "nowplaying.secretName" . }}
      optional: true
{{- end }}

{{/* Settings only, for pods that need no credentials but Cassandra's: the ConfigMap as environment. */}}
{{- define "nowplaying.configEnvFrom" -}}
envFrom:
  - configMapRef:
      name: {{ include "nowplaying.fullname" . }}-config
{{- end }}

{{/* Cassandra's credentials alone (env entries), so the dashboard and the schema job never hold the API keys. */}}
{{- define "nowplaying.cassandraCredentials" -}}
{{- range list "CASSANDRA_USERNAME" "CASSANDRA_PASSWORD" }}
- name: {{ . }}
  valueFrom:
    secretKeyRef: {name: {{ include "nowplaying.secretName" $ }}, key: {{ . }}, optional: true}
{{- end }}
{{- end }}

{{/* The pod securityContext for an image whose USER is `uid` (its Dockerfile under images/); values override it.
     Call with (dict "ctx" $ "uid" 10001). */}}
{{- define "nowplaying.podSecurityContext" -}}
{{- toYaml (merge (deepCopy .ctx.Values.podSecurityContext) (dict "runAsUser" .uid "runAsGroup" .uid "fsGroup" .uid)) }}
{{- end }}

{{/*
Policy-scan exceptions (checkov, tests/chart/test_policy.py) as `checkov.io/skipN: CHECK=why` annotations, so
each deliberate exception stays beside the object it excuses. Every workload shares the three below; pass a
workload's own as (dict "ctx" $ "extra" (dict "CKV_K8S_22" "why")).
*/}}
{{- define "nowplaying.policyExceptions" -}}
{{- $all := merge (deepCopy (.extra | default dict)) (dict
  "CKV_K8S_43" "images are pinned by version tag (never latest); skaffold deploys the built image as tag@digest and operators can set the tag to version@sha256 the same way"
  "CKV_K8S_15" "pullPolicy IfNotPresent (images.pullPolicy): kind and minikube run the images skaffold loads into the node without a registry; version tags are not reused"
  "CKV_K8S_11" "CPU is requested, not limited: a CPU limit throttles the JVMs and Gunicorn in bursts while the request already reserves their share; memory is limited") }}
{{- $lines := list }}
{{- range $i, $id := keys $all | sortAlpha }}
{{- $lines = append $lines (printf "checkov.io/skip%d: %s" (add1 $i) (printf "%s=%s" $id (get $all $id) | quote)) }}
{{- end }}
{{- join "\n" $lines }}
{{- end }}

{{/* The pipeline image runs as UID 185 (Apache Spark's image convention): the exception every pod of that image shares. */}}
{{- define "nowplaying.pipelineUidException" -}}
UID 185 is the pipeline image's user (Apache Spark's image convention) and the UID the DAG's job pods and the Spark executors run as, so the history volume keeps one owner
{{- end }}
