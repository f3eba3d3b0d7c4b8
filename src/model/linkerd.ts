import { getAt } from './json-path.js';
import { isJsonObject, type JsonObject, type K8sObject } from './types.js';

/** A Linkerd ServiceProfile (linkerd.io/v1alpha1 or v1alpha2): per-route retries and timeouts for one Service. */
export function isLinkerdServiceProfile(o: K8sObject): boolean {
  return o.kind === 'ServiceProfile' && o.apiVersion.startsWith('linkerd.io/');
}

export interface ProfileRoute {
  index: number;
  route: JsonObject;
  /** The route's name, or its position when it has none. */
  label: string;
}

/**
 * The routes of a ServiceProfile. While a ServiceProfile exists for a Service, Linkerd's proxies take
 * retries and timeouts from it and ignore the retry.linkerd.io / timeout.linkerd.io annotations and
 * the HTTPRoutes attached to that Service, so these routes alone decide.
 */
export function profileRoutes(sp: K8sObject): ProfileRoute[] {
  const routes = getAt(sp.raw, '/spec/routes');
  if (!Array.isArray(routes)) return [];
  const out: ProfileRoute[] = [];
  routes.forEach((route, index) => {
    if (!isJsonObject(route)) return;
    const name = route['name'];
    out.push({
      index,
      route,
      label: typeof name === 'string' && name !== '' ? `"${name}"` : `#${index + 1}`,
    });
  });
  return out;
}
