import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/hpa-missing.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

testRule(rule, {
  valid: [
    {
      // Copies of these would each keep their own data: they scale up or through an operator, not out.
      name: 'workloads that keep their own data: a database StatefulSet, a cache Deployment, a pod with a claim or emptyDir data',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: pass-postgres }
        spec:
          replicas: 1
          serviceName: postgres
          template: { spec: { containers: [{ name: db, image: docker.io/bitnami/postgresql:16 }] } }
          volumeClaimTemplates: [{ metadata: { name: data }, spec: { resources: { requests: { storage: 10Gi } } } }]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-cache }
        spec:
          replicas: 1
          template: { spec: { containers: [{ name: redis, image: redis:7.2 }] } }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-uploads }
        spec:
          template:
            spec:
              containers: [{ name: app, image: uploads, volumeMounts: [{ name: files, mountPath: /srv/files }] }]
              volumes: [{ name: files, persistentVolumeClaim: { claimName: uploads } }]
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: pass-indexer }
        spec:
          serviceName: indexer
          template:
            spec:
              containers: [{ name: app, image: indexer, volumeMounts: [{ name: index, mountPath: /var/lib/index }] }]
              volumes: [{ name: index, emptyDir: {} }]
      `,
    },
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
      // Only data says a pod cannot be copied: the kind alone, scratch space or a read-only mount do not.
      name: 'stateless pods: a StatefulSet with no data, scratch and read-only emptyDirs, an exporter image',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-stable-names }
        spec:
          serviceName: workers
          template: { spec: { containers: [{ name: app, image: worker }] } }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-scratch }
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: web
                  volumeMounts: [{ name: tmp, mountPath: /tmp }, { name: assets, mountPath: /srv/assets, readOnly: true }]
              volumes: [{ name: tmp, emptyDir: {} }, { name: assets, emptyDir: {} }]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-exporter }
        spec:
          template: { spec: { containers: [{ name: exporter, image: oliver006/redis_exporter:v1.62.0 }] } }
      `,
      errors: [
        { object: 'fail-stable-names', line: 2, messageId: 'missing' },
        { object: 'fail-scratch', line: 9, messageId: 'missing' },
        { object: 'fail-exporter', line: 21, messageId: 'missing' },
      ],
    },
    {
      // The user did write an HPA for it: they chose to autoscale it, so its unserved version still matters.
      name: 'a database whose HPA uses a version the API server no longer serves',
      kubeVersion: '1.26',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-mongo }
        spec:
          serviceName: mongo
          template: { spec: { containers: [{ name: db, image: mongo:7 }] } }
        ---
        apiVersion: autoscaling/v2beta2
        kind: HorizontalPodAutoscaler
        metadata: { name: mongo }
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: StatefulSet, name: fail-mongo }
          maxReplicas: 3
      `,
      errors: [
        {
          object: 'fail-mongo',
          messageId: 'unserved',
          data: { hpa: 'mongo', apiVersion: 'autoscaling/v2beta2' },
        },
      ],
    },
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
