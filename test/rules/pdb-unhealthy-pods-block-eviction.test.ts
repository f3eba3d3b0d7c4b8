import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import rule from '../../src/rules/pdb-unhealthy-pods-block-eviction.js';
import { parseManifests } from '../../src/sources/parse.js';
import { SCAN_KINDS, TEST_NOW, testRule, yaml } from '../rule-tester.js';

// Status as the disruption controller wrote it on kube-controller-manager v1.36 for a three-replica
// Deployment under maxUnavailable: 1 with two pods made not Ready: currentHealthy 1, desiredHealthy 2.
// The Eviction API then answered 429 for a not-Ready pod; with AlwaysAllow, 201.
const pdb = (name: string, spec: string, status: string, generation = 1) => yaml`
  apiVersion: policy/v1
  kind: PodDisruptionBudget
  metadata: { name: ${name}, namespace: shop, generation: ${generation} }
  spec:
    ${spec}
    selector: { matchLabels: { app: api } }
  status:
    observedGeneration: 1
    ${status}
`;

/** A pod of the PDB's (app: api) in `phase`, not Ready. */
const pod = (name: string, phase: string) => yaml`
  ---
  apiVersion: v1
  kind: Pod
  metadata: { name: ${name}, namespace: shop, labels: { app: api } }
  status:
    phase: ${phase}
    conditions: [{ type: Ready, status: 'False' }]
`;

const noneHealthy =
  'disruptionsAllowed: 0\n    currentHealthy: 0\n    desiredHealthy: 0\n    expectedPods: 1';

const short = 'disruptionsAllowed: 0\n    currentHealthy: 1\n    desiredHealthy: 2\n    expectedPods: 3';

testRule(rule, {
  valid: [
    {
      name: 'AlwaysAllow lets not-Ready pods go',
      yaml: pdb('pass-always', 'unhealthyPodEvictionPolicy: AlwaysAllow', short),
    },
    {
      name: 'IfHealthyBudget written out is a decision',
      yaml: pdb('pass-written', 'unhealthyPodEvictionPolicy: IfHealthyBudget', short),
    },
    {
      name: 'the budget is met: not-Ready pods can be evicted',
      yaml: pdb(
        'pass-met',
        'maxUnavailable: 1',
        'disruptionsAllowed: 0\n    currentHealthy: 2\n    desiredHealthy: 2\n    expectedPods: 3',
      ),
    },
    {
      name: 'every pod healthy (a budget of 0 is pdb-no-disruptions-allowed)',
      yaml: pdb(
        'pass-healthy',
        'minAvailable: 3',
        'disruptionsAllowed: 0\n    currentHealthy: 3\n    desiredHealthy: 3\n    expectedPods: 3',
      ),
    },
    { name: 'a status older than the spec', yaml: pdb('pass-stale', 'maxUnavailable: 1', short, 2) },
    {
      name: "a budget that wants 0 whose only pod is Pending (a drained pod's replacement): never checked against a budget",
      yaml: pdb('pass-pending', 'maxUnavailable: 1', noneHealthy) + pod('api-0', 'Pending'),
    },
    {
      name: 'a budget that wants 0, no pod listed: a Pending pod cannot be told from a Running one',
      yaml: pdb('pass-unlisted', 'maxUnavailable: 1', noneHealthy) + pod('api-0', 'Running'),
      cluster: { listed: SCAN_KINDS.filter((k) => k !== 'Pod') },
    },
    {
      name: 'a budget that wants 0 with a healthy pod left: the not-Ready pod is charged to it, and it has 1',
      yaml: pdb(
        'pass-charged',
        'maxUnavailable: 2',
        'disruptionsAllowed: 1\n    currentHealthy: 1\n    desiredHealthy: 0\n    expectedPods: 2',
      ),
    },
    {
      name: 'kubeha check (no cluster facts)',
      yaml: pdb('pass-static', 'maxUnavailable: 1', short),
      cluster: false,
    },
  ],
  invalid: [
    {
      name: 'short of healthy pods, policy unset',
      yaml: pdb('fail-api', 'maxUnavailable: 1', short),
      errors: [
        {
          object: 'fail-api',
          messageId: 'blocked',
          path: '/spec',
          data: { healthy: 1, desired: 2, expected: 3 },
          message: 'Only 1 of its 3 pods are healthy and it wants 2',
        },
      ],
    },
    {
      name: 'one replica under maxUnavailable: 1, not Ready: the budget wants 0, so IfHealthyBudget charges it (429 on v1.36)',
      yaml: pdb('fail-solo', 'maxUnavailable: 1', noneHealthy) + pod('api-0', 'Running'),
      errors: [
        {
          object: 'fail-solo',
          messageId: 'noneWanted',
          data: { healthy: 0, desired: 0, expected: 1 },
          message: 'None of its 1 pods is healthy',
        },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the PDB and what it blocks; the counts and the policy to set are the detail', () => {
    const text = pdb('api', 'maxUnavailable: 1', short);
    const cluster = { listed: new Set(SCAN_KINDS), now: TEST_NOW };
    const [f] = check(parseManifests(text, 'test.yaml').objects, { rules: [rule], cluster }).findings;
    expect(f!.message).toBe('PDB api blocks the eviction of its pods that are not Ready');
    expect(f!.detail).toBe(
      'Only 1 of its 3 pods are healthy and it wants 2, and spec.unhealthyPodEvictionPolicy is unset (IfHealthyBudget): while the budget is short, the Eviction API refuses to evict even the pods that serve nothing, so a drain or upgrade of their nodes hangs until they become Ready. Set spec.unhealthyPodEvictionPolicy: AlwaysAllow so that pods that are not Ready can be evicted whatever the budget.',
    );
  });
});
