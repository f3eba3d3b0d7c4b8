import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import type { AnyRule, ClusterFacts } from '../../src/rules/types.js';
import rule from '../../src/rules/spread-selector-mismatch.js';
import { testRule, yaml } from '../rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'constraints and terms that select the own pods (matchLabelKeys keep the own values)',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: web, tier: front } }
            spec:
              topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: DoNotSchedule
                  labelSelector: { matchLabels: { app: web } }
                  matchLabelKeys: [pod-template-hash]
              affinity:
                podAntiAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 100
                      podAffinityTerm:
                        labelSelector:
                          matchExpressions:
                            - { key: app, operator: In, values: [web] }
                            - { key: pod-template-hash, operator: Exists }
                        topologyKey: kubernetes.io/hostname
      `,
    },
    {
      name: 'anti-affinity against another application through a key the template does not have',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: web } }
            spec:
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchLabels: { component: database } }
                      topologyKey: kubernetes.io/hostname
      `,
    },
    {
      name: 'anti-affinity on the own app key against a workload that is in the input',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: web } }
            spec:
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchLabels: { app: batch } }
                      topologyKey: kubernetes.io/hostname
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: { name: pass-batch }
        spec:
          schedule: '0 * * * *'
          jobTemplate: { spec: { template: { metadata: { labels: { app: batch } } } } }
      `,
    },
    {
      name: 'anti-affinity against another app on a domain the workload already spreads over itself',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: web } }
            spec:
              topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: kubernetes.io/hostname
                  whenUnsatisfiable: ScheduleAnyway
                  labelSelector: { matchLabels: { app: web } }
              affinity:
                podAntiAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 50
                      podAffinityTerm:
                        labelSelector: { matchLabels: { app: cache } }
                        topologyKey: kubernetes.io/hostname
      `,
    },
    {
      name: 'co-location with another app on the same key, NotIn, mismatchLabelKeys, unknown values',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web, namespace: shop }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: web, tenant: a } }
            spec:
              affinity:
                podAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchLabels: { app: cache } }
                      topologyKey: topology.kubernetes.io/zone
                    # Tenant isolation, the documented use of mismatchLabelKeys.
                    - labelSelector: { matchExpressions: [{ key: tenant, operator: Exists }] }
                      mismatchLabelKeys: [tenant]
                      topologyKey: topology.kubernetes.io/zone
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchExpressions: [{ key: app, operator: NotIn, values: [web] }] }
                      topologyKey: kubernetes.io/hostname
                    - labelSelector: { matchLabels: { app: web } }
                      namespaceSelector: { matchLabels: { env: prod } }
                      topologyKey: kubernetes.io/hostname
                    - labelSelector: { matchLabels: { pod-template-hash: 5d8f9c } }
                      topologyKey: kubernetes.io/hostname
      `,
    },
    {
      name: 'cross-namespace anti-affinity with the same app running in the other namespace',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web, namespace: prod }
        spec:
          replicas: 2
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
        metadata: { name: pass-web, namespace: staging }
        spec:
          replicas: 1
          template:
            metadata: { labels: { app: web } }
      `,
    },
    {
      name: 'an Argo Rollout with workloadRef has no template of its own',
      yaml: yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: pass-rollout }
        spec:
          replicas: 3
          workloadRef: { apiVersion: apps/v1, kind: Deployment, name: elsewhere }
      `,
    },
  ],
  invalid: [
    {
      name: 'spread constraints that count other pods, or none',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web }
        spec:
          replicas: 3
          selector: { matchLabels: { app: web } }
          template:
            metadata: { labels: { app: web, tier: front } }
            spec:
              topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: DoNotSchedule
                  labelSelector:
                    matchLabels: { app: frontend }
                - maxSkew: 1
                  topologyKey: kubernetes.io/hostname
                  whenUnsatisfiable: ScheduleAnyway
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'constraint',
          line: 15,
          column: 28,
          path: '/spec/template/spec/topologySpreadConstraints/0/labelSelector/matchLabels/app',
          data: {
            source: 'topologySpreadConstraints[0] on topology.kubernetes.io/zone',
            selected: 'app=frontend',
            labels: 'app=web,tier=front',
          },
          message: 'Set its labelSelector to {matchLabels: {app: web}}',
        },
        {
          object: 'fail-web',
          messageId: 'constraintNil',
          line: 16,
          column: 11,
          data: { source: 'topologySpreadConstraints[1] on kubernetes.io/hostname' },
        },
      ],
    },
    {
      name: 'a per-pod label in matchLabelKeys, and mismatched constraints on a DaemonSet and a Job',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: db } }
            spec:
              topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: DoNotSchedule
                  labelSelector: { matchLabels: { app: db } }
                  matchLabelKeys: [controller-revision-hash, statefulset.kubernetes.io/pod-name]
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: fail-agent }
        spec:
          template:
            metadata: { labels: { app: agent } }
            spec:
              topologySpreadConstraints:
                - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: agnet } } }
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: { name: fail-job }
        spec:
          parallelism: 4
          template:
            metadata: { labels: { app: job } }
            spec:
              topologySpreadConstraints:
                - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchExpressions: [{ key: app, operator: DoesNotExist }] } }
      `,
      errors: [
        {
          object: 'fail-db',
          messageId: 'perPodKey',
          line: 14,
          column: 54,
          data: { key: 'statefulset.kubernetes.io/pod-name' },
          message: 'selects only the pod itself and spreads nothing',
        },
        { object: 'fail-agent', messageId: 'constraint', line: 24, data: { selected: 'app=agnet' } },
        { object: 'fail-job', messageId: 'constraint', line: 35, data: { selected: '!app' } },
      ],
    },
    {
      name: 'the seed pattern with a copy-pasted value: app web-server in the term, app web on the pods',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web }
        spec:
          replicas: 4
          template:
            metadata:
              labels:
                app: web
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
                      topologyKey: topology.kubernetes.io/zone
                    weight: 100
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'term',
          line: 17,
          column: 19,
          data: {
            source: 'preferred podAntiAffinity term on topology.kubernetes.io/zone',
            selected: 'app in (web-server)',
            key: 'app',
            have: 'web',
            effect: 'keeps none of its replicas apart',
          },
          message: 'Use app: web.',
        },
      ],
    },
    {
      // Neither app is in the input: a worker that copied the api's anti-affinity block.
      name: 'anti-affinity copied from another workload that is not in the input',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-worker }
        spec:
          replicas: 2
          template:
            metadata: { labels: { app: worker, tier: backend } }
            spec:
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchLabels: { app: api, tier: backend } }
                      topologyKey: kubernetes.io/hostname
      `,
      errors: [
        {
          object: 'fail-worker',
          messageId: 'term',
          line: 12,
          column: 47,
          data: { key: 'app', have: 'worker' },
        },
      ],
    },
    {
      name: 'podAffinity meant for the own pods: a near-miss value and the workload name',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-near }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: checkout } }
            spec:
              affinity:
                podAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchLabels: { app: checkuot } }
                      topologyKey: topology.kubernetes.io/zone
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-named }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: kafka } }
            spec:
              affinity:
                podAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 10
                      podAffinityTerm:
                        labelSelector: { matchLabels: { app: fail-named } }
                        topologyKey: topology.kubernetes.io/zone
      `,
      errors: [
        {
          object: 'fail-near',
          messageId: 'term',
          line: 12,
          data: { have: 'checkout', effect: 'its pods stay Pending wherever no such pod runs' },
        },
        {
          object: 'fail-named',
          messageId: 'term',
          line: 28,
          data: { have: 'kafka', effect: 'it has no effect on where its replicas run' },
        },
      ],
    },
    {
      name: 'a term without labelSelector, and one that names only other namespaces',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-nil }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: web } }
            spec:
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - topologyKey: kubernetes.io/hostname
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
                      namespaces: [shop-staging]
                      topologyKey: kubernetes.io/hostname
      `,
      errors: [
        {
          object: 'fail-nil',
          messageId: 'termNil',
          line: 12,
          column: 15,
          data: { source: 'required podAntiAffinity term on kubernetes.io/hostname' },
          message: 'matches no pod, and keeps none of its replicas apart',
        },
        {
          object: 'fail-ns',
          messageId: 'termNamespace',
          line: 26,
          column: 15,
          data: { namespace: 'shop', selected: 'app=web in other namespaces only' },
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

describe('spread-selector-mismatch: headline and detail', () => {
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
      topologySpreadConstraints:
        - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: api } } }
      containers: [{ name: web, image: nginx }]
`);
    expect(rest).toEqual([]);
    expect(finding?.message).toBe(
      'Deployment web: topologySpreadConstraints[0] on topology.kubernetes.io/zone selects app=api, not its own pods',
    );
    expect(finding?.detail).toContain('Its own pods have app=web');
    expect(finding?.detail).toContain('Set its labelSelector to {matchLabels: {app: web}}.');
  });
});
