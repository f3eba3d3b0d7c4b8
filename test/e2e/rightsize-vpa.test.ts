// kubeha rightsize against the real VPA recommender (k8s.io/autoscaler/vertical-pod-autoscaler
// v1.8.1, built by tools/vpa/build.sh) on the same history in a real Prometheus (tools/prometheus):
// generated workloads of many usage shapes run as kwok pods, their history is backfilled, a
// VerticalPodAutoscaler (updateMode Off) watches each, and every container's target must agree
// within 5 % (and the bounds, but one, see the last test). Two OOM kills happen for real: the pods'
// statuses say so, as a kubelet's would, and the recommender's OOM observer picks them up;
// kube-state-metrics' series in the backfill say the same to kubeha.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import {
  applyNodes,
  deleteNodes,
  kubeconfigPath,
  waitNodesReady,
  type KwokNode,
} from '../../tools/cluster/nodes.mjs';
import {
  DEFAULT_CADVISOR_JOB,
  generateSeries,
  windowGrid,
  writeOpenMetrics,
  type Grid,
  type ContainerSpec,
  type Series,
  type Shape,
  type WorkloadSpec,
} from '../../tools/prometheus/series.mjs';
import { prometheusBuilt, startPrometheus, type RunningPrometheus } from '../../tools/prometheus/start.mjs';
import {
  installVpaCrds,
  uninstallVpaCrds,
  RECOMMENDER,
  startRecommender,
  startRecordingProxy,
  type PrometheusQuery,
  type Recommender,
  type RecordingProxy,
} from '../../tools/vpa/start.mjs';
import { parseQuantity } from '../../src/model/quantity.js';
import { e2eKubeconfig, until, type Obj } from './support.js';

const Mi = 2 ** 20;
const Gi = 2 ** 30;
/**
 * The history's step. rate() over VPA's 1 h resolution sees 12 points. Two readers whose hourly
 * steps fall between the same two points see the same points (rate() extrapolates to the edges of
 * its range alike), so the recommender and kubeha agree on their input when both read within one
 * STEP_SECONDS slot: 5 minutes leaves room for starting both.
 */
const STEP_SECONDS = 300;
const DAYS = 8;
const TOLERANCE = 0.05;

const missing = [
  existsSync(RECOMMENDER) ? '' : `no ${RECOMMENDER} (npm run vpa:build)`,
  prometheusBuilt() ? '' : 'no tools/prometheus/bin/prometheus or promtool (npm run prometheus:build)',
].filter(Boolean);
const title = 'kubeha rightsize agrees with the real VPA recommender within 5 %';

/** A workload of the test: what series.mjs generates, and how its pods ask for resources live. */
interface Case extends WorkloadSpec {
  kind: 'Deployment' | 'StatefulSet';
  /** A live OOM kill of this pod's container, `minutesAgo` before the history's end. */
  oom?: { replica: number; container: string; minutesAgo: number };
  /** The VPA's spec.resourcePolicy: both must bound the numbers alike. */
  resourcePolicy?: Obj;
}

interface Resources {
  cpuCores: number;
  memoryBytes: number;
}
/** A resource the VPA's policy does not control has no number (undefined). */
interface Recommendation {
  target: Partial<Resources>;
  lowerBound: Partial<Resources>;
  upperBound: Partial<Resources>;
}
type ByWorkload = Map<string, Map<string, Recommendation>>;

const CLI = join(process.cwd(), 'dist', 'cli', 'bin.js');

/**
 * kubeha's recommendation for every workload of the namespace, read from the same Prometheus: through
 * `kubeha rightsize -o json` (the built CLI, dist/). Resolves with what it found and how.
 */
