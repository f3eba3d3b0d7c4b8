import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import rule from '../../src/rules/pdb-matches-nothing.js';
import { testRule, yaml } from '../rule-tester.js';

const deployment = (name: string, labels: string, namespace = 'default') => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ${name}, namespace: ${namespace} }
  spec:
    replicas: 3
    template: { metadata: { labels: ${labels} } }
  ---
`;

testRule(rule, {
  valid: [
    {
      name: 'the selector matches a workload (labels, expressions)',
      yaml:
        deployment('web', '{ app: web, tier: front }') +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: pass-labels }
          spec: { maxUnavailable: 1, selector: { matchLabels: { app: web } } }
          ---
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: pass-expr }
          spec:
            maxUnavailable: 1
            selector: { matchExpressions: [{ key: tier, operator: In, values: [front, back] }] }
        `,
    },
    {
      name: 'a policy/v1 empty selector selects every pod of the namespace',
      yaml:
        deployment('web', '{ app: web }') +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: pass-all }
          spec: { maxUnavailable: 1, selector: {} }
        `,
    },
    {
      name: 'no workload of the namespace in the input: its pods are defined elsewhere',
      yaml:
        deployment('web', '{ app: web }', 'shop') +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: pass-elsewhere, namespace: payments }
          spec: { maxUnavailable: 1, selector: { matchLabels: { app: api } } }
          ---
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: pass-alone }
          spec: { maxUnavailable: 1, selector: { matchLabels: { app: api } } }
        `,
    },
    {
      name: 'workloads of every kind count: a DaemonSet, a Job, a bare Pod',
      yaml: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: agent }
        spec: { template: { metadata: { labels: { app: agent } } } }
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: solo, labels: { app: solo } }
        spec: { containers: [{ name: app, image: nginx }] }
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: pass-agent }
        spec: { maxUnavailable: 1, selector: { matchLabels: { app: agent } } }
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: pass-solo }
        spec: { minAvailable: 0, selector: { matchLabels: { app: solo } } }
      `,
    },
    {
      // The StatefulSet and Job controllers label each pod (statefulset.kubernetes.io/pod-name,
      // job-name): values a template does not show, so such selectors are not judged on them.
      name: 'PDBs that select by labels the controllers add to pods',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: db }
        spec:
          replicas: 3
          template: { metadata: { labels: { app: db } } }
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: { name: migrate }
        spec: { template: { metadata: { labels: { app: migrate } } } }
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: pass-db-0 }
        spec:
          maxUnavailable: 0
          selector: { matchLabels: { app: db, statefulset.kubernetes.io/pod-name: db-0 } }
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: pass-job }
        spec: { maxUnavailable: 0, selector: { matchLabels: { job-name: migrate } } }
      `,
    },
    {
      name: 'an Argo Rollout whose workloadRef template is not in the input: its pod labels are unknown',
      yaml: yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: web }
        spec:
          replicas: 3
          selector: { matchLabels: { app: web } }
          workloadRef: { apiVersion: apps/v1, kind: Deployment, name: web-template }
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: pass-rollout }
        spec: { maxUnavailable: 1, selector: { matchLabels: { app: web } } }
      `,
    },
  ],
  invalid: [
    {
      name: 'a selector value that is not a string is shown as written, never "[object Object]"',
      yaml:
        deployment('web', '{ app: web }') +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: fail-object-value }
          spec: { maxUnavailable: 1, selector: { matchExpressions: [{ key: app, operator: In, values: [{ name: web }] }] } }
        `,
      errors: [
        {
          object: 'fail-object-value',
          messageId: 'noMatch',
          message: 'Its selector app in ({"name":"web"}) selects no pods',
        },
      ],
    },
    {
      name: 'a controller label does not excuse a wrong app label',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: db }
        spec:
          replicas: 3
          template: { metadata: { labels: { app: db } } }
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: fail-db-0 }
        spec:
          maxUnavailable: 0
          selector: { matchLabels: { app: postgres, statefulset.kubernetes.io/pod-name: db-0 } }
      `,
      errors: [{ object: 'fail-db-0', messageId: 'noMatch', line: 13, message: 'StatefulSet db has app=db' }],
    },
    {
      name: 'a typo in the label value',
      yaml:
        deployment('web', '{ app: web }') +
        deployment('db', '{ app: db, role: primary }') +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: fail-typo }
          spec:
            maxUnavailable: 1
            selector:
              matchLabels: { app: wbe }
        `,
      errors: [
        {
          object: 'fail-typo',
          messageId: 'noMatch',
          path: '/spec/selector',
          line: 20,
          column: 3,
          data: { count: 2, selector: 'app=wbe', namespace: 'default' },
          message:
            'PDB fail-typo selects none of the 2 workloads in default\nIts selector app=wbe selects no pods of the 2 workloads in namespace default, so it protects nothing. Make spec.selector match the pod template labels of the workload it is for: Deployment web has app=web; Deployment db has app=db,role=primary.',
        },
      ],
    },
    {
      name: 'matches only workloads of another namespace',
      yaml:
        deployment('web', '{ app: web }', 'shop') +
        deployment('api', '{ app: api }', 'payments') +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: fail-wrong-ns, namespace: payments }
          spec: { maxUnavailable: 1, selector: { matchLabels: { app: web } } }
        `,
      errors: [
        {
          object: 'fail-wrong-ns',
          line: 18,
          data: { count: 1, namespace: 'payments' },
          message: 'selects no pods of the 1 workload in namespace payments',
        },
      ],
    },
    {
      // pkg/apis/policy/v1beta1 conversion stores a v1beta1 `{}` as a selector that matches no pod.
      name: 'a policy/v1beta1 empty selector selects nothing, even with no workload in the input',
      yaml: yaml`
        apiVersion: policy/v1beta1
        kind: PodDisruptionBudget
        metadata: { name: fail-empty }
        spec:
          minAvailable: 1
          selector: {}
      `,
      errors: [
        {
          object: 'fail-empty',
          messageId: 'emptyV1beta1',
          line: 6,
          data: { apiVersion: 'policy/v1beta1' },
          message: 'in policy/v1, `{}` selects every pod in the namespace',
        },
      ],
    },
    {
      // metav1.LabelSelectorAsSelector(nil) is labels.Nothing().
      name: 'no selector at all, or a null one',
      yaml: yaml`
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: fail-none }
        spec:
          maxUnavailable: 1
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: fail-null }
        spec:
          maxUnavailable: 1
          selector: null
      `,
      errors: [
        { object: 'fail-none', messageId: 'noSelector', path: '/spec/selector', line: 4 },
        { object: 'fail-null', messageId: 'noSelector', line: 12 },
      ],
    },
    {
      name: 'lists at most three workloads of the namespace',
      yaml:
        deployment('a', '{ app: a }') +
        deployment('b', '{ app: b }') +
        deployment('c', '{ app: c }') +
        deployment('d', '{}') +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: fail-many }
          spec: { maxUnavailable: 1, selector: { matchLabels: { app: z } } }
        `,
      errors: [{ object: 'fail-many', message: 'Deployment c has app=c; 1 more.' }],
    },
  ],
});

/** The rule's findings as the engine renders them: `message` is the headline alone, `detail` the rest. */
const findings = (text: string) =>
  check(parseManifests(text, 'test.yaml').objects, { rules: [rule] }).findings;

describe('the headline stands alone', () => {
  it('names the PDB and what it misses; its selector and the pod labels are the detail', () => {
    const [f] = findings(
      deployment('web', '{ app: web }', 'shop') +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: web-pdb, namespace: shop }
          spec: { maxUnavailable: 1, selector: { matchLabels: { app: wbe } } }
        `,
    );
    expect(f!.message).toBe('PDB web-pdb selects none of the 1 workload in shop');
    expect(f!.detail).toBe(
      'Its selector app=wbe selects no pods of the 1 workload in namespace shop, so it protects nothing. Make spec.selector match the pod template labels of the workload it is for: Deployment web has app=web.',
    );
  });
});
