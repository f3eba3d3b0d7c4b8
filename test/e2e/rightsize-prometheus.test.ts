// kubeha's Prometheus usage source (src/sources/prometheus.ts) against a real Prometheus serving
// history that the real promtool backfilled from generated series (tools/prometheus): the samples
// it returns are the generated ones, OOM kills are found where the generator put them, and every
// bad input (unreachable, slow, an error answer, missing series, no history, a renamed container)
// is one clear line.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageQuery, UsageWindow, WorkloadUsage } from '../../src/model/usage.js';
import { prometheusSource, PrometheusError } from '../../src/sources/prometheus.js';
import {
  generateSeries,
  toOpenMetrics,
  windowGrid,
  type Series,
  type WorkloadSpec,
} from '../../tools/prometheus/series.mjs';
import { prometheusBuilt, startPrometheus, type RunningPrometheus } from '../../tools/prometheus/start.mjs';

const MiB = 2 ** 20;
const NS = 'usage';
const WORKLOADS: WorkloadSpec[] = [
  {
    namespace: NS,
    name: 'steady',
    replicas: 2,
    labels: { 'app.kubernetes.io/name': 'steady' },
    containers: [
      {
        name: 'app',
        cpu: { kind: 'steady', mean: 0.4, jitter: 0.2 },
        memory: { kind: 'steady', mean: 300 * MiB, jitter: 0.05 },
        requests: { cpu: 0.5, memory: 256 * MiB },
      },
      {
        name: 'proxy',
        cpu: { kind: 'spiky', base: 0.05, peak: 0.8, spikesPerDay: 24, spikeMinutes: 5 },
        memory: { kind: 'daily', low: 40 * MiB, high: 90 * MiB },
      },
    ],
  },
  {
    namespace: NS,
    name: 'leaky',
    containers: [
      {
        name: 'app',
        cpu: { kind: 'steady', mean: 0.25 },
        memory: { kind: 'oom', from: 100 * MiB, limit: 512 * MiB, climbMinutes: 180 },
        requests: { cpu: 0.25, memory: 256 * MiB },
      },
    ],
  },
  {
    namespace: NS,
    name: 'churned',
    churn: [0.5],
    containers: [
      {
        name: 'app',
        cpu: { kind: 'growing', from: 0.1, to: 1.1 },
        memory: { kind: 'growing', from: 100 * MiB, to: 200 * MiB },
      },
    ],
  },
  {
    namespace: NS,
    name: 'renamed',
    containers: [
      { name: 'worker', cpu: { kind: 'steady', mean: 0.2 }, memory: { kind: 'steady', mean: 50 * MiB } },
    ],
  },
  {
    // Only kube-state-metrics knows its pod: cAdvisor's series are left out below.
    namespace: NS,
    name: 'unscraped',
    containers: [
      { name: 'app', cpu: { kind: 'steady', mean: 0.2 }, memory: { kind: 'steady', mean: 50 * MiB } },
    ],
  },
];

const query = (
  name: string,
  containers: string[],
  matchLabels: Record<string, string> = { app: name },
): UsageQuery => ({
  workload: { kind: 'Deployment', namespace: NS, name },
  matchLabels,
  containers,
});

const built = prometheusBuilt();

describe.skipIf(built)('the Prometheus usage source (tools/prometheus)', () => {
  it.skip('needs tools/prometheus/bin/prometheus and promtool: run `npm run prometheus:build`', () => {});
});

