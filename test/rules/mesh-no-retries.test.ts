import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import rule from '../../src/rules/mesh-no-retries.js';
import { testRule, yaml } from '../rule-tester.js';

// Istio's default retry policy (pilot/pkg/networking/core/route/retry/retry.go, DefaultPolicy): 2 retries,
// retryOn "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes" with 503, no
// perTryTimeout; HTTPRetry.attempts: 0 disables retries. Retries are not enabled on fault-injecting routes.
testRule(rule, {
  valid: [
    {
      name: 'routes with their own retry policy, including retries turned off',
      yaml: yaml`
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: { name: pass-ratings }
        spec:
          hosts: [ratings]
          http:
            - match: [{ method: { exact: POST } }]
              route: [{ destination: { host: ratings } }]
              retries: { attempts: 0 }
            - route: [{ destination: { host: ratings } }]
              retries:
                attempts: 3
                perTryTimeout: 2s
                retryOn: gateway-error,connect-failure,refused-stream
      `,
    },
    {
      name: 'routes that send nothing upstream, and non-Istio VirtualServices',
      yaml: yaml`
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: { name: pass-edge }
        spec:
          http:
            - redirect: { uri: /new }
            - directResponse: { status: 204 }
            - delegate: { name: api }
            - fault: { delay: { fixedDelay: 5s, percentage: { value: 100 } } }
              route: [{ destination: { host: slow } }]
          tcp:
            - route: [{ destination: { host: db } }]
        ---
        apiVersion: example.com/v1
        kind: VirtualService
        metadata: { name: pass-other }
        spec:
          http:
            - route: [{ destination: { host: x } }]
      `,
    },
  ],
  invalid: [
    {
      name: 'one report per forwarding route without retries',
      yaml: yaml`
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata: { name: fail-reviews }
        spec:
          hosts: [reviews]
          http:
            - name: v2-for-jason
              match: [{ headers: { end-user: { exact: jason } } }]
              route: [{ destination: { host: reviews, subset: v2 } }]
              timeout: 2s
            - route: [{ destination: { host: reviews, subset: v1 } }]
              retries: { attempts: 2, perTryTimeout: 1s }
            - route: [{ destination: { host: reviews, subset: v3 } }]
      `,
      errors: [
        {
          object: 'fail-reviews',
          messageId: 'missing',
          line: 7,
          column: 7,
          path: '/spec/http/0/retries',
          data: { route: '"v2-for-jason"', index: 0, destinations: 'reviews' },
          message:
            'out of the box 2 retries on connect-failure, refused-stream, unavailable, cancelled and 503, with no per-try timeout',
        },
        { object: 'fail-reviews', line: 13, path: '/spec/http/2/retries', data: { route: '#3', index: 2 } },
      ],
    },
    {
      name: 'retries: null counts as unset',
      yaml: yaml`
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: { name: fail-null }
        spec:
          http:
            - route: [{ destination: { host: cart } }]
              retries: null
      `,
      errors: [{ object: 'fail-null', line: 7, column: 7, message: 'Set http[0].retries for this service' }],
    },
  ],
});

/** The rule's findings as the engine renders them: `message` is the headline alone, `detail` the rest. */
const findings = (text: string) =>
  check(parseManifests(text, 'test.yaml').objects, { rules: [rule] }).findings;

describe('the headline stands alone', () => {
  it('names the VirtualService and its route; the mesh default and the fix are the detail', () => {
    const [f] = findings(yaml`
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: { name: reviews }
      spec:
        http:
          - route: [{ destination: { host: reviews } }]
    `);
    expect(f!.message).toBe('VirtualService reviews route #1 sets no retries');
    expect(f!.detail).toBe(
      'The route to reviews gets the mesh-wide default (meshConfig.defaultHttpRetryPolicy; out of the box 2 retries on connect-failure, refused-stream, unavailable, cancelled and 503, with no per-try timeout). Set http[0].retries for this service: attempts, a perTryTimeout below the route timeout, and the retryOn conditions that are safe for it (attempts: 0 turns retries off for calls that must not be repeated).',
    );
  });
});

