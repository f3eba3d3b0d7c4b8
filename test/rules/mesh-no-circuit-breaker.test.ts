import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import rule from '../../src/rules/mesh-no-circuit-breaker.js';
import { testRule, yaml } from '../rule-tester.js';

// How istiod merges DestinationRule policies (pilot/pkg/networking/util, MergeSubsetTrafficPolicy and
// GetPortLevelTrafficPolicy): "port-level settings will override the destination-level settings. Traffic
// settings specified at the destination-level will not be inherited when overridden by port-level
// settings"; subset fields override the rule's, a subset without a field inherits the rule's.
testRule(rule, {
  valid: [
    {
      name: 'outlier detection at the rule level covers the host and every subset',
      yaml: yaml`
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: { name: pass-reviews }
        spec:
          host: reviews
          trafficPolicy:
            outlierDetection: { consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s }
          subsets:
            - name: v1
              labels: { version: v1 }
            - name: v2
              labels: { version: v2 }
              trafficPolicy:
                connectionPool: { http: { http1MaxPendingRequests: 100 } }
      `,
    },
    {
      name: 'an empty outlierDetection turns it on with the defaults; other API groups are ignored',
      yaml: yaml`
        apiVersion: networking.istio.io/v1alpha3
        kind: DestinationRule
        metadata: { name: pass-empty }
        spec:
          host: ratings
          trafficPolicy:
            outlierDetection: {}
        ---
        apiVersion: example.com/v1
        kind: DestinationRule
        metadata: { name: pass-other }
        spec: { host: x }
      `,
    },
    {
      name: 'port-level settings that repeat outlierDetection',
      yaml: yaml`
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: { name: pass-ports }
        spec:
          host: api
          trafficPolicy:
            outlierDetection: { consecutive5xxErrors: 3 }
            portLevelSettings:
              - port: { number: 8080 }
                loadBalancer: { simple: LEAST_REQUEST }
                outlierDetection: { consecutive5xxErrors: 3 }
      `,
    },
    {
      name: "every port of the host's Service covered at port level, nothing at the rule level",
      yaml: yaml`
        apiVersion: v1
        kind: Service
        metadata: { name: api, namespace: shop }
        spec:
          selector: { app: api }
          ports: [{ port: 80 }, { port: 9090 }]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: { name: pass-service-ports, namespace: shop }
        spec:
          host: api.shop.svc.cluster.local
          trafficPolicy:
            portLevelSettings:
              - port: { number: 80 }
                outlierDetection: { consecutive5xxErrors: 5 }
              - port: { number: 9090 }
                outlierDetection: { consecutiveGatewayErrors: 5 }
      `,
    },
    {
      name: 'subsets that all bring their own, and a rule level that covers the host',
      yaml: yaml`
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: { name: pass-subsets }
        spec:
          host: cart
          trafficPolicy:
            outlierDetection: { consecutive5xxErrors: 10 }
          subsets:
            - name: stable
              labels: { track: stable }
              trafficPolicy:
                outlierDetection: { consecutive5xxErrors: 5 }
      `,
    },
  ],
  invalid: [
    {
      name: 'no traffic policy at all: one finding for the host and every subset',
      yaml: yaml`
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: { name: fail-reviews }
        spec:
          host: reviews
          subsets:
            - name: v1
              labels: { version: v1 }
            - name: v2
              labels: { version: v2 }
      `,
      errors: [
        {
          object: 'fail-reviews',
          messageId: 'missing',
          line: 4,
          column: 1,
          path: '/spec/trafficPolicy/outlierDetection',
          data: { host: 'reviews', paths: 'the host, subset v1, subset v2' },
          message: 'Add outlierDetection here',
        },
      ],
    },
    {
      name: 'a traffic policy with a connection pool but no outlier detection is reported at the policy',
      yaml: yaml`
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: { name: fail-pool }
        spec:
          host: ratings
          trafficPolicy:
            connectionPool: { tcp: { maxConnections: 100 } }
      `,
      errors: [{ object: 'fail-pool', line: 6, column: 3, data: { paths: 'the host' } }],
    },
    {
      name: 'subsets with their own detection leave the host without a subset uncovered',
      yaml: yaml`
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: { name: fail-host-only }
        spec:
          host: cart
          subsets:
            - name: stable
              labels: { track: stable }
              trafficPolicy:
                outlierDetection: { consecutive5xxErrors: 5 }
            - name: canary
              labels: { track: canary }
      `,
      errors: [{ object: 'fail-host-only', data: { paths: 'the host, subset canary' } }],
    },
    {
      name: 'a port-level entry without outlierDetection hides the rule-level one on that port',
      yaml: yaml`
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: { name: fail-port }
        spec:
          host: api
          trafficPolicy:
            outlierDetection: { consecutive5xxErrors: 5 }
            portLevelSettings:
              - port: { number: 8080 }
                loadBalancer: { simple: ROUND_ROBIN }
          subsets:
            - name: v1
              labels: { version: v1 }
      `,
      errors: [
        {
          object: 'fail-port',
          messageId: 'portOverride',
          line: 9,
          column: 9,
          path: '/spec/trafficPolicy/portLevelSettings/0/outlierDetection',
          data: { port: 8080, scope: 'the rule', paths: 'the host on port 8080, subset v1 on port 8080' },
          message: 'replace the whole traffic policy of the rule',
        },
      ],
    },
    {
      name: "a subset's port-level entry hides both its own and the rule's detection on that port",
      yaml: yaml`
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: { name: fail-subset-port }
        spec:
          host: api
          trafficPolicy:
            outlierDetection: { consecutive5xxErrors: 5 }
          subsets:
            - name: v2
              labels: { version: v2 }
              trafficPolicy:
                portLevelSettings:
                  - port: { number: 9000 }
                    connectionPool: { http: { maxRequestsPerConnection: 1 } }
      `,
      errors: [
        {
          object: 'fail-subset-port',
          messageId: 'portOverride',
          line: 13,
          path: '/spec/subsets/0/trafficPolicy/portLevelSettings/0/outlierDetection',
          data: { port: 9000, scope: 'subset v2', paths: 'subset v2 on port 9000' },
        },
      ],
    },
    {
      name: "with the host's Service in the input, its ports are the paths (named ports only at port level)",
      yaml: yaml`
        apiVersion: v1
        kind: Service
        metadata: { name: api }
        spec:
          ports: [{ port: 80 }, { port: 9090 }]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: { name: fail-svc }
        spec:
          host: api
          trafficPolicy:
            portLevelSettings:
              - port: { number: 80 }
                outlierDetection: { consecutive5xxErrors: 5 }
      `,
      errors: [
        {
          object: 'fail-svc',
          messageId: 'missing',
          path: '/spec/trafficPolicy/outlierDetection',
          data: { paths: 'the host on port 9090' },
        },
      ],
    },
    {
      name: 'without the Service, ports the rule does not name are still traffic paths',
      yaml: yaml`
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: { name: fail-other-ports, namespace: shop }
        spec:
          host: api.shop.svc.cluster.local
          trafficPolicy:
            portLevelSettings:
              - port: { number: 80 }
                outlierDetection: { consecutive5xxErrors: 5 }
      `,
      errors: [{ object: 'fail-other-ports', data: { paths: 'the host on its other ports' } }],
    },
  ],
});

/** The rule's findings as the engine renders them: `message` is the headline alone, `detail` the rest. */
const findings = (text: string) =>
  check(parseManifests(text, 'test.yaml').objects, { rules: [rule] }).findings;

describe('the headline stands alone', () => {
  it('names the DestinationRule and the port whose settings drop outlierDetection; the scope and the fix are the detail', () => {
    const [f] = findings(yaml`
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: { name: reviews }
      spec:
        host: reviews
        trafficPolicy:
          outlierDetection: { consecutive5xxErrors: 5 }
          portLevelSettings:
            - port: { number: 9080 }
              connectionPool: { tcp: { maxConnections: 100 } }
    `);
    expect(f!.message).toBe('DestinationRule reviews: port 9080 settings drop outlierDetection');
    expect(f!.detail).toMatch(
      /^For host reviews, the portLevelSettings for port 9080 replace the whole traffic policy of .+, so the outlierDetection set above them does not apply to .+\. Repeat outlierDetection in these port settings\.$/,
    );
  });
});
