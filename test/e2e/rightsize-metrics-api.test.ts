// The metrics API path of `kubeha rightsize` against the real metrics-server
// (sigs.k8s.io/metrics-server v0.8.0, built by tools/metrics-server/build.sh) on the kwok cluster:
// kwok emulates the containers' usage from ResourceUsage / ClusterResourceUsage objects of known
// values and serves it as each node's kubelet /metrics/resource; metrics-server scrapes it and is
// reached through the kube-apiserver's aggregation layer (APIService v1beta1.metrics.k8s.io), as
// any client of metrics.k8s.io reaches it. What metrics-server serves, what kubeha's metrics-API
// source samples from it, and what `kubeha rightsize --metrics-api` recommends from those samples
// must follow from those values.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, kubeRequest, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { deleteNodes, kubeconfigPath } from '../../tools/cluster/nodes.mjs';
import {
  API_SERVICE,
  METRICS_SERVER,
  clusterUsage,
  metricsPathAnnotation,
  metricsServerBuilt,
  podUsage,
  startMetricsServer,
  type RunningMetricsServer,
} from '../../tools/metrics-server/start.mjs';
import { connect } from '../../src/sources/cluster-client.js';
import { metricsApiSource } from '../../src/sources/metrics-api.js';
import { parseQuantity } from '../../src/model/quantity.js';
import type { UsageQuery } from '../../src/model/usage.js';
import {
  createAll,
  dropNamespace,
  freshNamespace,
  kwokNode,
  schedulableNodes,
  until,
  waitPodsReady,
  type Obj,
} from './support.js';

const NS = 'kubeha-rightsize-metrics';
const OWNER = 'rightsize-metrics-api';
const NODE = 'kubeha-metrics-a';
const Mi = 2 ** 20;
/**
 * CPU is a rate metrics-server computes from two scrapes of kwok's cumulative counter, each stamped
 * with the scrape's start: the few milliseconds between that and kwok's own clock over a 10 s
 * resolution move it by well under 1 %. Memory is a gauge, served as it is.
 */
const CPU_TOLERANCE = 0.01;

/** The usage every container is given: cores and bytes, per pod (a name, or the Deployment's `api-*`). */
const USAGE: Record<string, Record<string, { cpu: number; memory: number }>> = {
  'api-*': { app: { cpu: 0.25, memory: 300 * Mi }, sidecar: { cpu: 0.02, memory: 40 * Mi } },
  'db-0': { db: { cpu: 0.1, memory: 1024 * Mi } },
  'db-1': { db: { cpu: 0.3, memory: 1536 * Mi } },
};
const expected = (pod: string): Record<string, { cpu: number; memory: number }> | undefined =>
  USAGE[pod] ?? (pod.startsWith('api-') ? USAGE['api-*'] : undefined);

const WORKLOADS = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  replicas: 2
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      nodeSelector: { kubeha-e2e: ${OWNER} }
      containers:
        - name: app
          image: registry.example/api:1
          resources: { requests: { cpu: 500m, memory: 512Mi } }
        - name: sidecar
          image: registry.example/proxy:1
          resources: { requests: { cpu: 100m, memory: 64Mi } }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  replicas: 2
  serviceName: db
  podManagementPolicy: Parallel
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      nodeSelector: { kubeha-e2e: ${OWNER} }
      containers:
        - name: db
          image: registry.example/db:1
          resources: { requests: { cpu: "1", memory: 2Gi } }
