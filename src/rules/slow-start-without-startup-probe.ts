import { intField, probeOf } from '../model/probes.js';
import { describe } from '../model/workload.js';
import { defineRule } from './define-rule.js';

interface Options {
  /** livenessProbe.initialDelaySeconds from which a startupProbe is expected. */
  initialDelaySeconds: number;
}

const DEFAULTS: Options = { initialDelaySeconds: 30 };
// The API server's probe defaults (SetDefaults_Probe).
const DEFAULT_PERIOD = 10;
const DEFAULT_FAILURE_THRESHOLD = 3;

export default defineRule<Options, 'slowStart'>({
  id: 'slow-start-without-startup-probe',
  category: 'health',
  defaultSeverity: 'warning',
  guide: 'Use Startup Probe for applications that take longer to start',
  description:
    'A long liveness initialDelaySeconds delays failure detection on every start; a startup probe protects slow starts instead.',
  fixSafety: {
    kind: 'none',
    reason:
      'decide how long the container may take to start: a startupProbe with failureThreshold × periodSeconds of that length',
  },
  messages: {
    slowStart: {
      headline: '{{container}} of {{workload}} delays its livenessProbe without a startupProbe',
      detail:
        '{{role}} {{container}} delays its liveness probe by initialDelaySeconds: {{delay}} (threshold {{threshold}}) and has no startupProbe: after every start and restart a hung container goes unnoticed for {{delay}} s, and a start slower than about {{budget}} s ({{delay}} + {{failureThreshold}} × {{period}} s) is still killed mid-start. Add a startupProbe with the same check, periodSeconds: {{period}} and failureThreshold: {{suggestedFailures}} ({{suggestedFailures}} × {{period}} s = {{covered}} s, raise it to cover your slowest start), and set the liveness initialDelaySeconds to 0.',
    },
  },
  defaultOptions: DEFAULTS,
  optionsSchema: {
    type: 'object',
    properties: {
      initialDelaySeconds: {
        type: 'integer',
        minimum: 0,
        default: DEFAULTS.initialDelaySeconds,
        description: 'livenessProbe.initialDelaySeconds at or above which a startupProbe is expected.',
      },
    },
    additionalProperties: false,
  },
  check({ index, options, report }) {
    const threshold =
      typeof options.initialDelaySeconds === 'number' && options.initialDelaySeconds >= 0
        ? options.initialDelaySeconds
        : DEFAULTS.initialDelaySeconds;
    for (const w of index.workloads) {
      if (!w.longRunning) continue;
      // Native sidecars are included: the kubelet runs their liveness and startup probes like an app's.
      for (const c of w.containers) {
        const liveness = probeOf(c, 'livenessProbe');
        const delay = intField(liveness, 'initialDelaySeconds');
        if (delay === undefined || delay < threshold || delay <= 0 || probeOf(c, 'startupProbe')) continue;
        const period = positive(intField(liveness, 'periodSeconds')) ?? DEFAULT_PERIOD;
        const failureThreshold =
          positive(intField(liveness, 'failureThreshold')) ?? DEFAULT_FAILURE_THRESHOLD;
        const suggestedFailures = Math.ceil(delay / period);
        report({
          object: w.object,
          path: `${c.path}/livenessProbe/initialDelaySeconds`,
          messageId: 'slowStart',
          data: {
            role: c.kind === 'sidecar' ? 'Sidecar' : 'Container',
            container: c.name,
            workload: describe(w),
            delay,
            threshold,
            period,
            failureThreshold,
            budget: delay + failureThreshold * period,
            suggestedFailures,
            covered: suggestedFailures * period,
          },
        });
      }
    }
  },
});

function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined;
}
