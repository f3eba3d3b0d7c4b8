import { defineRule } from './define-rule.js';
import { simulationFor, type SimRuleOptions } from '../simulate/findings.js';

/** Runs only when the analysis has a topology: `kubeha check --simulate`, rule options, or Node objects in the input. */
export default defineRule<SimRuleOptions>({
  id: 'sim-stuck',
  category: 'simulation',
  defaultSeverity: 'error',
  seed: 'Practice chaos engineering',
  description:
    'A workload whose drain, rollout or rescheduling the simulator sees blocked, or whose pods stay Pending.',
  messages: { verdict: '{{workload}}: stuck in {{scenario}}: {{reason}}' },
  defaultOptions: {},
  check({ index, options, settings, report }) {
    const sim = simulationFor(index, options, settings.zones);
    if (!sim) return;
    const byId = new Map(index.workloads.map((w) => [w.id, w]));
    for (const w of sim.workloads) {
      if (w.verdict !== 'stuck') continue;
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
