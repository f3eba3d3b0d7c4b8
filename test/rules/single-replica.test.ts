import rule from '../../src/rules/single-replica.js';
import { testRule, yaml } from '../rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'three replicas',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          replicas: 3
          template: { spec: { containers: [{ name: app, image: nginx }] } }
      `,
    },
    {
      name: 'one replica, but an HPA keeps at least two',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          template: { spec: { containers: [{ name: app, image: nginx }] } }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: pass-web }
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: pass-web }
          minReplicas: 2
          maxReplicas: 5
      `,
    },
    {
      name: 'scaled to zero on purpose, and kinds without replicas',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-off }
        spec: { replicas: 0 }
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: pass-agent }
        spec: {}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: { name: pass-job }
        spec: {}
      `,
    },
  ],
  invalid: [
    {
      name: 'replicas unset on a Deployment',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: fail-web
        spec:
          template: { spec: { containers: [{ name: app, image: nginx }] } }
      `,
      errors: [{ object: 'fail-web', messageId: 'unset', line: 5, column: 1, message: 'runs 1 pod' }],
    },
    {
      name: 'replicas: 1 on a StatefulSet, an Argo Rollout, and one behind an HPA with minReplicas 1',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec:
          replicas: 1
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: fail-rollout }
        spec:
          replicas: 1
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-api }
        spec:
          replicas: 1
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: api }
        spec:
          scaleTargetRef: { kind: Deployment, name: fail-api }
          maxReplicas: 4
      `,
      errors: [
        { object: 'fail-db', messageId: 'one', line: 5, column: 3, data: { kind: 'StatefulSet' } },
        { object: 'fail-rollout', messageId: 'one', line: 11, data: { kind: 'Rollout' } },
        { object: 'fail-api', messageId: 'one', line: 17 },
      ],
    },
  ],
});
