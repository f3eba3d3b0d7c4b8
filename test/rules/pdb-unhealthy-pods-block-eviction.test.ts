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
