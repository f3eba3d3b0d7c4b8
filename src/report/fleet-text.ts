import pc from 'picocolors';
import { plural } from './group.js';
import { clusterCount, clusterTitle, fleetSummary, isScanned, type FleetFormatter } from './fleet-types.js';
import { EXPLAIN_HINT, findingLines, severityCounts, summaryLine } from './text.js';

/**
 * A fleet in a terminal: per cluster, a heading line, its findings as `kubeha scan` shows one
 * cluster's, and its summary line; a cluster that could not be read says why under its heading.
 * Then the fleet's total.
 */
export const fleetText: FleetFormatter = (fleet, ctx) => {
  const c = pc.createColors(ctx.color);
  const lines: string[] = [];
  for (const cluster of fleet.clusters) {
    lines.push(c.bold(`━━ ${clusterTitle(cluster)}`));
    if (isScanned(cluster)) {
      lines.push(...findingLines(cluster.result.findings, c, ctx), summaryLine(cluster.result.summary, c));
    } else {
      lines.push(`${c.red('✖')} not scanned: ${cluster.error}`);
    }
    lines.push('');
  }
  const s = fleetSummary(fleet);
  const total = s.error + s.warning + s.info;
  const scope = `${plural(s.objects, 'object')}, ${plural(s.workloads, 'workload')}`;
  const suppressed = s.suppressed ? `; ${s.suppressed} suppressed by kubeha.io/ignore` : '';
  const head = `${clusterCount(s)}: `;
  if (total === 0 && s.failedClusters === 0) {
    lines.push(c.green(`✔ ${head}no HA problems found in ${scope}${suppressed}`));
  } else {
    const mark = s.error || s.failedClusters ? c.red('✖') : total ? c.yellow('⚠') : c.green('✔');
    lines.push(`${mark} ${head}${plural(total, 'problem')} (${severityCounts(s)}) in ${scope}${suppressed}`);
    if (total > 0) lines.push(EXPLAIN_HINT(c));
  }
  return lines.join('\n') + '\n';
};