async function kubehaRecommendations(o: {
  namespace: string;
  prometheusUrl: string;
  kubeconfig: string;
}): Promise<{
  byWorkload: ByWorkload;
  how: string;
}> {
  const byWorkload: ByWorkload = new Map();
  const help = existsSync(CLI)
    ? spawnSync(process.execPath, [CLI, 'rightsize', '--help'], { encoding: 'utf8' })
    : undefined;
  if (help?.status !== 0)
    return { byWorkload, how: 'no `kubeha rightsize` in dist/cli/bin.js (npm run build)' };
  const args = [
    CLI,
    'rightsize',
    '-n',
    o.namespace,
    '--kubeconfig',
    o.kubeconfig,
    '--prometheus',
    o.prometheusUrl,
    '-o',
    'json',
  ];
  const run = await runAsync(process.execPath, args);
  let report: Obj;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    return {
      byWorkload,
      how: `kubeha rightsize exited ${run.code}: ${run.stderr.trim().split('\n').slice(0, 3).join(' | ')}`,
    };
  }
  // The JSON contract of docs/rightsize.md: containers[].vpa holds VPA's numbers before rounding.
  for (const w of report.workloads ?? []) {
    const m = new Map<string, Recommendation>();
    for (const c of w.containers ?? []) {
      const known = (a: Obj): Partial<Resources> => ({
        ...(a.cpuCores !== null ? { cpuCores: a.cpuCores } : {}),
        ...(a.memoryBytes !== null ? { memoryBytes: a.memoryBytes } : {}),
      });
      if (c.vpa)
        m.set(c.name, {
          target: known(c.vpa.target),
          lowerBound: known(c.vpa.lowerBound),
          upperBound: known(c.vpa.upperBound),
        });
    }
    byWorkload.set(w.name, m);
  }
  return { byWorkload, how: `kubeha rightsize (exit ${run.code})` };
}

