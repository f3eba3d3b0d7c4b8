import { declaredPorts, isNumericString, PROBE_FIELDS, probeHandler, probeOf } from '../model/probes.js';
import { describe, type Container } from '../model/workload.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'probe-port-mismatch',
  category: 'health',
  defaultSeverity: 'error',
  guide: 'Health checks and self-healing',
  description: 'A probe that names a port the container does not declare always fails.',
  // The kubelet resolves a named probe port only among the probed container's own ports
  // (pkg/probe/util.go ResolveContainerPort). When it cannot, the probe errors and the worker throws
  // the result away (pkg/kubelet/prober/worker.go), so the probe keeps its initial value forever:
  // readiness Failure, liveness Success, startup Unknown.
  fixSafety: {
    kind: 'none',
    reason: 'decide which port the probe should use: name one the container declares',
  },
  messages: {
    readinessProbe: {
      headline: '{{container}} of {{workload}} probes undeclared port {{port}}',
      detail:
        'Its readinessProbe uses port "{{port}}", but {{found}}. {{fix}} Until then every check errors, because the kubelet looks a probe\'s port name up only in the probed container\'s own ports, and the {{role}} never becomes Ready: the pods get no Service traffic and rollouts stall.',
    },
    livenessProbe: {
      headline: '{{container}} of {{workload}} probes undeclared port {{port}}',
      detail:
        'Its livenessProbe uses port "{{port}}", but {{found}}. {{fix}} Until then every check errors, because the kubelet looks a probe\'s port name up only in the probed container\'s own ports, and its result is discarded: the liveness probe never takes effect and a hung {{role}} is never restarted.',
    },
    startupProbe: {
      headline: '{{container}} of {{workload}} probes undeclared port {{port}}',
      detail:
        'Its startupProbe uses port "{{port}}", but {{found}}. {{fix}} Until then every check errors, because the kubelet looks a probe\'s port name up only in the probed container\'s own ports, and the {{role}} never counts as started: its liveness and readiness probes never run and it never becomes Ready.',
    },
  },
  check({ index, report }) {
    for (const w of index.workloads) {
      if (!w.longRunning) continue;
      // Native sidecars are included: the kubelet probes them exactly like app containers.
      for (const c of w.containers) {
        for (const field of PROBE_FIELDS) {
          const probe = probeOf(c, field);
          const handler = probe && probeHandler(probe);
          // gRPC ports are numbers only; exec has no port.
          if (!handler || (handler.kind !== 'httpGet' && handler.kind !== 'tcpSocket')) continue;
          const port = handler.action['port'];
          // A number needs no declaration (ports[] is informational). An all-digit string is no port
          // name: the API server rejects it (IsValidPortName wants a letter), and the kubelet would read it as a number.
          if (typeof port !== 'string' || isNumericString(port)) continue;
          if (declaredPorts(c).some((p) => p.name === port)) continue;
          report({
            object: w.object,
            path: `${c.path}/${field}/${handler.kind}/port`,
            messageId: field,
            data: {
              role: c.kind === 'sidecar' ? 'sidecar' : 'container',
              container: c.name,
              workload: describe(w),
              port,
              ...explain(c, port, w.containers),
            },
          });
        }
      }
    }
  },
});

/** What the pod does declare, and the fix that follows from it. */
function explain(c: Container, port: string, all: readonly Container[]): { found: string; fix: string } {
  const owner = all.find((o) => o !== c && declaredPorts(o).some((p) => p.name === port));
  const number = owner && declaredPorts(owner).find((p) => p.name === port)?.containerPort;
  if (owner) {
    return {
      found: `only container ${owner.name} declares a port with that name`,
      fix:
        number !== undefined
          ? `Containers share the pod's network: if the probe is meant for that port, use port ${number} by number; otherwise declare the port container ${c.name} listens on, named ${port}.`
          : `If the probe is meant for that port, use its number; otherwise declare the port container ${c.name} listens on, named ${port}.`,
    };
  }
  const names = declaredPorts(c)
    .map((p) => p.name)
    .filter((n): n is string => n !== undefined);
  return {
    found: names.length
      ? `container ${c.name} declares only ${names.map((n) => `"${n}"`).join(', ')}`
      : `container ${c.name} declares no named ports`,
    fix: `Declare { name: ${port}, containerPort: <the port it listens on> } under ports of container ${c.name}, or use the port number.`,
  };
}
