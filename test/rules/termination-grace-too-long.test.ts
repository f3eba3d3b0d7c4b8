import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/termination-grace-too-long.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

/** A Deployment whose pod spec sets the given grace period (YAML text), or leaves it out. */
const deployment = (name: string, grace?: string) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ${name} }
  spec:
    template:
      spec:${grace === undefined ? '' : `\n        terminationGracePeriodSeconds: ${grace}`}
        containers: [{ name: app, image: web }]
`;

testRule(rule, {
  valid: [
    {
      name: 'unset (30 s), the limit itself, and a value that is not a number yet (a template placeholder)',
      yaml:
        deployment('pass-default') +
        '---\n' +
        deployment('pass-limit', '120') +
        '---\n' +
        deployment('pass-template', "'{{ .Values.grace }}'"),
    },
    {
      name: 'a raised limit accepts a longer grace period',
      yaml: deployment('pass-raised', '600'),
      options: { maxSeconds: 600 },
    },
  ],
  invalid: [
    {
      name: 'one second over the limit, on a Deployment',
      yaml: deployment('fail-web', '121'),
      errors: [
        {
          object: 'fail-web',
          messageId: 'tooLong',
          severity: 'warning',
          line: 7,
          path: '/spec/template/spec/terminationGracePeriodSeconds',
          data: { workload: 'Deployment fail-web', grace: 121, max: 120 },
        },
      ],
    },
    {
      // A drain waits for every pod it evicts, whatever made it.
      name: 'a StatefulSet, a Job and a bare Pod; a lowered limit',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec: { template: { spec: { terminationGracePeriodSeconds: 3600, containers: [{ name: db, image: db }] } } }
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: { name: fail-job }
        spec: { template: { spec: { restartPolicy: Never, terminationGracePeriodSeconds: 90, containers: [{ name: job, image: job }] } } }
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: fail-pod }
        spec: { terminationGracePeriodSeconds: 61, containers: [{ name: app, image: app }] }
      `,
      options: { maxSeconds: 60 },
      errors: [
        { object: 'fail-db', data: { grace: 3600, max: 60 } },
        { object: 'fail-job', data: { grace: 90 } },
        {
          object: 'fail-pod',
          path: '/spec/terminationGracePeriodSeconds',
          data: { workload: 'Pod fail-pod', grace: 61 },
        },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the workload and the grace period; the stalls and the fix are the detail', () => {
    const [f] = findingsOfRule(rule, deployment('web', '3600'));
    expect(f!.message).toBe('Deployment web: grace period of 3600 s stalls drains and upgrades');
    expect(f!.detail).toMatch(
      /^Its pods set terminationGracePeriodSeconds: 3600, above the 120 s this check accepts\. .* set terminationGracePeriodSeconds to 120 or less, or raise the maxSeconds option if this workload really needs longer\.$/,
    );
  });
});
