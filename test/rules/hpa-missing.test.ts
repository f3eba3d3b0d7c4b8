import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/hpa-missing.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

testRule(rule, {
  valid: [
    {
      name: 'a Deployment scaled by an autoscaling/v2 HPA, a StatefulSet by an autoscaling/v1 HPA',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec: { replicas: 2 }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: pass-web }
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: pass-web }
          minReplicas: 2
          maxReplicas: 10
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: pass-db }
        spec: {}
        ---
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: { name: pass-db }
        spec:
          scaleTargetRef: { kind: StatefulSet, name: pass-db }
          maxReplicas: 5
      `,
    },
    {
      // KEDA creates the HPA itself; scaleTargetRef.kind defaults to Deployment (keda.sh/v1alpha1 ScaledObject).
      name: 'a KEDA ScaledObject counts as an HPA, with its default target kind',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-worker }
        spec: {}
        ---
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata: { name: pass-worker }
        spec:
          scaleTargetRef: { name: pass-worker }
          triggers: [{ type: aws-sqs-queue, metadata: { queueURL: q, queueLength: '5' } }]
      `,
    },
    {
      name: 'switched off with replicas: 0, and kinds an HPA does not scale',
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
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: { name: pass-rs }
        spec: { replicas: 2 }
      `,
    },
    {
      name: 'an Argo Rollout scaled by an HPA, and the Deployment its workloadRef uses as a template',
      yaml: yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: pass-rollout }
        spec:
          replicas: 3
          workloadRef: { apiVersion: apps/v1, kind: Deployment, name: pass-template }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-template }
        spec:
          template: { spec: { containers: [{ name: app, image: app }] } }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: pass-rollout }
        spec:
          scaleTargetRef: { apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: pass-rollout }
          minReplicas: 3
          maxReplicas: 9
      `,
    },
    {
      // The seed's VPA section: workloads that cannot scale out are scaled up by a VPA instead.
      name: 'a workload sized by a VPA that applies its recommendations',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: pass-db }
        spec: { replicas: 3 }
        ---
        apiVersion: autoscaling.k8s.io/v1
        kind: VerticalPodAutoscaler
        metadata: { name: pass-db }
        spec:
          targetRef: { apiVersion: apps/v1, kind: StatefulSet, name: pass-db }
          updatePolicy: { updateMode: Initial }
      `,
    },
  ],
  invalid: [
    {
      name: 'a Deployment and a StatefulSet with no HPA (replicas unset means 1)',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web }
        spec: { replicas: 3 }
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec: {}
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'missing',
          line: 2,
          column: 1,
          data: { kind: 'Deployment', replicas: '3 replicas' },
          message: 'keeps 3 replicas however much traffic arrives',
        },
        { object: 'fail-db', line: 7, data: { kind: 'StatefulSet', replicas: '1 replica' } },
      ],
    },
    {
      name: 'HPAs that target something else: another namespace, another kind, another name',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web, namespace: shop }
        spec: { replicas: 2 }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: web, namespace: other }
        spec:
          scaleTargetRef: { kind: Deployment, name: fail-web }
          maxReplicas: 4
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: web-sts, namespace: shop }
        spec:
          scaleTargetRef: { kind: StatefulSet, name: fail-web }
          maxReplicas: 4
        ---
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata: { name: web-keda, namespace: shop }
        spec:
          scaleTargetRef: { name: web }
      `,
      errors: [{ object: 'fail-web', line: 2 }],
    },
    {
      name: 'an Argo Rollout with no HPA, and a workload whose VPA only recommends (Off)',
      yaml: yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: fail-rollout }
        spec: { replicas: 2 }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-api }
        spec: { replicas: 2 }
        ---
        apiVersion: autoscaling.k8s.io/v1
        kind: VerticalPodAutoscaler
        metadata: { name: api }
        spec:
          targetRef: { kind: Deployment, name: fail-api }
          updatePolicy: { updateMode: 'Off' }
      `,
      errors: [
        { object: 'fail-rollout', line: 2, data: { kind: 'Rollout' } },
        { object: 'fail-api', line: 7, data: { kind: 'Deployment' } },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the workload; the replica count it keeps and the HPA to add are the detail', () => {
    const [f] = findingsOfRule(
      rule,
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web }
        spec: { replicas: 3 }
      `,
    );
    expect(f!.message).toBe('Deployment web has no HorizontalPodAutoscaler');
    expect(f!.detail).toMatch(
      /^It keeps 3 replicas however much traffic arrives\. Add an autoscaling\/v2 HPA .*load\.$/,
    );
  });
});
