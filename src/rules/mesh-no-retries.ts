import { forwardingRoutes, isIstio } from '../model/istio.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'mesh-no-retries',
  category: 'mesh',
  defaultSeverity: 'info',
  guide: 'Use a Service Mesh',
  description:
    'An Istio VirtualService route without a retry policy of its own gets the mesh default, which is tuned to no service.',
  fixSafety: {
    kind: 'none',
    reason: 'decide whether the requests are safe to retry (idempotent), and how often',
  },
  messages: {
    missing: {
      headline: 'VirtualService {{name}} route {{route}} sets no retries',
      detail:
        'The route to {{destinations}} gets the mesh-wide default (meshConfig.defaultHttpRetryPolicy; out of the box 2 retries on connect-failure, refused-stream, unavailable, cancelled and 503, with no per-try timeout). Set http[{{index}}].retries for this service: attempts, a perTryTimeout below the route timeout, and the retryOn conditions that are safe for it (attempts: 0 turns retries off for calls that must not be repeated).',
    },
  },
  check({ index, report }) {
    for (const vs of index.ofKind('VirtualService')) {
      if (!isIstio(vs)) continue;
      for (const r of forwardingRoutes(vs)) {
        // attempts: 0 is an explicit policy too (retries off), so any retries object counts.
        const retries = r.route['retries'];
        if (retries !== undefined && retries !== null) continue;
        report({
          object: vs,
          path: `/spec/http/${r.index}/retries`,
          messageId: 'missing',
          data: { name: vs.name, route: r.label, index: r.index, destinations: r.destinations },
        });
      }
    }
  },
});
