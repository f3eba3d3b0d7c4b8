import { probeOf } from '../model/probes.js';
import { describe } from '../model/workload.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'missing-liveness-probe',
  category: 'health',
  defaultSeverity: 'warning',
  guide: 'Use Liveness Probe to remove unhealthy pods',
  description: 'Without a liveness probe a hung container is never restarted.',
  fixSafety: {
    kind: 'none',
    reason:
      'decide how to tell that this container hangs: the endpoint path and port (or the command) of its livenessProbe',
  },
  messages: {
    missing: {
      headline: '{{role}} {{container}} of {{workload}} has no livenessProbe',
      detail:
        'If it hangs without exiting (a deadlock, a stuck event loop), the kubelet never restarts it and the pod stays broken until someone deletes it. Add a livenessProbe that checks only the process itself (httpGet on a /live endpoint, tcpSocket or exec), not its dependencies.',
    },
  },
  check({ index, report }) {
    for (const w of index.workloads) {
      if (!w.longRunning) continue;
      // Native sidecars count like app containers: the kubelet runs their liveness probes and restarts
      // a sidecar that fails one, and a hung proxy or agent breaks the pod as surely as a hung app.
      for (const c of w.containers) {
        if (probeOf(c, 'livenessProbe')) continue;
        report({
          object: w.object,
          path: `${c.path}/livenessProbe`,
          messageId: 'missing',
          data: {
            role: c.kind === 'sidecar' ? 'Sidecar' : 'Container',
            container: c.name,
            workload: describe(w),
          },
        });
      }
    }
  },
});
