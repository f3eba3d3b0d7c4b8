import { describe, expect, it } from 'vitest';
import { planChanges, planWorkload, roundUp } from '../../src/rightsize/plan.js';
import { rightsizeTargets } from '../../src/rightsize/targets.js';
import { recommendContainers } from '../../src/rightsize/vpa/index.js';
import { container, MIB, NOW, objectsOf, usageOf, WEB } from './fixtures.js';

const objects = objectsOf(WEB);
const target = rightsizeTargets(objects).targets[0]!;
const web = objects[0]!;

describe('planWorkload', () => {
  it("rounds VPA's target up to whole millicores and MiB, and sets limits by the policy", () => {
    const usage = usageOf(web, [
      container(
        'web-1',
        'app',
        (i) => 0.1 + (i % 5) * 0.01,
        () => 300 * MIB,
      ),
      container(
        'web-1',
        'sidecar',
        () => 0.02,
        () => 40 * MIB,
      ),
    ]);
    const plan = planWorkload(target, usage, 'ratio', { now: NOW });
    const vpa = recommendContainers(usage.containers, { now: NOW });
    const app = plan.containers[0]!;
    expect(app.recommendation).toEqual(vpa.find((r) => r.container === 'app'));
    const cpu = app.recommended!.requests.cpuCores!;
    expect(cpu * 1000).toBe(Math.ceil(app.recommendation!.target.cpuCores! * 1000 - 1e-9));
    expect(app.recommended!.requests.memoryBytes! % MIB).toBe(0);
    expect(app.recommended!.requests.memoryBytes! - app.recommendation!.target.memoryBytes!).toBeLessThan(
      MIB,
    );
    // Limit/request ratio 2 for both resources today.
    expect(app.recommended!.limits.cpuCores).toBeCloseTo(2 * cpu, 9);
    expect(app.recommended!.limits.memoryBytes).toBe(2 * app.recommended!.requests.memoryBytes!);
    expect(plan.containers[1]!.recommended!.limits).toEqual({});
    expect(plan.problems).toEqual([]);
    expect(planChanges(plan)).toBe(true);
  });

  it('invents nothing for a container without history: one line, no recommendation', () => {
    const usage = usageOf(web, [
      container(
        'web-1',
        'app',
        () => 0.1,
        () => 300 * MIB,
      ),
    ]);
    const plan = planWorkload(target, usage, 'ratio', { now: NOW });
    expect(plan.containers[1]!.recommended).toBeUndefined();
    expect(plan.problems).toEqual(['container sidecar: no usage history, nothing recommended']);
  });

  it("keeps the source's problem for a workload without pods, and adds none of its own", () => {
    const usage = usageOf(web, [], ['no pods match app=web in kube_pod_labels']);
    const plan = planWorkload(target, usage, 'ratio', { now: NOW });
    expect(plan.containers.every((c) => c.recommended === undefined)).toBe(true);
    expect(plan.problems[0]).toBe('no pods match app=web in kube_pod_labels');
    expect(planChanges(plan)).toBe(false);
  });
});

describe('roundUp', () => {
  it('never rounds down', () => {
    expect(roundUp({ cpuCores: 0.1201, memoryBytes: 300 * MIB + 1 })).toEqual({
      cpuCores: 0.121,
      memoryBytes: 301 * MIB,
    });
    expect(roundUp({ cpuCores: 0.12, memoryBytes: 300 * MIB })).toEqual({
      cpuCores: 0.12,
      memoryBytes: 300 * MIB,
    });
  });
});

describe('a resource without samples', () => {
  it("keeps today's request and limit for it, and says so, while the other is resized", () => {
    const usage = usageOf(web, [
      {
        ...container(
          'web-1',
          'app',
          () => 0.1,
          () => 300 * MIB,
        ),
        cpu: [],
      },
      container(
        'web-1',
        'sidecar',
        () => 0.02,
        () => 40 * MIB,
      ),
    ]);
    const app = planWorkload(target, usage, 'ratio', { now: NOW }).containers[0]!;
    expect(app.recommendation!.cpuSamples).toBe(0);
    expect(app.recommended!.requests.cpuCores).toBe(0.5);
    expect(app.recommended!.limits.cpuCores).toBe(1);
    expect(app.recommended!.requests.memoryBytes).toBeLessThan(512 * MIB);
    expect(app.notes).toEqual(['no CPU samples: its cpu request and limit are left as they are']);
  });
});