function runAsync(
  cmd: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const steady = (mean: number, jitter = 0.05): Shape => ({ kind: 'steady', mean, jitter });

/**
 * ≥ 20 workloads: every shape, several containers, replicas, pod churn, StatefulSets, OOM kills,
 * and VPA resource policies (maxAllowed, minAllowed, controlledResources, a container Off).
 */
function cases(namespace: string): Case[] {
  const w = (c: Omit<Case, 'namespace'>): Case => ({ namespace, ...c });
  const one = (
    name: string,
    cpu: Shape,
    memory: Shape,
    requests = { cpu: 0.5, memory: 512 * Mi },
  ): ContainerSpec => ({
    name,
    cpu,
    memory,
    requests,
  });
  return [
    w({
      name: 'steady-small',
      kind: 'Deployment',
      containers: [one('app', steady(0.2), steady(400 * Mi, 0.02))],
    }),
    w({
      name: 'steady-large',
      kind: 'Deployment',
      containers: [one('app', steady(1.5), steady(2 * Gi, 0.02))],
    }),
    w({
      name: 'steady-jittery',
      kind: 'Deployment',
      containers: [one('app', steady(0.6, 0.35), steady(900 * Mi, 0.15))],
    }),
    w({
      name: 'spiky-api',
      kind: 'Deployment',
      containers: [
        one(
          'app',
          { kind: 'spiky', base: 0.2, peak: 1.4, spikesPerDay: 6, spikeMinutes: 30, jitter: 0.1 },
          { kind: 'spiky', base: 500 * Mi, peak: 1100 * Mi, spikesPerDay: 6, spikeMinutes: 30, jitter: 0.02 },
        ),
      ],
    }),
    w({
      name: 'spiky-rare',
      kind: 'Deployment',
      containers: [
        one(
          'app',
          { kind: 'spiky', base: 0.3, peak: 2.5, spikesPerDay: 1, spikeMinutes: 20, jitter: 0.05 },
          { kind: 'spiky', base: 600 * Mi, peak: 1500 * Mi, spikesPerDay: 1, spikeMinutes: 20, jitter: 0.02 },
        ),
      ],
    }),
    w({
      name: 'growing-cache',
      kind: 'Deployment',
      containers: [
        one(
          'app',
          { kind: 'growing', from: 0.1, to: 0.7, jitter: 0.05 },
          { kind: 'growing', from: 300 * Mi, to: 1300 * Mi, jitter: 0.02 },
        ),
      ],
    }),
    w({
      name: 'growing-queue',
      kind: 'Deployment',
      containers: [
        one(
          'app',
          { kind: 'growing', from: 1.2, to: 0.4, jitter: 0.05 },
          { kind: 'growing', from: 800 * Mi, to: 2400 * Mi, jitter: 0.02 },
        ),
      ],
    }),
    w({
      name: 'daily-web',
      kind: 'Deployment',
      containers: [
        one(
          'app',
          { kind: 'daily', low: 0.1, high: 0.9, jitter: 0.05 },
          { kind: 'daily', low: 400 * Mi, high: 800 * Mi, jitter: 0.02 },
        ),
      ],
    }),
    w({
      name: 'daily-batch',
      kind: 'Deployment',
      containers: [
        one(
          'app',
          { kind: 'daily', low: 0.05, high: 1.8, peakHour: 3, jitter: 0.05 },
          { kind: 'daily', low: 300 * Mi, high: 1800 * Mi, peakHour: 3, jitter: 0.02 },
        ),
      ],
    }),
    w({
      name: 'tiny',
      kind: 'Deployment',
      // Below VPA's minimums (25 millicores and 250 MiB per pod): both must say the minimum.
      containers: [one('app', steady(0.004), steady(40 * Mi, 0.02), { cpu: 0.01, memory: 64 * Mi })],
    }),
    w({
      name: 'multi-app',
      kind: 'Deployment',
      containers: [
        one('app', { kind: 'daily', low: 0.2, high: 1.1, jitter: 0.05 }, steady(1200 * Mi, 0.03)),
        one('sidecar', steady(0.05), steady(120 * Mi, 0.02), { cpu: 0.05, memory: 128 * Mi }),
        one(
          'log-shipper',
          { kind: 'spiky', base: 0.03, peak: 0.4, spikesPerDay: 4, spikeMinutes: 20, jitter: 0.1 },
          { kind: 'growing', from: 100 * Mi, to: 350 * Mi, jitter: 0.02 },
          { cpu: 0.1, memory: 256 * Mi },
        ),
      ],
    }),
    w({
      name: 'multi-proxy',
      kind: 'Deployment',
      containers: [
        one('app', steady(0.8), { kind: 'daily', low: 700 * Mi, high: 1000 * Mi, jitter: 0.02 }),
        one('envoy', { kind: 'daily', low: 0.05, high: 0.3, jitter: 0.05 }, steady(90 * Mi, 0.02)),
      ],
    }),
    w({
      name: 'replicas-web',
      kind: 'Deployment',
      replicas: 3,
      containers: [
        one(
          'app',
          { kind: 'daily', low: 0.15, high: 0.6, jitter: 0.1 },
          { kind: 'daily', low: 350 * Mi, high: 550 * Mi, jitter: 0.03 },
        ),
      ],
    }),
    w({
      name: 'replicas-spiky',
      kind: 'Deployment',
      replicas: 4,
      containers: [
        one(
          'app',
          { kind: 'spiky', base: 0.1, peak: 0.9, spikesPerDay: 3, spikeMinutes: 30, jitter: 0.1 },
          steady(700 * Mi, 0.05),
        ),
      ],
    }),
    w({
      name: 'churn-api',
      kind: 'Deployment',
      replicas: 2,
      churn: [0.3, 0.7],
      containers: [
        one('app', steady(0.45, 0.1), { kind: 'growing', from: 500 * Mi, to: 650 * Mi, jitter: 0.02 }),
      ],
    }),
    w({
      name: 'churn-worker',
      kind: 'Deployment',
      churn: [0.5],
      containers: [
        one('worker', { kind: 'daily', low: 0.3, high: 1.2, jitter: 0.05 }, steady(1000 * Mi, 0.05)),
      ],
    }),
    w({
      name: 'sts-db',
      kind: 'StatefulSet',
      replicas: 3,
      containers: [
        one(
          'postgres',
          steady(0.7, 0.15),
          { kind: 'growing', from: 1500 * Mi, to: 2600 * Mi, jitter: 0.01 },
          { cpu: 1, memory: 3 * Gi },
        ),
      ],
    }),
    w({
      name: 'sts-cache',
      kind: 'StatefulSet',
      replicas: 2,
      containers: [
        one(
          'redis',
          { kind: 'daily', low: 0.1, high: 0.5, jitter: 0.05 },
          { kind: 'daily', low: 800 * Mi, high: 950 * Mi, jitter: 0.01 },
          { cpu: 0.5, memory: Gi },
        ),
      ],
    }),
    w({
      name: 'oom-worker',
      kind: 'StatefulSet',
      // Its working set stays below its request; the OOM kill (a burst cAdvisor missed between
      // scrapes) makes VPA take the request as what was used: max(request × 1.2, request + 100 MiB).
      containers: [one('app', steady(0.3), steady(600 * Mi, 0.01), { cpu: 0.5, memory: 768 * Mi })],
      oom: { replica: 0, container: 'app', minutesAgo: 95 },
    }),
    w({
      name: 'oom-pair',
      kind: 'StatefulSet',
      replicas: 2,
      containers: [
        one('app', steady(0.25), steady(300 * Mi, 0.01), { cpu: 0.5, memory: 1200 * Mi }),
        one('sidecar', steady(0.02), steady(60 * Mi, 0.02), { cpu: 0.05, memory: 64 * Mi }),
      ],
      oom: { replica: 1, container: 'app', minutesAgo: 200 },
    }),
    w({
      name: 'policy-capped',
      kind: 'Deployment',
      // Would be ~1.7 cores and ~600 MiB: its policy caps the cpu and raises the memory.
      containers: [one('app', steady(1.5), steady(500 * Mi, 0.02))],
      resourcePolicy: {
        containerPolicies: [
          { containerName: 'app', maxAllowed: { cpu: '800m' }, minAllowed: { memory: '1Gi' } },
        ],
      },
    }),
    w({
      name: 'policy-cpu-only',
      kind: 'Deployment',
      containers: [one('app', steady(0.4), steady(700 * Mi, 0.02))],
      resourcePolicy: { containerPolicies: [{ containerName: '*', controlledResources: ['cpu'] }] },
    }),
    w({
      name: 'policy-sidecar-off',
      kind: 'Deployment',
      // Both below the minimums: with the sidecar Off, the app alone takes the whole pod minimum.
      containers: [
        one('app', steady(0.004), steady(40 * Mi, 0.02), { cpu: 0.01, memory: 64 * Mi }),
        one('sidecar', steady(0.004), steady(30 * Mi, 0.02), { cpu: 0.01, memory: 64 * Mi }),
      ],
      resourcePolicy: { containerPolicies: [{ containerName: 'sidecar', mode: 'Off' }] },
    }),
    w({
      name: 'daily-spiky',
      kind: 'Deployment',
      containers: [
        one(
          'app',
          { kind: 'daily', low: 0.3, high: 1.0, peakHour: 20, jitter: 0.05 },
          { kind: 'spiky', base: 700 * Mi, peak: 1400 * Mi, spikesPerDay: 2, spikeMinutes: 45, jitter: 0.02 },
        ),
      ],
    }),
  ];
}

const NODES: KwokNode[] = [1, 2].map((i) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: `vpa-e2e-${i}`,
    labels: { 'kubeha.dev/e2e': 'rightsize-vpa', 'topology.kubernetes.io/zone': `vpa-e2e-${i}` },
    annotations: {},
  },
  spec: {},
  status: { capacity: { cpu: '64', memory: '256Gi', pods: '110' } },
}));

