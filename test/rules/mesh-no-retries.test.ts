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
