import { plural } from './group.js';
import { clusterCount, fleetSummary, isScanned, type FleetFormatter } from './fleet-types.js';
import { cell, mdBody } from './md.js';

/**
 * A fleet as a pull-request comment: the total, a table with one row per cluster, then a section
 * per cluster with what `-o md` shows for one.
 */
export const fleetMd: FleetFormatter = (fleet, ctx) => {
  const s = fleetSummary(fleet);
  const total = s.error + s.warning + s.info;
  const lines = [
    '## kubeha scan',
    '',
    `**${clusterCount(s)}**: ${plural(total, 'problem')} (${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info) ` +
      `in ${plural(s.objects, 'object')} (${plural(s.workloads, 'workload')}).`,
    '',
    '| Context | Server | Result |',
    '|---|---|---|',
  ];
  for (const c of fleet.clusters) {
    let result = `❌ not scanned: ${'error' in c ? c.error : ''}`;
    if (isScanned(c)) {
      const r = c.result.summary;
      result = `${r.error ? '🔴' : r.warning ? '🟠' : r.info ? '🔵' : '✅'} ${plural(r.error + r.warning + r.info, 'problem')}`;
    }
    lines.push(
      `| ${cell(c.context)} | ${c.server !== undefined ? `\`${cell(c.server)}\`` : ''} | ${cell(result)} |`,
    );
  }
  for (const c of fleet.clusters) {
    lines.push('', `### ${cell(c.context)}`, '');
    if (isScanned(c)) lines.push(...mdBody(c.result, ctx));
    else lines.push(`❌ Not scanned: ${c.error}`);
  }
  return lines.join('\n') + '\n';
};
