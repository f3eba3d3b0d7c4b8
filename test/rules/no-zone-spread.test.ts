import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import type { AnyRule, ClusterFacts } from '../../src/rules/types.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import rule from '../../src/rules/no-zone-spread.js';
import { runRule, testRule, yaml } from '../rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'a zone spread constraint that selects the own pods',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          replicas: 3
          selector: { matchLabels: { app: web } }
          template:
            metadata: { labels: { app: web } }
            spec:
              topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: DoNotSchedule
                  labelSelector: { matchLabels: { app: web } }
      `,
    },
    {
      // Kubelet and the cloud-provider node controller label nodes with both the beta and the GA zone
      // (k8s.io/cloud-provider controllers/node getNodeModifiersFromCloudProvider), so the beta key still
      // spreads; deprecated-topology-key reports it.
      name: 'preferred anti-affinity on the deprecated zone key still spreads',
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
                        labelSelector: { matchLabels: { app: db } }
                        topologyKey: failure-domain.beta.kubernetes.io/zone
      `,
    },
    {
      name: 'required anti-affinity per region implies one replica per zone',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-global }
        spec:
          replicas: 2
          template:
            metadata: { labels: { app: g } }
            spec:
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchLabels: { app: g } }
                      topologyKey: topology.kubernetes.io/region
      `,
    },
    {
      name: 'a namespaceSelector that the Namespace object in the input satisfies',
      yaml: yaml`
        apiVersion: v1
        kind: Namespace
        metadata: { name: shop, labels: { team: shop } }
        ---
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
                        topologyKey: topology.kubernetes.io/zone
      `,
    },
    {
      name: 'one replica, DaemonSets and Jobs',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-one }
        spec: { replicas: 1, template: { metadata: { labels: { app: one } } } }
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: pass-agent }
        spec: { template: { metadata: { labels: { app: agent } } } }
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: { name: pass-job }
        spec: { parallelism: 4, template: { metadata: { labels: { app: job } } } }
      `,
    },
  ],
  invalid: [
    {
      name: 'the seed example: its zone term is lost to the repeated podAntiAffinity key',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: fail-spread-host-az
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
      errors: [
        {
          object: 'fail-spread-host-az',
          messageId: 'none',
          line: 16,
          column: 5,
          path: '/spec/template/spec/topologySpreadConstraints',
          data: { replicas: '4 replicas', labels: 'app=web-server', selector: '{app: web-server}' },
          message:
            "kube-scheduler's default spreading is only a soft preference (ScheduleAnyway, maxSkew 5 per zone)",
        },
      ],
    },
    {
      name: 'hostname spreading only, on a Deployment scaled by an HPA',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-api }
        spec:
          template:
            metadata: { labels: { app: api } }
            spec:
              topologySpreadConstraints:
                - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: api } } }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: api }
        spec: { scaleTargetRef: { kind: Deployment, name: fail-api }, maxReplicas: 4 }
      `,
      errors: [
        {
          object: 'fail-api',
          messageId: 'none',
          line: 8,
          column: 7,
          data: { workload: 'Deployment fail-api', replicas: 'up to 4 replicas (HPA api)' },
        },
      ],
    },
    {
      name: 'a zone term whose namespaceSelector leaves out the own namespace (its Namespace is in the input)',
      yaml: yaml`
        apiVersion: v1
        kind: Namespace
        metadata: { name: shop, labels: { team: payments } }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web, namespace: shop }
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
                        topologyKey: topology.kubernetes.io/zone
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'notOwn',
          line: 19,
          column: 17,
          data: {
            source: 'preferred podAntiAffinity term on topology.kubernetes.io/zone',
            selected: 'app=web in other namespaces only',
          },
        },
      ],
    },
    {
      name: 'a zone constraint that selects a label value the pods do not have',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: web } }
            spec:
              topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: ScheduleAnyway
                  labelSelector:
                    matchExpressions: [{ key: app, operator: In, values: [frontend] }]
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'notOwn',
          line: 14,
          column: 32,
          data: { selected: 'app in (frontend)' },
          message: 'Select {app: web} in it',
        },
      ],
    },
    {
      name: 'replicas pinned to one zone or one node',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-zone }
        spec:
          replicas: 3
          template:
            metadata: { labels: { app: a } }
            spec:
              nodeSelector: { topology.kubernetes.io/zone: eu-west-1a }
              topologySpreadConstraints:
                - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: a } } }
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-node }
        spec:
          replicas: 2
          template:
            metadata: { labels: { app: b } }
            spec: { nodeName: node-1 }
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
                      - matchExpressions:
                          - { key: failure-domain.beta.kubernetes.io/zone, operator: In, values: [eu-west-1b] }
                          - { key: node.kubernetes.io/instance-type, operator: In, values: [m5.large, m6i.large] }
      `,
      errors: [
        {
          object: 'fail-zone',
          messageId: 'pinned',
          line: 9,
          column: 23,
          data: { domain: 'zone', field: 'nodeSelector topology.kubernetes.io/zone', value: 'eu-west-1a' },
          message:
            'is pinned to one zone by nodeSelector topology.kubernetes.io/zone\nnodeSelector topology.kubernetes.io/zone is eu-west-1a',
        },
        { object: 'fail-node', messageId: 'pinned', line: 20, data: { domain: 'node', value: 'node-1' } },
        {
          object: 'fail-affinity',
          messageId: 'pinned',
          line: 35,
          data: { domain: 'zone', field: 'required node affinity on failure-domain.beta.kubernetes.io/zone' },
        },
      ],
    },
  ],
});

it('fires on the seed manifest as shipped in examples/seed', () => {
  const file = join(import.meta.dirname, '../../examples/seed/spread-host-az.yaml');
  const reports = runRule(rule, { name: 'seed', yaml: readFileSync(file, 'utf8') });
  expect(reports.map((r) => [r.object.name, r.messageId, r.line])).toEqual([['spread-host-az', 'none', 16]]);
});

/** The finding as users see it: `message` is the headline alone, `detail` the why and the how. */
function findingsOf(text: string, cluster?: ClusterFacts) {
  const { objects } = parseManifests(text, 'manifests.yaml');
  return check(objects, { rules: [rule as AnyRule], ...(cluster ? { cluster } : {}) }).findings;
}

describe('no-zone-spread: headline and detail', () => {
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
    expect(finding?.message).toBe('Deployment web runs 3 replicas with nothing spreading them over zones');
    expect(finding?.detail).toContain('they may all land in one Availability Zone');
    expect(finding?.detail).toContain('so it cannot strand replicas.');
  });
});