describe.runIf(built)('the Prometheus usage source against a real Prometheus (tools/prometheus)', () => {
  let prometheus: RunningPrometheus;
  const grid = windowGrid({ end: Date.now(), days: 1, stepSeconds: 60 });
  const series = generateSeries(WORKLOADS, { grid, seed: 11 });
  const window = (step: number): UsageWindow => ({
    start: grid.startMs / 1000,
    end: grid.endMs / 1000,
    step,
  });
  const byName = (usage: readonly WorkloadUsage[], name: string) =>
    usage.find((u) => u.workload.name === name)!;
  const generated = (name: string, pod: string, container: string): Series =>
    series.find((s) => s.name === name && s.labels.pod === pod && s.labels.container === container)!;

  beforeAll(async () => {
    // Every series but "unscraped"'s cAdvisor ones.
    const kept = series.filter(
      (s) => !(s.labels.pod?.startsWith('unscraped-') && s.name.startsWith('container_')),
    );
    expect(kept.length).toBeLessThan(series.length);
    prometheus = await startPrometheus({ openMetrics: toOpenMetrics(kept) });
  }, 170_000);
  afterAll(async () => {
    await prometheus?.stop();
  });

  it("returns the generated working set at every step and the generated cores as VPA's rate", async () => {
    const source = prometheusSource({ url: prometheus.url });
    expect(source.kind).toBe('prometheus');
    expect(source.shortWindow).toBe(false);
    const step = 120;
    const [steady] = await source.fetch(
      [query('steady', ['app', 'proxy'], { 'app.kubernetes.io/name': 'steady' })],
      window(step),
    );
    expect(steady!.problems).toEqual([]);
    expect(steady!.containers.map((c) => c.container)).toEqual(['app', 'app', 'proxy', 'proxy']);
    let compared = 0;
    for (const c of steady!.containers) {
      const memory = generated('container_memory_working_set_bytes', c.pod, c.container);
      const want = [...memory.values]
        .map((value, i) => ({ time: (memory.startMs + i * memory.stepMs) / 1000, value }))
        .filter((s, i) => i % (step / 60) === 0 && !Number.isNaN(s.value));
      expect(c.memory).toEqual(want);
      const cpu = generated('container_cpu_usage_seconds_total', c.pod, c.container);
      expect(c.cpu.length).toBe(want.length - 1); // rate() needs two samples: none at the first step
      for (const sample of c.cpu) {
        const i = (sample.time * 1000 - cpu.startMs) / cpu.stepMs;
        // Over [120s] at 60 s samples, rate() is the last minute's increase, extrapolated to 2 minutes.
        expect(sample.value, `${c.pod}/${c.container} at ${sample.time}`).toBeCloseTo(cpu.cores![i]!, 9);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(4 * 700);
  });

  it("reads at VPA's default resolution on the grid start + k·step, and pods replaced mid-window", async () => {
    const source = prometheusSource({ url: prometheus.url });
    const [churned] = await source.fetch([query('churned', ['app'])], window(3600));
    expect(churned!.problems).toEqual([]);
    expect(churned!.containers).toHaveLength(2);
    expect(new Set(churned!.containers.map((c) => c.pod)).size).toBe(2);
    const times = churned!.containers.flatMap((c) => c.memory.map((s) => s.time)).sort((a, b) => a - b);
    expect(times.every((t) => (t - grid.startMs / 1000) % 3600 === 0)).toBe(true);
    // A day at 1 h is 25 steps; at the step where the new pod starts, the old one's last sample (a
    // minute before) is still within Prometheus' 5-minute lookback: VPA reads both too.
    expect(times).toHaveLength(26);
    expect(new Set(times).size).toBe(25);
  });

  it('finds the OOM kills where the generator put them, with the memory request then', async () => {
    const [leaky] = await prometheusSource({ url: prometheus.url }).fetch(
      [query('leaky', ['app'])],
      window(3600),
    );
    const [app] = leaky!.containers;
    const restarts = generated('kube_pod_container_status_restarts_total', app!.pod, 'app').values;
    const want: number[] = [];
    for (let i = 1; i < restarts.length; i++)
      if (restarts[i]! > restarts[i - 1]!) want.push((grid.startMs + i * grid.stepMs) / 1000);
    expect(want.length).toBe(Math.floor((grid.count - 1) / 181));
    expect(app!.ooms).toEqual(want.map((time) => ({ time, memoryBytes: 256 * MiB })));
  });

  it('says, one line per workload, no history, missing series and a renamed container, and invents nothing', async () => {
    const usage = await prometheusSource({ url: prometheus.url }).fetch(
      [
        query('ghost', ['app']),
        query('unscraped', ['app']),
        query('renamed', ['runner']),
        query('leaky', ['app']),
      ],
      window(3600),
    );
    expect(byName(usage, 'ghost')).toEqual({
      workload: { kind: 'Deployment', namespace: NS, name: 'ghost' },
      containers: [],
      problems: ['no history: no pod in kube_pod_labels over the window matches its selector app=ghost'],
    });
    const unscraped = byName(usage, 'unscraped');
    expect(unscraped.containers).toEqual([]);
    expect(unscraped.problems).toHaveLength(1);
    expect(unscraped.problems[0]).toMatch(
      /^no history: no samples of container_cpu_usage_seconds_total or container_memory_working_set_bytes for its 1 pod \(unscraped-[a-z0-9]+-[a-z0-9]+\)$/,
    );
    const renamed = byName(usage, 'renamed');
    expect(renamed.containers).toEqual([]);
    expect(renamed.problems).toEqual([
      'container runner has no history; worker, not in the template any more, had — renamed?',
    ]);
    expect(byName(usage, 'leaky').problems).toEqual([]);
  });

  it('says in one line when Prometheus has no pod labels, or no cAdvisor series at all', async () => {
    const q = [query('steady', ['app'], { 'app.kubernetes.io/name': 'steady' })];
    await expect(
      prometheusSource({ url: prometheus.url, podLabelsMetric: 'kube_pod_labelz' }).fetch(q, window(3600)),
    ).rejects.toThrow(
      new PrometheusError(
        `Prometheus at ${prometheus.url} has no kube_pod_labelz series in the window: kubeha finds a workload's pods by their labels there (kube-state-metrics; --metric-for-pod-labels in VPA's words)`,
      ),
    );
    await expect(
      prometheusSource({
        url: prometheus.url,
        cpuMetric: 'cpu_nowhere',
        memoryMetric: 'memory_nowhere',
        cadvisorJob: 'kubelet',
      }).fetch(q, window(3600)),
    ).rejects.toThrow(
      new PrometheusError(
        `Prometheus at ${prometheus.url} has no cpu_nowhere nor memory_nowhere series in the window: is cAdvisor scraped as job "kubelet"?`,
      ),
    );
  });

  it("says Prometheus' own error, and a URL that is not Prometheus' API, in one line", async () => {
    const q = [query('steady', ['app'], { 'app.kubernetes.io/name': 'steady' })];
    await expect(
      prometheusSource({ url: prometheus.url, podLabelsMetric: 'kube_pod_labels{namespace=}' }).fetch(
        q,
        window(3600),
      ),
    ).rejects.toThrow(
      /^Prometheus at http:\/\/127\.0\.0\.1:\d+ answered HTTP 400, bad_data: invalid parameter "query": .*$/,
    );
    await expect(
      prometheusSource({ url: `${prometheus.url}/not-here` }).fetch(q, window(3600)),
    ).rejects.toThrow(
      new PrometheusError(
        `Prometheus at ${prometheus.url}/not-here answered HTTP 404 with no Prometheus API answer (is it the base URL of a Prometheus server?)`,
      ),
    );
  });
});

describe('the Prometheus usage source when Prometheus cannot answer', () => {
  const q: UsageQuery[] = [query('web', ['app'])];
  const w: UsageWindow = { start: 1_700_000_000, end: 1_700_086_400, step: 3600 };
  let silent: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // Accepts connections and never answers: a Prometheus stuck on a query.
    silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('says a closed port is unreachable', async () => {
    const port = await closedPort();
    await expect(prometheusSource({ url: `http://127.0.0.1:${port}` }).fetch(q, w)).rejects.toThrow(
      new PrometheusError(`cannot reach Prometheus at http://127.0.0.1:${port}: connection refused`),
    );
  });

  it('gives up on a server that never answers after timeoutMs', async () => {
    const port = (silent.address() as { port: number }).port;
    const began = Date.now();
    await expect(
      prometheusSource({ url: `http://127.0.0.1:${port}`, timeoutMs: 500 }).fetch(q, w),
    ).rejects.toThrow(
      new PrometheusError(`Prometheus at http://127.0.0.1:${port} did not answer within 0.5 s`),
    );
    expect(Date.now() - began).toBeLessThan(5000);
  });

  it('refuses what is not an http URL, or a pod-labels metric that is not a selector, before any request', () => {
    expect(() =>
      prometheusSource({ url: 'http://127.0.0.1:9', podLabelsMetric: 'rate(kube_pod_labels[5m])' }),
    ).toThrow(
      new PrometheusError(
        'the pod-labels metric "rate(kube_pod_labels[5m])" is not a metric selector (e.g. kube_pod_labels{job="kube-state-metrics"})',
      ),
    );
    expect(() => prometheusSource({ url: 'prometheus:9090x' })).toThrow(/is not http or https|is not a URL/);
    expect(() => prometheusSource({ url: 'not a url' })).toThrow(
      new PrometheusError('the Prometheus URL "not a url" is not a URL (e.g. http://127.0.0.1:9090)'),
    );
  });
});

/** A port nothing listens on: one the kernel just gave and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
