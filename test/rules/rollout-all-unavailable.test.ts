import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/rollout-all-unavailable.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

const deployment = (name: string, replicas: string, rollingUpdate: string) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ${name} }
  spec:
    ${replicas}
    strategy:
      rollingUpdate: ${rollingUpdate}
`;

testRule(rule, {
  valid: [
    {
      name: 'the 25%/25% default: rounds down to 0 or 1 of 1–4 replicas, never all',
      yaml:
        deployment('pass-1', 'replicas: 1', '{}') +
        '---\n' +
        deployment('pass-2', 'replicas: 2', '{}') +
        '---\n' +
        deployment('pass-4', 'replicas: 4', '{}'),
    },
    {
      name: 'maxUnavailable below the replica count, and one replica kept up by surge',
      yaml:
        deployment('pass-two-of-three', 'replicas: 3', '{ maxUnavailable: 2 }') +
        '---\n' +
        deployment('pass-99', 'replicas: 3', '{ maxUnavailable: 99% }') +
        '---\n' +
        // 25% of 1 rounds down to 0, maxSurge 1: the new pod starts first (ResolveFenceposts example).
        deployment('pass-solo', 'replicas: 1', '{ maxUnavailable: 25%, maxSurge: 1 }'),
    },
    {
      name: 'a Deployment scaled to zero, and Recreate (recreate-strategy reports it)',
      yaml:
        deployment('pass-off', 'replicas: 0', '{ maxUnavailable: 100% }') +
        '---\n' +
        yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: pass-recreate }
          spec:
            replicas: 3
            strategy: { type: Recreate }
        `,
    },
    {
      name: 'an HPA whose minReplicas stays above maxUnavailable',
      yaml:
        deployment('pass-web', 'replicas: 1', '{ maxUnavailable: 2 }') +
        yaml`
          ---
          apiVersion: autoscaling/v2
          kind: HorizontalPodAutoscaler
          metadata: { name: pass-web }
          spec:
            scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: pass-web }
            minReplicas: 3
            maxReplicas: 10
        `,
    },
    {
      name: 'StatefulSets: unset, one replica, a partition that keeps pods, OnDelete, 50% of 2',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: pass-default }
        spec: { replicas: 3 }
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: pass-one }
        spec:
          replicas: 1
          updateStrategy: { rollingUpdate: { maxUnavailable: 100% } }
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: pass-partition }
        spec:
          replicas: 3
          updateStrategy: { rollingUpdate: { maxUnavailable: 100%, partition: 1 } }
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: pass-ondelete }
        spec:
          replicas: 3
          updateStrategy: { type: OnDelete, rollingUpdate: { maxUnavailable: 100% } }
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: pass-half }
        spec:
          replicas: 2
          updateStrategy: { rollingUpdate: { maxUnavailable: 50% } }
      `,
      kubeVersion: '1.35',
    },
    {
      name: 'DaemonSets: a count (node count unknown), a partial percentage, OnDelete',
      yaml: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: pass-count }
        spec: { updateStrategy: { rollingUpdate: { maxUnavailable: 10 } } }
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: pass-half }
        spec: { updateStrategy: { rollingUpdate: { maxUnavailable: 50% } } }
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: pass-ondelete }
        spec: { updateStrategy: { type: OnDelete } }
      `,
    },
    {
      name: 'Argo Rollouts: traffic-routed canary and blue-green do not use maxUnavailable for updates',
      yaml: yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: pass-routed }
        spec:
          replicas: 4
          strategy:
            canary: { maxUnavailable: 100%, trafficRouting: { istio: { virtualService: { name: web } } } }
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: pass-bluegreen }
        spec:
          replicas: 4
          strategy:
            blueGreen: { activeService: web, maxUnavailable: 100% }
      `,
    },
  ],
  invalid: [
    {
      name: 'maxUnavailable 100% of three replicas',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web }
        spec:
          replicas: 3
          strategy:
            type: RollingUpdate
            rollingUpdate:
              maxUnavailable: 100%
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'replicas',
          path: '/spec/strategy/rollingUpdate/maxUnavailable',
          line: 9,
          column: 7,
          data: { kind: 'Deployment', value: '100%', unavailable: 3, replicas: 3 },
          message: 'maxUnavailable 100% resolves to 3 of 3 replicas, so a rolling update may stop every pod',
        },
      ],
    },
    {
      name: 'a count equal to, or above, the replicas (clamped to replicas, as MaxUnavailable does)',
      yaml:
        deployment('fail-equal', 'replicas: 3', '{ maxUnavailable: 3 }') +
        '---\n' +
        deployment('fail-above', 'replicas: 2', '{ maxUnavailable: 5 }'),
      errors: [
        { object: 'fail-equal', data: { unavailable: 3, replicas: 3 } },
        { object: 'fail-above', line: 15, data: { value: '5', unavailable: 2, replicas: 2 } },
      ],
    },
    {
      name: 'one replica with maxUnavailable 1: advises surging first',
      yaml: deployment('fail-solo', '', '{ maxUnavailable: 1 }'),
      errors: [
        {
          object: 'fail-solo',
          messageId: 'replicas',
          data: { unavailable: 1, replicas: 1 },
          message:
            'resolves to 1 of 1 replica, so a rolling update may stop every pod at once. Use maxUnavailable: 0 with maxSurge: 1',
        },
      ],
    },
    {
      name: 'ResolveFenceposts: maxSurge 0 and 25% of 1 both round to 0, so maxUnavailable becomes 1',
      yaml:
        deployment('fail-fencepost', 'replicas: 1', '{ maxSurge: 0, maxUnavailable: 25% }') +
        '---\n' +
        // maxUnavailable left to its 25% default.
        deployment('fail-default', '', '{ maxSurge: 0 }'),
      errors: [
        {
          object: 'fail-fencepost',
          messageId: 'fencepost',
          path: '/spec/strategy/rollingUpdate/maxSurge',
          line: 7,
          data: { surge: '0', value: '25%', replicas: 1 },
          message: 'raises maxUnavailable to 1',
        },
        { object: 'fail-default', messageId: 'fencepost', data: { surge: '0', value: '25%' } },
      ],
    },
    {
      name: "an HPA's minReplicas that maxUnavailable covers",
      yaml:
        deployment('fail-scaled', 'replicas: 6', '{ maxUnavailable: 2 }') +
        yaml`
          ---
          apiVersion: autoscaling/v2
          kind: HorizontalPodAutoscaler
          metadata: { name: scaled }
          spec:
            scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: fail-scaled }
            minReplicas: 2
            maxReplicas: 10
        `,
      errors: [
        {
          object: 'fail-scaled',
          data: { unavailable: 2, replicas: 2 },
          message: "2 of 2 replicas (the HPA's minReplicas)",
        },
      ],
    },
    {
      name: 'StatefulSet maxUnavailable 100% at 1.35 (MaxUnavailableStatefulSet on by default): an error',
      kubeVersion: '1.35',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec:
          replicas: 3
          updateStrategy:
            rollingUpdate:
              maxUnavailable: 100%
      `,
      errors: [
        {
          object: 'fail-db',
          messageId: 'statefulSet',
          severity: 'error',
          path: '/spec/updateStrategy/rollingUpdate/maxUnavailable',
          line: 8,
          data: { value: '100%', unavailable: 3, replicas: 3, note: '' },
        },
      ],
    },
    {
      name: 'StatefulSet maxUnavailable before 1.35: a warning, since the gate is off by default',
      kubeVersion: '1.34',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec:
          replicas: 2
          updateStrategy: { rollingUpdate: { maxUnavailable: 2 } }
      `,
      errors: [
        {
          object: 'fail-db',
          severity: 'warning',
          data: { unavailable: 2, replicas: 2 },
          message:
            'when the MaxUnavailableStatefulSet feature gate is on (the default from Kubernetes 1.35; the target is 1.34)',
        },
      ],
    },
    {
      name: 'DaemonSet maxUnavailable 100%: every node at once',
      yaml: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: fail-agent }
        spec:
          updateStrategy:
            type: RollingUpdate
            rollingUpdate: { maxUnavailable: 100% }
      `,
      errors: [
        {
          object: 'fail-agent',
          messageId: 'daemonSet',
          path: '/spec/updateStrategy/rollingUpdate/maxUnavailable',
          line: 7,
          column: 22,
          data: { value: '100%' },
        },
      ],
    },
    {
      name: 'Argo Rollout basic canary with maxUnavailable 100%',
      yaml: yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: fail-rollout }
        spec:
          replicas: 4
          strategy:
            canary:
              maxUnavailable: 100%
              steps: [{ setWeight: 25 }]
      `,
      errors: [
        {
          object: 'fail-rollout',
          path: '/spec/strategy/canary/maxUnavailable',
          line: 8,
          data: { kind: 'Rollout', unavailable: 4, replicas: 4 },
          message: 'canary maxUnavailable 100% resolves to 4 of 4 replicas',
        },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the Deployment; the numbers and the fix are the detail', () => {
    const [f] = findingsOfRule(
      rule,
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web }
        spec:
          replicas: 3
          strategy: { rollingUpdate: { maxUnavailable: 100% } }
          template: { spec: { containers: [{ name: app, image: nginx }] } }
      `,
    );
    expect(f!.message).toBe('Deployment web may stop every pod in a rolling update');
    expect(f!.detail).toBe(
      'Its maxUnavailable 100% resolves to 3 of 3 replicas, so a rolling update may stop every pod at once. Use maxUnavailable: 1 (or 25%) with maxSurge: 1 or more. Then at least one pod keeps serving through each update.',
    );
  });
});
