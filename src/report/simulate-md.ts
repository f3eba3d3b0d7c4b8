import type { Verdict } from '../simulate/types.js';
import type { SimFormatter } from './simulate-types.js';

const ICON: Record<Verdict, string> = { ok: '✅', degraded: '🟠', stuck: '🟣', outage: '🔴' };

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Markdown for a pull-request comment: a verdict table, then the pods that stay Pending. */
export const simulateMd: SimFormatter = (report) => {
  const s = report.summary;
  const lines = [
    '## kubeha simulate',
    '',
    `${report.topology.nodes} nodes in ${report.topology.zones.length} zone(s); ${s.workloads} workload(s): ` +
      `${s.outage} outage, ${s.stuck} stuck, ${s.degraded} degraded, ${s.ok} ok.`,
    '',
    '| | Workload | Worst scenario | Why |',
    '|---|---|---|---|',
  ];
  for (const w of report.workloads) {
    lines.push(
      `| ${ICON[w.verdict]} ${w.verdict} | \`${w.workload}\` | ${w.scenario ? `\`${w.scenario}\`` : ''} | ${cell(w.verdict === 'ok' ? 'survives every scenario' : w.reason)} |`,
    );
  }
  const pending = report.placement.filter((p) => p.pending > 0);
  if (pending.length) {
    lines.push('', '### Pending after placement', '');
    for (const p of pending)
      lines.push(
        `- \`${p.workload}\`: ${p.pending} of ${p.desired} Pending — ${cell(p.pendingReasons.join(' / '))}`,
      );
  }
  return lines.join('\n') + '\n';
};
