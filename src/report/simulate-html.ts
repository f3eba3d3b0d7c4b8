import type { SimReport, Verdict } from '../simulate/types.js';
import { failingVerdict, verdictFails } from '../simulate/severity.js';
import { plural } from './group.js';
import { esc, htmlDocument } from './html.js';
import { MAP_CSS, mapSection, VERDICT_ICON as ICON } from './simulate-map.js';
import type { SimFormatter, SimReportContext } from './simulate-types.js';

export { MAP_NODE_LIMIT } from './simulate-map.js';

const WORST_FIRST: readonly Verdict[] = ['outage', 'stuck', 'degraded', 'ok'];

/**
 * One self-contained HTML5 page: the summary, the placement map (above the long tables, so a
 * screen shows it without scrolling), the verdict per workload, then the Pending pods.
 */
export const simulateHtml: SimFormatter = (report, ctx) => {
  const s = report.summary;
  const worst = WORST_FIRST.filter((v) => v !== 'ok' && s[v] > 0)
    .map((v) => `${s[v]} ${v}`)
    .join(', ');
  const title = `kubeha simulate: ${worst || `${s.workloads} ok`}`;
  const pending = pendingSection(report);
  return htmlDocument(
    title,
    ctx.toolVersion,
    [
      '<header><h1>kubeha simulate</h1>',
      sectionLinks(pending !== ''),
      '</header>',
      '<main>',
      summarySection(report, ctx),
      mapSection(report),
      verdictSection(report),
      pending,
      '</main>',
      `<footer>kubeha ${esc(ctx.toolVersion)}</footer>`,
    ],
    MAP_CSS,
  );
};

/** Links to each section from the top of the page, the long tables being a scroll away. */
function sectionLinks(pending: boolean): string {
  const links = [
    ['placement', 'Placement map'],
    ['verdicts', 'Verdicts'],
    ...(pending ? [['pending', 'Pending after placement']] : []),
  ];
  return `<nav class="sections" aria-label="Sections">${links.map(([id, text]) => `<a href="#${id}">${text}</a>`).join('')}</nav>`;
}

function summarySection(report: SimReport, ctx: SimReportContext): string {
  const s = report.summary;
  const zones = report.topology.zones.filter((z) => z !== '');
  const where =
    `${plural(report.topology.nodes, 'node')}` +
    (zones.length ? ` in ${plural(zones.length, 'zone')} (${zones.join(', ')})` : '');
  const failOn = ctx.failOn;
  const threshold = failingVerdict(failOn);
  const failing = report.workloads.filter((w) => verdictFails(w.verdict, failOn)).length;
  const outcome =
    threshold === null
      ? 'Passes: --fail-on none never fails.'
      : failing
        ? `Fails --fail-on ${failOn}: ${plural(failing, 'workload')} at ${threshold} or worse.`
        : `Passes --fail-on ${failOn}: no workload at ${threshold} or worse.`;
  const stats: [string, number][] = [
    ['Workloads', s.workloads],
    ...WORST_FIRST.map((v): [string, number] => [v === 'ok' ? 'OK' : v[0]!.toUpperCase() + v.slice(1), s[v]]),
    ['Scenarios run', report.scenarios.length],
  ];
  return [
    '<section aria-labelledby="summary">',
    '<h2 id="summary">Summary</h2>',
    `<p>Simulated on ${esc(where)}.</p>`,
    `<p class="outcome ${failing ? 'fail' : 'pass'}"><span aria-hidden="true">${failing ? '✖' : '✔'}</span> ${esc(outcome)}</p>`,
    `<dl class="stats">${stats.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>`,
    '</section>',
  ].join('\n');
}

function verdictSection(report: SimReport): string {
  const out = ['<section aria-labelledby="verdicts">', '<h2 id="verdicts">Verdicts</h2>'];
  if (report.workloads.length === 0) {
    out.push('<p class="muted">No workload to simulate.</p>', '</section>');
    return out.join('\n');
  }
  out.push(
    '<table>',
    '<caption class="visually-hidden">Worst verdict of each workload over every scenario</caption>',
    '<thead><tr><th scope="col">Verdict</th><th scope="col">Workload</th>' +
      '<th scope="col">Worst scenario</th><th scope="col">Why</th></tr></thead>',
    '<tbody>',
  );
  for (const w of report.workloads) {
    out.push(
      `<tr class="workload v-${w.verdict}">` +
        `<td class="verdict"><span class="badge" aria-hidden="true">${ICON[w.verdict]}</span> ${w.verdict}</td>` +
        `<th scope="row"><code>${esc(w.workload)}</code></th>` +
        `<td>${w.scenario ? `<code>${esc(w.scenario)}</code>` : ''}</td>` +
        `<td class="message">${esc(w.verdict === 'ok' ? 'survives every scenario' : w.reason)}</td>` +
        '</tr>',
    );
  }
  out.push('</tbody>', '</table>', '</section>');
  return out.join('\n');
}

function pendingSection(report: SimReport): string {
  const pending = report.placement.filter((p) => p.pending > 0);
  if (pending.length === 0) return '';
  return [
    '<section aria-labelledby="pending">',
    '<h2 id="pending">Pending after placement</h2>',
    '<ul>',
    ...pending.map(
      (p) =>
        `<li><code>${esc(p.workload)}</code>: ${p.pending} of ${p.desired} Pending — ` +
        `${esc(p.pendingReasons.join(' / '))}</li>`,
    ),
    '</ul>',
    '</section>',
  ].join('\n');
}
