import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import rule from '../../src/rules/missing-pdb.js';
import { testRule, yaml } from '../rule-tester.js';

const workload = (kind: string, name: string, replicas: number, app = name, apiVersion = 'apps/v1') => yaml`
  apiVersion: ${apiVersion}
  kind: ${kind}
  metadata: { name: ${name} }
  spec:
    replicas: ${replicas}
    selector: { matchLabels: { app: ${app} } }
    template: { metadata: { labels: { app: ${app} } } }
  ---
`;

const pdb = (name: string, selector: string, apiVersion = 'policy/v1') => yaml`
  apiVersion: ${apiVersion}
  kind: PodDisruptionBudget
  metadata: { name: ${name} }
  spec:
    maxUnavailable: 1
    selector: ${selector}
  ---
`;

testRule(rule, {
  valid: [
    {
      name: 'a PDB selects the pods (matchLabels, or matchExpressions)',
      yaml:
        workload('Deployment', 'pass-web', 3) +
        pdb('web', '{ matchLabels: { app: pass-web } }') +
        workload('StatefulSet', 'pass-db', 3) +
        pdb('db', '{ matchExpressions: [{ key: app, operator: In, values: [pass-db, other] }] }'),
    },
    {
      name: 'a policy/v1 PDB with an empty selector covers every pod of its namespace',
      yaml: workload('Deployment', 'pass-web', 3) + pdb('all', '{}'),
    },
    {
      name: 'one replica (single-replica reports it), scaled to zero, HPA maxReplicas 1',
      yaml:
        workload('Deployment', 'pass-one', 1) +
        workload('Deployment', 'pass-off', 0) +
        workload('Deployment', 'pass-capped', 3) +
        yaml`
          apiVersion: autoscaling/v2
          kind: HorizontalPodAutoscaler
          metadata: { name: capped }
          spec:
            scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: pass-capped }
            maxReplicas: 1
        `,
    },
    {
      name: 'kinds a drain does not ask a budget for: DaemonSets, Jobs, bare Pods',
      yaml: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: pass-agent }
        spec: { template: { metadata: { labels: { app: agent } } } }
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: { name: pass-job }
        spec: { parallelism: 5, template: { metadata: { labels: { app: job } } } }
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: pass-pod, labels: { app: pod } }
        spec: { containers: [{ name: app, image: nginx }] }
      `,
    },
    {
      name: 'a ReplicaSet owned by a Deployment (as a live cluster lists it) is covered through its owner',
      yaml: yaml`
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: pass-web-5d8f
          ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: web, uid: u1, controller: true }]
        spec:
          replicas: 3
          template: { metadata: { labels: { app: web } } }
      `,
    },
    {
      name: 'an Argo Rollout whose pods come from a workloadRef Deployment, selected through those labels',
      yaml:
        workload('Deployment', 'pass-template', 0, 'web') +
        yaml`
          apiVersion: argoproj.io/v1alpha1
          kind: Rollout
          metadata: { name: pass-rollout }
          spec:
            replicas: 4
            selector: { matchLabels: { app: web } }
            workloadRef: { apiVersion: apps/v1, kind: Deployment, name: pass-template }
          ---
        ` +
        pdb('web', '{ matchLabels: { app: web } }'),
    },
    {
      name: 'an Argo Rollout whose workloadRef template is not in the input (pod labels unknown)',
      yaml: yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: pass-rollout }
        spec:
          replicas: 4
          selector: { matchLabels: { app: web } }
          workloadRef: { apiVersion: apps/v1, kind: Deployment, name: elsewhere }
      `,
    },
  ],
  invalid: [
    {
      name: 'three replicas and no PDB: suggests one with the workload selector',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web, namespace: shop }
        spec:
          replicas: 3
          selector:
            matchLabels: { app.kubernetes.io/name: web, tier: "true" }
          template:
            metadata:
              labels: { app.kubernetes.io/name: web, tier: "true" }
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'missing',
          path: '/spec/selector',
          line: 6,
          column: 3,
          data: { kind: 'Deployment', replicas: 3, namespace: 'shop' },
          message:
            'Add a policy/v1 PodDisruptionBudget in namespace shop with maxUnavailable: 1 and selector: { matchLabels: { app.kubernetes.io/name: web, tier: "true" } }.',
        },
      ],
    },
    {
      name: 'every replicated kind, one line each',
      yaml:
        workload('StatefulSet', 'fail-db', 3) +
        workload('ReplicaSet', 'fail-rs', 2) +
        workload('ReplicationController', 'fail-rc', 2, 'fail-rc', 'v1') +
        workload('Rollout', 'fail-rollout', 5, 'fail-rollout', 'argoproj.io/v1alpha1'),
      errors: [
        { object: 'fail-db', line: 6, data: { kind: 'StatefulSet', replicas: 3 } },
        { object: 'fail-rs', line: 14, data: { kind: 'ReplicaSet', replicas: 2 } },
        { object: 'fail-rc', line: 22, data: { kind: 'ReplicationController' } },
        { object: 'fail-rollout', line: 30, data: { kind: 'Rollout', replicas: 5 } },
      ],
    },
    {
      name: 'one replica, but an HPA may scale it to several',
      yaml:
        workload('Deployment', 'fail-scaled', 1) +
        yaml`
          apiVersion: autoscaling/v2
          kind: HorizontalPodAutoscaler
          metadata: { name: scaled }
          spec:
            scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: fail-scaled }
            minReplicas: 1
            maxReplicas: 6
        `,
      errors: [
        {
          object: 'fail-scaled',
          data: { replicas: 6 },
          message: 'runs 6 replicas at most (its HPA maxReplicas) and no PodDisruptionBudget',
        },
      ],
    },
    {
      // The disruption controller reads a policy/v1beta1 `{}` as selecting nothing
      // (pkg/apis/policy/v1beta1 conversion: the "deprecated-v1beta1-empty-selector-match" selector).
      name: 'PDBs that do not select the pods: another label, another namespace, a v1beta1 empty selector',
      yaml:
        workload('Deployment', 'fail-web', 3) +
        pdb('other', '{ matchLabels: { app: other } }') +
        pdb('empty', '{}', 'policy/v1beta1') +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: elsewhere, namespace: other }
          spec: { maxUnavailable: 1, selector: { matchLabels: { app: fail-web } } }
        `,
      errors: [{ object: 'fail-web', messageId: 'missing' }],
    },
    {
      name: 'pods with no labels at all',
      yaml: yaml`
        apiVersion: v1
        kind: ReplicationController
        metadata: { name: fail-bare }
        spec:
          replicas: 2
          template: { spec: { containers: [{ name: app, image: nginx }] } }
      `,
      errors: [{ object: 'fail-bare', messageId: 'unlabeled', line: 4 }],
    },
  ],
});

/** The rule's findings as the engine renders them: `message` is the headline alone, `detail` the rest. */
const findings = (text: string) =>
  check(parseManifests(text, 'test.yaml').objects, { rules: [rule] }).findings;

describe('the headline stands alone', () => {
  it('names the workload; its replicas, the drain and the PDB to add are the detail', () => {
    const [f] = findings(
      workload('Deployment', 'web', 3) +
        yaml`
          apiVersion: autoscaling/v2
          kind: HorizontalPodAutoscaler
          metadata: { name: web }
          spec:
            scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
            minReplicas: 3
            maxReplicas: 10
        `,
    );
    expect(f!.message).toBe('Deployment web has no PodDisruptionBudget');
    expect(f!.detail).toBe(
      'It runs 10 replicas at most (its HPA maxReplicas) and no PodDisruptionBudget selects its pods, so a node drain, upgrade or consolidation may evict all of them at once. Add a policy/v1 PodDisruptionBudget in namespace default with maxUnavailable: 1 and selector: { matchLabels: { app: web } }.',
    );
  });
});
