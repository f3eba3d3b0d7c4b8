import { getAt } from './json-path.js';
import type { ObjectIndex } from './object-index.js';
import { isJsonObject, type JsonValue, type K8sObject } from './types.js';

/**
 * Istio's config root namespace out of the box (meshConfig.rootNamespace): an EnvoyFilter there
 * applies to the workloads of every namespace, not only its own.
 */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';

/** Envoy's HTTP filters that limit request rates: per proxy (local) and through a rate limit service (global). */
const RATE_LIMIT_FILTERS = ['envoy.filters.http.local_ratelimit', 'envoy.filters.http.ratelimit'];
/** The same filters named by their typed config, as patches that omit the filter name write them. */
const RATE_LIMIT_TYPES = [
  'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
  'envoy.extensions.filters.http.ratelimit.v3.RateLimit',
];

/**
 * Whether an Istio EnvoyFilter patches in one of Envoy's HTTP rate limit filters. Istio has no rate
 * limit API of its own: its rate limiting is an EnvoyFilter that inserts these filters.
 */
export function isRateLimitEnvoyFilter(o: K8sObject): boolean {
  if (o.kind !== 'EnvoyFilter' || !o.apiVersion.startsWith('networking.istio.io/')) return false;
  const patches = getAt(o.raw, '/spec/configPatches');
  if (!Array.isArray(patches)) return false;
  return patches.some((p) => isJsonObject(p) && insertsRateLimit(getAt(p, '/patch/value')));
}

function insertsRateLimit(value: JsonValue | undefined): boolean {
  if (!isJsonObject(value)) return false;
  const name = value['name'];
  if (typeof name === 'string' && RATE_LIMIT_FILTERS.includes(name)) return true;
  const type = getAt(value, '/typed_config/@type') ?? getAt(value, '/typedConfig/@type');
  return typeof type === 'string' && RATE_LIMIT_TYPES.some((t) => type.endsWith(t));
}

/** Istio rate limiting that reaches a namespace's workloads: an EnvoyFilter in it or in the root namespace. */
export function istioRateLimitFor(index: ObjectIndex, namespace: string): boolean {
  return index
    .ofKind('EnvoyFilter')
    .some(
      (f) => (f.namespace === namespace || f.namespace === ISTIO_ROOT_NAMESPACE) && isRateLimitEnvoyFilter(f),
    );
}

/** A Linkerd Server (policy.linkerd.io): the port of a set of pods that inbound policy applies to. */
export function isLinkerdServer(o: K8sObject): boolean {
  return o.kind === 'Server' && o.apiVersion.startsWith('policy.linkerd.io/');
}

/** Linkerd's HTTPLocalRateLimitPolicy names one Server in its own namespace (spec.targetRef). */
export function linkerdRateLimitFor(index: ObjectIndex, server: K8sObject): boolean {
  return index.ofKind('HTTPLocalRateLimitPolicy').some((p) => {
    if (!p.apiVersion.startsWith('policy.linkerd.io/') || p.namespace !== server.namespace) return false;
    const ref = getAt(p.raw, '/spec/targetRef');
    return isJsonObject(ref) && ref['kind'] === 'Server' && ref['name'] === server.name;
  });
}
