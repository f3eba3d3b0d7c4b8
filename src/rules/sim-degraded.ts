import { defineRule } from './define-rule.js';
import { simulationFor, type SimRuleOptions } from '../simulate/findings.js';

/** Runs only when the analysis has a topology: `kubeha check --simulate`, rule options, or Node objects in the input. */
export default defineRule<SimRuleOptions>({
  id: 'sim-degraded',
  category: 'simulation',
  defaultSeverity: 'warning',
  seed: 'Practice chaos engineering',
  description:
    'A workload that the simulator sees fall below its PDB floor (or half its replicas) in some failure, drain, rollout or upgrade.',
  messages: { verdict: '{{workload}}: degraded in {{scenario}}: {{reason}}' },
  defaultOptions: {},
  check({ index, options, settings, report }) {
    const sim = simulationFor(index, options, settings.zones);
    if (!sim) return;
    const byId = new Map(index.workloads.map((w) => [w.id, w]));
    for (const w of sim.workloads) {
      if (w.verdict !== 'degraded') continue;
      const workload = byId.get(w.workload);
      if (!workload) continue;
      report({
        object: workload.object,
        path: workload.kind === 'Pod' ? '' : '/spec/replicas',
        messageId: 'verdict',
        data: {
          workload: `${workload.kind} ${workload.object.name}`,
          scenario: w.scenario ?? '',
          reason: w.reason,
        },
      });
    }
  },
});
