/**
 * A pod whose readiness can never pass: a readinessProbe or startupProbe (httpGet, tcpSocket) on a
 * port name its container does not declare. The kubelet resolves a probe's port name only among the
 * probed container's own ports; when it cannot, every check errors and the result is dropped, so a
 * readiness probe stays at Failure and a startup probe at Unknown (the container never counts as
 * started). check reports it as probe-port-mismatch; simulate counts such pods as never Ready, so the
 * two agree. A liveness probe on such a port never takes effect, which does not change readiness.
 */
import { declaredPorts, isNumericString, probeHandler, probeOf } from '../model/probes.js';
import type { Workload } from '../model/workload.js';

/** Why the workload's pods are never Ready, or undefined when nothing stops them. */
export function neverReadyReason(w: Workload): string | undefined {
  for (const c of w.containers) {
    for (const field of ['readinessProbe', 'startupProbe'] as const) {
      const probe = probeOf(c, field);
      const handler = probe && probeHandler(probe);
      if (!handler || (handler.kind !== 'httpGet' && handler.kind !== 'tcpSocket')) continue;
      const port = handler.action['port'];
      if (typeof port !== 'string' || isNumericString(port)) continue;
      if (declaredPorts(c).some((p) => p.name === port)) continue;
      return `the ${field} of container ${c.name} uses port "${port}", which the container does not declare, so its pods never become Ready: declare the port under ports of container ${c.name} or use its number`;
    }
  }
  return undefined;
}
