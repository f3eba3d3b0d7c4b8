import { isInt64 } from '../model/number-text.js';
import { describe } from '../model/workload.js';
import { defineRule } from './define-rule.js';

interface Options {
  /** The longest terminationGracePeriodSeconds accepted, in seconds. */
  maxSeconds: number;
}

/**
 * Kyverno's policy library caps the grace period below 120 s, the notice a Spot instance gets before it
 * is reclaimed: a pod given longer is cut off by the machine going away anyway, and meanwhile every
 * drain of its node waits for it.
 */
const DEFAULTS: Options = { maxSeconds: 120 };

export default defineRule<Options, 'tooLong'>({
  id: 'termination-grace-too-long',
  category: 'disruptions',
  defaultSeverity: 'warning',
  guide: 'Disruptions',
  description:
    'A terminationGracePeriodSeconds of many minutes makes every drain, rollout and node upgrade wait that long for a pod that does not exit.',
  fixSafety: {
    kind: 'none',
    reason:
      'decide how long the app really needs to shut down: a shorter grace period cuts a shutdown that takes that long (a flush to disk, a long request)',
  },
  messages: {
    tooLong: {
      headline: '{{workload}}: grace period of {{grace}} s stalls drains and upgrades',
      detail:
        'Its pods set terminationGracePeriodSeconds: {{grace}}, above the {{max}} s this check accepts. A pod that does not exit on SIGTERM holds up kubectl drain, node upgrades and scale-down, and every rolling update, for up to {{grace}} s each time, while on a Spot or preemptible node the machine goes away after its notice (2 minutes on a Spot instance) and cuts the shutdown anyway. Make the app exit within {{max}} s of SIGTERM and set terminationGracePeriodSeconds to {{max}} or less, or raise the maxSeconds option if this workload really needs longer.',
    },
  },
  defaultOptions: DEFAULTS,
  optionsSchema: {
    type: 'object',
    properties: {
      maxSeconds: {
        type: 'integer',
        minimum: 1,
        default: DEFAULTS.maxSeconds,
        description: 'The longest terminationGracePeriodSeconds accepted, in seconds.',
      },
    },
    additionalProperties: false,
  },
  check({ index, options, report }) {
    const max =
      typeof options.maxSeconds === 'number' && options.maxSeconds > 0
        ? options.maxSeconds
        : DEFAULTS.maxSeconds;
    // Every kind with pods: a drain waits for a Job's pod or a bare pod as long as for a Deployment's.
    for (const w of index.workloads) {
      const grace = w.podSpec['terminationGracePeriodSeconds'];
      // Unset is 30 s (SetDefaults_PodSpec); a value that is not a number (a template placeholder) is unknown.
      if (!isInt64(grace) || grace <= max) continue;
      report({
        object: w.object,
        path: `${w.podSpecPath}/terminationGracePeriodSeconds`,
        messageId: 'tooLong',
        data: { workload: describe(w), grace, max },
      });
    }
  },
});
