import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import rule from '../../src/rules/pdb-allows-all-evictions.js';
import { parseManifests } from '../../src/sources/parse.js';
import { testRule, yaml } from '../rule-tester.js';

const workload = (kind: string, name: string, replicas: number) => yaml`
  apiVersion: apps/v1
  kind: ${kind}
  metadata: { name: ${name} }
  spec:
    replicas: ${replicas}
    selector: { matchLabels: { app: ${name} } }
    template: { metadata: { labels: { app: ${name} } } }
  ---
`;

const pdb = (name: string, app: string, budget: string) => yaml`
  apiVersion: policy/v1
  kind: PodDisruptionBudget
  metadata: { name: ${name} }
  spec: { ${budget}, selector: { matchLabels: { app: ${app} } } }
  ---
`;

// On Kubernetes v1.36 a one-replica StatefulSet with maxUnavailable: 1 gets disruptionsAllowed: 1 and the
// Eviction API evicts its only pod (201); minAvailable: 0 over 3 pods gets disruptionsAllowed: 3.
testRule(rule, {
  valid: [
    {
      name: 'maxUnavailable 1 of 3, minAvailable 2 of 3, 50% of 3',
      yaml:
        workload('Deployment', 'web', 3) +
        pdb('pass-max', 'web', 'maxUnavailable: 1') +
        workload('Deployment', 'api', 3) +
        pdb('pass-min', 'api', 'minAvailable: 2') +
        workload('Deployment', 'db', 3) +
        pdb('pass-pct', 'db', 'maxUnavailable: 50%'),
    },
    {
      name: "blocking budgets, a budget with neither field, a DaemonSet's and one over nothing are other rules'",
      yaml:
        workload('StatefulSet', 'solo', 1) +
        pdb('pass-blocks', 'solo', 'minAvailable: 1') +
        workload('Deployment', 'web', 3) +
        pdb('pass-zero', 'web', 'maxUnavailable: 0') +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: pass-neither }
          spec: { selector: { matchLabels: { app: web } } }
          ---
          apiVersion: apps/v1
          kind: DaemonSet
          metadata: { name: agent }
          spec:
            selector: { matchLabels: { app: agent } }
            template: { metadata: { labels: { app: agent } } }
          ---
        ` +
        pdb('pass-agent', 'agent', 'maxUnavailable: 100%') +
        pdb('pass-ghost', 'ghost', 'minAvailable: 0'),
    },
  ],
  invalid: [
    {
      name: 'maxUnavailable 1 on a one-replica StatefulSet (the public demo)',
      yaml: workload('StatefulSet', 'search', 1) + pdb('fail-search', 'search', 'maxUnavailable: 1'),
      errors: [
        {
          object: 'fail-search',
          messageId: 'allPods',
          path: '/spec/maxUnavailable',
          data: { pods: 1, budget: 'maxUnavailable 1', workloads: 'StatefulSet search' },
          message:
            'PDB fail-search lets a drain evict all 1 of its pods at once\nmaxUnavailable 1 of 1 replica (StatefulSet search) keeps no pod available, so a node drain, upgrade or consolidation may take the workload down as if there were no budget. Run at least 2 replicas, and keep maxUnavailable: 1 so that a drain evicts one pod at a time.',
        },
      ],
    },
    {
      name: 'minAvailable 0 and 0%, maxUnavailable 100% and above the replicas',
      yaml:
        workload('Deployment', 'web', 3) +
        pdb('fail-zero', 'web', 'minAvailable: 0') +
        workload('Deployment', 'api', 3) +
        pdb('fail-zero-pct', 'api', 'minAvailable: 0%') +
        workload('Deployment', 'db', 2) +
        pdb('fail-all', 'db', 'maxUnavailable: 100%') +
        workload('Deployment', 'cache', 2) +
        pdb('fail-more', 'cache', 'maxUnavailable: 5'),
      errors: [
        { object: 'fail-zero', path: '/spec/minAvailable', data: { budget: 'minAvailable 0', pods: 3 } },
        { object: 'fail-zero-pct', data: { budget: 'minAvailable 0%' } },
        {
          object: 'fail-all',
          data: { budget: 'maxUnavailable 100%', pods: 2 },
          message: 'Set maxUnavailable: 1 so',
        },
        { object: 'fail-more', data: { budget: 'maxUnavailable 5', count: '2 replicas' } },
      ],
    },
    {
      name: "an HPA's floor of 1 under maxUnavailable 1",
      yaml:
        workload('Deployment', 'web', 4) +
        pdb('fail-web', 'web', 'maxUnavailable: 1') +
        yaml`
          apiVersion: autoscaling/v2
          kind: HorizontalPodAutoscaler
          metadata: { name: web }
          spec: { scaleTargetRef: { kind: Deployment, name: web }, minReplicas: 1, maxReplicas: 10 }
        `,
      errors: [{ object: 'fail-web', data: { pods: 1 } }],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the PDB and how many pods it lets go; the budget, the workloads and the fix are the detail', () => {
    const text = workload('Deployment', 'web', 3) + pdb('web', 'web', 'minAvailable: 0');
    const [f] = check(parseManifests(text, 'test.yaml').objects, { rules: [rule] }).findings;
    expect(f!.message).toBe('PDB web lets a drain evict all 3 of its pods at once');
    expect(f!.detail).toBe(
      'minAvailable 0 of 3 replicas (Deployment web) keeps no pod available, so a node drain, upgrade or consolidation may take the workload down as if there were no budget. Set maxUnavailable: 1 so that a drain evicts one pod at a time.',
    );
  });
});