function podTemplate(c: Case): Obj {
  return {
    metadata: { labels: { app: c.name } },
    spec: {
      nodeSelector: { 'kubeha.dev/e2e': 'rightsize-vpa' },
      containers: c.containers.map((k) => ({
        name: k.name,
        image: `registry.local/${c.name}/${k.name}:1.0`,
        resources: {
          requests: {
            cpu: `${Math.round((k.requests?.cpu ?? 0.5) * 1000)}m`,
            memory: String(k.requests?.memory),
          },
        },
      })),
    },
  };
}

function workloadObject(c: Case): Obj {
  const spec: Obj = {
    replicas: c.replicas ?? 1,
    selector: { matchLabels: { app: c.name } },
    template: podTemplate(c),
  };
  if (c.kind === 'StatefulSet') spec.serviceName = c.name;
  return { apiVersion: 'apps/v1', kind: c.kind, metadata: { name: c.name, namespace: c.namespace }, spec };
}

function vpaObject(c: Case): Obj {
  return {
    apiVersion: 'autoscaling.k8s.io/v1',
    kind: 'VerticalPodAutoscaler',
    metadata: { name: c.name, namespace: c.namespace },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: c.kind, name: c.name },
      updatePolicy: { updateMode: 'Off' },
      ...(c.resourcePolicy ? { resourcePolicy: c.resourcePolicy } : {}),
    },
  };
}

/**
 * kube-state-metrics' view of each live OOM kill: the container's restarts go from 0 to 1 and its
 * last termination reason is OOMKilled from the point of the kill on (series.mjs's 'oom' shape
 * would kill it all through the history, which the recommender, reading Prometheus for usage only,
 * never learns: it hears of OOM kills from pod updates it watches).
 */
