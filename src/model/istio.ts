import { getAt } from './json-path.js';
import { isJsonObject, type JsonObject, type K8sObject } from './types.js';

export function isIstio(o: K8sObject): boolean {
  return o.apiVersion.startsWith('networking.istio.io/');
}

export interface ForwardingRoute {
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
export function forwardingRoutes(vs: K8sObject): ForwardingRoute[] {
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
