import { forwardingRoutes, isIstio } from '../model/istio.js';
import {
  ISTIO_ROOT_NAMESPACE,
  isLinkerdServer,
  istioRateLimitFor,
  linkerdRateLimitFor,
} from '../model/rate-limit.js';
import { getAt } from '../model/json-path.js';
import { defineRule } from './define-rule.js';

/** Linkerd Server protocols it does not parse as HTTP: an HTTP rate limit has nothing to count there. */
const NOT_HTTP = new Set(['opaque', 'TLS']);

export default defineRule({
  id: 'mesh-no-rate-limit',
  category: 'mesh',
  defaultSeverity: 'info',
  guide: 'Use a Service Mesh',
  // Reads the absence of both kinds as "no rate limit": a scan that could not list them skips the rule.
  needs: ['EnvoyFilter', 'HTTPLocalRateLimitPolicy'],
  description:
    'Mesh traffic with no rate limit lets one runaway caller or a retry storm take a service down for everyone.',
  fixSafety: {
    kind: 'none',
    reason: 'decide how many requests per second the service can serve, and per caller',
  },
  messages: {
    istio: {
      headline: 'VirtualService {{name}} routes to {{destinations}} with no rate limit',
      detail:
        'No Istio EnvoyFilter in namespace {{namespace}} or in {{root}} inserts a rate limit filter (envoy.filters.http.local_ratelimit, or envoy.filters.http.ratelimit with a rate limit service), so a burst from one caller or a retry storm reaches {{destinations}} in full. Add an EnvoyFilter with a local rate limit (a token bucket per proxy) for the workloads behind it.',
    },
    linkerd: {
      headline: 'Linkerd Server {{name}} has no HTTPLocalRateLimitPolicy',
      detail:
        'Nothing limits the requests the pods behind this Server accept, so a burst from one caller or a retry storm reaches them in full. Add an HTTPLocalRateLimitPolicy (policy.linkerd.io) whose targetRef is this Server, with total.requestsPerSecond and, for fairness, identity.requestsPerSecond.',
    },
  },
  check({ index, report }) {
    for (const vs of index.ofKind('VirtualService')) {
      if (!isIstio(vs)) continue;
      const routes = forwardingRoutes(vs);
      if (routes.length === 0 || istioRateLimitFor(index, vs.namespace)) continue;
      const destinations = [...new Set(routes.flatMap((r) => r.destinations.split(', ')))].join(', ');
      report({
        object: vs,
        path: '/spec/http',
        messageId: 'istio',
        data: { name: vs.name, destinations, namespace: vs.namespace, root: ISTIO_ROOT_NAMESPACE },
      });
    }
    for (const server of index.ofKind('Server')) {
      if (!isLinkerdServer(server)) continue;
      const protocol = getAt(server.raw, '/spec/proxyProtocol');
      if (typeof protocol === 'string' && NOT_HTTP.has(protocol)) continue;
      if (linkerdRateLimitFor(index, server)) continue;
      report({ object: server, path: '/spec', messageId: 'linkerd', data: { name: server.name } });
    }
  },
});
