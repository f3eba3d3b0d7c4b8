import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { SCANNED } from '../../src/sources/cluster-reader.js';
import { parseManifests } from '../../src/sources/parse.js';
import rule from '../../src/rules/mesh-no-timeout.js';
import { testRule, yaml } from '../rule-tester.js';

// Istio HTTPRoute.timeout: "Timeout for HTTP requests, default is disabled." Timeouts and retries are
// not enabled on a route that injects faults (HTTPRoute.fault).
testRule(rule, {
  valid: [
    {
      name: 'every forwarding route sets a timeout, in each Istio API version',
      yaml: yaml`
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: { name: pass-reviews }
        spec:
          hosts: [reviews]
          http:
            - match: [{ headers: { end-user: { exact: jason } } }]
              route: [{ destination: { host: reviews, subset: v2 } }]
              timeout: 2s
            - route: [{ destination: { host: reviews, subset: v1 } }]
              timeout: 5s
        ---
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata: { name: pass-old }
        spec:
          http:
            - route: [{ destination: { host: ratings } }]
              timeout: 0.5s
      `,
    },
    {
      name: 'an explicit timeout: 0s (disabled on purpose) is a decision, not an omission',
      yaml: yaml`
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: { name: pass-stream }
        spec:
          http:
            - route: [{ destination: { host: events } }]
              timeout: 0s
      `,
    },
    {
      name: 'routes that forward nothing: redirect, direct response, delegate, fault injection, tcp and tls',
      yaml: yaml`
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: { name: pass-edge }
        spec:
          http:
            - match: [{ uri: { prefix: /old } }]
              redirect: { uri: /new }
            - match: [{ uri: { prefix: /teapot } }]
              directResponse: { status: 418 }
            - match: [{ uri: { prefix: /api } }]
              delegate: { name: api, namespace: api }
            - fault: { abort: { httpStatus: 503, percentage: { value: 10 } } }
              route: [{ destination: { host: flaky } }]
          tcp:
            - route: [{ destination: { host: db, port: { number: 5432 } } }]
          tls:
            - match: [{ sniHosts: [secure.example.com] }]
              route: [{ destination: { host: secure } }]
      `,
    },
    {
      name: 'a VirtualService of another API group, and no VirtualService at all',
      yaml: yaml`
        apiVersion: example.com/v1
        kind: VirtualService
        metadata: { name: pass-other }
        spec:
          http:
            - route: [{ destination: { host: x } }]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
      `,
    },
  ],
  invalid: [
    {
      name: 'one report per route without a timeout, at the route',
      yaml: yaml`
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: { name: fail-reviews }
        spec:
          hosts: [reviews]
          http:
            - name: canary
              match: [{ headers: { end-user: { exact: jason } } }]
              route:
                - destination: { host: reviews, subset: v2 }
            - route:
                - destination: { host: reviews, subset: v1 }
                  weight: 90
                - destination: { host: reviews, subset: v3 }
                  weight: 10
            - route: [{ destination: { host: ratings } }]
              timeout: 3s
      `,
      errors: [
        {
          object: 'fail-reviews',
          messageId: 'missing',
          line: 7,
          column: 7,
          path: '/spec/http/0/timeout',
          data: { route: '"canary"', index: 0, destinations: 'reviews' },
          message: 'Istio sets no route timeout by default',
        },
        {
          object: 'fail-reviews',
          line: 11,
          path: '/spec/http/1/timeout',
          data: { route: '#2', index: 1, destinations: 'reviews' },
          message: 'Set http[1].timeout',
        },
      ],
    },
    {
      name: 'timeout: null counts as unset, and several destinations are listed once each',
      yaml: yaml`
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: { name: fail-split, namespace: shop }
        spec:
          http:
            - route:
                - destination: { host: cart }
                - destination: { host: cart-v2.shop.svc.cluster.local }
                - destination: { host: cart }
              timeout: null
      `,
      errors: [
        { object: 'fail-split', line: 10, data: { destinations: 'cart, cart-v2.shop.svc.cluster.local' } },
      ],
    },
  ],
});

