{{/* The release's full name: the release name, with the chart's unless it already holds it. */}}
{{- define "cairn.fullname" -}}
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

{{/* The name of one component's objects: fullname-component, within the 63 characters of a label. */}}
{{- define "cairn.componentName" -}}
{{- printf "%s-%s" (include "cairn.fullname" .root | trunc (int (sub 62 (len .component)))) .component | trimSuffix "-" -}}
{{- end -}}

{{- define "cairn.selectorLabels" -}}
app.kubernetes.io/name: {{ default .root.Chart.Name .root.Values.nameOverride | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "cairn.labels" -}}
{{ include "cairn.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: cairn
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "cairn.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "cairn.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "cairn.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret the chart generates its secrets into. */}}
{{- define "cairn.secretName" -}}
{{- include "cairn.fullname" . -}}
{{- end -}}

{{/*
A generated secret (arguments: root, key, kind "hex" or "password", optionally secret): the value already in the release's Secret when there is one (so an upgrade keeps
the key that decrypts the database), else a new random one. `lookup` sees nothing under
`helm template`, which then shows a fresh value.
*/}}
{{- define "cairn.generatedSecret" -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace (.secret | default (include "cairn.secretName" .root)) -}}
{{- if and $existing (hasKey ($existing.data | default dict) .key) -}}
{{- index $existing.data .key -}}
{{- else if eq .kind "hex" -}}
{{- randAlphaNum 64 | sha256sum | b64enc -}}
{{- else -}}
{{- randAlphaNum 24 | b64enc -}}
{{- end -}}
{{- end -}}

{{/* Where the Cairn services reach NATS. */}}
{{- define "cairn.natsUrl" -}}
{{- if .Values.nats.enabled -}}
{{- printf "nats://%s:4222" (include "cairn.componentName" (dict "root" . "component" "nats")) -}}
{{- else -}}
{{- required "nats.url is required when nats.enabled is false (e.g. nats://nats.messaging:4222)" .Values.nats.url -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the NATS users' passwords. */}}
{{- define "cairn.natsAuthSecret" -}}
{{- default (printf "%s-nats-auth" (include "cairn.fullname" .)) .Values.nats.auth.existingSecret -}}
{{- end -}}

{{/* The NATS users, as files/nats-users.conf (deploy/nats/nats.conf) names them: one per service. */}}
{{- define "cairn.natsUsers" -}}
{{- $users := list -}}
{{- range regexFindAll "(?m)^\\s*user: [a-z-]+$" (.Files.Get "files/nats-users.conf") -1 -}}
{{- $users = append $users (. | trim | trimPrefix "user: ") -}}
{{- end -}}
{{- $users | toJson -}}
{{- end -}}

{{/* The Cairn services, each a Deployment of the one image. */}}
{{- define "cairn.services" -}}
{{- list "gateway" "catalog" "scheduler" "notifier" "runner" | toJson -}}
{{- end -}}

{{/*
The port of a service's /metrics: its default CAIRN_METRICS_PORT (libs/contracts METRICS_PORTS;
test/helm/chart.test.mjs checks they agree).
*/}}
{{- define "cairn.metricsPort" -}}
{{- get (dict "catalog" 9464 "gateway" 9465 "scheduler" 9466 "notifier" 9467 "runner" 9468 "volume-controller" 9469) . -}}
{{- end -}}

{{/* Every component with a /metrics: the services, and the volume controller when it runs. */}}
{{- define "cairn.metricsComponents" -}}
{{- $components := include "cairn.services" . | fromJsonArray -}}
{{- if .Values.controller.enabled }}{{ $components = append $components "volume-controller" }}{{ end -}}
{{- $components | toJson -}}
{{- end -}}

{{/* The environment every Cairn service shares: NATS (and its user), the log level. */}}
{{- define "cairn.commonEnv" -}}
- name: NATS_URL
  value: {{ include "cairn.natsUrl" .root | quote }}
{{- if .root.Values.nats.auth.enabled }}
- name: NATS_USER
  value: {{ .component }}
- name: NATS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "cairn.natsAuthSecret" .root }}
      key: {{ .component }}-password
{{- end }}
- name: CAIRN_LOG_LEVEL
  value: {{ .root.Values.cairn.logLevel | quote }}
{{- end -}}

{{/* CAIRN_SECRET_KEY from the chart's Secret or the operator's. */}}
{{- define "cairn.secretKeyEnv" -}}
- name: CAIRN_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ default (include "cairn.secretName" .) .Values.cairn.secretKey.existingSecret }}
      key: {{ .Values.cairn.secretKey.existingSecretKey }}
{{- end -}}

{{/*
One Cairn service's Deployment. Arguments: root, component (the service, also its command),
values (its block of values.yaml), env (extra env entries, YAML), volumes and volumeMounts (YAML,
besides /tmp), probes (YAML), and optionally terminationGracePeriodSeconds.
*/}}
{{- define "cairn.deployment" -}}
{{- $root := .root -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "cairn.componentName" . }}
  labels:
    {{- include "cairn.labels" . | nindent 4 }}
