import type { SimReport, Verdict } from '../simulate/types.js';
import { failingVerdict, verdictFails } from '../simulate/severity.js';
import { plural } from './group.js';
import { esc, htmlDocument } from './html.js';
import type { SimFormatter, SimReportContext } from './simulate-types.js';

const ICON: Record<Verdict, string> = { ok: '✔', degraded: '▲', stuck: '■', outage: '✖' };
const WORST_FIRST: readonly Verdict[] = ['outage', 'stuck', 'degraded', 'ok'];

/**
 * Above this many nodes the map shows one line per zone: a row per node of a 5 000-node cluster
 * would make a page nobody reads (the text map summarises above 60, a terminal being smaller).
 */
export const MAP_NODE_LIMIT = 500;

/** One self-contained HTML5 page: the verdict per workload, Pending pods, then the placement map. */
export const simulateHtml: SimFormatter = (report, ctx) => {
  const s = report.summary;
  const worst = WORST_FIRST.filter((v) => v !== 'ok' && s[v] > 0)
    .map((v) => `${s[v]} ${v}`)
    .join(', ');
  const title = `kubeha simulate: ${worst || `${s.workloads} ok`}`;
  return htmlDocument(title, ctx.toolVersion, [
    '<header><h1>kubeha simulate</h1></header>',
    '<main>',
    summarySection(report, ctx),
    verdictSection(report),
    pendingSection(report),
    mapSection(report),
    '</main>',
    `<footer>kubeha ${esc(ctx.toolVersion)}</footer>`,
  ]);
};

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

function mapSection(report: SimReport): string {
  const nodes = report.map.reduce((a, z) => a + z.nodes.length, 0);
  const out = [
    '<section aria-labelledby="placement">',
    '<h2 id="placement">Placement</h2>',
    `<p class="muted">Where the scheduler put each workload's pods before any failure${
      nodes > MAP_NODE_LIMIT ? ` (${nodes} nodes: one line per zone)` : ''
    }.</p>`,
    '<div class="zones">',
  ];
  for (const z of report.map) {
    const name = z.zone || '(no zone)';
    const pods = z.nodes.reduce((a, n) => a + sum(Object.values(n.pods)), 0);
    out.push(
      '<section class="zone">',
      `<h3>${esc(name)}</h3>`,
      `<p class="muted">${plural(z.nodes.length, 'node')}, ${plural(pods, 'pod')}</p>`,
    );
    if (nodes <= MAP_NODE_LIMIT) {
      out.push(
        '<table>',
        `<caption class="visually-hidden">Nodes of zone ${esc(name)}</caption>`,
        '<thead><tr><th scope="col">Node</th><th scope="col">CPU</th><th scope="col">Pods</th></tr></thead>',
        '<tbody>',
      );
      for (const n of z.nodes) {
        const pct = n.cpu > 0 ? Math.round((100 * n.usedCpu) / n.cpu) : 0;
        const list = Object.entries(n.pods)
          .map(([w, c]) => `<li>${esc(w)}${c > 1 ? ` ×${c}` : ''}</li>`)
          .join('');
        out.push(
          `<tr class="node"><th scope="row"><code>${esc(n.name)}</code></th>` +
            `<td class="cpu"><span class="bar" aria-hidden="true"><span style="width:${Math.min(pct, 100)}%"></span></span>${pct}%</td>` +
            `<td>${list ? `<ul class="pods">${list}</ul>` : '<span class="muted">—</span>'}</td></tr>`,
        );
      }
      out.push('</tbody>', '</table>');
    }
    out.push('</section>');
  }
  out.push('</div>', '</section>');
  return out.join('\n');
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
