import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import rule from '../../src/rules/canary-target-missing.js';
import { testRule, yaml } from '../rule-tester.js';

const deployment = (name: string, namespace = 'default') => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ${name}, namespace: ${namespace} }
  spec: { replicas: 2 }
  ---
`;

testRule(rule, {
  valid: [
    {
      name: 'a Flagger Canary and an Argo Rollout whose targets are in the input',
      yaml:
        deployment('web') +
        deployment('api') +
        yaml`
          apiVersion: flagger.app/v1beta1
          kind: Canary
          metadata: { name: pass-canary }
          spec:
            targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
          ---
          apiVersion: argoproj.io/v1alpha1
          kind: Rollout
          metadata: { name: pass-rollout }
          spec:
            replicas: 3
            workloadRef: { apiVersion: apps/v1, kind: Deployment, name: api }
        `,
    },
    {
      name: 'no object of the target kind in that namespace: the target is applied from elsewhere',
      yaml:
        deployment('web', 'other') +
        yaml`
          apiVersion: flagger.app/v1beta1
          kind: Canary
          metadata: { name: pass-canary }
          spec:
            targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
          ---
          apiVersion: argoproj.io/v1alpha1
          kind: Rollout
          metadata: { name: pass-rollout }
          spec:
            workloadRef: { apiVersion: apps/v1, kind: ReplicaSet, name: web }
        `,
    },
    {
      name: 'targets that are not workloads (a Flagger Service target), and a Rollout with its own template',
      yaml: yaml`
        apiVersion: v1
        kind: Service
        metadata: { name: web }
        ---
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata: { name: pass-service }
        spec:
          targetRef: { apiVersion: v1, kind: Service, name: web }
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: pass-template }
        spec:
          replicas: 3
          template: { metadata: { labels: { app: web } } }
      `,
    },
    {
      name: "Canary and Rollout kinds of other API groups are not Flagger's or Argo's",
      yaml:
        deployment('web') +
        yaml`
          apiVersion: example.com/v1
          kind: Canary
          metadata: { name: pass-other-canary }
          spec:
            targetRef: { kind: Deployment, name: ghost }
          ---
          apiVersion: example.com/v1
          kind: Rollout
          metadata: { name: pass-other-rollout }
          spec:
            workloadRef: { kind: Deployment, name: ghost }
        `,
    },
  ],
  invalid: [
    {
      name: 'a Flagger Canary naming a Deployment that is not there',
      yaml:
        deployment('web') +
        deployment('api') +
        yaml`
          apiVersion: flagger.app/v1beta1
          kind: Canary
          metadata: { name: fail-canary }
          spec:
            targetRef:
              apiVersion: apps/v1
              kind: Deployment
              name: podinfo
        `,
      errors: [
        {
          object: 'fail-canary',
          messageId: 'missing',
          path: '/spec/targetRef/name',
          line: 18,
          column: 5,
          data: {
            kind: 'Deployment',
            name: 'podinfo',
            namespace: 'default',
            existing: 'Deployments there: web, api',
          },
          message:
            'Canary fail-canary (Flagger) targets missing Deployment podinfo\nNo Deployment podinfo is in namespace default (Deployments there: web, api): Flagger has no workload to analyse or promote. Fix spec.targetRef.name',
        },
      ],
    },
    {
      name: 'an Argo Rollout whose workloadRef names a missing Deployment',
      yaml:
        deployment('web-v1') +
        yaml`
          apiVersion: argoproj.io/v1alpha1
          kind: Rollout
          metadata: { name: fail-rollout }
          spec:
            replicas: 3
            workloadRef: { apiVersion: apps/v1, kind: Deployment, name: web }
        `,
      errors: [
        {
          object: 'fail-rollout',
          messageId: 'missing',
          path: '/spec/workloadRef/name',
          line: 11,
          data: { name: 'web' },
          message: 'the Rollout has no pod template and runs no pods. Fix spec.workloadRef.name',
        },
      ],
    },
    {
      name: 'the right name with the wrong kind',
      yaml: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: agent }
        spec: {}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web }
        spec: {}
        ---
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata: { name: fail-kind }
        spec:
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: agent
      `,
      errors: [
        {
          object: 'fail-kind',
          messageId: 'otherKind',
          path: '/spec/targetRef/kind',
          line: 17,
          data: { kind: 'Deployment', actual: 'DaemonSet' },
          message:
            'Canary fail-kind (Flagger) targets Deployment agent: wrong kind\nNo Deployment agent is in namespace default, but a DaemonSet agent is; with the wrong kind, Flagger has no workload to analyse or promote. Set spec.targetRef.kind: DaemonSet.',
        },
      ],
    },
    {
      name: 'targets in another namespace do not count',
      yaml:
        deployment('web', 'shop') +
        deployment('api', 'staging') +
        yaml`
          apiVersion: flagger.app/v1beta1
          kind: Canary
          metadata: { name: fail-elsewhere, namespace: staging }
          spec:
            targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
        `,
      errors: [
        { object: 'fail-elsewhere', data: { namespace: 'staging', existing: 'Deployments there: api' } },
      ],
    },
  ],
});

/** The rule's findings as the engine renders them: `message` is the headline alone, `detail` the rest. */
const findings = (text: string) =>
  check(parseManifests(text, 'test.yaml').objects, { rules: [rule] }).findings;

describe('the headline stands alone', () => {
  it('names the Rollout and its missing target; the namespace, the consequence and the fix are the detail', () => {
    const [f] = findings(
      deployment('web') +
        yaml`
          apiVersion: argoproj.io/v1alpha1
          kind: Rollout
          metadata: { name: checkout }
          spec:
            workloadRef: { apiVersion: apps/v1, kind: Deployment, name: chekout }
        `,
    );
    expect(f!.message).toBe('Rollout checkout targets missing Deployment chekout');
    expect(f!.detail).toBe(
      'No Deployment chekout is in namespace default (Deployments there: web): the Rollout has no pod template and runs no pods. Fix spec.workloadRef.name (the target must be in the same namespace).',
    );
  });
});
