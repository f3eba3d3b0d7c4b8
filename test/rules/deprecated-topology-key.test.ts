import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import type { AnyRule, ClusterFacts } from '../../src/rules/types.js';
import rule from '../../src/rules/deprecated-topology-key.js';
import { testRule, yaml } from '../rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'the GA labels everywhere, and other beta labels this rule does not own',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: web } }
            spec:
              nodeSelector: { topology.kubernetes.io/region: eu-west-1, beta.kubernetes.io/os: linux }
              affinity:
                nodeAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    nodeSelectorTerms:
                      - matchExpressions: [{ key: topology.kubernetes.io/zone, operator: In, values: [a, b] }]
                podAntiAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 100
                      podAffinityTerm:
                        labelSelector: { matchLabels: { app: web } }
                        topologyKey: topology.kubernetes.io/zone
              topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: DoNotSchedule
                  labelSelector: { matchLabels: { app: web } }
      `,
    },
    {
      // Pod labels are not node labels: a pod may carry failure-domain.beta.kubernetes.io/zone as a label.
      name: 'the key as a pod label or in a pod label selector',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-odd }
        spec:
          template:
            metadata: { labels: { failure-domain.beta.kubernetes.io/zone: a } }
            spec:
              affinity:
                podAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchLabels: { failure-domain.beta.kubernetes.io/zone: a } }
                      topologyKey: kubernetes.io/hostname
      `,
    },
    {
      name: 'a Pod that a ReplicaSet manages repeats its template: not reported twice',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: pass-web-5d8f-abcde
          ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f, uid: u, controller: true }]
        spec:
          nodeSelector: { failure-domain.beta.kubernetes.io/zone: a }
          containers: [{ name: web, image: nginx }]
      `,
    },
  ],
  invalid: [
    {
      name: 'the seed example: a beta zone topologyKey in a preferred anti-affinity term',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-seed }
        spec:
          replicas: 4
          template:
            metadata: { labels: { app: web-server } }
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
      `,
      errors: [
        {
          object: 'fail-seed',
          messageId: 'deprecated',
          line: 19,
          column: 15,
          path: '/spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/podAffinityTerm/topologyKey',
          data: {
            workload: 'Deployment fail-seed',
            where: 'a podAntiAffinity topologyKey',
            key: 'failure-domain.beta.kubernetes.io/zone',
            replacement: 'topology.kubernetes.io/zone',
          },
          message: 'deprecated since Kubernetes 1.17. Use topology.kubernetes.io/zone',
        },
      ],
    },
    {
      // kube-apiserver warns on the same fields: pkg/api/pod/warnings.go (nodeSelector, node affinity
      // match expressions, topologySpreadConstraints) — this rule adds pod (anti-)affinity topology keys.
      name: 'every place a pod spec names a node label, zone and region',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec:
          template:
            metadata: { labels: { app: db } }
            spec:
              nodeSelector:
                failure-domain.beta.kubernetes.io/region: eu-west-1
              affinity:
                nodeAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    nodeSelectorTerms:
                      - matchExpressions:
                          - { key: failure-domain.beta.kubernetes.io/zone, operator: In, values: [eu-west-1a] }
                  preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 1
                      preference:
                        matchFields:
                          - { key: failure-domain.beta.kubernetes.io/zone, operator: In, values: [x] }
                podAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchLabels: { app: cache } }
                      topologyKey: failure-domain.beta.kubernetes.io/region
              topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: failure-domain.beta.kubernetes.io/zone
                  whenUnsatisfiable: DoNotSchedule
                  labelSelector: { matchLabels: { app: db } }
      `,
      errors: [
        {
          object: 'fail-db',
          line: 24,
          column: 15,
          data: { where: 'a podAffinity topologyKey', replacement: 'topology.kubernetes.io/region' },
        },
        {
          object: 'fail-db',
          line: 27,
          column: 11,
          data: { where: 'a topologySpreadConstraints topologyKey' },
        },
        {
          object: 'fail-db',
          line: 9,
          column: 9,
          path: '/spec/template/spec/nodeSelector/failure-domain.beta.kubernetes.io~1region',
          data: { where: 'its nodeSelector', key: 'failure-domain.beta.kubernetes.io/region' },
        },
        { object: 'fail-db', line: 15, column: 23, data: { where: 'its node affinity' } },
        { object: 'fail-db', line: 20, column: 23, data: { where: 'its node affinity' } },
      ],
    },
    {
      name: 'DaemonSets, CronJobs and bare Pods are checked too',
      yaml: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: fail-agent }
        spec:
          template:
            spec:
              nodeSelector: { failure-domain.beta.kubernetes.io/zone: a }
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: { name: fail-cron }
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  nodeSelector: { failure-domain.beta.kubernetes.io/region: r }
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: fail-pod }
        spec:
          nodeSelector: { failure-domain.beta.kubernetes.io/zone: a }
      `,
      errors: [
        { object: 'fail-agent', line: 7, column: 23, data: { workload: 'DaemonSet fail-agent' } },
        {
          object: 'fail-cron',
          line: 17,
          path: '/spec/jobTemplate/spec/template/spec/nodeSelector/failure-domain.beta.kubernetes.io~1region',
        },
        { object: 'fail-pod', line: 23, column: 19, data: { workload: 'Pod fail-pod' } },
      ],
    },
  ],
});

/** The finding as users see it: `message` is the headline alone, `detail` the why and the how. */
function findingsOf(text: string, cluster?: ClusterFacts) {
  const { objects } = parseManifests(text, 'manifests.yaml');
  return check(objects, { rules: [rule as AnyRule], ...(cluster ? { cluster } : {}) }).findings;
}

describe('deprecated-topology-key: headline and detail', () => {
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
      nodeSelector: { failure-domain.beta.kubernetes.io/zone: eu-west-1a }
      containers: [{ name: web, image: nginx }]
`);
    expect(rest).toEqual([]);
    expect(finding?.message).toBe(
      'Deployment web: its nodeSelector uses deprecated failure-domain.beta.kubernetes.io/zone',
    );
    expect(finding?.detail).toContain(
      'failure-domain.beta.kubernetes.io/zone is deprecated since Kubernetes 1.17. Use topology.kubernetes.io/zone',
    );
  });
});
