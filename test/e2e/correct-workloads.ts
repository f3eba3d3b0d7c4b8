// Workloads built the way a careful SRE builds them, following what docs/rules/*.md ask for: HPAs that
// own the replica count (no spec.replicas), PDBs, spread over zones and nodes, startup, liveness and
// readiness probes on declared ports (liveness a different check from readiness), requests, a preStop
// sleep behind every Service, a StatefulSet with a headless Service and volumeClaimTemplates, a
// DaemonSet. Used by live-truth.test.ts (scan) and serve.test.ts (admission), and applied with the
// real kubectl (`kubectl`).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../cli/run.js';

export const KUBECTL = join(ROOT, 'tools/cluster/bin/kubectl');

/** Runs the real kubectl; resolves with its exit code and output (a non-zero exit is not an error here). */
export function kubectl(
  kubeconfig: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(KUBECTL, ['--kubeconfig', kubeconfig, ...args], (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** kubectl's `Warning: …` lines that came from kubeha. */
export const kubehaWarnings = (stderr: string): string[] =>
  stderr.split('\n').filter((l) => l.startsWith('Warning: kubeha'));

/**
 * An HTTP service: Deployment, Service, HPA and PDB, one YAML document each. `replicas` is left out
 * unless given (the HPA owns the count; `replicas: 3` next to the HPA is the hpa-replicas-conflict case).
 */
export function service(
  name: string,
  replicas?: number,
): { deployment: string; service: string; hpa: string; pdb: string } {
  const selector = `{ matchLabels: { app: ${name} } }`;
  return {
    deployment: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: { app: ${name} }
spec:
${replicas === undefined ? '  # No replicas: the HPA owns the count.' : `  replicas: ${replicas}`}
  selector: ${selector}
  strategy:
    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      topologySpreadConstraints:
        - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: ${selector} }
        - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: ${selector} }
      containers:
        - name: app
          image: registry.example/${name}:1.0
          ports: [{ name: http, containerPort: 8080 }]
          startupProbe: { httpGet: { path: /healthz, port: http }, periodSeconds: 5, failureThreshold: 24 }
          livenessProbe: { tcpSocket: { port: http } }
          readinessProbe: { httpGet: { path: /ready, port: http } }
          lifecycle: { preStop: { sleep: { seconds: 5 } } }
          resources: { requests: { cpu: 250m, memory: 256Mi }, limits: { memory: 256Mi } }
`,
    service: `apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec:
  selector: { app: ${name} }
  ports: [{ name: http, port: 80, targetPort: http }]
`,
    hpa: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: ${name} }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${name} }
  # Above the API server's default of 1: the HPA controller scales the Deployment to 3 at once (it
  # does so before reading any metric), so kube-controller-manager writes spec.replicas.
  minReplicas: 3
  maxReplicas: 9
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
`,
    pdb: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${name} }
spec:
  maxUnavailable: 1
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector: ${selector}
`,
  };
}

/** A StatefulSet of 3 behind a headless Service, each with a claim on `storageClass`, and its PDB. */
export function database(name: string, storageClass: string): string {
  const selector = `{ matchLabels: { app: ${name} } }`;
  return `apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec:
  clusterIP: None
  selector: { app: ${name} }
  ports: [{ name: pg, port: 5432, targetPort: pg }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
  annotations:
    # A primary and its streaming replicas: added by hand with their replication slots, not by load.
    kubeha.io/ignore: hpa-missing
    kubeha.io/ignore-reason: replicas are added by hand, with their replication slots
spec:
  serviceName: ${name}
  replicas: 3
  selector: ${selector}
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      terminationGracePeriodSeconds: 60
      topologySpreadConstraints:
        - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: ${selector} }
        - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: ${selector} }
      containers:
        - name: postgres
          image: registry.example/postgres:16
          ports: [{ name: pg, containerPort: 5432 }]
          startupProbe: { tcpSocket: { port: pg }, periodSeconds: 10, failureThreshold: 30 }
          livenessProbe: { tcpSocket: { port: pg } }
          readinessProbe: { exec: { command: [pg_isready, -q] } }
          lifecycle: { preStop: { sleep: { seconds: 5 } } }
          resources: { requests: { cpu: 500m, memory: 1Gi }, limits: { memory: 1Gi } }
          volumeMounts: [{ name: data, mountPath: /var/lib/postgresql/data }]
  volumeClaimTemplates:
    - metadata: { name: data }
      spec:
        accessModes: [ReadWriteOnce]
        storageClassName: ${storageClass}
        resources: { requests: { storage: 1Gi } }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${name} }
spec:
  maxUnavailable: 1
  # A database replica that is not Ready may be replaying its log: a drain waits for it (the decision
  # pdb-unhealthy-policy-unset asks to write out).
  unhealthyPodEvictionPolicy: IfHealthyBudget
  selector: ${selector}
`;
}

/** A node agent on every node, with probes on its declared port and requests. */
export function nodeAgent(name: string): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: ${name} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: agent
          image: registry.example/${name}:2.1
          ports: [{ name: metrics, containerPort: 2020 }]
          livenessProbe: { httpGet: { path: /api/v1/health, port: metrics } }
          readinessProbe: { httpGet: { path: /api/v1/ready, port: metrics } }
          resources: { requests: { cpu: 50m, memory: 64Mi }, limits: { memory: 128Mi } }
`;
}

/**
 * Storage the test cluster can bind (it has no provisioner): a StorageClass without one, with
 * immediate binding, and `count` hostPath PersistentVolumes of 1Gi that the PV controller binds to
 * the StatefulSet's claims.
 */
export function manualStorage(storageClass: string, count: number): string {
  const pvs = Array.from(
    { length: count },
    (_, i) => `---
apiVersion: v1
kind: PersistentVolume
metadata: { name: ${storageClass}-${i} }
spec:
  storageClassName: ${storageClass}
  capacity: { storage: 1Gi }
  accessModes: [ReadWriteOnce]
  hostPath: { path: /tmp/${storageClass}-${i} }
`,
  );
  return `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: ${storageClass} }
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: Immediate
${pvs.join('')}`;
}

/** A nightly report that never overlaps itself, and a one-off migration: bounded retries and run time. */
export function batch(name: string): string {
  const container = `            - name: ${name}
              image: registry.example/${name}:1.0
              resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { memory: 128Mi } }`;
  return `apiVersion: batch/v1
kind: CronJob
metadata: { name: ${name}-report }
spec:
  schedule: "*/1 * * * *"
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 300
  jobTemplate:
    spec:
      backoffLimit: 3
      activeDeadlineSeconds: 600
      template:
        spec:
          restartPolicy: OnFailure
          containers:
${container}
---
apiVersion: batch/v1
kind: Job
metadata: { name: ${name}-migrate }
spec:
  backoffLimit: 2
  activeDeadlineSeconds: 600
  template:
    spec:
      restartPolicy: Never
      containers:
${container.replace(/^ {4}/gm, '')}
`;
}
