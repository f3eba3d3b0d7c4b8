// Shared inputs of the rightsize tests: manifests parsed by the real loader, usage built from
// known per-step values.
import type { ContainerUsage, UsageSample, WorkloadUsage } from '../../src/model/usage.js';
import type { K8sObject } from '../../src/model/types.js';
import { parseManifests } from '../../src/sources/parse.js';

export const HOUR = 3600;
export const DAY = 24 * HOUR;
/** A fixed "now": the end of every window in these tests. */
export const NOW = 1_780_000_000 - (1_780_000_000 % HOUR);

export function objectsOf(yaml: string, file = 'web.yaml'): K8sObject[] {
  const r = parseManifests(yaml, file, { defaultNamespace: 'default' });
  if (r.problems.length) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r.objects;
}

/** Samples every `step` seconds over `days`, ending at NOW, with `value(i)` at step i. */
export function series(days: number, step: number, value: (i: number) => number): UsageSample[] {
  const n = Math.floor((days * DAY) / step);
  return Array.from({ length: n }, (_, i) => ({ time: NOW - (n - 1 - i) * step, value: value(i) }));
}

export function container(
  pod: string,
  name: string,
  cpu: (i: number) => number,
  memory: (i: number) => number,
  days = 8,
  step = HOUR,
): ContainerUsage {
  return { pod, container: name, cpu: series(days, step, cpu), memory: series(days, step, memory), ooms: [] };
}

export function usageOf(
  o: K8sObject,
  containers: readonly ContainerUsage[],
  problems: string[] = [],
): WorkloadUsage {
  return { workload: { kind: o.kind, namespace: o.namespace, name: o.name }, containers, problems };
}

export const MIB = 2 ** 20;

export const WEB = `# the web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: app # the server
          image: nginx
          resources:
            requests:
              cpu: 500m # generous
              memory: 512Mi
            limits:
              cpu: "1"
              memory: 1Gi
        - name: sidecar
          image: envoy
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: shop
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 4
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 60}
`;
