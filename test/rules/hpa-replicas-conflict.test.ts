import rule from '../../src/rules/hpa-replicas-conflict.js';
import { testRule, yaml } from '../rule-tester.js';

testRule(rule, {
  valid: [
    {
      // kubernetes.io, "Migrating Deployments and StatefulSets to horizontal autoscaling": remove spec.replicas.
      name: 'an HPA-scaled Deployment that leaves replicas out',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          template: { spec: { containers: [{ name: app, image: app }] } }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: web }
        spec:
          scaleTargetRef: { kind: Deployment, name: pass-web }
          minReplicas: 2
          maxReplicas: 10
      `,
    },
    {
      name: 'replicas without any autoscaler, replicas: 0 (switched off), and an HPA in another namespace',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-fixed }
        spec: { replicas: 3 }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-off }
        spec: { replicas: 0 }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: off }
        spec:
          scaleTargetRef: { kind: Deployment, name: pass-off }
          maxReplicas: 4
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: fixed, namespace: elsewhere }
        spec:
          scaleTargetRef: { kind: Deployment, name: pass-fixed }
          maxReplicas: 4
      `,
    },
  ],
  invalid: [
    {
      name: 'a Deployment with replicas and an HPA',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: fail-web
        spec:
          replicas: 3
          template: { spec: { containers: [{ name: app, image: app }] } }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: web }
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: fail-web }
          minReplicas: 2
          maxReplicas: 10
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'conflict',
          line: 6,
          column: 3,
          path: '/spec/replicas',
          data: { kind: 'Deployment', replicas: 3, scalers: 'HPA web', min: '2' },
          message: 'every kubectl apply or helm upgrade resets it to 3 pods',
        },
      ],
    },
    {
      name: 'a StatefulSet with an autoscaling/v1 HPA (minReplicas defaults to 1), a Rollout with a KEDA ScaledObject',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec: { replicas: 1 }
        ---
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: { name: db }
        spec:
          scaleTargetRef: { kind: StatefulSet, name: fail-db }
          maxReplicas: 3
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: fail-rollout }
        spec: { replicas: 4 }
        ---
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata: { name: rollout }
        spec:
          scaleTargetRef: { apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: fail-rollout }
          minReplicaCount: 2
      `,
      errors: [
        { object: 'fail-db', line: 4, column: 9, data: { kind: 'StatefulSet', replicas: 1, min: '1' } },
        {
          object: 'fail-rollout',
          line: 16,
          data: { kind: 'Rollout', scalers: 'ScaledObject rollout', min: '2' },
        },
      ],
    },
  ],
});
