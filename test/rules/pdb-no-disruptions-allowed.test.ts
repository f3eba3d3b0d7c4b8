import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import rule from '../../src/rules/pdb-no-disruptions-allowed.js';
import { SCAN_KINDS, TEST_NOW, testRule, yaml } from '../rule-tester.js';

// Status as the disruption controller writes it (pkg/controller/disruption/disruption.go, updatePdbStatus):
// disruptionsAllowed = currentHealthy − desiredHealthy, 0 when negative or when expectedPods is 0.
const pdb = (name: string, spec: string, status: string, generation = 1) => yaml`
  apiVersion: policy/v1
  kind: PodDisruptionBudget
  metadata: { name: ${name}, namespace: shop, generation: ${generation} }
  spec:
    ${spec}
    selector: { matchLabels: { app: web } }
  status:
    observedGeneration: 1
    ${status}
`;

testRule(rule, {
  valid: [
    {
      name: 'maxUnavailable 1 of 3 healthy pods allows 1',
      yaml: pdb(
        'pass-ok',
        'maxUnavailable: 1',
        'disruptionsAllowed: 1\n    currentHealthy: 3\n    desiredHealthy: 2\n    expectedPods: 3',
      ),
    },
    {
      name: '0 allowed while a pod is not ready: temporary, not the budget',
      yaml: pdb(
        'pass-starting',
        'maxUnavailable: 1',
        'disruptionsAllowed: 0\n    currentHealthy: 2\n    desiredHealthy: 2\n    expectedPods: 3',
      ),
    },
    {
      name: 'no pods selected (pdb-matches-nothing says so)',
      yaml: pdb(
        'pass-empty',
        'minAvailable: 1',
        'disruptionsAllowed: 0\n    currentHealthy: 0\n    desiredHealthy: 1\n    expectedPods: 0',
      ),
    },
    {
      name: 'a status the controller has not recomputed since the spec changed',
      yaml: pdb(
        'pass-stale',
        'maxUnavailable: 1',
        'disruptionsAllowed: 0\n    currentHealthy: 3\n    desiredHealthy: 3\n    expectedPods: 3',
        2,
      ),
    },
    {
      // eviction.go reads a missing observedGeneration as 0, behind generation 1: stale.
      name: 'a status without observedGeneration on a PDB that has a generation',
      yaml: yaml`
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: pass-unobserved, namespace: shop, generation: 1 }
        spec: { maxUnavailable: 0, selector: { matchLabels: { app: web } } }
        status: { disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 3, expectedPods: 3 }
      `,
    },
    {
      // The API server cannot decode it (invalid-object says so): the message printed "minAvailable 1e+308".
      name: 'a minAvailable outside int32 is not quoted as a budget',
      yaml: pdb(
        'pass-huge-min',
        'minAvailable: 1e308',
        'disruptionsAllowed: 0\n    currentHealthy: 3\n    desiredHealthy: 3\n    expectedPods: 3',
      ),
    },
    {
      name: 'status counts outside int32 are not quoted as pods',
      yaml: pdb(
        'pass-huge-status',
        'maxUnavailable: 0',
        'disruptionsAllowed: 0\n    currentHealthy: 2147483648\n    desiredHealthy: 2147483648\n    expectedPods: 2147483648',
      ),
    },
    {
      name: 'kubeha check (no cluster facts)',
      yaml: pdb(
        'pass-check',
        'minAvailable: 3',
        'disruptionsAllowed: 0\n    currentHealthy: 3\n    desiredHealthy: 3\n    expectedPods: 3',
      ),
      cluster: false,
    },
  ],
  invalid: [
    {
      name: 'minAvailable equal to the healthy pods',
      yaml: pdb(
        'fail-min',
        'minAvailable: 3',
        'disruptionsAllowed: 0\n    currentHealthy: 3\n    desiredHealthy: 3\n    expectedPods: 3',
      ),
      errors: [
        {
          object: 'fail-min',
          messageId: 'tooTight',
          path: '/spec/minAvailable',
          line: 5,
          data: { healthy: 3, expected: 3, desired: 3 },
          message: 'minAvailable 3 keeps every pod: replace it with maxUnavailable: 1',
        },
      ],
    },
    {
      name: 'minAvailable above the pods there are: all healthy, and still short of the budget',
      yaml: pdb(
        'fail-above',
        'minAvailable: 5',
        'disruptionsAllowed: 0\n    currentHealthy: 3\n    desiredHealthy: 5\n    expectedPods: 3',
      ),
      errors: [
        { object: 'fail-above', path: '/spec/minAvailable', data: { healthy: 3, expected: 3, desired: 5 } },
      ],
    },
    {
      name: 'minAvailable 100% of a single pod',
      yaml: pdb(
        'fail-more',
        'minAvailable: "100%"',
        'disruptionsAllowed: 0\n    currentHealthy: 1\n    desiredHealthy: 1\n    expectedPods: 1',
      ),
      errors: [
        {
          object: 'fail-more',
          path: '/spec/minAvailable',
          data: { healthy: 1, expected: 1 },
          message: 'minAvailable 100% keeps every pod: run at least 2 replicas and replace it',
        },
      ],
    },
    {
      name: 'maxUnavailable 0',
      yaml: pdb(
        'fail-zero',
        'maxUnavailable: 0',
        'disruptionsAllowed: 0\n    currentHealthy: 4\n    desiredHealthy: 4\n    expectedPods: 4',
      ),
      errors: [
        {
          object: 'fail-zero',
          path: '/spec/maxUnavailable',
          line: 5,
          message: 'Set maxUnavailable: 1 (it is 0).',
        },
      ],
    },
    {
      // failSafe() sets disruptionsAllowed 0 and DisruptionAllowed False/SyncFailed with the error.
      name: 'the controller cannot compute the budget (pods of a controller without scale)',
      yaml: yaml`
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: fail-sync, namespace: shop, generation: 1 }
        spec: { minAvailable: "50%", selector: { matchLabels: { app: batch } } }
        status:
          observedGeneration: 1
          disruptionsAllowed: 0
          currentHealthy: 0
          desiredHealthy: 0
          expectedPods: 0
          conditions:
            - type: DisruptionAllowed
              status: "False"
              reason: SyncFailed
              message: 'jobs.batch does not implement the scale subresource'
      `,
      errors: [
        {
          object: 'fail-sync',
          messageId: 'syncFailed',
          path: '/status/conditions/0',
          line: 12,
          data: { reason: 'SyncFailed: jobs.batch does not implement the scale subresource' },
        },
      ],
    },
  ],
});

/** The rule's findings as the engine renders them: `message` is the headline alone, `detail` the rest. */
const findings = (text: string) =>
  check(parseManifests(text, 'test.yaml').objects, {
    rules: [rule],
    cluster: { listed: new Set(SCAN_KINDS), now: TEST_NOW },
  }).findings;

describe('the headline stands alone', () => {
  it('names the PDB and its healthy pods; the counts and the fix are the detail', () => {
    const [f] = findings(
      pdb(
        'web',
        'minAvailable: 3',
        'disruptionsAllowed: 0\n    currentHealthy: 3\n    desiredHealthy: 3\n    expectedPods: 3',
      ),
    );
    expect(f!.message).toBe('PDB web allows 0 disruptions with all 3 pods healthy');
    expect(f!.detail).toBe(
      'All 3 of its 3 pods are healthy and it wants 3 healthy, so every drain of a node running them hangs. minAvailable 3 keeps every pod: replace it with maxUnavailable: 1, which follows the replica count.',
    );
  });
});
