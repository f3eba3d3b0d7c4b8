import { probeCheck, probeOf } from '../model/probes.js';
import { isJsonObject, type JsonObject } from '../model/types.js';
import { describe } from '../model/workload.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'identical-probes',
  category: 'health',
  defaultSeverity: 'warning',
  guide: 'Use Readiness Probe to detect partial unavailability',
  description:
    'A liveness probe identical to the readiness probe restarts pods that are only temporarily unable to serve.',
  fixSafety: {
    kind: 'none',
    reason:
      'decide what the liveness check may leave out (dependencies), and give the livenessProbe its own endpoint',
  },
  messages: {
    identical: {
      headline: '{{container}} of {{workload}} has identical liveness and readiness probes',
      detail:
        '{{role}} {{container}} uses the same check for liveness and readiness ({{check}}): when it is only temporarily unable to serve (a dependency down, a slow database, overload), the liveness probe fails with the readiness probe and the kubelet restarts the containers instead of just taking the pods out of the Service, often all replicas at once. Give the liveness probe a check of the process alone (a /live endpoint that touches no dependency, or tcpSocket) and keep dependency checks in the readiness probe; different thresholds or headers do not make them different checks.',
    },
  },
  check({ index, report }) {
    for (const w of index.workloads) {
      if (!w.longRunning) continue;
      // Native sidecars are included: the kubelet runs and acts on their probes as on app containers'.
      for (const c of w.containers) {
        const liveness = probeOf(c, 'livenessProbe');
        const readiness = probeOf(c, 'readinessProbe');
        if (!liveness || !readiness) continue;
        const live = probeCheck(c, withoutHeaders(liveness));
        const ready = probeCheck(c, withoutHeaders(readiness));
        if (!live || !ready || live.key !== ready.key) continue;
        report({
          object: w.object,
          path: `${c.path}/livenessProbe`,
          messageId: 'identical',
          data: {
            role: c.kind === 'sidecar' ? 'Sidecar' : 'Container',
            container: c.name,
            workload: describe(w),
            check: live.text,
          },
        });
      }
    }
  },
});

/**
 * The probe without its HTTP headers. Two probes that differ only in a header hit the same endpoint of
 * the same process, and a header seldom makes an endpoint skip its dependencies (kube-score compares
 * them the same way): a /live endpoint of its own is what keeps the liveness check apart.
 */
function withoutHeaders(probe: JsonObject): JsonObject {
  const action = probe['httpGet'];
  if (!isJsonObject(action) || !('httpHeaders' in action)) return probe;
  const { httpHeaders: _headers, ...rest } = action;
  return { ...probe, httpGet: rest };
}
