// The generator behind the rightsize tests' Prometheus (tools/prometheus/series.mjs): the same
// seed gives the same bytes, each shape stays in its bounds, the counters behave as cAdvisor's and
// kube-state-metrics' do, and bad specs are refused in one line. Its round trip through the real
// promtool and Prometheus is test/e2e/prometheus-tools.test.ts.
import { describe, expect, it } from 'vitest';
import {
  generateSeries,
  seriesOfWorkload,
  toOpenMetrics,
  windowGrid,
  workloadsOfShapes,
  type Series,
  type WorkloadSpec,
} from '../../tools/prometheus/series.mjs';

const END = '2026-12-01T12:00:30Z';
const grid = windowGrid({ end: END, days: 1, stepSeconds: 60 });
const one = (spec: Partial<WorkloadSpec['containers'][number]>): WorkloadSpec => ({
  namespace: 'ns',
  name: 'w',
  containers: [
    {
      name: 'app',
      cpu: { kind: 'steady', mean: 0.5 },
      memory: { kind: 'steady', mean: 1000 },
      ...spec,
    },
  ],
});
const find = (all: Series[], name: string, container = 'app') =>
  all.filter((s) => s.name === name && (s.labels.container ?? container) === container);
const present = (s: Series) => [...s.values].filter((v) => !Number.isNaN(v));

