/** Manifests for the placement-map tests of the simulate html report. */

/** One single-replica Deployment `onezone` per namespace, all pinned to node-1. */
export function oneZoneManifest(namespaces: readonly string[]): string {
  return namespaces
    .map(
      (ns) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: onezone, namespace: ${ns}}
spec:
  replicas: 1
  selector: {matchLabels: {app: onezone}}
  template:
    metadata: {labels: {app: onezone}}
    spec:
      nodeSelector: {kubernetes.io/hostname: node-1}
      containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]
`,
    )
    .join('---\n');
}

/** Three replicas spread over the zones with a PDB: survives every scenario. */
export const spreadWeb = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: web}}
    spec:
      topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: {matchLabels: {app: web}}}
      containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
`;

/** Two replicas that must not share a node, both pinned to node-1: one runs, one stays Pending (stuck). */
export const pinnedPair = `apiVersion: apps/v1
kind: Deployment
metadata: {name: pair, namespace: team-a}
spec:
  replicas: 2
  selector: {matchLabels: {app: pair}}
  template:
    metadata: {labels: {app: pair}}
    spec:
      nodeSelector: {kubernetes.io/hostname: node-1}
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: pair}}}
      containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]
`;
