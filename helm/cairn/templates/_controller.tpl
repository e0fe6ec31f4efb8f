{{/* The volume controller's rights in a namespace it backs up (a Role there, or a ClusterRole for all). */}}
{{- define "cairn.controllerVolumeRules" -}}
- apiGroups: ['']
  resources: [pods]
  verbs: [get, list, watch, create, delete]
{{- if .Values.controller.volumeSnapshotClass }}
# The temporary PVCs made from snapshots.
- apiGroups: ['']
  resources: [persistentvolumeclaims]
  verbs: [get, list, watch, create, delete]
- apiGroups: [snapshot.storage.k8s.io]
  resources: [volumesnapshots]
  verbs: [get, list, watch, create, delete]
{{- else }}
- apiGroups: ['']
  resources: [persistentvolumeclaims]
  verbs: [get, list, watch]
{{- end }}
{{- end -}}
