import { describe, expect, it } from 'vitest';
import type { UsageQuery, UsageSample } from '../../src/model/usage.js';
import {
  podsOf,
  workloadUsage,
  type NamespaceHistory,
  type SourceWording,
} from '../../src/sources/usage-assemble.js';
import { sanitizeLabelName } from '../../src/sources/usage-promql.js';

const wording: SourceWording = {
  cpu: 'container_cpu_usage_seconds_total',
  memory: 'container_memory_working_set_bytes',
  pods: 'kube_pod_labels',
  labelKey: sanitizeLabelName,
};

const query = (containers: string[], matchLabels: Record<string, string> = { app: 'web' }): UsageQuery => ({
  workload: { kind: 'Deployment', namespace: 'shop', name: 'web' },
  matchLabels,
  containers,
});

const samples = (...values: number[]): UsageSample[] =>
  values.map((value, i) => ({ time: 1000 + 60 * i, value }));

function history(
  entries: [pod: string, container: string, cpu: UsageSample[], memory: UsageSample[]][],
): NamespaceHistory {
  const cpu = new Map<string, Map<string, UsageSample[]>>();
  const memory = new Map<string, Map<string, UsageSample[]>>();
  for (const [pod, container, c, m] of entries) {
    if (c.length) cpu.set(pod, (cpu.get(pod) ?? new Map()).set(container, c));
    if (m.length) memory.set(pod, (memory.get(pod) ?? new Map()).set(container, m));
  }
  return { cpu, memory, ooms: new Map() };
}

describe("a workload's usage from its pods' history", () => {
  it('selects pods whose labels (as kube-state-metrics names them) hold every selector pair', () => {
    const pods = new Map<string, Record<string, string>>([
      ['web-1', { app_kubernetes_io_name: 'web', tier: 'front' }],
      ['web-2', { app_kubernetes_io_name: 'web' }],
      ['db-1', { app_kubernetes_io_name: 'db', tier: 'front' }],
    ]);
    expect(podsOf(query([], { 'app.kubernetes.io/name': 'web' }), pods, wording)).toEqual(['web-1', 'web-2']);
    expect(podsOf(query([], { 'app.kubernetes.io/name': 'web', tier: 'front' }), pods, wording)).toEqual([
      'web-1',
    ]);
    expect(podsOf(query([], { app: 'none' }), pods, wording)).toEqual([]);
  });

  it('gives every pod of every template container, in template order', () => {
    const h = history([
      ['web-1', 'app', samples(0.1, 0.2), samples(1e8)],
      ['web-1', 'sidecar', samples(0.01), samples(2e7)],
      ['web-2', 'app', samples(0.3), samples(3e8)],
    ]);
    const usage = workloadUsage(query(['sidecar', 'app']), ['web-1', 'web-2'], h, wording);
    expect(usage.problems).toEqual([]);
    expect(usage.containers.map((c) => `${c.container}@${c.pod}`)).toEqual([
      'sidecar@web-1',
      'app@web-1',
      'app@web-2',
    ]);
    expect(usage.containers[1]!.cpu).toEqual(samples(0.1, 0.2));
  });

  it('says "no history" and gives nothing when no pod matched', () => {
    const usage = workloadUsage(query(['app']), [], history([]), wording);
    expect(usage.containers).toEqual([]);
    expect(usage.problems).toEqual([
      'no history: no pod in kube_pod_labels over the window matches its selector app=web',
    ]);
  });

  it('says which series is missing for the pods it found', () => {
    const none = workloadUsage(query(['app']), ['web-1'], history([]), wording);
    expect(none.containers).toEqual([]);
    expect(none.problems).toEqual([
      'no history: no samples of container_cpu_usage_seconds_total or container_memory_working_set_bytes for its 1 pod (web-1)',
    ]);
    const noMemory = workloadUsage(
      query(['app']),
      ['web-1'],
      history([['web-1', 'app', samples(0.1), []]]),
      wording,
    );
    expect(noMemory.containers).toHaveLength(1);
    expect(noMemory.problems).toEqual([
      'no samples of container_memory_working_set_bytes for its 1 pod (web-1): no memory recommendation',
    ]);
  });

  it('tells a renamed container apart and invents no number for it', () => {
    // The template says "server"; the history only knows "app", which the template no longer has.
    const h = history([
      ['web-1', 'app', samples(0.1), samples(1e8)],
      ['web-1', 'sidecar', samples(0.01), samples(2e7)],
    ]);
    const usage = workloadUsage(query(['server', 'sidecar']), ['web-1'], h, wording);
    expect(usage.problems).toEqual([
      'container server has no history; app, not in the template any more, had — renamed?',
    ]);
    expect(usage.containers.map((c) => c.container)).toEqual(['sidecar']);
  });

  it('leaves out, and says so, the history of a container gone from the template when all others have theirs', () => {
    const h = history([
      ['web-1', 'old', samples(0.1), samples(1e8)],
      ['web-2', 'app', samples(0.2), samples(2e8)],
    ]);
    const usage = workloadUsage(query(['app']), ['web-1', 'web-2'], h, wording);
    expect(usage.containers.map((c) => c.container)).toEqual(['app']);
    expect(usage.problems).toEqual([
      'container old is not in the template any more: its history is left out',
    ]);
  });

  it('says a template container without any history has none, when nothing else could be it', () => {
    const h = history([['web-1', 'app', samples(0.1), samples(1e8)]]);
    const usage = workloadUsage(
      query(['app', 'init-less']),
      ['web-1', 'web-2', 'web-3', 'web-4'],
      h,
      wording,
    );
    expect(usage.problems).toEqual([
      'container init-less has no history: no samples for it in its 4 pods (web-1, web-2, web-3 and 1 more)',
    ]);
  });
});
