{{/* The objects' name: the release name when it already says kubeha-serve, else <release>-kubeha-serve. */}}
{{- define "kubeha-serve.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The labels that select the pods: stable across upgrades. */}}
{{- define "kubeha-serve.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kubeha-serve.labels" -}}
{{ include "kubeha-serve.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "kubeha-serve.serviceAccountName" -}}
{{- default (include "kubeha-serve.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "kubeha-serve.tlsSecretName" -}}
{{- default (printf "%s-tls" (include "kubeha-serve.fullname" .)) .Values.tls.secretName -}}
{{- end -}}
