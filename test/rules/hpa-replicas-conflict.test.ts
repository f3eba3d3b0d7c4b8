import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import type { JsonObject } from '../../src/model/types.js';
import rule from '../../src/rules/hpa-replicas-conflict.js';
import type { AnyRule } from '../../src/rules/types.js';
import { SCANNED, toObject } from '../../src/sources/cluster-reader.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

testRule(rule, {
  valid: [
    {
      // kubernetes.io, "Migrating Deployments and StatefulSets to horizontal autoscaling": remove spec.replicas.
      name: 'an HPA-scaled Deployment that leaves replicas out',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          template: { spec: { containers: [{ name: app, image: app }] } }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: web }
        spec:
          scaleTargetRef: { kind: Deployment, name: pass-web }
          minReplicas: 2
          maxReplicas: 10
      `,
    },
    {
      name: 'replicas without any autoscaler, replicas: 0 (switched off), and an HPA in another namespace',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-fixed }
        spec: { replicas: 3 }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-off }
        spec: { replicas: 0 }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: off }
        spec:
          scaleTargetRef: { kind: Deployment, name: pass-off }
          maxReplicas: 4
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: fixed, namespace: elsewhere }
        spec:
          scaleTargetRef: { kind: Deployment, name: pass-fixed }
          maxReplicas: 4
      `,
    },
  ],
  invalid: [
    {
      name: 'a Deployment with replicas and an HPA',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: fail-web
        spec:
          replicas: 3
          template: { spec: { containers: [{ name: app, image: app }] } }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: web }
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: fail-web }
          minReplicas: 2
          maxReplicas: 10
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'conflict',
          line: 6,
          column: 3,
          path: '/spec/replicas',
          data: { kind: 'Deployment', replicas: 3, scalers: 'HPA web', min: '2' },
          message: 'every kubectl apply or helm upgrade resets it to 3 pods',
        },
      ],
    },
    {
      name: 'a StatefulSet with an autoscaling/v1 HPA (minReplicas defaults to 1), a Rollout with a KEDA ScaledObject',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec: { replicas: 1 }
        ---
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: { name: db }
        spec:
          scaleTargetRef: { kind: StatefulSet, name: fail-db }
          maxReplicas: 3
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: fail-rollout }
        spec: { replicas: 4 }
        ---
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata: { name: rollout }
        spec:
          scaleTargetRef: { apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: fail-rollout }
          minReplicaCount: 2
      `,
      errors: [
        { object: 'fail-db', line: 4, column: 9, data: { kind: 'StatefulSet', replicas: 1, min: '1' } },
        {
          object: 'fail-rollout',
          line: 16,
          data: { kind: 'Rollout', scalers: 'ScaledObject rollout', min: '2' },
        },
      ],
    },
  ],
});

// On a live object the API server has filled spec.replicas and the HPA has written it: the rule judges
// who set it (model/field-owners.ts), on Deployments as the test control plane listed them after an
// HPA with minReplicas 3 scaled each to 3.
describe('hpa-replicas-conflict on live objects', () => {
  it('reports only the Deployment whose manifest set replicas', () => {
    const items = JSON.parse(
      readFileSync(join(import.meta.dirname, '../sources/fixtures/hpa-scaled.json'), 'utf8'),
    ) as JsonObject[];
    const objects = items.map((i) =>
      toObject(
        i,
        SCANNED.find((t) => t.kind === i['kind'])!,
        i['kind'] === 'Deployment' ? 'v1' : 'v2',
      ),
    );
    const found = check(objects, { rules: [rule as AnyRule] }).findings.map((f) => f.object?.name);
    // csa3 was applied with replicas: 3; csa (client-side), web (server-side) and created (kubectl
    // create) without: their 3 is the HPA's.
    expect(found).toEqual(['csa3']);
  });
});

describe('the headline stands alone', () => {
  it('names the workload and its autoscaler; the replica count, the damage and the fix are the detail', () => {
    const [f] = findingsOfRule(
      rule,
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web }
        spec:
          replicas: 3
          template: { spec: { containers: [{ name: app, image: app }] } }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: web }
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
          minReplicas: 2
          maxReplicas: 10
      `,
    );
    expect(f!.message).toBe('Deployment web sets replicas; HPA web scales it');
    expect(f!.detail).toBe(
      'It sets replicas: 3, so every kubectl apply or helm upgrade resets it to 3 pods, undoing the autoscaler (a scale-down in the middle of a peak). Remove spec.replicas from the manifest and let the autoscaler minimum (2) set the floor.',
    );
  });
});
