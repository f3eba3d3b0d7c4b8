import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import rule from '../../src/rules/pdb-blocks-eviction.js';
import { testRule, yaml } from '../rule-tester.js';

const deployment = (name: string, replicas: number, app = 'web') => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${app} } }
  template: { metadata: { labels: { app: ${app} } } }
---
`;

testRule(rule, {
  valid: [
    {
      name: 'minAvailable below the replica count',
      yaml:
        deployment('web', 3) +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: pass-pdb }
          spec: { minAvailable: 2, selector: { matchLabels: { app: web } } }
        `,
    },
    {
      name: 'percentages that leave room (50% of 3 rounds up to 2)',
      yaml:
        deployment('web', 3) +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: pass-pdb }
          spec: { minAvailable: 50%, selector: { matchLabels: { app: web } } }
          ---
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: pass-pdb-2 }
          spec: { maxUnavailable: 10%, selector: { matchLabels: { app: other } } }
        ` +
        deployment('other', 3, 'other'),
    },
    {
      name: 'a policy/v1beta1 PDB with neither field (not served: deprecated-api says so), or one that selects nothing',
      yaml:
        deployment('web', 3) +
        yaml`
          apiVersion: policy/v1beta1
          kind: PodDisruptionBudget
          metadata: { name: pass-old }
          spec: { selector: { matchLabels: { app: web } } }
          ---
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: pass-none }
          spec: { selector: { matchLabels: { app: ghost } } }
        `,
    },
    {
      name: 'a PDB over a DaemonSet (pod count unknown statically) or over nothing',
      yaml: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: agent }
        spec:
          selector: { matchLabels: { app: agent } }
          template: { metadata: { labels: { app: agent } } }
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: pass-pdb }
        spec: { minAvailable: 100%, selector: { matchLabels: { app: agent } } }
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: pass-none }
        spec: { maxUnavailable: 0, selector: { matchLabels: { app: ghost } } }
      `,
    },
  ],
  invalid: [
    {
      name: 'minAvailable equal to replicas (the seed: minAvailable 3) and 100%',
      yaml:
        deployment('my-svc', 3, 'my-svc') +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: fail-pdb }
          spec:
            minAvailable: 3
            selector: { matchLabels: { app: my-svc } }
          ---
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: fail-all }
          spec:
            minAvailable: 90%
            selector: { matchLabels: { app: my-svc } }
        `,
      errors: [
        {
          object: 'fail-pdb',
          messageId: 'minAvailable',
          line: 14,
          column: 3,
          data: { min: '3', replicas: 3, workloads: 'Deployment my-svc' },
          message: 'minAvailable 3 of 3 replicas',
        },
        { object: 'fail-all', messageId: 'minAvailable', data: { min: '90%', replicas: 3 } },
      ],
    },
    {
      name: 'maxUnavailable 0, and minAvailable 1 on a single replica',
      yaml:
        deployment('web', 2) +
        deployment('solo', 1, 'solo') +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: fail-zero }
          spec: { maxUnavailable: 0, selector: { matchLabels: { app: web } } }
          ---
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: fail-solo }
          spec: { minAvailable: 1, selector: { matchLabels: { app: solo } } }
        `,
      errors: [
        { object: 'fail-zero', messageId: 'maxUnavailable', data: { value: '0' } },
        { object: 'fail-solo', messageId: 'minAvailable', message: 'run at least 2 replicas' },
      ],
    },
    {
      // On kube-controller-manager v1.36 such a PDB reports expectedPods 0, desiredHealthy 0,
      // disruptionsAllowed 0 (DisruptionAllowed False, InsufficientPods), and the Eviction API answers 429.
      name: 'a policy/v1 PDB with neither minAvailable nor maxUnavailable (a one-replica StatefulSet, 3 replicas)',
      yaml:
        deployment('web', 3) +
        yaml`
          apiVersion: apps/v1
          kind: StatefulSet
          metadata: { name: search }
          spec:
            replicas: 1
            selector: { matchLabels: { app: search } }
            template: { metadata: { labels: { app: search } } }
          ---
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: fail-web }
          spec: { selector: { matchLabels: { app: web } } }
          ---
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: fail-search }
          spec:
            selector: { matchLabels: { app: search } }
        `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'noBudget',
          path: '/spec',
          data: { workloads: 'Deployment web', advice: '' },
          message:
            'PDB fail-web allows 0 evictions: it sets neither minAvailable nor maxUnavailable\nThe disruption controller then expects no pods (condition DisruptionAllowed False, reason InsufficientPods) and allows 0 disruptions, so every node drain and upgrade blocks on the pods of Deployment web. Set maxUnavailable: 1.',
        },
        {
          object: 'fail-search',
          messageId: 'noBudget',
          data: { workloads: 'StatefulSet search' },
          message: 'Set maxUnavailable: 1 and run at least 2 replicas.',
        },
      ],
    },
    {
      name: 'minAvailable 1 on a one-replica StatefulSet',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: search }
        spec:
          replicas: 1
          selector: { matchLabels: { app: search } }
          template: { metadata: { labels: { app: search } } }
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: fail-search }
        spec: { minAvailable: 1, selector: { matchLabels: { app: search } } }
      `,
      errors: [
        {
          object: 'fail-search',
          messageId: 'minAvailable',
          message: 'minAvailable 1 of 1 replica (StatefulSet search)',
        },
      ],
    },
    {
      name: 'an HPA can scale down to the PDB minimum',
      yaml:
        deployment('web', 5) +
        yaml`
          apiVersion: autoscaling/v2
          kind: HorizontalPodAutoscaler
          metadata: { name: web }
          spec: { scaleTargetRef: { kind: Deployment, name: web }, minReplicas: 2, maxReplicas: 10 }
          ---
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: fail-pdb }
          spec: { minAvailable: 2, selector: { matchLabels: { app: web } } }
        `,
      errors: [
        {
          object: 'fail-pdb',
          data: { replicas: 2 },
          message: 'minAvailable 2 of 2 replicas (the floor of HPA web)',
        },
      ],
    },
  ],
});

/** The rule's findings as the engine renders them: `message` is the headline alone, `detail` the rest. */
const findings = (text: string) =>
  check(parseManifests(text, 'test.yaml').objects, { rules: [rule] }).findings;

describe('the headline stands alone', () => {
  it('names the PDB and its budget; the pods it keeps and the fix are the detail', () => {
    const [f] = findings(
      deployment('web', 1) +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: web-pdb }
          spec: { minAvailable: 1, selector: { matchLabels: { app: web } } }
        `,
    );
    expect(f!.message).toBe('PDB web-pdb allows 0 evictions: minAvailable 1');
    expect(f!.detail).toBe(
      'minAvailable 1 of 1 replica (Deployment web) keeps every pod, so every node drain and upgrade blocks on these pods. Use maxUnavailable: 1 and run at least 2 replicas.',
    );
  });
});
