import { forwardingRoutes, isIstio } from '../model/istio.js';
import {
  isLinkerdServiceProfile,
  linkerdMeshedServices,
  linkerdTimeoutFor,
  profileFor,
  profileRoutes,
} from '../model/linkerd.js';
import { listedAll } from '../model/live.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'mesh-no-timeout',
  category: 'mesh',
  defaultSeverity: 'info',
  guide: 'Use a Service Mesh',
  description:
    'An Istio VirtualService route, a Linkerd ServiceProfile route or a Service in the Linkerd mesh without a timeout waits on a slow backend forever.',
  fixSafety: {
    kind: 'none',
    reason: "decide the route's timeout: it depends on what the slowest legitimate request takes",
  },
  messages: {
    missing: {
      headline: 'VirtualService {{name}} route {{route}} sets no timeout',
      detail:
        'The route goes to {{destinations}}, and Istio sets no route timeout by default: when {{destinations}} hangs, every caller waits until its own client gives up, holding its threads and connections. Set http[{{index}}].timeout to what callers can afford to wait (e.g. timeout: 5s); with retries, keep perTryTimeout × (attempts + 1) within it.',
    },
    linkerdMissing: {
      headline: 'ServiceProfile {{name}} route {{route}} sets no timeout',
      detail:
        'Linkerd sets no timeout on a ServiceProfile route by default, and while this profile exists it ignores the timeout.linkerd.io annotations and HTTPRoute timeouts for its Service: when the Service hangs, every caller on this route waits until its own client gives up. Set routes[{{index}}].timeout to what callers can afford to wait (e.g. timeout: 5s).',
    },
    linkerdService: {
      headline: 'Service {{name}} in the Linkerd mesh sets no timeout',
      detail:
        "Its pods run Linkerd's proxy, and no ServiceProfile, timeout.linkerd.io annotation (on the Service or on a route attached to it) or HTTPRoute timeouts set one; Linkerd sets no timeout by default, so when the Service hangs every caller waits until its own client gives up. Annotate the Service with timeout.linkerd.io/request (e.g. 5s), or set timeouts.request on the rules of an HTTPRoute whose parent is this Service.",
    },
  },
  check({ index, settings, report }) {
    for (const vs of index.ofKind('VirtualService')) {
      if (!isIstio(vs)) continue;
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
    for (const sp of index.ofKind('ServiceProfile')) {
      if (!isLinkerdServiceProfile(sp)) continue;
      for (const r of profileRoutes(sp)) {
        const timeout = r.route['timeout'];
        if (timeout !== undefined && timeout !== null) continue;
        report({
          object: sp,
          path: `/spec/routes/${r.index}/timeout`,
          messageId: 'linkerdMissing',
          data: { name: sp.name, route: r.label, index: r.index },
        });
      }
    }
    // A Service without a ServiceProfile takes its timeout from annotations and routes, which a scan
    // must have listed before their absence means anything.
    if (settings.cluster && !listedAll(settings.cluster.listed, ['ServiceProfile', 'HTTPRoute', 'GRPCRoute']))
      return;
    for (const svc of linkerdMeshedServices(index)) {
      if (profileFor(index, svc) || linkerdTimeoutFor(index, svc)) continue;
      report({ object: svc, path: '/metadata', messageId: 'linkerdService', data: { name: svc.name } });
    }
  },
});
