import { forwardingRoutes, isIstio } from '../model/istio.js';
import {
  isLinkerdServiceProfile,
  linkerdMeshedServices,
  linkerdRetriesFor,
  profileFor,
  profileRoutes,
} from '../model/linkerd.js';
import { listedAll } from '../model/live.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'mesh-no-retries',
  category: 'mesh',
  defaultSeverity: 'info',
  guide: 'Use a Service Mesh',
  description:
    'An Istio VirtualService route without a retry policy of its own gets the mesh default, which is tuned to no service; a Linkerd ServiceProfile route or meshed Service that says nothing about retries gets none.',
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
    linkerdMissing: {
      headline: 'ServiceProfile {{name}} route {{route}} does not say if it is retryable',
      detail:
        'Linkerd retries a request on a ServiceProfile route only when the route sets isRetryable: true, and while this profile exists it ignores the retry.linkerd.io annotations and HTTPRoutes for its Service, so a transient failure on this route reaches the caller. Set routes[{{index}}].isRetryable: true if its requests are safe to repeat (idempotent), within spec.retryBudget, or isRetryable: false to record that they are not.',
    },
    linkerdService: {
      headline: 'Service {{name}} in the Linkerd mesh sets no retries',
      detail:
        "Its pods run Linkerd's proxy, and no ServiceProfile or retry.linkerd.io annotation (on the Service or on an HTTPRoute or GRPCRoute attached to it) configures retries; Linkerd retries nothing by default, so a transient failure reaches the caller. If its requests are safe to repeat, annotate the Service or a route with retry.linkerd.io/http (e.g. 5xx) and retry.linkerd.io/limit.",
    },
  },
  check({ index, settings, report }) {
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
    for (const sp of index.ofKind('ServiceProfile')) {
      if (!isLinkerdServiceProfile(sp)) continue;
      for (const r of profileRoutes(sp)) {
        // isRetryable: false is a decision too (the route must not be repeated), so only absence counts.
        if (typeof r.route['isRetryable'] === 'boolean') continue;
        report({
          object: sp,
          path: `/spec/routes/${r.index}/isRetryable`,
          messageId: 'linkerdMissing',
          data: { name: sp.name, route: r.label, index: r.index },
        });
      }
    }
    // A Service without a ServiceProfile takes its retries from annotations and routes, which a scan
    // must have listed before their absence means anything.
    if (settings.cluster && !listedAll(settings.cluster.listed, ['ServiceProfile', 'HTTPRoute', 'GRPCRoute']))
      return;
    for (const svc of linkerdMeshedServices(index)) {
      if (profileFor(index, svc) || linkerdRetriesFor(index, svc)) continue;
      report({ object: svc, path: '/metadata', messageId: 'linkerdService', data: { name: svc.name } });
    }
  },
});
