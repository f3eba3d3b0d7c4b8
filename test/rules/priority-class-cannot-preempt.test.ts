import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import type { AnyRule } from '../../src/rules/types.js';
import rule from '../../src/rules/priority-class-cannot-preempt.js';
import { testRule } from '../rule-tester.js';

const deployment = (name: string, priorityClassName?: string, replicas = 3): string => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      ${priorityClassName ? `priorityClassName: ${priorityClassName}` : ''}
      containers: [{ name: app, image: nginx }]
---
`;

const pdb = (name: string, app: string): string => `
apiVersion: policy/v1
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

testRule(rule, {
  valid: [
    {
      name: 'a protected workload whose class preempts and is above the globalDefault',
      yaml:
        priorityClass('everyone', 100, 'globalDefault: true') +
        priorityClass('critical', 100000, 'preemptionPolicy: PreemptLowerPriority') +
        deployment('pass-web', 'critical') +
        pdb('web', 'pass-web'),
    },
    {
      name: 'a Never class on a workload no PDB protects (batch that may wait)',
      yaml:
        priorityClass('queue-first', 1000, 'preemptionPolicy: Never') +
        deployment('pass-batch', 'queue-first'),
    },
    {
      name: 'a low class on a workload no PDB protects (best-effort work below the default, on purpose)',
      yaml:
        priorityClass('everyone', 1000, 'globalDefault: true') +
        priorityClass('best-effort', 10) +
        deployment('pass-batch', 'best-effort'),
    },
    {
      name: 'a class the input does not define is not judged',
      yaml:
        priorityClass('everyone', 1000, 'globalDefault: true') +
        deployment('pass-web', 'elsewhere') +
        pdb('web', 'pass-web'),
    },
    {
      name: 'a built-in class always preempts',
      yaml:
        priorityClass('everyone', 1000, 'globalDefault: true') +
        deployment('pass-dns', 'system-cluster-critical') +
        pdb('dns', 'pass-dns'),
    },
    {
      name: 'the globalDefault class itself, named explicitly: equal to the default, not below',
      yaml:
        priorityClass('everyone', 1000, 'globalDefault: true') +
        deployment('pass-web', 'everyone') +
        pdb('web', 'pass-web'),
    },
  ],
  invalid: [
    {
      name: 'a protected workload whose class never preempts',
      yaml:
        priorityClass('critical-never', 100000, 'preemptionPolicy: Never') +
        deployment('fail-web', 'critical-never') +
        pdb('web-pdb', 'fail-web'),
      errors: [
        {
          object: 'fail-web',
          messageId: 'never',
          path: '/spec/template/spec/priorityClassName',
          data: { class: 'critical-never', value: 100000, pdb: 'web-pdb' },
          message: 'its pods (priority 100000) are queued ahead of lower priorities yet never evict one',
        },
      ],
    },
    {
      name: 'a protected workload whose class is below the globalDefault',
      yaml:
        priorityClass('everyone', 1000, 'globalDefault: true') +
        priorityClass('app', 500) +
        deployment('fail-api', 'app') +
        pdb('api', 'fail-api'),
      errors: [
        {
          object: 'fail-api',
          messageId: 'belowDefault',
          data: { class: 'app', value: 500, default: 'everyone', defaultValue: 1000 },
          message: 'has value 500, below everyone (1000), the globalDefault class',
        },
      ],
    },
  ],
});

describe('priority-class-cannot-preempt: headline and detail', () => {
  it('the headline names the workload and the class; the detail says why and what to do', () => {
    const yaml =
      priorityClass('critical-never', 1000, 'preemptionPolicy: Never') +
      deployment('web', 'critical-never') +
      pdb('web-pdb', 'web');
    const { objects } = parseManifests(yaml, 'manifests.yaml');
    const [finding, ...rest] = check(objects, { rules: [rule as AnyRule] }).findings;
    expect(rest).toEqual([]);
    expect(finding?.message).toBe('Deployment web names PriorityClass critical-never, which never preempts');
    expect(finding?.detail).toContain(
      'The API server refuses to change preemptionPolicy on an existing class',
    );
    expect(finding?.detail).toMatch(/set spec\.template\.spec\.priorityClassName to it\.$/);
  });
});
