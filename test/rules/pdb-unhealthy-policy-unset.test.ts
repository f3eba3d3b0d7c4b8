import { describe, expect, it } from 'vitest';
import { fixSources } from '../../src/fix/run.js';
import rule from '../../src/rules/pdb-unhealthy-policy-unset.js';
import { runRule, testRule, yaml } from '../rule-tester.js';

const pdb = (name: string, spec: string, apiVersion = 'policy/v1') => yaml`
  apiVersion: ${apiVersion}
  kind: PodDisruptionBudget
  metadata: { name: ${name} }
  spec:
    ${spec}
    selector: { matchLabels: { app: api } }
  ---
`;

// On Kubernetes v1.36 (test/e2e/pdb-eviction.test.ts) a not-Ready pod under an exhausted budget is refused
// eviction (429) with the policy unset and evicted (201) with AlwaysAllow.
testRule(rule, {
  valid: [
    {
      name: 'AlwaysAllow, and IfHealthyBudget written out (a decision)',
      yaml:
        pdb('pass-always', 'unhealthyPodEvictionPolicy: AlwaysAllow\n    maxUnavailable: 1') +
        pdb('pass-written', 'unhealthyPodEvictionPolicy: IfHealthyBudget\n    minAvailable: 2'),
    },
    {
      name: 'a policy/v1beta1 PDB: removed in 1.25, before the field existed',
      yaml: pdb('pass-beta', 'maxUnavailable: 1', 'policy/v1beta1'),
    },
    {
      name: 'a target older than 1.27, where the API server drops the field',
      yaml: pdb('pass-old', 'maxUnavailable: 1'),
      kubeVersion: '1.26',
    },
  ],
  invalid: [
    {
      name: 'the policy unset, whatever the budget',
      yaml:
        pdb('fail-max', 'maxUnavailable: 1') +
        pdb('fail-min', 'minAvailable: 50%') +
        pdb('fail-none', 'unhealthyPodEvictionPolicy: null'),
      errors: [
        {
          object: 'fail-max',
          messageId: 'unset',
          path: '/spec',
          severity: 'info',
          data: { pdb: 'fail-max' },
          message:
            'PDB fail-max lets pods that are not Ready block drains: unhealthyPodEvictionPolicy unset\nUnset, the policy is IfHealthyBudget',
        },
        { object: 'fail-min' },
        { object: 'fail-none' },
      ],
    },
    {
      name: 'from 1.27, where the field is on by default',
      yaml: pdb('fail-127', 'maxUnavailable: 1'),
      kubeVersion: '1.27',
      errors: [{ object: 'fail-127', line: 4 }],
    },
  ],
});

describe('the fix: AlwaysAllow, unsafe', () => {
  const text = pdb('api', 'maxUnavailable: 1');

  it('is not applied without --unsafe-fixes', () => {
    const run = fixSources([{ file: 'pdb.yaml', text }], { rules: [rule.id] });
    expect(run.files[0]?.after ?? text).toBe(text);
    expect(run.notFixed.map((n) => n.unsafe)).toEqual([true]);
  });

  it('adds unhealthyPodEvictionPolicy: AlwaysAllow, says what to review, and the rule is then quiet', () => {
    const run = fixSources([{ file: 'pdb.yaml', text }], { rules: [rule.id], unsafe: true });
    const after = run.files[0]!.after;
    expect(after).toContain('unhealthyPodEvictionPolicy: AlwaysAllow');
    expect(run.review.map((p) => p.unsafe).join('\n')).toContain('a database still recovering');
    expect(runRule(rule, { name: 'fixed', yaml: after })).toEqual([]);
  });

  it('leaves a PDB without a spec to the user', () => {
    const bare = yaml`
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: { name: api }
    `;
    expect(runRule(rule, { name: 'bare', yaml: bare }).length).toBe(1);
    const run = fixSources([{ file: 'pdb.yaml', text: bare }], { rules: [rule.id], unsafe: true });
    expect(run.files[0]?.after ?? bare).toBe(bare);
    expect(run.notFixed.map((n) => n.reason).join('\n')).toContain('no spec');
  });
});

describe('the PDB missing-pdb adds', () => {
  const deployment = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web }
    spec:
      replicas: 3
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec: { containers: [{ name: web, image: nginx:1.27 }] }
  `;
  const added = (kubeVersion?: string): string =>
    fixSources([{ file: 'web.yaml', text: deployment }], {
      rules: ['missing-pdb', rule.id],
      ...(kubeVersion ? { kubeVersion } : {}),
    }).files[0]!.after;

  it('sets AlwaysAllow (no budget let every pod go before), so this rule has nothing to say of it', () => {
    const after = added();
    expect(after).toContain('unhealthyPodEvictionPolicy: AlwaysAllow');
    expect(runRule(rule, { name: 'added', yaml: after })).toEqual([]);
  });

  it('leaves the field out for a target older than 1.27, whose API server drops it', () => {
    const after = added('1.26');
    expect(after).toContain('kind: PodDisruptionBudget');
    expect(after).not.toContain('unhealthyPodEvictionPolicy');
  });
});