describe('tools/prometheus/series.mjs', () => {
  it('ends the window at the given end, rounded down to the step', () => {
    expect(new Date(grid.endMs).toISOString()).toBe('2026-12-01T12:00:00.000Z');
    expect(grid.count).toBe(1441);
    expect(grid.endMs - grid.startMs).toBe(86_400_000);
  });

  it('gives the same text for the same seed, and other values for another seed', () => {
    const fleet = workloadsOfShapes(5, { containers: 2 });
    const a = toOpenMetrics(generateSeries(fleet, { grid, seed: 3 }));
    expect(toOpenMetrics(generateSeries(fleet, { grid, seed: 3 }))).toBe(a);
    expect(toOpenMetrics(generateSeries(fleet, { grid, seed: 4 }))).not.toBe(a);
    expect(a.endsWith('# EOF\n')).toBe(true);
    // Every family once, in one block (OpenMetrics keeps a family's samples together).
    const types = a.split('\n').filter((l) => l.startsWith('# TYPE'));
    expect(new Set(types).size).toBe(types.length);
    expect(types).toContain('# TYPE container_cpu_usage_seconds counter');
  });

  it('keeps each shape in its bounds', () => {
    const at = (cpu: WorkloadSpec['containers'][number]['cpu']) =>
      find(seriesOfWorkload(one({ cpu }), { grid }), 'container_cpu_usage_seconds_total')[0]!.cores!;
    expect([...at({ kind: 'steady', mean: 0.5 })].every((c) => c === 0.5)).toBe(true);
    const growing = at({ kind: 'growing', from: 0.2, to: 1.2 });
    expect(growing[0]).toBeCloseTo(0.2, 12);
    expect(growing[grid.count - 1]).toBeCloseTo(1.2, 12);
    const daily = [...at({ kind: 'daily', low: 0.1, high: 0.9, peakHour: 12 })];
    expect(Math.max(...daily)).toBeCloseTo(0.9, 12); // the window ends at 12:00 UTC
    expect(Math.min(...daily)).toBeCloseTo(0.1, 12); // and holds the midnight before
    const spiky = [...at({ kind: 'spiky', base: 0.1, peak: 2, spikesPerDay: 24, spikeMinutes: 5 })];
    expect(new Set(spiky)).toEqual(new Set([0.1, 2]));
    const spikeMinutes = spiky.filter((c) => c === 2).length;
    expect(spikeMinutes).toBeGreaterThan(24 * 5 * 0.4);
    expect(spikeMinutes).toBeLessThan(24 * 5 * 2.5);
  });

  it('counts CPU seconds in a monotonic counter whose increase is the cores times the step', () => {
    const [cpu] = find(
      seriesOfWorkload(one({ cpu: { kind: 'steady', mean: 0.3, jitter: 0.2 } }), { grid }),
      'container_cpu_usage_seconds_total',
    );
    for (let i = 1; i < grid.count; i++) {
      expect(cpu!.values[i]! - cpu!.values[i - 1]!).toBeCloseTo(cpu!.cores![i]! * 60, 6);
    }
  });

  it('kills the OOM shape at its limit: restarts, OOMKilled from then on, the CPU counter reset', () => {
    const all = seriesOfWorkload(one({ memory: { kind: 'oom', from: 100, limit: 400, climbMinutes: 60 } }), {
      grid,
    });
    const memory = find(all, 'container_memory_working_set_bytes')[0]!.values;
    const restarts = find(all, 'kube_pod_container_status_restarts_total')[0]!.values;
    const cpu = find(all, 'container_cpu_usage_seconds_total')[0]!.values;
    const kills = [...memory.keys()].filter((i) => memory[i] === 400 && i < grid.count - 1);
    expect(kills.length).toBe(Math.floor((grid.count - 1) / 61));
    for (const i of kills) {
      expect(memory[i + 1]).toBe(100);
      expect(restarts[i + 1]).toBe(restarts[i]! + 1);
      expect(cpu[i + 1]).toBe(0.5 * 60); // a fresh container, one step old
    }
    expect(Math.max(...memory)).toBe(400);
    const reason = all.find((s) => s.name === 'kube_pod_container_status_last_terminated_reason')!;
    expect(reason.labels.reason).toBe('OOMKilled');
    expect(present(reason).length).toBe(grid.count - 1 - kills[0]!);
    const limit = all.find((s) => s.name === 'kube_pod_container_resource_limits')!;
    expect([limit.labels.resource, limit.labels.unit, limit.values[0]]).toEqual(['memory', 'byte', 400]);
  });

  it('replaces pods on churn and rolls out a new ReplicaSet on a rename', () => {
    const w: WorkloadSpec = {
      ...one({ renamedTo: 'server', renameAt: 0.75 }),
      replicas: 2,
      churn: [0.25],
    };
    const all = seriesOfWorkload(w, { grid, podCgroup: false });
    const memory = all.filter((s) => s.name === 'container_memory_working_set_bytes');
    expect(memory).toHaveLength(2 * 3); // 2 replicas × 3 epochs
    expect(new Set(memory.map((s) => s.labels.pod)).size).toBe(6);
    const total = memory.reduce((n, s) => n + present(s).length, 0);
    expect(total).toBe(2 * grid.count); // every point covered once per replica
    expect([...new Set(memory.map((s) => s.labels.container))].sort()).toEqual(['app', 'server']);
    const replicaSets = all.filter((s) => s.name === 'kube_replicaset_owner').map((s) => s.labels.replicaset);
    expect(replicaSets).toHaveLength(2);
    for (const s of memory) expect(s.labels.pod!.startsWith('w-')).toBe(true);
  });

  it('names StatefulSet pods by ordinal and keeps the name across churn', () => {
    const all = seriesOfWorkload({ ...one({}), kind: 'StatefulSet', replicas: 2, churn: [0.5] }, { grid });
    const pods = new Set(all.filter((s) => s.labels.pod).map((s) => s.labels.pod));
    expect(pods).toEqual(new Set(['w-0', 'w-1']));
    const owners = all.filter((s) => s.name === 'kube_pod_owner');
    expect(new Set(owners.map((s) => s.labels.uid)).size).toBe(4); // new pods: new uids
  });

  it('refuses a bad spec in one line', () => {
    const bad = (w: unknown) => () => seriesOfWorkload(w as WorkloadSpec, { grid });
    expect(bad({ namespace: 'ns', name: 'w', containers: [] })).toThrow(
      /needs a namespace, a name and containers/,
    );
    expect(bad(one({ cpu: { kind: 'oom', from: 1, limit: 2 } }))).toThrow(/oom shape is for memory only/);
    expect(bad(one({ memory: { kind: 'wavy' } as never }))).toThrow(/unknown shape "wavy"/);
    expect(bad(one({ memory: { kind: 'oom', from: 5, limit: 5 } }))).toThrow(
      /climbs from 'from' to a higher 'limit'/,
    );
    expect(bad({ ...one({}), churn: [1.5] })).toThrow(/'at' is a fraction of the window/);
    expect(bad({ ...one({}), kind: 'DaemonSet' })).toThrow(/kind DaemonSet is not generated/);
    expect(() => workloadsOfShapes(2, { shapes: ['wavy' as never] })).toThrow(/unknown shape "wavy"/);
    expect(() => windowGrid({ end: 'yesterday' })).toThrow(/end is not a time/);
  });
});
