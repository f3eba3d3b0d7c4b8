import { getAt } from './json-path.js';
import type { ObjectIndex } from './object-index.js';
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

/** The Service's own name, as a ServiceProfile names it: `<service>.<namespace>.svc.<cluster domain>`. */
export function profileFor(index: ObjectIndex, svc: K8sObject): K8sObject | undefined {
  const prefix = `${svc.name}.${svc.namespace}.svc.`;
  return index
    .ofKind('ServiceProfile')
    .find(
      (sp) => isLinkerdServiceProfile(sp) && sp.namespace === svc.namespace && sp.name.startsWith(prefix),
    );
}

/**
 * Services whose pods Linkerd's proxy injector meshes: `linkerd.io/inject: enabled` (or `ingress`) on
 * the pod template, or on the Namespace when the template does not say `disabled`.
 */
export function linkerdMeshedServices(index: ObjectIndex): K8sObject[] {
  return index.ofKind('Service').filter((svc) => {
    const selector = index.serviceSelector(svc);
    if (!selector) return false;
    const ns = index.ofKind('Namespace').find((n) => n.name === svc.namespace);
    const nsInject = ns ? annotation(ns.raw, '/metadata/annotations', INJECT) : undefined;
    return index.workloadsSelectedBy(svc.namespace, selector).some((w) => {
      const own = annotation(w.object.raw, `${w.podMetadataPath}/annotations`, INJECT);
      return injects(own ?? nsInject);
    });
  });
}

const INJECT = 'linkerd.io/inject';
const injects = (value: string | undefined): boolean => value === 'enabled' || value === 'ingress';

function annotation(raw: JsonObject, path: string, key: string): string | undefined {
  const annotations = getAt(raw, path);
  const value = isJsonObject(annotations) ? annotations[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** Gateway API's (and Linkerd's policy.linkerd.io) HTTPRoutes and GRPCRoutes attached to a Service as their parent. */
export function routesOf(index: ObjectIndex, svc: K8sObject): K8sObject[] {
  return index.ofKind('HTTPRoute', 'GRPCRoute').filter((route) => {
    if (!ROUTE_GROUPS.some((g) => route.apiVersion.startsWith(g))) return false;
    const parents = getAt(route.raw, '/spec/parentRefs');
    if (!Array.isArray(parents)) return false;
    return parents.some((p) => {
      if (!isJsonObject(p) || p['kind'] !== 'Service' || p['name'] !== svc.name) return false;
      // A Service parent is in the core group, which Gateway API writes "" and Linkerd's docs "core".
      if (p['group'] !== '' && p['group'] !== 'core') return false;
      const ns = typeof p['namespace'] === 'string' ? p['namespace'] : route.namespace;
      return ns === svc.namespace;
    });
  });
}

const ROUTE_GROUPS = ['gateway.networking.k8s.io/', 'policy.linkerd.io/'];

const hasAnnotationPrefix = (o: K8sObject, prefix: string): boolean => {
  const annotations = getAt(o.raw, '/metadata/annotations');
  return isJsonObject(annotations) && Object.keys(annotations).some((k) => k.startsWith(prefix));
};

/**
 * Whether Linkerd times out requests to a Service that has no ServiceProfile: a timeout.linkerd.io
 * annotation on the Service or on a route attached to it, or a rule's timeouts in such an HTTPRoute.
 */
export function linkerdTimeoutFor(index: ObjectIndex, svc: K8sObject): boolean {
  if (hasAnnotationPrefix(svc, 'timeout.linkerd.io/')) return true;
  return routesOf(index, svc).some((route) => {
    if (hasAnnotationPrefix(route, 'timeout.linkerd.io/')) return true;
    const rules = getAt(route.raw, '/spec/rules');
    return Array.isArray(rules) && rules.some((r) => isJsonObject(r) && isJsonObject(r['timeouts']));
  });
}

/** Whether Linkerd retries requests to a Service that has no ServiceProfile: a retry.linkerd.io annotation on it or a route attached to it. */
export function linkerdRetriesFor(index: ObjectIndex, svc: K8sObject): boolean {
  if (hasAnnotationPrefix(svc, 'retry.linkerd.io/')) return true;
  return routesOf(index, svc).some((route) => hasAnnotationPrefix(route, 'retry.linkerd.io/'));
}