// Linkerd ServiceProfile (linkerd.io/v1alpha2) routes[].isRetryable: the proxy retries failed requests on
// a route only when it is marked retryable, within spec.retryBudget (a default budget when unset). While
// a ServiceProfile exists for a Service, the proxies ignore the retry.linkerd.io annotations and outbound
// HTTPRoutes for it, so only the profile decides.
testRule(rule, {
  valid: [
    {
      name: 'every ServiceProfile route says whether it is retryable, false included',
      yaml: yaml`
        apiVersion: linkerd.io/v1alpha2
        kind: ServiceProfile
        metadata: { name: books.booksapp.svc.cluster.local, namespace: booksapp }
        spec:
          retryBudget: { retryRatio: 0.2, minRetriesPerSecond: 10, ttl: 10s }
          routes:
            - name: GET /books
              condition: { method: GET, pathRegex: /books }
              isRetryable: true
            - name: POST /books
              condition: { method: POST, pathRegex: /books }
              isRetryable: false
      `,
    },
    {
      name: 'a ServiceProfile of another API group',
      yaml: yaml`
        apiVersion: example.com/v1
        kind: ServiceProfile
        metadata: { name: pass-other }
        spec:
          routes: [{ name: all, condition: { pathRegex: .* } }]
      `,
    },
  ],
  invalid: [
    {
      name: 'a ServiceProfile route without isRetryable, even with retry annotations for the same Service',
      yaml: yaml`
        apiVersion: linkerd.io/v1alpha2
        kind: ServiceProfile
        metadata: { name: books.booksapp.svc.cluster.local, namespace: booksapp }
        spec:
          routes:
            - name: GET /books
              condition: { method: GET, pathRegex: /books }
              isRetryable: true
            - name: GET /books/id
              condition: { method: GET, pathRegex: '/books/[0-9]+' }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: books, namespace: booksapp, annotations: { retry.linkerd.io/http: 5xx } }
        spec:
          selector: { app: books }
          ports: [{ port: 7002 }]
      `,
      errors: [
        {
          object: 'books.booksapp.svc.cluster.local',
          // A ServiceProfile is named after its Service's DNS name, so it cannot carry the fail- prefix.
          fixedName: true,
          messageId: 'linkerdMissing',
          line: 9,
          path: '/spec/routes/1/isRetryable',
          data: { route: '"GET /books/id"', index: 1 },
          message: 'ignores the retry.linkerd.io annotations and HTTPRoutes',
        },
      ],
    },
  ],
});

describe('the Linkerd headline stands alone', () => {
  it('names the ServiceProfile and its route; the fix is the detail', () => {
    const [f] = findings(yaml`
      apiVersion: linkerd.io/v1alpha2
      kind: ServiceProfile
      metadata: { name: web.emojivoto.svc.cluster.local }
      spec:
        routes:
          - condition: { method: GET, pathRegex: /api/list }
    `);
    expect(f!.message).toBe(
      'ServiceProfile web.emojivoto.svc.cluster.local route #1 does not say if it is retryable',
    );
    expect(f!.detail).toMatch(/or isRetryable: false to record that they are not\.$/);
  });
});

// A Service in the Linkerd mesh with no ServiceProfile takes its retries from the retry.linkerd.io
// annotations on it or on an HTTPRoute or GRPCRoute whose parent is it; Linkerd retries nothing by default.
const MESHED_API = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: api, namespace: shop }
  spec:
    selector: { matchLabels: { app: api } }
    template:
      metadata: { labels: { app: api }, annotations: { linkerd.io/inject: enabled } }
      spec: { containers: [{ name: api, image: api:1 }] }
`;

testRule(rule, {
  valid: [
    {
      name: 'retry.linkerd.io on the Service, or on an HTTPRoute whose parent is it',
      yaml: `${MESHED_API}---
apiVersion: v1
kind: Service
metadata: { name: pass-api, namespace: shop, annotations: { retry.linkerd.io/http: 5xx } }
spec: { selector: { app: api }, ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: pass-api-2, namespace: shop }
spec: { selector: { app: api }, ports: [{ port: 81 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: pass-api-2
  namespace: shop
  annotations: { retry.linkerd.io/http: 5xx, retry.linkerd.io/limit: '2' }
spec:
  parentRefs: [{ group: core, kind: Service, name: pass-api-2 }]
  rules: [{ backendRefs: [{ name: pass-api-2, port: 81 }] }]
`,
    },
  ],
  invalid: [
    {
      name: 'a meshed Service with no retry annotation; one on a route of another Service does not count',
      yaml: `${MESHED_API}---
apiVersion: v1
kind: Service
metadata: { name: fail-api, namespace: shop }
spec: { selector: { app: api }, ports: [{ port: 80 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: other, namespace: shop, annotations: { retry.linkerd.io/http: 5xx } }
spec:
  parentRefs: [{ group: core, kind: Service, name: other }]
`,
      errors: [
        {
          object: 'fail-api',
          messageId: 'linkerdService',
          path: '/metadata',
          message: 'annotate the Service or a route with retry.linkerd.io/http',
        },
      ],
    },
  ],
});
