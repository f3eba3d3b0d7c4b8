import { getAt } from '../model/json-path.js';
import { isJsonObject, type JsonObject, type K8sObject } from '../model/types.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'mesh-no-timeout',
  category: 'mesh',
  defaultSeverity: 'info',
  seed: 'Use a Service Mesh',
  description: 'An Istio VirtualService route without a timeout waits on a slow backend forever.',
  messages: {
    missing:
      'VirtualService {{name}} route {{route}} (to {{destinations}}) sets no timeout, and Istio sets no route timeout by default: when {{destinations}} hangs, every caller waits until its own client gives up, holding its threads and connections. Set http[{{index}}].timeout to what callers can afford to wait (e.g. timeout: 5s); with retries, keep perTryTimeout × (attempts + 1) within it.',
  },
  check({ index, report }) {
    for (const vs of index.ofKind('VirtualService')) {
      if (!vs.apiVersion.startsWith('networking.istio.io/')) continue;
      for (const r of forwardingRoutes(vs)) {
        const timeout = r.route['timeout'];
        if (timeout !== undefined && timeout !== null) continue;
        report({
          object: vs,
          path: `/spec/http/${r.index}/timeout`,
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
