import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/hpa-target-missing.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

testRule(rule, {
  valid: [
    {
      name: 'the target is in the input',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web, namespace: shop }
        spec: {}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: pass-web, namespace: shop }
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
          maxReplicas: 4
      `,
    },
    {
      name: 'no object of the target kind in that namespace: the target is applied from elsewhere',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web, namespace: other }
        spec: {}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: pass-web, namespace: shop }
        spec:
          scaleTargetRef: { kind: Deployment, name: web }
          maxReplicas: 4
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: db, namespace: shop }
        spec: {}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: pass-api, namespace: shop }
        spec:
          scaleTargetRef: { kind: Deployment, name: api }
          maxReplicas: 4
      `,
    },
    {
      name: 'a custom resource with a scale subresource, and a KEDA ScaledObject with the default kind',
      yaml: yaml`
        apiVersion: example.com/v1
        kind: Queue
        metadata: { name: jobs }
        spec: {}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: pass-jobs }
        spec:
          scaleTargetRef: { apiVersion: example.com/v1, kind: Queue, name: jobs }
          maxReplicas: 4
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: worker }
        spec: {}
        ---
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata: { name: pass-worker }
        spec:
          scaleTargetRef: { name: worker }
      `,
    },
  ],
  invalid: [
    {
      name: 'a misspelt name, with the names that do exist',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web-frontend }
        spec: {}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: api }
        spec: {}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-web }
        spec:
          scaleTargetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: web-fronted
          maxReplicas: 4
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'missing',
          line: 18,
          column: 5,
          path: '/spec/scaleTargetRef/name',
          data: { scaler: 'HPA fail-web', kind: 'Deployment', name: 'web-fronted', namespace: 'default' },
          message: 'Deployments there: web-frontend, api',
        },
      ],
    },
    {
      name: 'the name exists as another kind, in an HPA and a KEDA ScaledObject (default kind Deployment)',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: db, namespace: data }
        spec: {}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: cache, namespace: data }
        spec: {}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-db, namespace: data }
        spec:
          scaleTargetRef: { kind: Deployment, name: db }
          maxReplicas: 4
        ---
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata: { name: fail-db-keda, namespace: data }
        spec:
          scaleTargetRef: { name: db }
      `,
      errors: [
        {
          object: 'fail-db',
          messageId: 'otherKind',
          line: 15,
          data: { actual: 'StatefulSet', namespace: 'data' },
          message: 'Set scaleTargetRef.kind: StatefulSet.',
        },
        // kind is not written: the location falls back to scaleTargetRef.
        {
          object: 'fail-db-keda',
          messageId: 'otherKind',
          line: 22,
          data: { scaler: 'ScaledObject fail-db-keda' },
        },
      ],
    },
    {
      name: 'more than five candidates are cut short',
      yaml: yaml`
        apiVersion: v1
        kind: List
        items:
          - { apiVersion: apps/v1, kind: Deployment, metadata: { name: a } }
          - { apiVersion: apps/v1, kind: Deployment, metadata: { name: b } }
          - { apiVersion: apps/v1, kind: Deployment, metadata: { name: c } }
          - { apiVersion: apps/v1, kind: Deployment, metadata: { name: d } }
          - { apiVersion: apps/v1, kind: Deployment, metadata: { name: e } }
          - { apiVersion: apps/v1, kind: Deployment, metadata: { name: f } }
          - apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: { name: fail-g }
            spec: { scaleTargetRef: { kind: Deployment, name: g }, maxReplicas: 3 }
      `,
      errors: [{ object: 'fail-g', line: 13, data: { existing: 'Deployments there: a, b, c, d, e, …' } }],
    },
  ],
});

describe('the headline stands alone', () => {
  const workloads = yaml`
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: { name: db, namespace: data }
    spec: {}
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: cache, namespace: data }
    spec: {}
    ---
  `;

  it('a wrong kind: names the autoscaler and what the name really is; the fix is the detail', () => {
    const [f] = findingsOfRule(
      rule,
      workloads +
        yaml`
          apiVersion: autoscaling/v2
          kind: HorizontalPodAutoscaler
          metadata: { name: db, namespace: data }
          spec:
            scaleTargetRef: { kind: Deployment, name: db }
            maxReplicas: 4
        `,
    );
    expect(f!.message).toBe('HPA db names the wrong kind: db is a StatefulSet');
    expect(f!.detail).toBe(
      'It targets Deployment db, which is not in namespace data, but a StatefulSet db is, so nothing is autoscaled. Set scaleTargetRef.kind: StatefulSet.',
    );
  });

  it('a missing name: the names that do exist are in the detail', () => {
    const [f] = findingsOfRule(
      rule,
      workloads +
        yaml`
          apiVersion: autoscaling/v2
          kind: HorizontalPodAutoscaler
          metadata: { name: web, namespace: data }
          spec:
            scaleTargetRef: { kind: Deployment, name: web }
            maxReplicas: 4
        `,
    );
    expect(f!.message).toBe('HPA web targets Deployment web, which is missing');
    expect(f!.detail).toBe(
      'No Deployment web is in namespace data (Deployments there: cache), so the autoscaler scales nothing. Fix scaleTargetRef.name (an HPA only scales workloads of its own namespace).',
    );
  });
});
