import {
  declaredPorts,
  gatesOnReadiness,
  probeOf,
  serviceNames,
  servingContainers,
  trafficServices,
} from '../model/probes.js';
import { describe, type Container } from '../model/workload.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'missing-readiness-probe',
  category: 'health',
  defaultSeverity: 'warning',
  guide: 'Use Readiness Probe to detect partial unavailability',
  description: 'Without a readiness probe a pod receives traffic before it can serve and while it cannot.',
  needs: ['Service'],
  fixSafety: {
    kind: 'none',
    reason:
      'decide what "ready" means for this container: the endpoint path and port (or the command) of its readinessProbe',
  },
  messages: {
    missing: {
      headline: '{{role}} {{container}} of {{workload}} has no readinessProbe',
      detail:
        'The kubelet reports it Ready as soon as it starts and keeps it Ready while it cannot serve. Add a readinessProbe (httpGet on a /ready endpoint, or tcpSocket on the port it serves) so it is marked unready until it can take work.',
    },
    service: {
      headline: '{{role}} {{container}} of {{workload}} has no readinessProbe',
      detail:
        'The pod gets traffic from {{services}}, yet the container counts as ready the moment it starts, before the app listens (on every rollout, restart and scale-up), and stays ready while it cannot serve, so requests routed to it fail. Add a readinessProbe (httpGet on a /ready endpoint, or tcpSocket on the port it serves).',
    },
  },
  check({ index, report }) {
    for (const w of index.workloads) {
      if (!w.longRunning) continue;
      const services = trafficServices(index, w).filter(gatesOnReadiness);
      const serving = servingContainers(w, services);
      // Native sidecars count like app containers: the kubelet runs their readiness probes and their
      // readiness is part of the pod's Ready condition, so one without a probe is "ready" once it runs,
      // which is wrong only for a sidecar that serves something.
      for (const c of w.containers) {
        if (probeOf(c, 'readinessProbe') || isQuietSidecar(c, serving)) continue;
        const behindService = services.length > 0 && serving.has(c);
        report({
          object: w.object,
          path: `${c.path}/readinessProbe`,
          messageId: behindService ? 'service' : 'missing',
          data: {
            role: c.kind === 'sidecar' ? 'Sidecar' : 'Container',
            container: c.name,
            workload: describe(w),
            ...(behindService ? { services: serviceNames(services) } : {}),
          },
          ...(behindService ? { severity: 'error' as const } : {}),
        });
      }
    }
  },
});

/**
 * A native sidecar that declares no port and receives no Service's traffic (a log shipper, an agent
 * that only pushes): "ready once it runs" is the truth for it, so a readiness probe would add nothing.
 * Plain containers are not excused: an app may serve a port it does not declare (a backend that a
 * proxy in the same pod reaches over localhost).
 */
function isQuietSidecar(c: Container, serving: ReadonlySet<Container>): boolean {
  return c.kind === 'sidecar' && declaredPorts(c).length === 0 && !serving.has(c);
}
