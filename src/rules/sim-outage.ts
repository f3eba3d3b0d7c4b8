import { defineRule } from './define-rule.js';
import type { SimRuleOptions } from '../simulate/findings.js';
import { reportVerdicts } from './utils/sim.js';
import { VERDICT_SEVERITY } from '../simulate/severity.js';

/** Runs only when the analysis has a topology: `kubeha check --simulate`, rule options, or Node objects in the input. */
export default defineRule<SimRuleOptions, 'verdict'>({
  id: 'sim-outage',
  category: 'simulation',
  defaultSeverity: VERDICT_SEVERITY.outage,
  guide: 'Practice chaos engineering',
  description:
    'A workload that the simulator sees drop to zero ready replicas in some failure, drain, rollout or upgrade.',
  fixSafety: {
    kind: 'none',
    reason:
      'a simulator verdict: fix what check reports for the workload, then compare with kubeha fix --verify',
  },
  messages: {
    verdict: {
      headline: '{{workload}}: outage in {{scenario}}',
      detail:
        "{{reason}}. Run kubeha simulate on the same files to see the placement and every workload's worst scenario.",
    },
  },
  defaultOptions: {},
  check(context) {
    reportVerdicts('outage', context);
  },
});
