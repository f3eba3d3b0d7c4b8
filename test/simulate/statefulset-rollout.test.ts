import { describe, expect, it } from 'vitest';
import { node, run, statefulSet, topo } from './harness.js';

describe('StatefulSet rollouts', () => {
  it('one pod at a time below a PDB floor of every replica: advice fit for a StatefulSet', () => {
    const yaml =
      statefulSet('db', 2, 'containers: [{ name: db, image: postgres }]') +
      `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: db, namespace: shop }
spec: { minAvailable: 2, selector: { matchLabels: { app: db } } }
`;
    const r = run(yaml, topo([node('node-1', 'a'), node('node-2', 'b')]), { scenarios: ['rollout'] });
    const o = r.scenarios.find((s) => s.id === 'rollout:shop/StatefulSet/db')!.workloads[0]!;
    expect(o).toMatchObject({ verdict: 'degraded', minReady: 1 });
    expect(o.reason).toBe(
      "1 of 2 ready at the lowest (floor 2: PDB db minAvailable 2) — one pod at a time; a StatefulSet's update does not ask the PDB: run more than 2 replicas, or let the floor allow one pod down",
    );
  });
});