/** The rule's findings as the engine renders them: `message` is the headline alone, `detail` the rest. */
const findings = (text: string) =>
  check(parseManifests(text, 'test.yaml').objects, { rules: [rule] }).findings;

describe('the headline stands alone', () => {
  it('names the VirtualService and its route; the destination and the fix are the detail', () => {
    const [f] = findings(yaml`
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: { name: reviews }
      spec:
        http:
          - name: primary
            route: [{ destination: { host: reviews } }]
    `);
    expect(f!.message).toBe('VirtualService reviews route "primary" sets no timeout');
    expect(f!.detail).toBe(
      'The route goes to reviews, and Istio sets no route timeout by default: when reviews hangs, every caller waits until its own client gives up, holding its threads and connections. Set http[0].timeout to what callers can afford to wait (e.g. timeout: 5s); with retries, keep perTryTimeout × (attempts + 1) within it.',
    );
  });
});

// Linkerd ServiceProfile (linkerd.io/v1alpha2) routes[].timeout: "the maximum amount of time to wait for
// a response (including retries)". There is no default: the destination controller's profile translator
// leaves a route without one untimed. While a ServiceProfile exists for a Service, the proxies ignore
// the timeout.linkerd.io annotations and outbound HTTPRoutes for it, so only the profile decides.
testRule(rule, {
  valid: [
    {
      name: 'every ServiceProfile route sets a timeout',
      yaml: yaml`
        apiVersion: linkerd.io/v1alpha2
        kind: ServiceProfile
        metadata: { name: books.booksapp.svc.cluster.local, namespace: booksapp }
        spec:
          routes:
            - name: GET /books.json
              condition: { method: GET, pathRegex: /books }
              timeout: 300ms
            - name: POST /books
              condition: { method: POST, pathRegex: /books }
              timeout: 2s
      `,
    },
    {
      name: 'a ServiceProfile of another API group, and one with no routes',
      yaml: yaml`
        apiVersion: example.com/v1
        kind: ServiceProfile
        metadata: { name: pass-other }
        spec:
          routes: [{ name: all, condition: { pathRegex: .* } }]
        ---
        apiVersion: linkerd.io/v1alpha2
        kind: ServiceProfile
        metadata: { name: authors.booksapp.svc.cluster.local }
        spec:
          retryBudget: { retryRatio: 0.2, minRetriesPerSecond: 10, ttl: 10s }
      `,
    },
  ],
  invalid: [
    {
      name: 'a ServiceProfile route without a timeout, even with an HTTPRoute timeout for the same Service',
      yaml: yaml`
        apiVersion: linkerd.io/v1alpha2
        kind: ServiceProfile
        metadata: { name: books.booksapp.svc.cluster.local, namespace: booksapp }
        spec:
          routes:
            - name: GET /books.json
              condition: { method: GET, pathRegex: /books }
              timeout: 300ms
            - name: DELETE /books
              condition: { method: DELETE, pathRegex: /books/.* }
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: { name: books, namespace: booksapp, annotations: { timeout.linkerd.io/request: 5s } }
        spec:
          parentRefs: [{ group: core, kind: Service, name: books, port: 7002 }]
          rules: [{ timeouts: { request: 5s }, backendRefs: [{ name: books, port: 7002 }] }]
      `,
      errors: [
        {
          object: 'books.booksapp.svc.cluster.local',
          // A ServiceProfile is named after its Service's DNS name, so it cannot carry the fail- prefix.
          fixedName: true,
          messageId: 'linkerdMissing',
          line: 9,
          path: '/spec/routes/1/timeout',
          data: { route: '"DELETE /books"', index: 1 },
          message: 'ignores the timeout.linkerd.io annotations and HTTPRoute timeouts',
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
    expect(f!.message).toBe('ServiceProfile web.emojivoto.svc.cluster.local route #1 sets no timeout');
    expect(f!.detail).toMatch(
      /Set routes\[0\]\.timeout to what callers can afford to wait \(e\.g\. timeout: 5s\)\.$/,
    );
  });
});

describe('in a scan', () => {
  it('lists ServiceProfiles, as an add-on skipped quietly where Linkerd is not installed', () => {
    expect(SCANNED.find((t) => t.kind === 'ServiceProfile')).toMatchObject({
      group: 'linkerd.io',
      plural: 'serviceprofiles',
      namespaced: true,
      addon: true,
    });
  });
});

// A Service in the Linkerd mesh with no ServiceProfile takes its timeout from the timeout.linkerd.io
// annotations on it or on an HTTPRoute whose parent is it, or from that HTTPRoute's
// rules[].timeouts.request; Linkerd sets none by default.
const MESHED_API = `
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
      name: 'an HTTPRoute whose parent is the Service sets rules[].timeouts',
      yaml: `${MESHED_API}---
apiVersion: v1
kind: Service
metadata: { name: pass-api, namespace: shop }
spec: { selector: { app: api }, ports: [{ port: 80 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: pass-api-route, namespace: shop }
spec:
  parentRefs: [{ group: '', kind: Service, name: pass-api, port: 80 }]
  rules: [{ timeouts: { request: 5s }, backendRefs: [{ name: pass-api, port: 80 }] }]
`,
    },
    {
      name: 'a timeout.linkerd.io annotation on the Service, meshed through its Namespace',
      yaml: yaml`
        apiVersion: v1
        kind: Namespace
        metadata: { name: pass-shop, annotations: { linkerd.io/inject: enabled } }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-api, namespace: pass-shop }
        spec:
          selector: { matchLabels: { app: api } }
          template:
            metadata: { labels: { app: api } }
            spec: { containers: [{ name: api, image: api:1 }] }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: pass-api, namespace: pass-shop, annotations: { timeout.linkerd.io/request: 5s } }
        spec: { selector: { app: api }, ports: [{ port: 80 }] }
      `,
    },
    {
      name: 'a ServiceProfile decides, and pods that opt out of injection are not in the mesh',
      yaml: `${MESHED_API}---
apiVersion: v1
kind: Service
metadata: { name: pass-api, namespace: shop }
spec: { selector: { app: api }, ports: [{ port: 80 }] }
---
apiVersion: linkerd.io/v1alpha2
kind: ServiceProfile
metadata: { name: pass-api.shop.svc.cluster.local, namespace: shop }
spec:
  routes: [{ name: all, condition: { pathRegex: '.*' }, timeout: 5s }]
---
apiVersion: v1
kind: Namespace
metadata: { name: other, annotations: { linkerd.io/inject: enabled } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: pass-batch, namespace: other }
spec:
  selector: { matchLabels: { app: batch } }
  template:
    metadata: { labels: { app: batch }, annotations: { linkerd.io/inject: disabled } }
    spec: { containers: [{ name: batch, image: batch:1 }] }
---
apiVersion: v1
kind: Service
metadata: { name: pass-batch, namespace: other }
spec: { selector: { app: batch }, ports: [{ port: 80 }] }
`,
    },
    {
      name: 'in a scan that could not list HTTPRoutes, their absence means nothing',
      cluster: { listed: ['Service', 'Deployment', 'ServiceProfile', 'GRPCRoute'] },
      yaml: `${MESHED_API}---
apiVersion: v1
kind: Service
metadata: { name: pass-api, namespace: shop }
spec: { selector: { app: api }, ports: [{ port: 80 }] }
`,
    },
  ],
  invalid: [
    {
      name: 'a meshed Service whose HTTPRoute sets no timeout; a timeout on a route for another parent does not count',
      yaml: `${MESHED_API}---
apiVersion: v1
kind: Service
metadata: { name: fail-api, namespace: shop }
spec: { selector: { app: api }, ports: [{ port: 80 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: api-route, namespace: shop }
spec:
  parentRefs: [{ group: core, kind: Service, name: fail-api }]
  rules: [{ backendRefs: [{ name: fail-api, port: 80 }] }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: edge-route, namespace: shop }
spec:
  parentRefs: [{ name: edge-gateway }]
  rules: [{ timeouts: { request: 5s }, backendRefs: [{ name: fail-api, port: 80 }] }]
`,
      errors: [
        {
          object: 'fail-api',
          messageId: 'linkerdService',
          line: 13,
          path: '/metadata',
          message: 'Annotate the Service with timeout.linkerd.io/request',
        },
      ],
    },
  ],
});
