import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { SCANNED } from '../../src/sources/cluster-reader.js';
import { parseManifests } from '../../src/sources/parse.js';
import rule from '../../src/rules/mesh-no-rate-limit.js';
import { testRule, yaml } from '../rule-tester.js';

// Istio has no rate limit API: its rate limiting task inserts Envoy's HTTP filters with an EnvoyFilter,
// envoy.filters.http.local_ratelimit (a token bucket per proxy) or envoy.filters.http.ratelimit (a
// global rate limit service). An EnvoyFilter in the config root namespace (istio-system) applies to
// every namespace. Linkerd (2.17 on) limits the requests a Server accepts with an
// HTTPLocalRateLimitPolicy whose targetRef names that Server.
const LOCAL_RATE_LIMIT = `
          - applyTo: HTTP_FILTER
            match:
              context: SIDECAR_INBOUND
              listener: { filterChain: { filter: { name: envoy.filters.network.http_connection_manager } } }
            patch:
              operation: INSERT_BEFORE
              value:
                name: envoy.filters.http.local_ratelimit
                typed_config:
                  '@type': type.googleapis.com/udpa.type.v1.TypedStruct
                  type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit`;

testRule(rule, {
  valid: [
    {
      name: 'a local rate limit EnvoyFilter in the VirtualService namespace',
      yaml: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: pass-reviews, namespace: shop }
spec:
  http:
    - route: [{ destination: { host: reviews } }]
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: pass-limit, namespace: shop }
spec:
  workloadSelector: { labels: { app: reviews } }
  configPatches:${LOCAL_RATE_LIMIT}
`,
    },
    {
      name: 'a global rate limit EnvoyFilter in the root namespace, named by its typed config only',
      yaml: yaml`
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: { name: pass-cart, namespace: shop }
        spec:
          http:
            - route: [{ destination: { host: cart } }]
        ---
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata: { name: pass-global, namespace: istio-system }
        spec:
          configPatches:
            - applyTo: HTTP_FILTER
              patch:
                operation: INSERT_BEFORE
                value:
                  typed_config:
                    '@type': type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit
                    domain: ratelimit
      `,
    },
    {
      name: 'VirtualServices that forward nothing, of another group, and a Linkerd Server with its policy or not HTTP',
      yaml: yaml`
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: { name: pass-redirect }
        spec:
          http:
            - redirect: { uri: /new }
        ---
        apiVersion: example.com/v1
        kind: VirtualService
        metadata: { name: pass-other }
        spec:
          http:
            - route: [{ destination: { host: x } }]
        ---
        apiVersion: policy.linkerd.io/v1beta3
        kind: Server
        metadata: { name: pass-web-http, namespace: emojivoto }
        spec:
          podSelector: { matchLabels: { app: web-svc } }
          port: http
          accessPolicy: all-unauthenticated
        ---
        apiVersion: policy.linkerd.io/v1alpha1
        kind: HTTPLocalRateLimitPolicy
        metadata: { name: pass-web-rl, namespace: emojivoto }
        spec:
          targetRef: { group: policy.linkerd.io, kind: Server, name: pass-web-http }
          total: { requestsPerSecond: 100 }
          identity: { requestsPerSecond: 20 }
        ---
        apiVersion: policy.linkerd.io/v1beta3
        kind: Server
        metadata: { name: pass-db, namespace: emojivoto }
        spec:
          podSelector: { matchLabels: { app: db } }
          port: 5432
          proxyProtocol: opaque
      `,
    },
  ],
  invalid: [
    {
      name: 'no rate limit filter: none at all, one elsewhere, or an EnvoyFilter that patches something else',
      yaml: yaml`
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: { name: fail-reviews, namespace: shop }
        spec:
          http:
            - route: [{ destination: { host: reviews } }, { destination: { host: reviews-v2 } }]
            - route: [{ destination: { host: reviews } }]
        ---
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata: { name: other-team-limit, namespace: billing }
        spec:
          configPatches:
            - applyTo: HTTP_FILTER
              patch: { operation: INSERT_BEFORE, value: { name: envoy.filters.http.local_ratelimit } }
        ---
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata: { name: lua, namespace: shop }
        spec:
          configPatches:
            - applyTo: HTTP_FILTER
              patch: { operation: INSERT_BEFORE, value: { name: envoy.filters.http.lua } }
      `,
      errors: [
        {
          object: 'fail-reviews',
          messageId: 'istio',
          line: 5,
          path: '/spec/http',
          data: { destinations: 'reviews, reviews-v2', namespace: 'shop', root: 'istio-system' },
          message: 'No Istio EnvoyFilter in namespace shop or in istio-system inserts a rate limit filter',
        },
      ],
    },
    {
      name: 'a Linkerd Server whose only policy names another Server, or sits in another namespace',
      yaml: yaml`
        apiVersion: policy.linkerd.io/v1beta3
        kind: Server
        metadata: { name: fail-web, namespace: emojivoto }
        spec:
          podSelector: { matchLabels: { app: web-svc } }
          port: http
        ---
        apiVersion: policy.linkerd.io/v1alpha1
        kind: HTTPLocalRateLimitPolicy
        metadata: { name: other, namespace: emojivoto }
        spec:
          targetRef: { group: policy.linkerd.io, kind: Server, name: voting }
          total: { requestsPerSecond: 100 }
        ---
        apiVersion: policy.linkerd.io/v1alpha1
        kind: HTTPLocalRateLimitPolicy
        metadata: { name: elsewhere, namespace: booksapp }
        spec:
          targetRef: { group: policy.linkerd.io, kind: Server, name: fail-web }
          total: { requestsPerSecond: 100 }
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'linkerd',
          line: 4,
          path: '/spec',
          message: 'Add an HTTPLocalRateLimitPolicy (policy.linkerd.io) whose targetRef is this Server',
        },
      ],
    },
  ],
});

/** The rule's findings as the engine renders them: `message` is the headline alone, `detail` the rest. */
const findings = (text: string) =>
  check(parseManifests(text, 'test.yaml').objects, { rules: [rule] }).findings;

describe('the headline stands alone', () => {
  it('names the VirtualService and where it routes; the missing filter and the fix are the detail', () => {
    const [f] = findings(yaml`
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: { name: reviews }
      spec:
        http:
          - route: [{ destination: { host: reviews } }]
    `);
    expect(f!.message).toBe('VirtualService reviews routes to reviews with no rate limit');
    expect(f!.detail).toMatch(/^No Istio EnvoyFilter in namespace default or in istio-system inserts/);
  });
});

describe('in a scan', () => {
  it('lists EnvoyFilters, Linkerd Servers and their rate limit policies, as add-ons', () => {
    for (const kind of ['EnvoyFilter', 'Server', 'HTTPLocalRateLimitPolicy'])
      expect(
        SCANNED.find((t) => t.kind === kind),
        kind,
      ).toMatchObject({ namespaced: true, addon: true });
  });

  it('is skipped when a scan could not list what it reads as absent', () => {
    expect(rule.needs).toEqual(['EnvoyFilter', 'HTTPLocalRateLimitPolicy']);
  });
});
