import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import type { AnyRule, ClusterFacts } from '../../src/rules/types.js';
import rule from '../../src/rules/required-zone-anti-affinity.js';
import { testRule, yaml } from '../rule-tester.js';

/** A Deployment with required pod anti-affinity per zone against its own pods. */
const deployment = (name: string, replicas: number, topologyKey = 'topology.kubernetes.io/zone') => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector: { matchLabels: { app: ${name} } }
              topologyKey: ${topologyKey}
---
`;

testRule(rule, {
  valid: [
    {
      name: 'one replica: nothing to keep apart (single-replica speaks of it)',
      yaml: deployment('pass-one', 1),
    },
    {
      // The rule is limited to zones (docs/rules/required-zone-anti-affinity.md): per-node anti-affinity depends on the node count, which
      // the simulator knows and a manifest does not.
      name: 'required anti-affinity per node',
      yaml: deployment('pass-host', 6, 'kubernetes.io/hostname'),
    },
    {
      name: 'preferred anti-affinity, spread constraints, or required terms that select other pods',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-soft }
        spec:
          replicas: 6
          template:
            metadata: { labels: { app: soft } }
            spec:
              affinity:
                podAntiAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 100
                      podAffinityTerm:
                        labelSelector: { matchLabels: { app: soft } }
                        topologyKey: topology.kubernetes.io/zone
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchLabels: { app: db } }
                      topologyKey: topology.kubernetes.io/zone
              topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: DoNotSchedule
                  labelSelector: { matchLabels: { app: soft } }
      `,
    },
    {
      name: 'a namespaceSelector that may not cover the own namespace',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-maybe, namespace: shop }
        spec:
          replicas: 6
          template:
            metadata: { labels: { app: m } }
            spec:
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchLabels: { app: m } }
                      namespaceSelector: { matchLabels: { env: prod } }
                      topologyKey: topology.kubernetes.io/zone
      `,
    },
    {
      name: 'a DaemonSet, and a Deployment switched off',
      yaml:
        yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: pass-agent }
        spec:
          template:
            metadata: { labels: { app: agent } }
            spec:
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchLabels: { app: agent } }
                      topologyKey: topology.kubernetes.io/zone
      ` +
        '---' +
        deployment('pass-off', 0),
    },
  ],
  invalid: [
    {
      // The seed: "If your application requires just 3 replicas then you can use
      // requiredDuringSchedulingIgnoredDuringExecution". One per zone fits while every node lives; a
      // lost node's pod stays Terminating and still holds its zone for anti-affinity.
      name: 'as many replicas as zones: a lost node holds its zone',
      yaml: deployment('fail-three', 3),
      errors: [
        {
          object: 'fail-three',
          messageId: 'lostNode',
          path: '/spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0',
          message: 'stays Pending until the node is deleted',
        },
      ],
    },
    {
      name: 'more replicas, and as many zones given with --zones',
      yaml: deployment('fail-four', 4),
      zones: 4,
      errors: [{ object: 'fail-four', messageId: 'lostNode', data: { replicas: 4 } }],
    },
    {
      name: 'four replicas over three zones (the shape of the seed advice applied to 4 replicas)',
      yaml: deployment('fail-api', 4),
      errors: [
        {
          object: 'fail-api',
          messageId: 'replicas',
          line: 14,
          column: 15,
          path: '/spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0',
          data: { workload: 'Deployment fail-api', replicas: 4, zones: 3, pending: 1 },
          message:
            'with 3 zones, 1 replica stays Pending. Spread with a topologySpreadConstraint {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: {matchLabels: {app: fail-api}}}',
        },
      ],
    },
    {
      name: 'the deprecated zone key on a StatefulSet, matchLabelKeys, and --zones 2',
      zones: 2,
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec:
          replicas: 5
          template:
            metadata: { labels: { app: db } }
            spec:
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: { matchExpressions: [{ key: app, operator: In, values: [db] }] }
                      matchLabelKeys: [controller-revision-hash]
                      topologyKey: failure-domain.beta.kubernetes.io/zone
      `,
      errors: [
        {
          object: 'fail-db',
          messageId: 'replicas',
          line: 12,
          data: { topologyKey: 'failure-domain.beta.kubernetes.io/zone', zones: 2, pending: 3 },
          message: 'with 2 zones, 3 replicas stay Pending',
        },
      ],
    },
    {
      name: 'three replicas that an HPA scales to ten',
      yaml:
        deployment('fail-web', 3) +
        yaml`
          apiVersion: autoscaling/v2
          kind: HorizontalPodAutoscaler
          metadata: { name: web }
          spec:
            scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: fail-web }
            minReplicas: 3
            maxReplicas: 10
        `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'hpa',
          line: 14,
          data: { replicas: 3, peak: 10, hpa: 'web', zones: 3, pending: 7 },
          message: 'HPA web can scale it to 10 replicas',
        },
      ],
    },
    {
      name: 'an Argo Rollout whose workloadRef template has the term: reported on the template',
      yaml:
        yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: rollout }
        spec:
          replicas: 4
          workloadRef: { apiVersion: apps/v1, kind: Deployment, name: fail-template }
      ` +
        '---' +
        deployment('fail-template', 0),
      errors: [
        { object: 'fail-template', messageId: 'replicas', line: 20, data: { workload: 'Rollout rollout' } },
      ],
    },
  ],
});

/** The finding as users see it: `message` is the headline alone, `detail` the why and the how. */
function findingsOf(text: string, cluster?: ClusterFacts) {
  const { objects } = parseManifests(text, 'manifests.yaml');
  return check(objects, { rules: [rule as AnyRule], ...(cluster ? { cluster } : {}) }).findings;
}

describe('required-zone-anti-affinity: headline and detail', () => {
  it('the headline states what is wrong and names the object; the detail says why and how to fix it', () => {
    const [finding, ...rest] = findingsOf(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 4
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - { labelSelector: { matchLabels: { app: web } }, topologyKey: topology.kubernetes.io/zone }
      containers: [{ name: web, image: nginx }]
`);
    expect(rest).toEqual([]);
    expect(finding?.message).toBe(
      'Deployment web: 1 replica stays Pending under required zone anti-affinity',
    );
    expect(finding?.detail).toContain(
      'It runs 4 replicas with required pod anti-affinity on topology.kubernetes.io/zone',
    );
    expect(finding?.detail).toContain('with 3 zones, 1 replica stays Pending.');
  });
});
