import type { Verdict } from '../../simulate/index.js';
import { simulationFor, type SimRuleOptions } from '../../simulate/findings.js';
import type { RuleContext } from '../types.js';

/** The shared check of sim-outage, sim-stuck and sim-degraded: one finding per workload whose worst verdict is `verdict`. */
export function reportVerdicts(
  verdict: Verdict,
  { index, options, settings, report }: RuleContext<SimRuleOptions, 'verdict'>,
): void {
  const sim = simulationFor(index, options, settings.zones);
  if (!sim) return;
  const byId = new Map(index.workloads.map((w) => [w.id, w]));
  for (const w of sim.workloads) {
    if (w.verdict !== verdict) continue;
    const workload = byId.get(w.workload);
    if (!workload) continue;
    report({
      object: workload.object,
      path: workload.kind === 'Pod' ? '' : '/spec/replicas',
      messageId: 'verdict',
      data: {
        workload: `${workload.kind} ${workload.object.name}`,
        scenario: w.scenario ?? '',
        // The detail ends the reason with its own period; a reason that quotes kube-scheduler may already.
        reason: w.reason.replace(/\.$/, ''),
      },
    });
  }
}