function withOomSeries(series: Series[], all: Case[], grid: Grid): Series[] {
  const extra: Series[] = [];
  for (const c of all) {
    if (!c.oom) continue;
    const pod = `${c.name}-${c.oom.replica}`;
    const at = oomPoint(c, grid);
    const restarts = series.find(
      (s) =>
        s.name === 'kube_pod_container_status_restarts_total' &&
        s.labels.pod === pod &&
        s.labels.container === c.oom?.container,
    );
    if (!restarts) throw new Error(`series.mjs made no restarts series for ${pod}/${c.oom.container}`);
    for (let i = at; i < grid.count; i++) restarts.values[i] = 1;
    const reason = new Float64Array(grid.count).fill(NaN).fill(1, at);
    extra.push({
      ...restarts,
      name: 'kube_pod_container_status_last_terminated_reason',
      family: 'kube_pod_container_status_last_terminated_reason',
      type: 'gauge',
      help: 'Describes the last reason the container was in terminated state.',
      labels: { ...restarts.labels, reason: 'OOMKilled' },
      values: reason,
    });
  }
  // OpenMetrics wants a family's series together: the new ones go after their family's others, or
  // after the restarts' family when theirs has none yet.
  const out = [...series];
  const lastOf = (family: string) => out.reduce((at, x, i) => (x.family === family ? i : at), -1);
  for (const s of extra) {
    const last = lastOf(s.family);
    out.splice((last >= 0 ? last : lastOf('kube_pod_container_status_restarts')) + 1, 0, s);
  }
  return out;
}

/** The grid point of a case's OOM kill. */
function oomPoint(c: Case, grid: Grid): number {
  return grid.count - 1 - Math.round(((c.oom?.minutesAgo ?? 0) * 60_000) / grid.stepMs);
}

