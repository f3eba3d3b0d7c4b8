import { describe, expect, it } from 'vitest';
import { applyPatches } from '../../src/fix/apply.js';
import { planWorkload } from '../../src/rightsize/plan.js';
import { planPatch, resizedObject } from '../../src/rightsize/resize.js';
import { rightsizeTargets } from '../../src/rightsize/targets.js';
import type { ContainerRecommendation } from '../../src/rightsize/vpa/index.js';
import type { LimitsPolicy, WorkloadPlan } from '../../src/rightsize/types.js';
import { MIB, objectsOf, WEB } from './fixtures.js';

const objects = objectsOf(WEB);
const target = rightsizeTargets(objects).targets[0]!;

/** A plan whose containers get these requests (cores, bytes), and limits as the policy would set them here. */
function plan(policy: LimitsPolicy, targets: Record<string, [number, number]>): WorkloadPlan {
  const base = planWorkload(target, undefined, policy);
  const rec = (name: string, [cpu, memory]: [number, number]): ContainerRecommendation => ({
    container: name,
    target: { cpuCores: cpu, memoryBytes: memory },
    lowerBound: { cpuCores: cpu, memoryBytes: memory },
    upperBound: { cpuCores: cpu, memoryBytes: memory },
    uncappedTarget: { cpuCores: cpu, memoryBytes: memory },
    cappings: [],
    controlledResources: ['cpu', 'memory'],
    cpuSamples: 1,
    memoryPeaks: 1,
    oomKills: 0,
    confidence: 1,
  });
  return {
    ...base,
    containers: base.containers.map((c) => {
      const t = targets[c.name];
      if (!t) return c;
      const r = rec(c.name, t);
      const requests = { cpuCores: t[0], memoryBytes: t[1] };
      const limits =
        policy === 'none'
          ? {}
          : policy === 'equal'
            ? { memoryBytes: t[1] }
            : c.current.limits.cpuCores
              ? { cpuCores: t[0] * 2, memoryBytes: t[1] * 2 }
              : {};
      return { ...c, recommendation: r, recommended: { requests, limits } };
    }),
  };
}

describe('planPatch through fix’s applyPatches', () => {
  it('edits the requests and limits in place, keeping comments and the rest of the file', () => {
    const p = planPatch(plan('ratio', { app: [0.12, 300 * MIB], sidecar: [0.025, 64 * MIB] }))!;
    const r = applyPatches(WEB, 'web.yaml', [p]);
    expect(r.skipped).toEqual([]);
    expect(r.text).toContain('# the web tier');
    expect(r.text).toContain('- name: app # the server');
    expect(r.text).toMatch(/cpu: 120m # generous/);
    expect(r.text).toContain('memory: 300Mi');
    // The limit was written quoted ("1"): its new value keeps the author's quoting.
    expect(r.text).toContain('cpu: "240m"');
    expect(r.text).toContain('memory: 600Mi');
    // The sidecar had no resources: they are added.
    expect(r.text).toMatch(
      /- name: sidecar\n {10}image: envoy\n {10}resources:\n {12}requests:\n {14}cpu: 25m\n {14}memory: 64Mi/,
    );
    // The HPA document is byte for byte the same.
    expect(r.text.slice(r.text.indexOf('---'))).toBe(WEB.slice(WEB.indexOf('---')));
    const reread = objectsOf(r.text);
    const again = rightsizeTargets(reread).targets[0]!;
    expect(again.containers[0]!.current).toEqual({
      requests: { cpuCores: 0.12, memoryBytes: 300 * MIB },
      limits: { cpuCores: 0.24, memoryBytes: 600 * MIB },
    });
  });

  it('removes the limits section when the policy drops every limit', () => {
    const p = planPatch(plan('none', { app: [0.12, 300 * MIB] }))!;
    const r = applyPatches(WEB, 'web.yaml', [p]);
    const app = rightsizeTargets(objectsOf(r.text)).targets[0]!.containers[0]!;
    expect(app.current.limits).toEqual({});
    expect(r.text).not.toContain('limits:');
    const equal = applyPatches(WEB, 'web.yaml', [planPatch(plan('equal', { app: [0.12, 300 * MIB] }))!]);
    const eq = rightsizeTargets(objectsOf(equal.text)).targets[0]!.containers[0]!;
    expect(eq.current.limits).toEqual({ memoryBytes: 300 * MIB });
  });

  it('makes no patch when nothing changes, and leaves an amount written another way alone', () => {
    expect(planPatch(plan('ratio', { app: [0.5, 512 * MIB] }))).toBeUndefined();
  });
});

describe('resizedObject', () => {
  it('is the object with the new resources, the original untouched', () => {
    const pl = plan('none', { app: [0.12, 300 * MIB] });
    const o = resizedObject(pl);
    const c = rightsizeTargets([o]).targets[0]!.containers[0]!;
    expect(c.current).toEqual({ requests: { cpuCores: 0.12, memoryBytes: 300 * MIB }, limits: {} });
    expect(rightsizeTargets(objects).targets[0]!.containers[0]!.current.requests.cpuCores).toBe(0.5);
    expect(o.id).toBe(objects[0]!.id);
  });
});
