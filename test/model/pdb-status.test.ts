import { describe, expect, it } from 'vitest';
import { pdbStatus } from '../../src/model/pdb-status.js';
import type { JsonObject, K8sObject } from '../../src/model/types.js';
import { liveBudget } from '../../src/simulate/live-placement.js';

function pdb(metadata: JsonObject, status?: JsonObject): K8sObject {
  const raw: JsonObject = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: 'shop', ...metadata },
    spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } },
    ...(status ? { status } : {}),
  };
  return {
    id: 'shop/PodDisruptionBudget/web',
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    name: 'web',
    namespace: 'shop',
    raw,
  };
}

const counts = { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 };

describe('pdbStatus: one reader for the simulator and the rules', () => {
  it('is undefined without a status', () => {
    expect(pdbStatus(pdb({ generation: 1 }))).toBeUndefined();
    expect(liveBudget(pdb({ generation: 1 }))).toBeUndefined();
  });

  it('is current when observedGeneration has caught up with generation', () => {
    const p = pdb({ generation: 2 }, { observedGeneration: 2, ...counts });
    expect(pdbStatus(p)).toEqual({ ...counts, current: true });
    expect(liveBudget(p)).toMatchObject({ ...counts, pdb: 'shop/PodDisruptionBudget/web' });
  });

  it('is stale when observedGeneration is behind, or missing (the Eviction API reads it as 0)', () => {
    for (const status of [{ observedGeneration: 1, ...counts }, counts]) {
      const p = pdb({ generation: 2 }, status);
      expect(pdbStatus(p)?.current).toBe(false);
      // Both consumers agree: the simulator falls back to the spec, the rule says nothing.
      expect(liveBudget(p)).toBeUndefined();
    }
  });

  it('is current without a generation (nothing to be stale against)', () => {
    expect(pdbStatus(pdb({}, counts))?.current).toBe(true);
  });

  it('leaves out a count that is not a whole number', () => {
    const p = pdb(
      { generation: 1 },
      { observedGeneration: 1, ...counts, currentHealthy: 2.5, expectedPods: '3' },
    );
    expect(pdbStatus(p)).toEqual({ disruptionsAllowed: 1, desiredHealthy: 2, current: true });
    expect(liveBudget(p)).toBeUndefined();
  });
});
