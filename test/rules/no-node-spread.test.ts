import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import type { AnyRule, ClusterFacts } from '../../src/rules/types.js';
import rule from '../../src/rules/no-node-spread.js';
import { testRule, yaml } from '../rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'a hostname spread constraint that selects the own pods',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          replicas: 3
          selector: { matchLabels: { app: web } }
          template:
            metadata: { labels: { app: web, version: v2 } }
            spec:
              topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: kubernetes.io/hostname
                  whenUnsatisfiable: ScheduleAnyway
                  labelSelector: { matchLabels: { app: web } }
                  matchLabelKeys: [pod-template-hash]
              containers: [{ name: web, image: nginx }]
      `,
    },
    {
      name: 'preferred and required hostname anti-affinity on a StatefulSet and a ReplicaSet',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: pass-db }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: db } }
            spec:
              affinity:
                podAntiAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 100
                      podAffinityTerm:
                        labelSelector:
                          matchExpressions: [{ key: app, operator: In, values: [db, db-replica] }]
                        topologyKey: kubernetes.io/hostname
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: { name: pass-rs }
        spec:
          replicas: 2
          template:
            metadata: { labels: { app: rs } }
            spec:
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchExpressions: [{ key: app, operator: Exists }] }
                      topologyKey: kubernetes.io/hostname
      `,
    },
    {
      // One replica per zone is also one per node: required zone anti-affinity implies node spread.
      name: 'required zone anti-affinity, also on the deprecated zone key',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-api }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: api } }
            spec:
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchLabels: { app: api } }
                      topologyKey: failure-domain.beta.kubernetes.io/zone
      `,
    },
    {
      name: 'the seed example: the hostname term is the one that survives the repeated podAntiAffinity key',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: pass-spread-host-az
          labels:
            app: web-server
        spec:
          replicas: 4
          selector:
            matchLabels:
              app: web-server
          template:
            metadata:
              labels:
                app: web-server
            spec:
              affinity:
                podAntiAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                  - podAffinityTerm:
                      labelSelector:
                        matchExpressions:
                        - key: app
                          operator: In
                          values:
                          - web-server
                      topologyKey: failure-domain.beta.kubernetes.io/zone
                    weight: 100
                podAntiAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                  - podAffinityTerm:
                      labelSelector:
                        matchExpressions:
                        - key: app
                          operator: In
                          values:
                          - web-server
                      topologyKey: kubernetes.io/hostname
                    weight: 99
              containers:
              - name: web-app
                image: nginx:1.16-alpine
      `,
    },
    {
      name: 'a namespaceSelector that cannot be evaluated without the Namespace object gets the benefit of the doubt',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web, namespace: shop }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: web } }
            spec:
              affinity:
                podAntiAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 100
                      podAffinityTerm:
                        labelSelector: { matchLabels: { app: web } }
                        namespaceSelector: { matchLabels: { team: shop } }
                        topologyKey: kubernetes.io/hostname
      `,
    },
    {
      name: 'fewer than two replicas, switched off, or run one per node',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-one }
        spec: { template: { metadata: { labels: { app: one } } } }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-hpa-one }
        spec: { replicas: 1, template: { metadata: { labels: { app: h } } } }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: pass-hpa-one }
        spec: { scaleTargetRef: { kind: Deployment, name: pass-hpa-one }, maxReplicas: 1 }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-off }
        spec: { replicas: 0, template: { metadata: { labels: { app: off } } } }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: pass-off }
        spec: { scaleTargetRef: { kind: Deployment, name: pass-off }, maxReplicas: 5 }
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: pass-agent }
        spec: { template: { metadata: { labels: { app: agent } } } }
      `,
    },
    {
      name: 'Jobs, CronJobs, bare Pods and ReplicaSets a Deployment manages',
      yaml: yaml`
        apiVersion: batch/v1
        kind: Job
        metadata: { name: pass-job }
        spec: { parallelism: 5, template: { metadata: { labels: { app: job } } } }
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: { name: pass-cron }
        spec: { jobTemplate: { spec: { parallelism: 3, template: { metadata: { labels: { app: c } } } } } }
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: pass-pod }
        spec: { containers: [{ name: a, image: nginx }] }
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: pass-web-5d8f
          ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: web, uid: u1, controller: true }]
        spec: { replicas: 3, template: { metadata: { labels: { app: web } } } }
      `,
    },
    {
      name: 'an Argo Rollout whose workloadRef template spreads, or is not in the input',
      yaml: yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: pass-rollout }
        spec:
          replicas: 5
          workloadRef: { apiVersion: apps/v1, kind: Deployment, name: pass-template }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-template }
        spec:
          replicas: 0
          template:
            metadata: { labels: { app: ro } }
            spec:
              topologySpreadConstraints:
                - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: ro } } }
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: pass-elsewhere }
        spec:
          replicas: 5
          workloadRef: { apiVersion: apps/v1, kind: Deployment, name: not-here }
      `,
    },
  ],
  invalid: [
    {
      name: 'three replicas and nothing about nodes',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web, namespace: shop }
        spec:
          replicas: 3
          selector: { matchLabels: { app: web } }
          template:
            metadata: { labels: { app: web, tier: front } }
            spec:
              containers: [{ name: web, image: nginx }]
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'none',
          // topologySpreadConstraints is missing: the pod spec's key.
          line: 9,
          column: 5,
          path: '/spec/template/spec/topologySpreadConstraints',
          data: { workload: 'Deployment fail-web', replicas: '3 replicas', labels: 'app=web,tier=front' },
          message: 'labelSelector: {matchLabels: {app: web}}',
        },
      ],
    },
    {
      name: 'one replica that an HPA scales to 6, on every replicated kind',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-api }
        spec:
          template:
            metadata: { labels: { app: api } }
            spec: { containers: [{ name: api, image: api }] }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: api }
        spec: { scaleTargetRef: { kind: Deployment, name: fail-api }, minReplicas: 1, maxReplicas: 6 }
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec: { replicas: 2, template: { metadata: { labels: { app: db } }, spec: {} } }
        ---
        apiVersion: v1
        kind: ReplicationController
        metadata: { name: fail-rc }
        spec: { replicas: 2, template: { metadata: { labels: { app: rc } }, spec: {} } }
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: fail-rollout }
        spec: { replicas: 2, template: { metadata: { labels: { app: ro } }, spec: {} } }
      `,
      errors: [
        {
          object: 'fail-api',
          messageId: 'none',
          line: 7,
          data: { replicas: 'up to 6 replicas (HPA api)' },
          message: 'runs up to 6 replicas (HPA api) with nothing spreading them over nodes',
        },
        {
          object: 'fail-db',
          messageId: 'none',
          line: 17,
          column: 69,
          data: { workload: 'StatefulSet fail-db' },
        },
        { object: 'fail-rc', messageId: 'none', line: 22 },
        { object: 'fail-rollout', messageId: 'none', line: 27 },
      ],
    },
    {
      name: 'only zone spreading, preferred (it may still put two replicas on one node)',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: web } }
            spec:
              affinity:
                podAntiAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 100
                      podAffinityTerm:
                        labelSelector: { matchLabels: { app: web } }
                        topologyKey: topology.kubernetes.io/zone
              topologySpreadConstraints:
                - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: web } } }
      `,
      errors: [{ object: 'fail-web', messageId: 'none', line: 16, column: 7 }],
    },
    {
      name: 'hostname terms that select other pods: a copy-pasted value, another namespace, mismatchLabelKeys',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-copy }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: web } }
            spec:
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector:
                        matchLabels: { app: web-server }
                      topologyKey: kubernetes.io/hostname
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-ns, namespace: shop }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: web } }
            spec:
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchLabels: { app: web } }
                      namespaces: [staging]
                      topologyKey: kubernetes.io/hostname
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-nil }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: web } }
            spec:
              topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: kubernetes.io/hostname
                  whenUnsatisfiable: DoNotSchedule
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-tenant }
        spec:
          replicas: 2
          template:
            metadata: { labels: { app: web, tenant: a } }
            spec:
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchExpressions: [{ key: tenant, operator: Exists }] }
                      mismatchLabelKeys: [tenant]
                      topologyKey: kubernetes.io/hostname
      `,
      errors: [
        {
          object: 'fail-copy',
          messageId: 'notOwn',
          // The requirement to fix: app in matchLabels.
          line: 13,
          column: 32,
          data: {
            source: 'required podAntiAffinity term on kubernetes.io/hostname',
            selected: 'app=web-server',
            labels: 'app=web',
          },
        },
        {
          object: 'fail-ns',
          messageId: 'notOwn',
          line: 28,
          column: 15,
          data: {
            source: 'required podAntiAffinity term on kubernetes.io/hostname',
            selected: 'app=web in other namespaces only',
          },
        },
        {
          // labelSelector is missing: the constraint's item.
          object: 'fail-nil',
          messageId: 'notOwn',
          line: 40,
          column: 11,
          data: {
            source: 'topologySpreadConstraints[0] on kubernetes.io/hostname',
            selected: 'no pod (it has no labelSelector)',
          },
        },
        {
          object: 'fail-tenant',
          messageId: 'notOwn',
          line: 56,
          column: 35,
          data: { selected: 'only pods whose tenant differs (mismatchLabelKeys)' },
        },
      ],
    },
    {
      name: 'replicas pinned to one node by nodeName, a hostname nodeSelector or node affinity',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-name }
        spec:
          replicas: 2
          template:
            metadata: { labels: { app: a } }
            spec:
              nodeName: node-1
              topologySpreadConstraints:
                - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: a } } }
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-selector }
        spec:
          replicas: 2
          template:
            metadata: { labels: { app: b } }
            spec:
              nodeSelector:
                kubernetes.io/hostname: node-2
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-affinity }
        spec:
          replicas: 2
          template:
            metadata: { labels: { app: c } }
            spec:
              affinity:
                nodeAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    nodeSelectorTerms:
                      - matchFields:
                          - { key: metadata.name, operator: In, values: [node-3] }
      `,
      errors: [
        {
          object: 'fail-name',
          messageId: 'pinned',
          line: 9,
          column: 7,
          data: { field: 'nodeName', value: 'node-1' },
          message: 'is pinned to one node by nodeName (node-1)',
        },
        {
          object: 'fail-selector',
          messageId: 'pinned',
          line: 22,
          column: 9,
          data: { field: 'nodeSelector kubernetes.io/hostname', value: 'node-2' },
        },
        {
          object: 'fail-affinity',
          messageId: 'pinned',
          line: 37,
          column: 21,
          data: { field: 'required node affinity on metadata.name', value: 'node-3' },
        },
      ],
    },
    {
      name: 'an Argo Rollout whose workloadRef template does not spread: reported on the template',
      yaml: yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: rollout }
        spec:
          replicas: 4
          workloadRef: { apiVersion: apps/v1, kind: Deployment, name: fail-template }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-template }
        spec:
          replicas: 0
          template:
            metadata: { labels: { app: ro } }
            spec: { containers: [{ name: a, image: a }] }
      `,
      errors: [
        {
          object: 'fail-template',
          messageId: 'none',
          line: 15,
          data: { workload: 'Rollout rollout', replicas: '4 replicas' },
        },
      ],
    },
  ],
});

/** The finding as users see it: `message` is the headline alone, `detail` the why and the how. */
function findingsOf(text: string, cluster?: ClusterFacts) {
  const { objects } = parseManifests(text, 'manifests.yaml');
  return check(objects, { rules: [rule as AnyRule], ...(cluster ? { cluster } : {}) }).findings;
}

describe('no-node-spread: headline and detail', () => {
  it('the headline states what is wrong and names the object; the detail says why and how to fix it', () => {
    const [finding, ...rest] = findingsOf(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: nginx }]
`);
    expect(rest).toEqual([]);
    expect(finding?.message).toBe('Deployment web runs 3 replicas with nothing spreading them over nodes');
    expect(finding?.detail).toContain(
      'No pod anti-affinity or topology spread constraint on kubernetes.io/hostname selects its own pods (app=web)',
    );
    expect(finding?.detail).toContain('labelSelector: {matchLabels: {app: web}}}.');
  });
});
