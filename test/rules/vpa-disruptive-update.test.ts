import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/vpa-disruptive-update.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

const deployment = (name: string, replicas: string, app = name) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  ${replicas}
  selector: { matchLabels: { app: ${app} } }
  template: { metadata: { labels: { app: ${app} } }, spec: { containers: [{ name: app, image: app }] } }
---
`;
const pdb = (app: string) => `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${app}-pdb }
spec: { maxUnavailable: 1, selector: { matchLabels: { app: ${app} } } }
---
`;

testRule(rule, {
  valid: [
    {
      name: 'three replicas and a PDB: evictions go one at a time through the budget',
      yaml:
        deployment('web', 'replicas: 3') +
        pdb('web') +
        yaml`
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: pass-vpa }
          spec:
            targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
            updatePolicy: { updateMode: Recreate }
        `,
    },
    {
      // autoscaler docs/quickstart.md: Off and Initial never change running pods; InPlace never evicts.
      name: 'modes that never evict (Off, Initial, InPlace) on a single replica',
      yaml:
        deployment('web', 'replicas: 1') +
        yaml`
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: pass-off }
          spec:
            targetRef: { kind: Deployment, name: web }
            updatePolicy: { updateMode: 'Off' }
          ---
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: pass-initial }
          spec:
            targetRef: { kind: Deployment, name: web }
            updatePolicy: { updateMode: Initial }
          ---
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: pass-inplace }
          spec:
            targetRef: { kind: Deployment, name: web }
            updatePolicy: { updateMode: InPlace }
        `,
    },
    {
      name: 'targets switched off, absent, or without a replica count',
      yaml:
        deployment('off', 'replicas: 0') +
        yaml`
          apiVersion: apps/v1
          kind: DaemonSet
          metadata: { name: agent }
          spec: { template: { spec: { containers: [{ name: agent, image: agent }] } } }
          ---
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: pass-off }
          spec: { targetRef: { kind: Deployment, name: off } }
          ---
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: pass-absent }
          spec: { targetRef: { kind: Deployment, name: absent } }
          ---
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: pass-agent }
          spec: { targetRef: { kind: DaemonSet, name: agent } }
        `,
    },
    {
      // The updater skips workloads with fewer live pods than updatePolicy.minReplicas (which overrides --min-replicas).
      name: 'two replicas, no PDB, but the VPA only evicts from three or more',
      yaml:
        deployment('web', 'replicas: 2') +
        yaml`
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: pass-vpa }
          spec:
            targetRef: { kind: Deployment, name: web }
            updatePolicy: { updateMode: Recreate, minReplicas: 3 }
        `,
    },
    {
      name: 'an Argo Rollout whose workloadRef template labels are selected by a PDB',
      yaml:
        deployment('template', 'replicas: 0', 'web') +
        pdb('web') +
        yaml`
          apiVersion: argoproj.io/v1alpha1
          kind: Rollout
          metadata: { name: web }
          spec:
            replicas: 3
            workloadRef: { apiVersion: apps/v1, kind: Deployment, name: template }
          ---
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: pass-vpa }
          spec:
            targetRef: { apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web }
        `,
    },
  ],
  invalid: [
    {
      // The updater's default --min-replicas=2 spares a lone pod, so the finding says both outcomes.
      name: 'one replica (replicas unset) with the default mode',
      yaml:
        deployment('web', '') +
        pdb('web') +
        yaml`
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata:
            name: fail-vpa
          spec:
            targetRef: { kind: Deployment, name: web }
        `,
      errors: [
        {
          object: 'fail-vpa',
          messageId: 'single',
          line: 20,
          column: 1,
          path: '/spec/updatePolicy/updateMode',
          data: { workload: 'Deployment web', mode: 'updateMode unset, so Auto', fallback: '' },
          message: 'By default (--min-replicas=2) the VPA updater leaves that pod alone',
        },
      ],
    },
    {
      name: 'one replica that the VPA is allowed to evict (updatePolicy.minReplicas: 1), and an HPA floor of 1',
      yaml:
        deployment('web', 'replicas: 1') +
        deployment('api', 'replicas: 4') +
        pdb('api') +
        yaml`
          apiVersion: autoscaling/v2
          kind: HorizontalPodAutoscaler
          metadata: { name: api }
          spec:
            scaleTargetRef: { kind: Deployment, name: api }
            minReplicas: 1
            maxReplicas: 5
            metrics: [{ type: Pods, pods: { metric: { name: rps }, target: { type: AverageValue, averageValue: '10' } } }]
          ---
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: fail-web }
          spec:
            targetRef: { kind: Deployment, name: web }
            updatePolicy: { updateMode: Recreate, minReplicas: 1 }
          ---
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: fail-api }
          spec:
            targetRef: { kind: Deployment, name: api }
            updatePolicy: { updateMode: Auto }
        `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'singleEvicts',
          line: 39,
          column: 19,
          data: { vpaMin: 1 },
          message: 'evicts the only pod of Deployment web',
        },
        { object: 'fail-api', messageId: 'single', line: 46, data: { replicas: 1 } },
      ],
    },
    {
      name: 'several replicas and no PDB selecting them (Recreate; InPlaceOrRecreate falls back to eviction)',
      yaml:
        deployment('web', 'replicas: 3') +
        deployment('api', 'replicas: 4') +
        pdb('other') +
        yaml`
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: fail-web }
          spec:
            targetRef: { kind: Deployment, name: web }
            updatePolicy: { updateMode: Recreate }
          ---
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: fail-api }
          spec:
            targetRef: { kind: Deployment, name: api }
            updatePolicy: { updateMode: InPlaceOrRecreate }
        `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'noPdb',
          line: 30,
          // The updater's eviction tolerance: int(3 × 0.5) = 1 pod per pass.
          data: { replicas: 3, evictable: 1, fallback: '' },
          message: 'evicts up to 1 of its 3 pods at a time',
        },
        {
          object: 'fail-api',
          messageId: 'noPdb',
          line: 37,
          data: { replicas: 4, evictable: 2 },
          message: 'InPlaceOrRecreate evicts whenever an in-place resize fails',
        },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the VPA and the workload it disrupts; the eviction numbers and the fix are the detail', () => {
    const [f] = findingsOfRule(
      rule,
      deployment('web', 'replicas: 3') +
        yaml`
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: web-vpa }
          spec:
            targetRef: { kind: Deployment, name: web }
            updatePolicy: { updateMode: Recreate }
        `,
    );
    expect(f!.message).toBe('VPA web-vpa evicts pods of Deployment web, and no PDB selects them');
    expect(f!.detail).toBe(
      'It runs with updateMode Recreate. The updater evicts up to 1 of its 3 pods at a time (--eviction-tolerance 0.5), counting pods that run but are not Ready yet and ignoring node drains under way, so more replicas than that can be down together. Add a PDB selecting its pods (maxUnavailable: 1), or set updateMode: Initial.',
    );
  });
});
