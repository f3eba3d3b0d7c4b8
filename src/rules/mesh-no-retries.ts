import { getAt } from '../model/json-path.js';
import { isJsonObject, type JsonObject, type K8sObject } from '../model/types.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'mesh-no-retries',
  category: 'mesh',
  defaultSeverity: 'info',
  seed: 'Use a Service Mesh',
  description:
    'An Istio VirtualService route without a retry policy of its own gets the mesh default, which is tuned to no service.',
  messages: {
    missing:
      'VirtualService {{name}} route {{route}} (to {{destinations}}) sets no retries, so it gets the mesh-wide default (meshConfig.defaultHttpRetryPolicy; out of the box 2 retries on connect-failure, refused-stream, unavailable, cancelled and 503, with no per-try timeout). Set http[{{index}}].retries for this service: attempts, a perTryTimeout below the route timeout, and the retryOn conditions that are safe for it (attempts: 0 turns retries off for calls that must not be repeated).',
  },
  check({ index, report }) {
    for (const vs of index.ofKind('VirtualService')) {
      if (!vs.apiVersion.startsWith('networking.istio.io/')) continue;
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

interface ForwardingRoute {
  index: number;
  route: JsonObject;
  /** The route's name, or its position when it has none. */
  label: string;
  destinations: string;
}

/**
 * HTTP routes that forward to a destination. Redirects, direct responses and delegations send no
 * request upstream, and Istio enables neither timeouts nor retries on a route that injects faults
 * (HTTPRoute.fault), so those have nothing to tune.
 */
function forwardingRoutes(vs: K8sObject): ForwardingRoute[] {
  const http = getAt(vs.raw, '/spec/http');
  if (!Array.isArray(http)) return [];
  const out: ForwardingRoute[] = [];
  http.forEach((route, index) => {
    if (!isJsonObject(route)) return;
    const destinations = route['route'];
    if (!Array.isArray(destinations) || destinations.length === 0) return;
    if (route['fault'] !== undefined && route['fault'] !== null) return;
    const hosts = destinations
      .map((d) => (isJsonObject(d) ? getAt(d, '/destination/host') : undefined))
      .filter((h): h is string => typeof h === 'string');
    const name = route['name'];
    out.push({
      index,
      route,
      label: typeof name === 'string' && name !== '' ? `"${name}"` : `#${index + 1}`,
      destinations: hosts.length > 0 ? [...new Set(hosts)].join(', ') : 'its destination',
    });
  });
  return out;
}
