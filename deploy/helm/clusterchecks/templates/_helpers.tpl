{{/* Names: the release name, unless it already holds the chart name. */}}
{{- define "clusterchecks.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "clusterchecks.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "clusterchecks.labels" -}}
{{ include "clusterchecks.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "clusterchecks.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "clusterchecks.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "clusterchecks.tokenSecret" -}}
{{- default (printf "%s-token" (include "clusterchecks.fullname" .)) .Values.token.existingSecret -}}
{{- end -}}

{{- define "clusterchecks.leaseName" -}}
{{- default (printf "%s-leader-election" (include "clusterchecks.fullname" .)) .Values.leaderElection.leaseName -}}
{{- end -}}

{{- define "clusterchecks.confdConfigMap" -}}
{{- default (printf "%s-confd" (include "clusterchecks.fullname" .)) .Values.confd.existingConfigMap -}}
{{- end -}}

{{- define "clusterchecks.hasConfd" -}}
{{- if or .Values.confd.existingConfigMap .Values.confd.files -}}true{{- end -}}
{{- end -}}

{{/* kube_services / kube_endpoints, as the autodiscovery values ask. */}}
{{- define "clusterchecks.providers" -}}
{{- $p := list -}}
{{- if .Values.autodiscovery.services -}}{{- $p = append $p "kube_services" -}}{{- end -}}
{{- if .Values.autodiscovery.endpoints -}}{{- $p = append $p "kube_endpoints" -}}{{- end -}}
{{- join " " $p -}}
{{- end -}}
