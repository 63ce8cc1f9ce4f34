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
