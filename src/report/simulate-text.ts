import pc from 'picocolors';
import type { SimReport, Verdict } from '../simulate/types.js';
import type { SimFormatter } from './simulate-types.js';

const ICON: Record<Verdict, string> = { ok: '✔', degraded: '▲', stuck: '■', outage: '✖' };

/** One line per workload (worst verdict, the scenario, why), then the placement map, then the summary. */
export const simulateText: SimFormatter = (report, ctx) => {
  const c = pc.createColors(ctx.color);
  const paint: Record<Verdict, (s: string) => string> = {
    ok: c.green,
    degraded: c.yellow,
    stuck: c.magenta,
    outage: c.red,
  };
  const lines: string[] = [];
  const zones = report.topology.zones.filter((z) => z !== '');
  lines.push(
    c.bold(
      `kubeha simulate: ${report.topology.nodes} node${report.topology.nodes === 1 ? '' : 's'}` +
        (zones.length
          ? ` in ${zones.length} zone${zones.length === 1 ? '' : 's'} (${zones.join(', ')})`
          : ''),
    ),
    '',
  );
  const width = Math.max(...report.workloads.map((w) => w.workload.length), 8);
  for (const w of report.workloads) {
    const verdict = paint[w.verdict](`${ICON[w.verdict]} ${w.verdict.padEnd(8)}`);
    const where =
      w.verdict === 'ok' ? c.dim('survives every scenario') : `${c.bold(w.scenario ?? '')}: ${w.reason}`;
    lines.push(`${verdict} ${w.workload.padEnd(width)}  ${where}`);
  }
  lines.push('', ...placementMap(report, ctx.color, ctx.width ?? 100));
  const s = report.summary;
  const parts = (['outage', 'stuck', 'degraded', 'ok'] as const)
    .filter((v) => s[v] > 0)
    .map((v) => paint[v](`${s[v]} ${v}`));
  lines.push('', `${s.workloads} workload${s.workloads === 1 ? '' : 's'}: ${parts.join(', ') || 'none'}`);
  return lines.join('\n') + '\n';
};

/** Zones as columns of nodes; each node lists its pods per workload. Large clusters are summarised. */
export function placementMap(report: SimReport, color: boolean, width: number): string[] {
  const c = pc.createColors(color);
  const out: string[] = [c.bold('placement')];
  const totalNodes = report.map.reduce((a, z) => a + z.nodes.length, 0);
  if (totalNodes > 60) {
    for (const z of report.map) {
      const pods = z.nodes.reduce((a, n) => a + Object.values(n.pods).reduce((x, y) => x + y, 0), 0);
      out.push(`  ${(z.zone || '(no zone)').padEnd(16)} ${z.nodes.length} nodes, ${pods} pods`);
    }
    return out;
  }
  const nameWidth = Math.max(8, ...report.map.flatMap((z) => z.nodes.map((n) => n.name.length))) + 1;
  for (const z of report.map) {
    out.push(`  ${c.underline(z.zone || '(no zone)')}`);
    for (const n of z.nodes) {
      const pct = n.cpu > 0 ? Math.round((100 * n.usedCpu) / n.cpu) : 0;
      const pods = Object.entries(n.pods)
        .map(([name, count]) => (count > 1 ? `${name}×${count}` : name))
        .join(' ');
      const line = `    ${n.name.padEnd(nameWidth)} ${c.dim(`cpu ${String(pct).padStart(3)}%`)}  ${pods || c.dim('—')}`;
      out.push(line.length > width + 20 ? line.slice(0, width + 17) + '…' : line);
    }
  }
  return out;
}
