import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import type { AnyRule } from '../../src/rules/types.js';
import rule from '../../src/rules/missing-priority-class.js';
import { testRule } from '../rule-tester.js';

const deployment = (name: string, podSpecExtra = '', replicas = 3): string => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      ${podSpecExtra}
      containers: [{ name: app, image: nginx }]
---
`;

const pdb = (name: string, app: string, apiVersion = 'policy/v1'): string => `
apiVersion: ${apiVersion}
kind: PodDisruptionBudget
metadata: { name: ${name}, namespace: shop }
spec:
  maxUnavailable: 1
  selector: { matchLabels: { app: ${app} } }
---
`;

const priorityClass = (name: string, value: number, extra = ''): string => `
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: { name: ${name} }
value: ${value}
${extra}
---
`;

/** A workload whose pods name a class above the default: priorities are in play. */
const batch = (klass = 'batch-high', value = 1000): string =>
  priorityClass(klass, value) + deployment('pass-batch', `priorityClassName: ${klass}`);

testRule(rule, {
  valid: [
    {
      name: 'a protected workload that names a PriorityClass',
      yaml: batch() + deployment('pass-web', 'priorityClassName: batch-high') + pdb('web', 'pass-web'),
    },
    {
      name: 'a built-in class counts as named',
      yaml:
        batch() +
        deployment('pass-dns', 'priorityClassName: system-cluster-critical') +
        pdb('dns', 'pass-dns'),
    },
    {
      name: 'no pod names a class: every pod has the same priority and none preempts another',
      yaml: deployment('pass-web') + pdb('web', 'pass-web'),
    },
    {
      name: 'a globalDefault class alone: every classless pod still has the same priority',
      yaml:
        priorityClass('everyone', 1000, 'globalDefault: true') +
        deployment('pass-web') +
        pdb('web', 'pass-web'),
    },
    {
      name: 'the other class is below the default (a globalDefault of 5000): it preempts nothing of ours',
      yaml:
        priorityClass('everyone', 5000, 'globalDefault: true') +
        batch('batch-low', 100) +
        deployment('pass-web') +
        pdb('web', 'pass-web'),
    },
    {
      name: 'a class the input does not define may rank anywhere: not judged',
      yaml:
        deployment('pass-batch', 'priorityClassName: somewhere-else') +
        deployment('pass-web') +
        pdb('web', 'pass-web'),
    },
    {
      name: 'no PodDisruptionBudget: nothing in the manifests marks the workload as critical',
      yaml: batch() + deployment('pass-web'),
    },
    {
      name: 'a PDB on an apiVersion the target no longer serves protects nothing (deprecated-api says so)',
      yaml: batch() + deployment('pass-old') + pdb('old', 'pass-old', 'policy/v1beta1'),
    },
    {
      name: "kube-system's built-in classes outrank every user class by design: they alone do not make it a finding",
      yaml:
        deployment('pass-dns', 'priorityClassName: system-cluster-critical') +
        deployment('pass-web') +
        pdb('web', 'pass-web'),
    },
    {
      name: 'scaled to zero: no pod to replace',
      yaml: batch() + deployment('pass-off', '', 0) + pdb('off', 'pass-off'),
    },
  ],
  invalid: [
    {
      name: 'a PDB-protected Deployment whose pods name no class, beside pods of a higher class',
      yaml: batch() + deployment('fail-web') + pdb('web-pdb', 'fail-web'),
      errors: [
        {
          object: 'fail-web',
          messageId: 'missing',
          path: '/spec/template/spec',
          data: { pdb: 'web-pdb', priority: 'priority 0' },
          message: 'they get priority 0, below Deployment pass-batch (PriorityClass batch-high, 1000)',
        },
      ],
    },
    {
      name: 'a globalDefault class below the one the other workload names; the highest class is named',
      yaml:
        priorityClass('everyone', 10, 'globalDefault: true') +
        batch() +
        deployment('pass-dns', 'priorityClassName: system-node-critical') +
        deployment('fail-api') +
        pdb('api', 'fail-api'),
      errors: [
        {
          object: 'fail-api',
          data: {
            priority: 'priority 10 (globalDefault class everyone)',
            outranked: 'Deployment pass-batch (PriorityClass batch-high, 1000)',
          },
        },
      ],
    },
  ],
});

describe('missing-priority-class: headline and detail', () => {
  it('the headline names the workload and the gap; the detail says why and what to set', () => {
    const { objects } = parseManifests(batch() + deployment('web') + pdb('web-pdb', 'web'), 'manifests.yaml');
    const [finding, ...rest] = check(objects, { rules: [rule as AnyRule] }).findings;
    expect(rest).toEqual([]);
    expect(finding?.message).toBe('Deployment web has a PodDisruptionBudget but no PriorityClass');
    expect(finding?.detail).toContain('PodDisruptionBudget web-pdb marks it as critical');
    expect(finding?.detail).toContain('set spec.template.spec.priorityClassName to it.');
  });

  it('on a live scan, the PriorityClasses it listed decide; without them (no right to list) it says nothing', () => {
    const yaml = batch() + deployment('web') + pdb('web-pdb', 'web');
    const { objects } = parseManifests(yaml, 'manifests.yaml');
    const listed = { listed: new Set(['Deployment', 'PodDisruptionBudget', 'PriorityClass']), now: 0 };
    const [finding] = check(objects, { rules: [rule as AnyRule], cluster: listed }).findings;
    expect(finding?.detail).toContain('they get priority 0, below Deployment pass-batch');
    const unlisted = objects.filter((o) => o.kind !== 'PriorityClass');
    const cluster = { listed: new Set(['Deployment', 'PodDisruptionBudget']), now: 0 };
    expect(check(unlisted, { rules: [rule as AnyRule], cluster }).findings).toEqual([]);
  });
});
