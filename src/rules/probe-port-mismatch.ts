import {
  declaredPorts,
  isNumericString,
  PROBE_FIELDS,
  probeHandler,
  probeOf,
  type ProbeField,
} from '../model/probes.js';
import { describe, type Container } from '../model/workload.js';
import { isInt32 } from '../model/number-text.js';
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
    numericPort: {
      headline: '{{container}} of {{workload}} probes undeclared port {{port}}',
      detail:
        'Its {{probe}} targets port {{port}}, but the pod declares only {{declared}}. The kubelet probes a number whether it is declared or not, so this is right only if the app also listens on an undeclared port; after a typo or a port change nothing answers there and {{effect}}. Declare the port (ports: [{ containerPort: {{port}} }] on the container that listens on it), or point the probe at a port the pod declares.',
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
          // exec has no port; gRPC ports are numbers only.
          if (!handler || handler.kind === 'exec') continue;
          const port = handler.action['port'];
          // An all-digit string is no port name: the API server rejects it (IsValidPortName wants a
          // letter), and the kubelet reads it as a number.
          if (typeof port === 'number' || isNumericString(port)) {
            const number = Number(port);
            // A port the API server cannot decode (1.5, 2^31, 1e308) is invalid-object's to report.
            if (!isInt32(number)) continue;
            const declared = podPortNumbers(w.containers);
            // ports[] is informational, so only a pod that documents its ports says the probe missed them;
            // a probe with a host of its own is not aimed at the pod.
            if (declared.length === 0 || declared.includes(number) || 'host' in handler.action) continue;
            report({
              object: w.object,
              path: `${c.path}/${field}/${handler.kind}/port`,
              messageId: 'numericPort',
              // The kubelet probes the number anyway: whether anything listens there only the app knows, and
              // operators built with controller-runtime serve health on 8081 without declaring it. A hint.
              severity: 'info',
              data: {
                container: c.name,
                workload: describe(w),
                port: number,
                probe: field,
                declared: declared.join(', '),
                effect: NUMERIC_EFFECT[field],
              },
            });
            continue;
          }
          if (typeof port !== 'string') continue;
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

/** What a probe that reaches nothing does, in the words of each probe field. */
const NUMERIC_EFFECT: Record<ProbeField, string> = {
  readinessProbe: 'the container never becomes Ready: the pods get no Service traffic and rollouts stall',
  livenessProbe: 'the kubelet restarts the container over and over',
  startupProbe: 'the container never counts as started and is restarted over and over',
};

/** The port numbers the pod's containers (native sidecars included) declare, in order, once each. */
function podPortNumbers(containers: readonly Container[]): number[] {
  const numbers = containers.flatMap((o) => declaredPorts(o).map((p) => p.containerPort));
  return [...new Set(numbers.filter((n): n is number => n !== undefined))];
}

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
