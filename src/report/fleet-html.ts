import { plural } from './group.js';
import {
  clusterCount,
  clusterTitle,
  fleetFails,
  fleetSummary,
  isScanned,
  type ClusterReport,
  type FleetContext,
  type FleetFormatter,
} from './fleet-types.js';
import {
  EXPLAIN_HINT,
  FINDINGS_CSS,
  esc,
  findingGroups,
  footer,
  htmlDocument,
  plurals,
  severityFilter,
  statsList,
  summaryParts,
} from './html.js';
import { SEVERITY_ORDER } from './types.js';

/**
 * A fleet on one page: the fleet's summary with a table of its clusters (each linked to its section),
 * then a section per cluster with what the page of a single scan shows (its outcome, counts and
 * findings grouped by namespace), or why it could not be read. One severity filter serves them all.
 */
export const fleetHtml: FleetFormatter = (fleet, ctx) => {
  const s = fleetSummary(fleet);
  const total = s.error + s.warning + s.info;
  const failing = fleetFails(fleet, ctx.failOn);
  const stats: [string, string][] = [
    ['Clusters', String(s.clusters)],
    ['Not scanned', String(s.failedClusters)],
    ['Objects', String(s.objects)],
    ['Workloads', String(s.workloads)],
    ...SEVERITY_ORDER.map((sev): [string, string] => [plurals(sev), String(s[sev])]),
  ];
  if (s.suppressed) stats.push(['Suppressed by kubeha.io/ignore', String(s.suppressed)]);
  const body: string[] = [
    '<header><h1>kubeha scan</h1></header>',
    '<main>',
    '<section aria-labelledby="summary">',
    '<h2 id="summary">Summary</h2>',
    `<p class="outcome ${failing ? 'fail' : 'pass'}"><span aria-hidden="true">${failing ? '✖' : '✔'}</span> ` +
      `${esc(clusterCount(s))}: ${total === 0 ? 'no HA problems' : plural(total, 'problem')} in ` +
      `${plural(s.objects, 'object')} (${plural(s.workloads, 'workload')}).</p>`,
    statsList(stats),
    clusterTable(fleet.clusters),
    '</section>',
  ];
  if (total > 0) body.push(severityFilter());
  fleet.clusters.forEach((c, i) => body.push(clusterSection(c, i, ctx)));
  if (total > 0) body.push(EXPLAIN_HINT);
  body.push('</main>', footer(ctx.toolVersion, ctx));
  const title = `kubeha scan: ${clusterCount(s)}, ${total === 0 ? 'no HA problems' : plural(total, 'problem')}`;
  return htmlDocument(title, ctx.toolVersion, body, FINDINGS_CSS);
};

const anchor = (i: number): string => `cluster-${i + 1}`;

function clusterTable(clusters: readonly ClusterReport[]): string {
  const rows = clusters.map((c, i) => {
    let result = `<td><strong>Not scanned</strong></td>`;
    if (isScanned(c)) {
      const r = c.result.summary;
      result = `<td>${esc(`${plural(r.error, 'error')}, ${plural(r.warning, 'warning')}, ${r.info} info`)}</td>`;
    }
    return (
      `<tr><th scope="row"><a href="#${anchor(i)}">${esc(c.context)}</a></th>` +
      `<td><code>${esc(c.server ?? '')}</code></td>${result}</tr>`
    );
  });
  return [
    '<table class="clusters">',
    '<caption class="visually-hidden">Clusters</caption>',
    '<thead><tr><th scope="col">Context</th><th scope="col">API server</th><th scope="col">Findings</th></tr></thead>',
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>',
  ].join('\n');
}

function clusterSection(c: ClusterReport, i: number, ctx: FleetContext): string {
  const out = [
    `<section class="cluster" aria-labelledby="${anchor(i)}">`,
    `<h2 id="${anchor(i)}">${esc(c.context)}</h2>`,
    `<p class="muted">${esc(clusterTitle(c))}</p>`,
  ];
  if (isScanned(c)) {
    out.push(...summaryParts(c.result.findings, c.result.summary, ctx));
    out.push(...findingGroups(c.result.findings, ctx));
  } else {
    out.push(`<p class="outcome fail"><span aria-hidden="true">✖</span> Not scanned: ${esc(c.error)}</p>`);
  }
  out.push('</section>');
  return out.join('\n');
}
