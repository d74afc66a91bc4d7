{{/* The chart's name. */}}
{{- define "glimpse.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every object's name: the release name, plus the chart's unless it holds it. */}}
{{- define "glimpse.fullname" -}}
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

{{/* Labels of every object. */}}
{{- define "glimpse.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "glimpse.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one component (pipeline, trainer, models): dict "root" . "component" name. */}}
{{- define "glimpse.selectorLabels" -}}
app.kubernetes.io/name: {{ include "glimpse.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The ServiceAccount the pods run as. */}}
{{- define "glimpse.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "glimpse.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* An image reference: dict "root" . "image" (repository, tag); the tag defaults to appVersion. */}}
{{- define "glimpse.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) }}
{{- end }}

{{/* The pipeline's image: the GPU image when pipeline.gpu.enabled. */}}
{{- define "glimpse.pipelineImage" -}}
{{- if .Values.pipeline.gpu.enabled }}
{{- include "glimpse.image" (dict "root" . "image" .Values.pipeline.gpu.image) }}
{{- else }}
{{- include "glimpse.image" (dict "root" . "image" .Values.image) }}
{{- end }}
{{- end }}

{{/* The model store's URI, glimpse.model.store. */}}
{{- define "glimpse.storeUri" -}}
{{- if eq .Values.store.type "s3" }}
{{- required "store.type is s3: set store.s3.uri to s3://bucket/prefix" .Values.store.s3.uri }}
{{- else }}
{{- printf "file://%s" .Values.store.volume.mountPath }}
{{- end }}
{{- end }}

{{/* The ReadWriteMany claim of a volume store. */}}
{{- define "glimpse.claimName" -}}
{{- default (printf "%s-models" (include "glimpse.fullname" .)) .Values.store.volume.existingClaim }}
{{- end }}

{{/* A value as an environment variable's text: whole numbers without an exponent. */}}
{{- define "glimpse.envValue" -}}
{{- if and (kindIs "float64" .) (eq (float64 (int64 .)) .) }}
{{- int64 . | toString | quote }}
{{- else }}
{{- toString . | quote }}
{{- end }}
{{- end }}

{{/* A secretKeyRef env entry: dict "name" env-name "ref" (name, key). */}}
{{- define "glimpse.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .ref.name }}
      key: {{ .ref.key }}
{{- end }}

{{/*
Where every Glimpse container finds Kafka, the registry and the model store: GLIMPSE_KAFKA_* for
Kafka, its clients and the serde; GLIMPSE_MODEL_STORE and the S3 settings; secrets by reference only.
*/}}
{{- define "glimpse.connectionEnv" -}}
- name: GLIMPSE_KAFKA_BOOTSTRAP_SERVERS
  value: {{ .Values.kafka.bootstrapServers | quote }}
- name: GLIMPSE_KAFKA_SCHEMA_REGISTRY_URL
  value: {{ .Values.kafka.schemaRegistryUrl | quote }}
{{- with .Values.kafka.security }}
{{- if .protocol }}
- name: GLIMPSE_KAFKA_SECURITY_PROTOCOL
  value: {{ .protocol | quote }}
{{- end }}
{{- if .sasl.mechanism }}
- name: GLIMPSE_KAFKA_SASL_MECHANISM
  value: {{ .sasl.mechanism | quote }}
{{- end }}
{{- if .sasl.jaasConfigSecret.name }}
{{ include "glimpse.secretEnv" (dict "name" "GLIMPSE_KAFKA_SASL_JAAS_CONFIG" "ref" .sasl.jaasConfigSecret) }}
{{- end }}
{{- if .tls.truststoreSecret }}
- name: GLIMPSE_KAFKA_SSL_TRUSTSTORE_LOCATION
  value: {{ printf "/etc/glimpse/kafka-tls/%s" .tls.truststoreKey | quote }}
- name: GLIMPSE_KAFKA_SSL_TRUSTSTORE_TYPE
  value: {{ .tls.truststoreType | quote }}
{{- end }}
{{- if .tls.truststorePasswordSecret.name }}
{{ include "glimpse.secretEnv" (dict "name" "GLIMPSE_KAFKA_SSL_TRUSTSTORE_PASSWORD" "ref" .tls.truststorePasswordSecret) }}
{{- end }}
{{- end }}
{{- if .Values.kafka.registry.basicAuthSecret.name }}
- name: GLIMPSE_KAFKA_BASIC_AUTH_CREDENTIALS_SOURCE
  value: USER_INFO
{{ include "glimpse.secretEnv" (dict "name" "GLIMPSE_KAFKA_BASIC_AUTH_USER_INFO" "ref" .Values.kafka.registry.basicAuthSecret) }}
{{- end }}
{{- range $key, $value := .Values.kafka.properties }}
{{- /* Secrets: passwords, JAAS, user info, private keys (ssl.keystore.key, *.key), credentials and
  tokens; *.credentials.source and *.token.endpoint.url only say where they come from. */}}
{{- if and (regexMatch "(password|jaas|user\\.info|secret|keystore\\.key|\\.key$|credentials|token)" $key) (not (regexMatch "(\\.credentials\\.source|\\.token\\.endpoint\\.url)$" $key)) }}
{{- fail (printf "kafka.properties.%s is a secret: give it by reference (kafka.security.*Secret, kafka.registry.basicAuthSecret) or in pipeline.extraEnv with valueFrom.secretKeyRef" $key) }}
{{- end }}
- name: {{ printf "GLIMPSE_KAFKA_%s" ($key | replace "." "_" | upper) }}
  value: {{ include "glimpse.envValue" $value }}
{{- end }}
- name: GLIMPSE_MODEL_STORE
  value: {{ include "glimpse.storeUri" . | quote }}
{{- if eq .Values.store.type "s3" }}
{{- with .Values.store.s3 }}
{{- if .endpoint }}
- name: GLIMPSE_S3_ENDPOINT
  value: {{ .endpoint | quote }}
{{- end }}
{{- if .region }}
- name: GLIMPSE_S3_REGION
  value: {{ .region | quote }}
{{- end }}
- name: GLIMPSE_S3_PATH_STYLE
  value: {{ .pathStyle | quote }}
- name: GLIMPSE_MODEL_CACHE_DIR
  value: {{ .cacheDir | quote }}
- name: GLIMPSE_MODEL_CACHE_MAX_BYTES
  value: {{ include "glimpse.envValue" .cacheMaxBytes }}
{{- if .credentialsSecret }}
{{ include "glimpse.secretEnv" (dict "name" "AWS_ACCESS_KEY_ID" "ref" (dict "name" .credentialsSecret "key" .accessKeyIdKey)) }}
{{ include "glimpse.secretEnv" (dict "name" "AWS_SECRET_ACCESS_KEY" "ref" (dict "name" .credentialsSecret "key" .secretAccessKeyKey)) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Volume mounts for the connection: the Kafka truststore, the model store (dict "root" . "readOnly" bool). */}}
{{- define "glimpse.connectionVolumeMounts" -}}
{{- if .root.Values.kafka.security.tls.truststoreSecret }}
- name: kafka-tls
  mountPath: /etc/glimpse/kafka-tls
  readOnly: true
{{- end }}
{{- if eq .root.Values.store.type "s3" }}
- name: model-cache
  mountPath: {{ .root.Values.store.s3.cacheDir }}
{{- else }}
- name: models
  mountPath: {{ .root.Values.store.volume.mountPath }}
  readOnly: {{ .readOnly }}
{{- end }}
- name: tmp
  mountPath: /tmp
- name: djl-cache
  mountPath: /var/cache/glimpse
{{- end }}

{{/* The volumes behind glimpse.connectionVolumeMounts. */}}
{{- define "glimpse.connectionVolumes" -}}
{{- if .Values.kafka.security.tls.truststoreSecret }}
- name: kafka-tls
  secret:
    secretName: {{ .Values.kafka.security.tls.truststoreSecret }}
{{- end }}
{{- if eq .Values.store.type "s3" }}
- name: model-cache
  emptyDir:
    sizeLimit: {{ .Values.store.s3.cacheSizeLimit }}
{{- else }}
- name: models
  persistentVolumeClaim:
    claimName: {{ include "glimpse.claimName" . }}
{{- end }}
- name: tmp
  emptyDir: {}
- name: djl-cache
  emptyDir: {}
{{- end }}

{{/* The pod-level settings every Glimpse pod shares. */}}
{{- define "glimpse.podCommon" -}}
serviceAccountName: {{ include "glimpse.serviceAccountName" . }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- end }}
