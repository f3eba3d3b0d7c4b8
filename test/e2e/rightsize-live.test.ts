// `kubeha rightsize -n NS` on a live cluster (the real control plane of tools/cluster) with usage
// from a real Prometheus (tools/prometheus): the workloads and their HPA are the cluster's, the
// proof runs on the cluster's nodes, and a workload named that is not there, or --write, is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { deleteNodes, kubeconfigPath } from '../../tools/cluster/nodes.mjs';
import { writeOpenMetricsFile, type WorkloadSpec } from '../../tools/prometheus/series.mjs';
import { prometheusBuilt, startPrometheus, type RunningPrometheus } from '../../tools/prometheus/start.mjs';
import { run } from '../cli/run.js';
import type { RightsizeReport } from '../../src/rightsize/report.js';
import {
  createAll,
  dropNamespace,
  freshNamespace,
  kwokNode,
  schedulableNodes,
  waitPodsReady,
} from './support.js';

const NS = 'kubeha-rightsize-live';
const LABEL = 'rightsize-live';
const MiB = 2 ** 20;
const NODES = ['rl-a-1', 'rl-b-1', 'rl-c-1'].map((n) =>
  kwokNode(n, `rl-${n.split('-')[1]!}`, LABEL, { cpu: '4', memory: '8Gi' }),
);

// Three pods asking 1 core and 1Gi each, measured at a quarter core and 400 MiB.
const MANIFESTS = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      nodeSelector: { kubeha-e2e: ${LABEL} }
      terminationGracePeriodSeconds: 0
      containers: [{ name: app, image: nginx:1.27, resources: { requests: { cpu: "1", memory: 1Gi } } }]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 3
  maxReplicas: 5
  metrics: [{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } } }]
`;
const HISTORY: WorkloadSpec[] = [
  {
    namespace: NS,
    name: 'web',
    replicas: 3,
    containers: [
      {
        name: 'app',
        cpu: { kind: 'steady', mean: 0.25, jitter: 0 },
        memory: { kind: 'steady', mean: 400 * MiB, jitter: 0 },
        requests: { cpu: 1, memory: 1024 * MiB },
      },
    ],
  },
];

describe.runIf(prometheusBuilt())('kubeha rightsize on a live cluster', () => {
  const kubeconfig = kubeconfigPath();
  let kc: Kubeconfig;
  let prometheus: RunningPrometheus;
  let dir: string;

  beforeAll(async () => {
    kc = loadKubeconfig(kubeconfig);
    dir = mkdtempSync(join(tmpdir(), 'kubeha-rightsize-live-'));
    const history = join(dir, 'web.om.txt');
    writeOpenMetricsFile(history, HISTORY, { end: Date.now() + 30 * 60_000, days: 9, stepSeconds: 300 });
    const started = startPrometheus({ openMetricsFiles: [history] });
    await schedulableNodes(kc, NODES);
    await freshNamespace(kc, NS);
    await createAll(kc, MANIFESTS, NS);
    await waitPodsReady(kc, NS, 3);
    prometheus = await started;
  }, 240_000);
  afterAll(async () => {
    await prometheus?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (kc) {
      await dropNamespace(kc, NS);
      await deleteNodes(
        kc,
        NODES.map((n) => n.metadata.name),
      );
    }
  });

  const rightsize = (...args: string[]) =>
    run(['rightsize', '--kubeconfig', kubeconfig, '--prometheus', prometheus.url, ...args]);

  it('right-sizes the namespace: its workloads, its HPA, the proof on its nodes', async () => {
    const r = await rightsize('-n', NS, '-o', 'json');
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as RightsizeReport;
    expect(report.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual(['Deployment/web']);
    const web = report.workloads[0]!;
    expect(web.file).toBeNull();
    expect(web.problems).toEqual([]);
    expect(web.changed).toBe(true);
    const app = web.containers[0]!;
    expect(app.current.requests).toEqual({ cpuCores: 1, memoryBytes: 2 ** 30 });
    // 0.25 core and 400 MiB, with VPA's 15% margin, and a percentile is the end of its histogram bucket (buckets grow by 5%).
    expect(app.recommended!.requests.cpuCores).toBeGreaterThan(0.25 * 1.15);
    expect(app.recommended!.requests.cpuCores).toBeLessThan(0.25 * 1.15 * 1.07);
    expect(app.recommended!.requests.memoryBytes).toBeGreaterThan(400 * MiB * 1.15);
    expect(app.recommended!.requests.memoryBytes).toBeLessThan(400 * MiB * 1.15 * 1.07);
    // The live HPA: 3 pods at 0.25 core each against 1 core is 25% of a 50% target today.
    const hpa = web.hpas[0]!;
    expect(hpa).toMatchObject({ name: 'web', minReplicas: 3, maxReplicas: 5 });
    expect(hpa.metrics[0]!.utilizationBefore).toEqual({ mean: 25, peak: 25 });
    expect(hpa.replicasBefore.mean).toBe(2);
    // Against ~0.3 core, the same load is ~85%: ratio 1.7 → ceil(5.1) = 6, beyond maxReplicas 5.
    expect(hpa.replicasAfter.peak).toBeGreaterThan(5);
    expect(hpa.warnings).toHaveLength(1);
    expect(web.proof!.before).toEqual({ placement: 'ok', 'node-loss': 'ok', 'zone-loss': 'ok', drain: 'ok' });
    expect(web.proof!.after).toEqual(web.proof!.before);
    expect(report.proof!.topology).toMatch(/^cluster /);
    const mine = report.proof!.zones.filter((z) => z.zone.startsWith('rl-'));
    expect(mine.map((z) => z.zone).sort()).toEqual(['rl-a', 'rl-b', 'rl-c']);
    for (const z of mine) {
      expect(z.allocatable.cpuCores).toBe(4);
      expect(z.headroomBefore.cpuCores).toBe(3);
      expect(z.headroomAfter.cpuCores).toBeCloseTo(4 - app.recommended!.requests.cpuCores!, 6);
    }
    expect(r.code).toBe(1); // the HPA warning
  });

  it('takes named workloads, says one that is not there, and writes nothing to a cluster', async () => {
    const named = await rightsize('-n', NS, 'deployment/web', '--no-proof');
    expect(named.stdout).toContain(`Deployment ${NS}/web\n  container app: requests cpu 1 → `);
    expect(named.stdout).not.toContain('proof:');
    const missing = await rightsize('-n', NS, 'statefulset/web');
    expect(missing.stderr).toBe(`kubeha: no workload StatefulSet web in the cluster\n`);
    expect(missing.code).toBe(2);
    const write = await rightsize('-n', NS, '--write');
    expect(write.stderr).toBe(
      'kubeha: --write edits manifests: name them with -f (a live cluster is not written)\n',
    );
    expect(write.code).toBe(2);
  });
});
