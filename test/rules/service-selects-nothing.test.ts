import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import rule from '../../src/rules/service-selects-nothing.js';
import { parseManifests } from '../../src/sources/parse.js';
import { testRule, yaml } from '../rule-tester.js';

const deployment = (name: string, app: string, namespace = 'shop'): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  replicas: 2
  selector: { matchLabels: { app: ${app} } }
  template:
    metadata: { labels: { app: ${app} } }
    spec: { containers: [{ name: app, image: app }] }
`;

testRule(rule, {
  valid: [
    {
      name: 'a Service that selects a Deployment, a bare Pod and a StatefulSet pod by its generated name',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web, namespace: shop }
        spec:
          replicas: 2
          selector: { matchLabels: { app: web } }
          template:
            metadata: { labels: { app: web, tier: front } }
            spec: { containers: [{ name: web, image: nginx }] }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: pass-web, namespace: shop }
        spec: { selector: { app: web }, ports: [{ port: 80 }] }
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: pass-debug, namespace: shop, labels: { app: debug } }
        spec: { containers: [{ name: debug, image: busybox }] }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: pass-debug, namespace: shop }
        spec: { selector: { app: debug }, ports: [{ port: 80 }] }
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: pass-db, namespace: shop }
        spec:
          serviceName: pass-db
          selector: { matchLabels: { app: db } }
          template:
            metadata: { labels: { app: db } }
            spec: { containers: [{ name: db, image: postgres }] }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: pass-db-0, namespace: shop }
        spec:
          selector: { app: db, statefulset.kubernetes.io/pod-name: pass-db-0 }
          ports: [{ port: 5432 }]
      `,
    },
    {
      name: 'Services without a selector, or ExternalName, route to what they name, not to pods',
      yaml: `${deployment('pass-web', 'web')}---
apiVersion: v1
kind: Service
metadata: { name: pass-manual, namespace: shop }
spec: { ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: pass-alias, namespace: shop }
spec: { type: ExternalName, externalName: db.example.com, selector: { app: nothing } }
`,
    },
    {
      name: 'a Service alone in its namespace: its pods are defined elsewhere',
      yaml: `${deployment('pass-web', 'web', 'other')}---
apiVersion: v1
kind: Service
metadata: { name: pass-api, namespace: shop }
spec: { selector: { app: api }, ports: [{ port: 80 }] }
`,
    },
    {
      name: "an operator's resource in the namespace may make the pods it selects",
      yaml: `${deployment('pass-web', 'web')}---
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: { name: pass-pg, namespace: shop }
spec: { instances: 3 }
---
apiVersion: v1
kind: Service
metadata: { name: pass-pg-ro, namespace: shop }
spec: { selector: { cnpg.io/cluster: pass-pg, role: replica }, ports: [{ port: 5432 }] }
`,
    },
    {
      name: 'an Argo Rollout whose workloadRef template is not in the input may have any labels',
      yaml: yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: pass-web, namespace: shop }
        spec:
          replicas: 3
          selector: { matchLabels: { app: web } }
          workloadRef: { apiVersion: apps/v1, kind: Deployment, name: web-template }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: pass-web, namespace: shop }
        spec: { selector: { app: web }, ports: [{ port: 80 }] }
      `,
    },
  ],
  invalid: [
    {
      name: "a Service whose selector misses the Deployment's labels (a renamed app)",
      yaml: `${deployment('my-svc', 'my-svc')}---
apiVersion: v1
kind: Service
metadata: { name: fail-svc, namespace: shop }
spec:
  selector: { app: my-service }
  ports: [{ port: 80 }]
`,
      errors: [
        {
          object: 'fail-svc',
          messageId: 'noMatch',
          line: 15,
          path: '/spec/selector',
          severity: 'warning',
          data: { namespace: 'shop', workloads: '1 workload', selector: 'app=my-service' },
          message:
            'Service fail-svc selects no pods in shop\nIts selector app=my-service matches the pod template labels of none of the 1 workload in namespace shop',
        },
      ],
    },
    {
      name: "a Service that selects an Argo Rollout's labels with a typo, and one whose pods live in another namespace",
      yaml: yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: web, namespace: shop }
        spec:
          replicas: 3
          selector: { matchLabels: { app: web } }
          template:
            metadata: { labels: { app: web } }
            spec: { containers: [{ name: web, image: nginx }] }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: fail-canary, namespace: shop }
        spec: { selector: { app: web-canary }, ports: [{ port: 80 }] }
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: api, namespace: other, labels: { app: api } }
        spec: { containers: [{ name: api, image: api }] }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: fail-api, namespace: shop }
        spec: { selector: { app: api }, ports: [{ port: 80 }] }
      `,
      errors: [
        { object: 'fail-canary', messageId: 'noMatch', line: 14, data: { selector: 'app=web-canary' } },
        { object: 'fail-api', messageId: 'noMatch', line: 24, data: { selector: 'app=api' } },
      ],
    },
  ],
});

describe('service-selects-nothing: headline and detail', () => {
  it('the headline names the Service and namespace; the detail lists what the pods are labelled', () => {
    const { objects, problems } = parseManifests(
      `${deployment('web', 'web')}---\napiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\nspec: { selector: { app: wbe } }\n`,
      'svc.yaml',
    );
    const [f] = check(objects, { problems }).findings.filter((x) => x.rule === 'service-selects-nothing');
    expect(f?.message).toBe('Service web selects no pods in shop');
    expect(f?.detail).toBe(
      'Its selector app=wbe matches the pod template labels of none of the 1 workload in namespace shop, so the Service has no endpoints and nothing answers its traffic. Make spec.selector match the pod labels of the workload it is for: Deployment web has app=web.',
    );
  });
});