`;

const QUERIES: UsageQuery[] = [
  {
    workload: { kind: 'Deployment', namespace: NS, name: 'api' },
    matchLabels: { app: 'api' },
    containers: ['app', 'sidecar'],
  },
  {
    workload: { kind: 'StatefulSet', namespace: NS, name: 'db' },
    matchLabels: { app: 'db' },
    containers: ['db'],
  },
];

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'bin.js');

/**
 * The bounds of VPA's target for a constant usage `v`: its histograms answer a percentile with the
 * end of the bucket holding it (buckets grow by 5 %, the first is `first` wide: 0.01 core, 10^7
 * bytes), then the 15 % margin; the CLI rounds up to a whole millicore or MiB (`unit`); the pod's
 * minimum (25m and 250Mi, split evenly over its containers) is a floor.
 */
function targetBounds(v: number, first: number, unit: number, floor: number): [number, number] {
  const low = Math.max(v * 1.15, floor);
  const high = Math.max((v * 1.05 + first) * 1.15, floor) + unit;
  return [low, high];
}

const within = (actual: number, want: number, tolerance: number): boolean =>
  Math.abs(actual - want) <= want * tolerance;

const built = metricsServerBuilt();
const title = 'the metrics API served by the real metrics-server on kwok-emulated usage';

describe.skipIf(!built)(
  built ? title : `${title} (skipped: no ${METRICS_SERVER}; npm run metrics-server:build)`,
  () => {
    const kubeconfig = kubeconfigPath();
    let kc: Kubeconfig;
    let server: RunningMetricsServer | undefined;

    beforeAll(async () => {
      kc = loadKubeconfig(kubeconfig);
      const node = kwokNode(NODE, 'zone-a', OWNER);
      node.metadata.annotations = metricsPathAnnotation(NODE);
      await schedulableNodes(kc, [node]);
      await freshNamespace(kc, NS);
      server = await startMetricsServer({
        kubeconfig,
        usageFromAnnotations: false,
        usages: [
          // The Deployment's pods have generated names: its usage is per container, for the namespace.
          clusterUsage({
            name: 'kubeha-e2e-rightsize-api',
            namespaces: [NS],
            containers: {
              app: { cpu: '250m', memory: '300Mi' },
              // An expression, as kwok evaluates it for each scrape.
              sidecar: { cpu: { expression: 'Quantity("20m")' }, memory: { expression: 'Quantity("40Mi")' } },
            },
          }),
          // A StatefulSet's pods have known names: a ResourceUsage each, which wins over the above.
          podUsage({ namespace: NS, pod: 'db-0', containers: { db: { cpu: '100m', memory: '1Gi' } } }),
          podUsage({ namespace: NS, pod: 'db-1', containers: { db: { cpu: '300m', memory: '1536Mi' } } }),
        ],
      });
      await createAll(kc, WORKLOADS, NS);
      await waitPodsReady(kc, NS, 4);
    }, 240_000);

    afterAll(async () => {
      // The APIService goes first: namespace deletion waits on discovery of every API group.
      await server?.stop();
      await dropNamespace(kc, NS);
      await deleteNodes(kc, [NODE]).catch(() => undefined);
    });

    it('GET /apis/metrics.k8s.io/v1beta1/namespaces/<ns>/pods returns the emulated usage of every container', async () => {
      const path = `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods`;
      // metrics-server serves a pod once it has two scrapes of it (a CPU rate needs two points).
      const items = await until('PodMetrics for the 4 pods', 90_000, async () => {
        const { status, body } = await kubeRequest(kc, 'GET', path);
        if (status !== 200) return undefined;
        const list = (body.items as Obj[]).filter((i) => expected(i.metadata.name));
        return list.length === 4 &&
          list.every((i) => i.containers.length === Object.keys(expected(i.metadata.name)!).length)
          ? list
          : undefined;
      });
      const { body: apiService } = await kubeCall(
        kc,
        'GET',
        `/apis/apiregistration.k8s.io/v1/apiservices/${API_SERVICE}`,
      );
      expect(apiService.spec.service).toMatchObject({ namespace: 'kube-system' });
      for (const item of items) {
        const want = expected(item.metadata.name)!;
        expect(item.metadata.namespace).toBe(NS);
        expect(item.window).toMatch(/^\d+(\.\d+)?s$/);
        for (const c of item.containers as Obj[]) {
          const cpu = parseQuantity(c.usage.cpu)!;
          const memory = parseQuantity(c.usage.memory)!;
          const label = `${item.metadata.name}/${c.name}: cpu ${c.usage.cpu}, memory ${c.usage.memory}`;
          expect(within(cpu, want[c.name]!.cpu, CPU_TOLERANCE), label).toBe(true);
          expect(memory, label).toBe(want[c.name]!.memory);
        }
      }
      // One pod by name, as `kubectl top pod db-1` asks.
      const { body: one } = await kubeCall(kc, 'GET', `${path}/db-1`);
      expect(parseQuantity(one.containers[0].usage.memory)).toBe(1536 * Mi);
    });

    it("kubeha's metrics-API source samples those values over a short window", async () => {
      const client = await connect({ kubeconfig });
      const source = metricsApiSource(client, { durationSeconds: 25, intervalSeconds: 5 });
      expect(source.shortWindow).toBe(true);
      const now = Math.floor(Date.now() / 1000);
      const usage = await source.fetch(QUERIES, { start: now, end: now + 25, step: 5 });
      expect(usage.map((u) => u.workload.name)).toEqual(['api', 'db']);
      for (const w of usage) {
        expect(w.problems, w.workload.name).toEqual([]);
        const pods = new Set(w.containers.map((c) => c.pod));
        expect(pods.size, w.workload.name).toBe(2);
        for (const c of w.containers) {
          const want = expected(c.pod)![c.container]!;
          const label = `${c.pod}/${c.container}`;
          // 25 s at a 10 s resolution: metrics-server has new measurements at least twice; the
          // source keeps one sample per measurement, not one per poll.
          expect(c.cpu.length, label).toBeGreaterThanOrEqual(2);
          expect(c.cpu.length, label).toBeLessThanOrEqual(4);
          expect(new Set(c.cpu.map((s) => s.time)).size, label).toBe(c.cpu.length);
          for (const s of c.cpu)
            expect(within(s.value, want.cpu, CPU_TOLERANCE), `${label} cpu ${s.value}`).toBe(true);
          expect(
            c.memory.map((s) => s.value),
            label,
          ).toEqual(c.memory.map(() => want.memory));
          expect(c.ooms, label).toEqual([]);
        }
      }
    }, 120_000);

    it('kubeha rightsize --metrics-api recommends from those samples and says the window is short', async () => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          CLI,
          'rightsize',
          '-n',
          NS,
          '--kubeconfig',
          kubeconfig,
          '--metrics-api',
          '--window',
          '30s',
          '--interval',
          '5s',
          '-o',
          'json',
        ],
        { env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 * Mi },
      );
      const report = JSON.parse(stdout) as Obj;
      expect(report.source).toMatchObject({ kind: 'metrics-api', url: null, shortWindow: true });
      expect(report.source.window.end - report.source.window.start).toBeGreaterThanOrEqual(29);
      expect(report.source.window.end - report.source.window.start).toBeLessThanOrEqual(60);
      const byName = new Map((report.workloads as Obj[]).map((w) => [w.name, w]));
      expect([...byName.keys()].sort()).toEqual(['api', 'db']);
      // Per container: the usage the samples carried (the highest pod's, as VPA's percentile over
      // equal weights lands in it), and the pod minimum's share.
      const cases: [string, string, number, number, number][] = [
        ['api', 'app', 0.25, 300 * Mi, 2],
        ['api', 'sidecar', 0.02, 40 * Mi, 2],
        ['db', 'db', 0.3, 1536 * Mi, 1],
      ];
      for (const [workload, container, cpu, memory, containers] of cases) {
        const w = byName.get(workload)!;
        expect(w.problems, workload).toEqual([]);
        const c = (w.containers as Obj[]).find((x) => x.name === container)!;
        const label = `${workload}/${container}: ${JSON.stringify(c.recommended?.requests)}`;
        // Every sample of every pod was counted: 2 pods, a new measurement each 10 s over 30 s.
        expect(c.vpa.cpuSamples, label).toBeGreaterThanOrEqual(2 * 2);
        const [cpuLow, cpuHigh] = targetBounds(cpu, 0.01, 0.001, 0.025 / containers);
        expect(c.recommended.requests.cpuCores, label).toBeGreaterThanOrEqual(cpuLow);
        expect(c.recommended.requests.cpuCores, label).toBeLessThanOrEqual(cpuHigh);
        const [memLow, memHigh] = targetBounds(memory, 1e7, Mi, (250 * Mi) / containers);
        expect(c.recommended.requests.memoryBytes, label).toBeGreaterThanOrEqual(memLow);
        expect(c.recommended.requests.memoryBytes, label).toBeLessThanOrEqual(memHigh);
        // A short window: the recommender's confidence is a fraction of a day, its bounds wide.
        expect(c.vpa.confidence, label).toBeLessThan(0.01);
        expect(c.vpa.upperBound.cpuCores, label).toBeGreaterThan(c.vpa.target.cpuCores);
      }
      // The text report says it on its first line.
      const text = await promisify(execFile)(
        process.execPath,
        [
          CLI,
          'rightsize',
          '-n',
          NS,
          '--kubeconfig',
          kubeconfig,
          '--metrics-api',
          '--window',
          '10s',
          '--interval',
          '5s',
          '--no-proof',
        ],
        { env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 * Mi },
      );
      expect(text.stdout.split('\n')[0]).toMatch(/short window/i);
    }, 150_000);

    it('stop() removes the APIService, so no dangling metrics.k8s.io is left for other tests', async () => {
      await server!.stop();
      const { status } = await kubeRequest(
        kc,
        'GET',
        `/apis/apiregistration.k8s.io/v1/apiservices/${API_SERVICE}`,
      );
      expect(status).toBe(404);
      const groups = (await kubeCall(kc, 'GET', '/apis')).body.groups as Obj[];
      expect(groups.map((g) => g.name)).not.toContain('metrics.k8s.io');
      const { status: metrics } = await kubeRequest(
        kc,
        'GET',
        `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods`,
      );
      expect(metrics).toBe(404);
    });
  },
);
