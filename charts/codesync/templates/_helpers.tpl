{{- define "codesync.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "codesync.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "codesync.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "codesync.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component: pass (dict "root" $ "component" "server"). */}}
{{- define "codesync.selectorLabels" -}}
app.kubernetes.io/name: {{ include "codesync.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "codesync.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "codesync.secretName" -}}
{{- .Values.auth.existingSecret | default (printf "%s-tokens" (include "codesync.fullname" .)) -}}
{{- end -}}

{{- define "codesync.serverUrl" -}}
{{- $scheme := ternary "https" "http" (ne .Values.server.tls.secretName "") -}}
{{- .Values.agent.serverUrl | default (printf "%s://%s-server.%s.svc:%v" $scheme (include "codesync.fullname" .) .Release.Namespace .Values.server.service.port) -}}
{{- end -}}

{{/*
Name of the agent's cluster-scoped objects (ClusterRole, ClusterRoleBinding, admission policy):
release and namespace both, so two releases of one name in two namespaces never share one.
*/}}
{{- define "codesync.agentClusterName" -}}
{{- printf "%s-agent-%s" (include "codesync.fullname" .) .Release.Namespace | trunc 253 | trimSuffix "-" -}}
{{- end -}}

{{/* The Secret holding the CA agents trust for the server (--ca-file), or nothing. */}}
{{- define "codesync.caSecretName" -}}
{{- .Values.agent.caSecret.name | default .Values.server.tls.secretName -}}
{{- end -}}