/** Tells the recommender's OOM observer, through the status subresource, that a container was OOM-killed. */
async function oomKill(kc: Kubeconfig, c: Case, grid: Grid): Promise<void> {
  const pod = `${c.name}-${c.oom?.replica}`;
  const path = `/api/v1/namespaces/${c.namespace}/pods/${pod}`;
  const { body } = await kubeCall(kc, 'GET', path);
  const finishedAt = new Date(grid.startMs + oomPoint(c, grid) * grid.stepMs);
  const startedAt = body.status.startTime ?? finishedAt.toISOString();
  const statuses = (body.status.containerStatuses as Obj[]).map((s) =>
    s.name !== c.oom?.container
      ? s
      : {
          ...s,
          restartCount: (s.restartCount ?? 0) + 1,
          // What a kubelet reports once the container runs again: the kill as its last state
          // (VPA's observer: running before and after, restartCount up, lastState OOMKilled).
          lastState: {
            terminated: {
              exitCode: 137,
              reason: 'OOMKilled',
              startedAt,
              finishedAt: finishedAt.toISOString().replace(/\.\d+Z$/, 'Z'),
            },
          },
          state: {
            running: {
              startedAt: new Date(finishedAt.getTime() + 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
            },
          },
        },
  );
  await kubeCall(kc, 'PUT', `${path}/status`, {
    ...body,
    status: { ...body.status, containerStatuses: statuses },
  });
}

function cpuCores(q: unknown): number {
  const v = parseQuantity(q);
  if (v === undefined) throw new Error(`not a quantity: ${JSON.stringify(q)}`);
  return v;
}

/** VPA's recommendation of a workload, per container, from its VerticalPodAutoscaler's status. */
function vpaRecommendation(vpa: Obj): Map<string, Recommendation> {
  const out = new Map<string, Recommendation>();
  for (const r of vpa.status?.recommendation?.containerRecommendations ?? []) {
    const res = (x: Obj): Partial<Resources> => ({
      ...(x.cpu !== undefined ? { cpuCores: cpuCores(x.cpu) } : {}),
      ...(x.memory !== undefined ? { memoryBytes: cpuCores(x.memory) } : {}),
    });
    out.set(r.containerName, {
      target: res(r.target),
      lowerBound: res(r.lowerBound),
      upperBound: res(r.upperBound),
    });
  }
  return out;
}

/** Relative difference from the recommender's value. */
const off = (kubeha: number, vpa: number): number => Math.abs(kubeha - vpa) / vpa;

interface Row {
  container: string;
  field: 'target' | 'lowerBound' | 'upperBound';
  resource: 'cpu' | 'memory';
  vpa?: number;
  kubeha?: number;
  off: number;
}

function table(rows: Row[]): string {
  const fmt = (r: Row, v: number | undefined) =>
    v === undefined ? '—' : r.resource === 'cpu' ? `${(v * 1000).toFixed(1)}m` : `${(v / Mi).toFixed(1)}Mi`;
  const lines = rows.map(
    (r) =>
      `${r.container.padEnd(34)} ${`${r.field} ${r.resource}`.padEnd(18)} ${fmt(r, r.vpa).padStart(11)} ${fmt(r, r.kubeha).padStart(11)} ${Number.isFinite(r.off) ? `${(r.off * 100).toFixed(2)}%` : 'missing'}`,
  );
  return [
    `${'container'.padEnd(34)} ${'value'.padEnd(18)} ${'VPA'.padStart(11)} ${'kubeha'.padStart(11)} off`,
    ...lines,
  ].join('\n');
}

describe.skipIf(missing.length > 0)(
  missing.length ? `${title} (skipped: ${missing.join('; ')})` : title,
  () => {
    let kc: Kubeconfig;
    let kubeconfig: string;
    let prometheus: RunningPrometheus | undefined;
    let recommender: Recommender | undefined;
    let kubehaProxy: RecordingProxy | undefined;
    let dataDir: string | undefined;
    /** The VPA CRDs this test installed, removed after it so that later tests find the cluster as it was. */
    let createdCrds: string[] = [];
    const namespace = `kubeha-vpa-${Date.now().toString(36)}`;
    const all = cases(namespace);
    let grid: Grid;
    const rows: Row[] = [];
    let kubehaQueries: PrometheusQuery[] = [];

    beforeAll(async () => {
      ({ kubeconfig, kc } = e2eKubeconfig());
      createdCrds = await installVpaCrds(kc);
      await applyNodes(kc, NODES);
      await waitNodesReady(
        kc,
        NODES.map((n) => n.metadata.name),
        60_000,
      );
      await kubeCall(kc, 'POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      });
      for (const c of all) {
        const o = workloadObject(c);
        await kubeCall(kc, 'POST', `/apis/apps/v1/namespaces/${namespace}/${c.kind.toLowerCase()}s`, o);
        await kubeCall(
          kc,
          'POST',
          `/apis/autoscaling.k8s.io/v1/namespaces/${namespace}/verticalpodautoscalers`,
          vpaObject(c),
        );
      }
      const podCount = all.reduce((n, c) => n + (c.replicas ?? 1), 0);
      await until(`${podCount} running pods in ${namespace}`, 120_000, async () => {
        const { body } = await kubeCall(kc, 'GET', `/api/v1/namespaces/${namespace}/pods`);
        const running = (body.items as Obj[]).filter((p) => p.status?.phase === 'Running');
        return running.length >= podCount ? running : undefined;
      });

      // The history: DAYS days ending at the last step before now, backfilled into Prometheus.
      // Both read the history in the slot between the last point and the next one (STEP_SECONDS):
      // with less than 90 s of it left, the history is made for the next slot.
      const slot = STEP_SECONDS * 1000;
      if (slot - (Date.now() % slot) < 90_000) await sleep(slot - (Date.now() % slot) + 1_000);
      grid = windowGrid({ days: DAYS, stepSeconds: STEP_SECONDS });
      const series = withOomSeries(generateSeries(all, { grid, seed: 18, podCgroup: false }), all, grid);
      dataDir = mkdtempSync(join(tmpdir(), 'kubeha-vpa-'));
      const file = join(dataDir, 'history.om');
      const fd = openSync(file, 'w');
      try {
        writeOpenMetrics(series, (chunk) => writeSync(fd, chunk));
      } finally {
        closeSync(fd);
      }
      prometheus = await startPrometheus({ openMetricsFiles: [file] });
      kubehaProxy = await startRecordingProxy(prometheus.url);
    }, 240_000);

    afterAll(async () => {
      await recommender?.stop();
      await kubehaProxy?.close();
      await prometheus?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (kc) {
        await kubeCall(kc, 'DELETE', `/api/v1/namespaces/${namespace}`, undefined, undefined, [404]);
        await deleteNodes(
          kc,
          NODES.map((n) => n.metadata.name),
        );
        await uninstallVpaCrds(kc, createdCrds);
      }
    });

    it('every container: target CPU and memory within 5 % of the recommender', async () => {
      // Started together, so that both read the history in the slot it was made for.
      const [started, kubeha] = await Promise.all([
        startRecommender({
          kubeconfig,
          prometheusUrl: prometheus!.url,
          cadvisorJob: DEFAULT_CADVISOR_JOB,
          podLabelsMetric: `kube_pod_labels{job="kube-state-metrics"}[${DAYS}d]`,
          namespace,
          interval: '5s',
        }),
        kubehaRecommendations({ namespace, prometheusUrl: kubehaProxy!.url, kubeconfig }),
      ]);
      recommender = started;
      kubehaQueries = kubehaProxy!.queries;

      // The OOM kills happen once the recommender watches the pods (its first loop has run).
      await until('the recommender’s first loop', 60_000, async () =>
        (await started.runs()) >= 1 ? true : undefined,
      );
      for (const c of all) if (c.oom) await oomKill(kc, c, grid);
      const loops = await started.runs();
      await until('two more loops of the recommender', 60_000, async () =>
        (await started.runs()) >= loops + 2 ? true : undefined,
      );
      const vpas = await until('a recommendation in every VPA', 90_000, async () => {
        const { body } = await kubeCall(
          kc,
          'GET',
          `/apis/autoscaling.k8s.io/v1/namespaces/${namespace}/verticalpodautoscalers`,
        );
        const items = body.items as Obj[];
        return items.length === all.length && items.every((v) => vpaRecommendation(v).size > 0)
          ? items
          : undefined;
      });

      const recommenderQueries = started.queries.filter((q) => q.path.endsWith('/query_range'));
      for (const c of all) {
        const vpa = vpaRecommendation(vpas.find((v: Obj) => v.metadata.name === c.name));
        const ours = kubeha.byWorkload.get(c.name) ?? new Map<string, Recommendation>();
        for (const k of c.containers) {
          const v = vpa.get(k.name);
          const o = ours.get(k.name);
          for (const field of ['target', 'lowerBound', 'upperBound'] as const) {
            for (const resource of ['cpu', 'memory'] as const) {
              const pick = (r: Recommendation | undefined) =>
                r === undefined ? undefined : resource === 'cpu' ? r[field].cpuCores : r[field].memoryBytes;
              const a = pick(v);
              const b = pick(o);
              rows.push({
                container: `${c.name}/${k.name}`,
                field,
                resource,
                vpa: a,
                kubeha: b,
                // Neither gives a number (a container or resource the policy leaves alone): they agree.
                off:
                  a === undefined && b === undefined
                    ? 0
                    : a === undefined || b === undefined
                      ? Infinity
                      : off(b, a),
              });
            }
          }
        }
      }
      const targets = rows.filter((r) => r.field === 'target');
      const bad = targets.filter((r) => !(r.off <= TOLERANCE));
      const windows = [
        ...recommenderQueries.map(
          (q) => `recommender ${q.params.start}..${q.params.end} step ${q.params.step}`,
        ),
        ...kubehaQueries
          .filter((q) => q.path.endsWith('/query_range'))
          .slice(0, 2)
          .map((q) => `kubeha ${q.params.start}..${q.params.end} step ${q.params.step}`),
      ];
      const report = `${table(rows)}\n\nkubeha: ${kubeha.how}\nwindows read:\n${windows.join('\n')}\nrecommender log: ${started.logFile}`;
      if (bad.length > 0 || process.env.KUBEHA_VPA_TABLE) console.log(report);
      // Each read its history in the same slot between two points (else their hourly steps could
      // see different points, and a difference would say nothing about the algorithm).
      const ends = [
        ...recommenderQueries,
        ...kubehaQueries.filter((q) => q.path.endsWith('/query_range')),
      ].map((q) => Math.floor(Number(q.params.end) / STEP_SECONDS));
      expect(ends.length).toBeGreaterThanOrEqual(3);
      expect(new Set(ends).size, windows.join('\n')).toBe(1);
      expect(targets.length).toBe(2 * all.reduce((n, c) => n + c.containers.length, 0));
      expect(bad.map((r) => `${r.container} target ${r.resource}: VPA ${r.vpa}, kubeha ${r.kubeha}`)).toEqual(
        [],
      );
      // The policy cases did bound the numbers (else they would agree without testing the policy).
      const at = (container: string, resource: Row['resource']) =>
        targets.find((r) => r.container === container && r.resource === resource);
      expect(at('policy-capped/app', 'cpu')?.vpa).toBe(0.8);
      expect(at('policy-capped/app', 'memory')?.vpa).toBe(Gi);
      expect(at('policy-cpu-only/app', 'memory')).toMatchObject({ vpa: undefined, kubeha: undefined });
      expect(at('policy-cpu-only/app', 'cpu')?.vpa).toBeGreaterThan(0.4);
      expect(at('policy-sidecar-off/sidecar', 'cpu')).toMatchObject({ vpa: undefined, kubeha: undefined });
      expect(at('policy-sidecar-off/app', 'memory')?.vpa).toBe(250 * Mi);
    });

    it("shows each VPA's own status recommendation beside kubeha's numbers, as the recommender wrote it", async () => {
      const run = await runAsync(process.execPath, [
        CLI,
        'rightsize',
        '-n',
        namespace,
        '--kubeconfig',
        kubeconfigPath(),
        '--prometheus',
        prometheus!.url,
        '--no-proof',
        '-o',
        'json',
      ]);
      const report = JSON.parse(run.stdout) as {
        workloads: { name: string; verticalPodAutoscaler: { statusTargets: Obj[] } | null }[];
      };
      const { body } = await kubeCall(
        kc,
        'GET',
        `/apis/autoscaling.k8s.io/v1/namespaces/${namespace}/verticalpodautoscalers`,
      );
      const written = new Map(
        (body.items as Obj[]).map((v) => [
          v.metadata.name as string,
          [...vpaRecommendation(v)].map(([container, r]) => ({
            container,
            target: { cpuCores: r.target.cpuCores ?? null, memoryBytes: r.target.memoryBytes ?? null },
          })),
        ]),
      );
      expect(report.workloads.length).toBe(all.length);
      for (const w of report.workloads) {
        expect(w.verticalPodAutoscaler?.statusTargets, w.name).toEqual(written.get(w.name));
        expect(w.verticalPodAutoscaler?.statusTargets.length, w.name).toBeGreaterThan(0);
      }
    });

    it('the OOM kills reached the recommender, and no real-time sample did', () => {
      const log = recommender!.log();
      // The observer's kills: the pod, the termination's time and the memory request then.
      for (const c of all.filter((x) => x.oom)) {
        const k = c.containers.find((x) => x.name === c.oom?.container);
        const at = new Date(grid.startMs + oomPoint(c, grid) * grid.stepMs)
          .toISOString()
          .replace('.000Z', 'Z');
        expect(log).toContain(
          `"OOM detected" oomInfo={"Timestamp":"${at}","Memory":${k?.requests?.memory},"ContainerID":{"Namespace":"${namespace}","PodName":"${c.name}-${c.oom?.replica}","ContainerName":"${k?.name}"}}`,
        );
      }
      expect(log).not.toMatch(/Failed to record OOM/);
      // No metrics API on this cluster: the recommender says so every loop and adds no sample.
      expect(log).toMatch(/Cannot get ContainerMetricsSnapshot from MetricsClient/);
      expect(log).toMatch(/"ClusterSpec fed with ContainerUsageSamples" sampleCount=0/);
      expect(log).not.toMatch(/"ClusterSpec fed with ContainerUsageSamples" sampleCount=[1-9]/);
    });

    it('lower and upper bounds within 5 % too, but the lower memory bound of OOM-killed containers', () => {
      // VPA files a live OOM kill under the container's newest memory window whatever its time, and
      // under the aggregate of the pod's live labels, which differ from the labels its history
      // came with (kube-state-metrics' label_ names, no controller-revision-hash): the peak the
      // kill replaces stays in the history's aggregate. kubeha files the kill in the window of its
      // time and replaces that window's peak, so the lower bound (the 50th percentile of a few
      // daily peaks) can differ there; the target (90th) and the upper bound (95th) land on the
      // bumped peak either way. Reported, not asserted.
      const oomKilled = new Set(all.filter((c) => c.oom).map((c) => `${c.name}/${c.oom?.container}`));
      const bounds = rows.filter((r) => r.field !== 'target');
      const exempt = (r: Row) =>
        r.field === 'lowerBound' && r.resource === 'memory' && oomKilled.has(r.container);
      const judged = bounds.filter((r) => !exempt(r));
      const reported = bounds.filter(exempt);
      console.log(
        `bounds within 5 %: ${bounds.filter((r) => r.off <= TOLERANCE).length} of ${bounds.length}; ` +
          `OOM-killed lower memory bounds (not asserted): ${reported.map((r) => `${r.container} ${r.field} ${(r.off * 100).toFixed(1)}%`).join(', ')}`,
      );
      expect(judged.length).toBe(bounds.length - oomKilled.size);
      expect(
        judged
          .filter((r) => !(r.off <= TOLERANCE))
          .map((r) => `${r.container} ${r.field} ${r.resource}: VPA ${r.vpa}, kubeha ${r.kubeha}`),
      ).toEqual([]);
    });
  },
);

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