spec:
  replicas: {{ .values.replicas }}
  selector:
    matchLabels:
      {{- include "cairn.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "cairn.labels" . | nindent 8 }}
    spec:
      serviceAccountName: {{ include "cairn.serviceAccountName" $root }}
      # No Cairn service talks to the Kubernetes API.
      automountServiceAccountToken: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with .terminationGracePeriodSeconds }}
      terminationGracePeriodSeconds: {{ . }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "cairn.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: [{{ .component | quote }}]
          env:
            {{- include "cairn.commonEnv" . | nindent 12 }}
            # /metrics for the metrics Service (metrics.yaml), whatever the image's defaults.
            - name: CAIRN_METRICS_BIND
              value: "0.0.0.0"
            - name: CAIRN_METRICS_PORT
              value: {{ include "cairn.metricsPort" .component | quote }}
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
          ports:
            - name: metrics
              containerPort: {{ include "cairn.metricsPort" .component }}
              protocol: TCP
            {{- with .ports }}
            {{- . | nindent 12 }}
            {{- end }}
          {{- .probes | nindent 10 }}
          resources:
            {{- toYaml .values.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            # The root filesystem is read-only; Node and the engine write temporary files here.
            - name: tmp
              mountPath: /tmp
            {{- with .volumeMounts }}
            {{- . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        {{- with .volumes }}
        {{- . | nindent 8 }}
        {{- end }}
      {{- with .values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/*
Probes of a service that answers on NATS: its own health check (`cairn-server health`, the request
its clients make), patient enough that a NATS restart does not restart every service.
*/}}
{{- define "cairn.natsServiceProbes" -}}
startupProbe:
  exec:
    command: [cairn-server, health, {{ .component | quote }}]
  periodSeconds: 10
  timeoutSeconds: 10
  failureThreshold: 30
livenessProbe:
  exec:
    command: [cairn-server, health, {{ .component | quote }}]
  periodSeconds: 30
  timeoutSeconds: 10
  failureThreshold: 5
{{- end -}}

{{/* DATABASE_URL of the chart's PostgreSQL, its password from a Secret (Kubernetes expands $(VAR)). */}}
{{- define "cairn.bundledDatabaseEnv" -}}
- name: POSTGRES_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ default (include "cairn.secretName" .) .Values.postgresql.auth.existingSecret }}
      key: {{ .Values.postgresql.auth.existingSecretKey }}
- name: DATABASE_URL
  value: {{ printf "postgres://%s:$(POSTGRES_PASSWORD)@%s:5432/%s" .Values.postgresql.auth.username (include "cairn.componentName" (dict "root" . "component" "postgresql")) .Values.postgresql.auth.database | quote }}
{{- end -}}

{{/* Where people open Cairn: cairn.publicUrl, else the first Ingress host, else nothing. */}}
{{- define "cairn.publicUrl" -}}
{{- if .Values.cairn.publicUrl -}}
{{- .Values.cairn.publicUrl -}}
{{- else if and .Values.ingress.enabled .Values.ingress.hosts -}}
{{- $host := first .Values.ingress.hosts -}}
{{- $tls := false -}}
{{- range .Values.ingress.tls }}{{ if has $host .hosts }}{{ $tls = true }}{{ end }}{{ end -}}
{{- printf "%s://%s/" (ternary "https" "http" $tls) $host -}}
{{- end -}}
{{- end -}}

{{/* The names the gateway answers to: its Service's, the Ingress hosts, and gateway.allowedHosts. */}}
{{- define "cairn.allowedHosts" -}}
{{- $service := include "cairn.componentName" (dict "root" . "component" "gateway") -}}
{{- $ns := .Release.Namespace -}}
{{- $hosts := list $service (printf "%s.%s" $service $ns) (printf "%s.%s.svc" $service $ns) (printf "%s.%s.svc.cluster.local" $service $ns) -}}
{{- if .Values.ingress.enabled }}{{ $hosts = concat $hosts .Values.ingress.hosts }}{{ end -}}
{{- concat $hosts .Values.gateway.allowedHosts | uniq | join "," -}}
{{- end -}}

{{/*
The gateway's probes: alive while it serves HTTP (its health answers 200 even when the catalog is
away), ready when it reaches NATS and the catalog (`cairn-server health gateway`).
*/}}
{{- define "cairn.gatewayProbes" -}}
startupProbe:
  httpGet:
    path: /api/v1/health
    port: http
  periodSeconds: 5
  failureThreshold: 60
livenessProbe:
  httpGet:
    path: /api/v1/health
    port: http
  periodSeconds: 20
  timeoutSeconds: 5
  failureThreshold: 3
readinessProbe:
  exec:
    command: [cairn-server, health, gateway]
  periodSeconds: 15
  timeoutSeconds: 10
  failureThreshold: 2
{{- end -}}
