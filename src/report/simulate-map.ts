/**
 * The placement map of the simulate html report: each node's pods as one chip per workload, named
 * with its namespace and marked with the workload's worst verdict, so the map alone shows which
 * workloads share a node and which of them fail a scenario.
 */
import type { SimReport, Verdict } from '../simulate/types.js';
import { WORKLOAD_KINDS } from '../model/workload.js';
import { plural } from './group.js';
import { esc } from './html.js';

export const VERDICT_ICON: Record<Verdict, string> = { ok: '✔', degraded: '▲', stuck: '■', outage: '✖' };
const WORST_FIRST: readonly Verdict[] = ['outage', 'stuck', 'degraded', 'ok'];

/**
 * Above this many nodes the map shows one line per zone: a row per node of a 5 000-node cluster
 * would make a page nobody reads (the text map summarises above 60, a terminal being smaller).
 */
export const MAP_NODE_LIMIT = 500;

/** Longest chip label; the title attribute always carries the whole id. */
export const CHIP_LABEL_MAX = 32;

/** One workload's pods on one node (or in one zone, or Pending). */
export interface Chip {
  /** The workload id as simulate reports it: `namespace/Kind/name`. */
  id: string;
  /** `namespace/name`, shortened to CHIP_LABEL_MAX. */
  label: string;
  count: number;
  verdict: Verdict;
  /** The scenario that gave the worst verdict. */
  scenario: string | null;
}

export interface IdParts {
  namespace: string;
  kind: string;
  name: string;
}

/**
 * `namespace/Kind/name` (or `Kind/name` with no namespace) back into its parts. Names are split at the
 * kind, not at every slash, so a name with a slash in it (only a hostile file has one) stays whole.
 */
export function splitWorkloadId(id: string): IdParts {
  const slash = id.indexOf('/');
  if (slash > 0) {
    const rest = id.slice(slash + 1);
    const kind = WORKLOAD_KINDS.find((k) => rest.startsWith(`${k}/`));
    if (kind) return { namespace: id.slice(0, slash), kind, name: rest.slice(kind.length + 1) };
  }
  const kind = WORKLOAD_KINDS.find((k) => id.startsWith(`${k}/`));
  if (kind) return { namespace: '', kind, name: id.slice(kind.length + 1) };
  return { namespace: '', kind: '', name: id };
}

/** `s` cut to `max` characters in the middle, where names usually differ least (`payments-…-worker`). */
export function middleEllipsis(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 1) return '…'.slice(0, max);
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${s.slice(0, head)}…${tail > 0 ? s.slice(-tail) : ''}`;
}

/**
 * `namespace/name` in at most `max` characters. The name wins the room (it says which workload);
 * the namespace keeps at least its first few characters, cut at the end.
 */
export function shortLabel(namespace: string, name: string, max = CHIP_LABEL_MAX): string {
  if (!namespace) return middleEllipsis(name, max);
  if (namespace.length + 1 + name.length <= max) return `${namespace}/${name}`;
  const nsKeep = Math.min(namespace.length, 6);
  const shortName = middleEllipsis(name, Math.max(1, max - nsKeep - 1));
  const nsRoom = max - 1 - shortName.length;
  const ns = namespace.length <= nsRoom ? namespace : `${namespace.slice(0, Math.max(0, nsRoom - 1))}…`;
  return `${ns}/${shortName}`;
}

/**
 * The label of each workload id: `namespace/name`, with the kind too (`namespace/Kind/name`) when two
 * workloads of different kinds share a namespace and name, so no two workloads read the same.
 */
export function chipLabels(ids: readonly string[], max = CHIP_LABEL_MAX): Map<string, string> {
  const parts = new Map(ids.map((id) => [id, splitWorkloadId(id)]));
  const seen = new Map<string, number>();
  const key = (p: IdParts): string => `${p.namespace}/${p.name}`;
  for (const p of parts.values()) seen.set(key(p), (seen.get(key(p)) ?? 0) + 1);
  const labels = new Map<string, string>();
  for (const [id, p] of parts) {
    const name = (seen.get(key(p)) ?? 0) > 1 && p.kind ? `${p.kind}/${p.name}` : p.name;
    labels.set(id, shortLabel(p.namespace, name, max));
  }
  return labels;
}

/** What the map draws: chips per node and per zone from the initial placement, and the Pending ones. */
export interface MapModel {
  byNode: Map<string, Chip[]>;
  byZone: Map<string, Chip[]>;
  pending: Chip[];
}

/**
 * The chips, keyed by workload id (never by name: three namespaces' `onezone` are three chips), from
 * the per-workload placement, each node's chips worst verdict first, then in input order.
 */
export function mapModel(report: Pick<SimReport, 'placement' | 'workloads'>): MapModel {
  const verdicts = new Map(report.workloads.map((w) => [w.workload, w]));
  const labels = chipLabels(report.placement.map((p) => p.workload));
  const byNode = new Map<string, Chip[]>();
  const byZone = new Map<string, Chip[]>();
  const pending: Chip[] = [];
  const chip = (id: string, count: number): Chip => {
    const w = verdicts.get(id);
    return {
      id,
      label: labels.get(id) ?? id,
      count,
      verdict: w?.verdict ?? 'ok',
      scenario: w?.scenario ?? null,
    };
  };
  const add = (into: Map<string, Chip[]>, key: string, c: Chip): void => {
    const list = into.get(key);
    if (list) list.push(c);
    else into.set(key, [c]);
  };
  for (const p of report.placement) {
    for (const [node, count] of Object.entries(p.byNode))
      if (count > 0) add(byNode, node, chip(p.workload, count));
    for (const [zone, count] of Object.entries(p.byZone))
      if (count > 0) add(byZone, zone, chip(p.workload, count));
    if (p.pending > 0) pending.push(chip(p.workload, p.pending));
  }
  const rank = (v: Verdict): number => WORST_FIRST.indexOf(v);
  // Array.prototype.sort is stable: equal verdicts keep the input order.
  for (const list of [...byNode.values(), ...byZone.values(), pending])
    list.sort((a, b) => rank(a.verdict) - rank(b.verdict));
  return { byNode, byZone, pending };
}

/** The hover text: the whole id, and for a workload that fails, how and where. */
export function chipTitle(c: Chip): string {
  return c.verdict === 'ok' ? c.id : `${c.id} — ${c.verdict}${c.scenario ? ` in ${c.scenario}` : ''}`;
}

/**
 * One chip. A workload that is not ok carries its verdict three ways: colour, an icon, and the word
 * for screen readers (the icon is decoration to them), so colour is never the only sign.
 */
export function chipHtml(c: Chip): string {
  const mark =
    c.verdict === 'ok'
      ? ''
      : `<span class="mark" aria-hidden="true">${VERDICT_ICON[c.verdict]}</span>` +
        `<span class="visually-hidden">${c.verdict}: </span>`;
  return (
    `<li class="chip v-${c.verdict}" title="${esc(chipTitle(c))}">` +
    `${mark}${esc(c.label)}${c.count > 1 ? ` ×${c.count}` : ''}</li>`
  );
}

function chipList(chips: readonly Chip[]): string {
  return `<ul class="pods">${chips.map(chipHtml).join('')}</ul>`;
}

/** The key to the marks, drawn with the same chips the map uses. */
export function legendHtml(): string {
  const sample = (v: Verdict, text: string): string =>
    `<li class="chip v-${v}">${v === 'ok' ? '' : `<span class="mark" aria-hidden="true">${VERDICT_ICON[v]}</span>`}${text}</li>`;
  return [
    '<div class="legend">',
    '<p>Each chip is one workload&#39;s pods on the node: <code>namespace/name ×pods</code> (hover for the whole id). ' +
      'It is marked with the worst verdict of the workload over every scenario:</p>',
    `<ul class="pods" aria-label="Legend">${[
      sample('outage', 'outage'),
      sample('stuck', 'stuck'),
      sample('degraded', 'degraded'),
      sample('ok', 'ok (unmarked)'),
    ].join('')}</ul>`,
    '</div>',
  ].join('\n');
}

/** The placement map section: the legend, the Pending pods, then a card per zone. */
export function mapSection(report: Pick<SimReport, 'map' | 'placement' | 'workloads'>): string {
  const model = mapModel(report);
  const nodes = report.map.reduce((a, z) => a + z.nodes.length, 0);
  const perNode = nodes <= MAP_NODE_LIMIT;
  const out = [
    '<section aria-labelledby="placement">',
    '<h2 id="placement">Placement map</h2>',
    `<p class="muted">Where the scheduler put each workload's pods before any failure${
      perNode ? '' : ` (${nodes} nodes: one line per zone, and only the workloads that are not ok)`
    }.</p>`,
    legendHtml(),
    '<div class="zones">',
  ];
  if (model.pending.length > 0) {
    const pods = model.pending.reduce((a, c) => a + c.count, 0);
    out.push(
      '<section class="unscheduled">',
      '<h3>Pending</h3>',
      `<p class="muted">${plural(pods, 'pod')} no node took</p>`,
      chipList(model.pending),
      '</section>',
    );
  }
  for (const z of report.map) {
    const name = z.zone || '(no zone)';
    const zoneChips = model.byZone.get(z.zone) ?? [];
    const pods = zoneChips.reduce((a, c) => a + c.count, 0);
    out.push(
      '<section class="zone">',
      `<h3>${esc(name)}</h3>`,
      `<p class="muted">${plural(z.nodes.length, 'node')}, ${plural(pods, 'pod')}</p>`,
    );
    if (perNode) {
      // A list, not a table: each node's chips get the card's whole width instead of a narrow column.
      out.push(`<ul class="nodes" aria-label="Nodes of zone ${esc(name)}">`);
      for (const n of z.nodes) {
        const pct = n.cpu > 0 ? Math.round((100 * n.usedCpu) / n.cpu) : 0;
        const chips = model.byNode.get(n.name) ?? [];
        out.push(
          `<li class="node"><div class="node-head"><code>${esc(n.name)}</code>` +
            `<span class="cpu"><span class="bar" aria-hidden="true"><span style="width:${Math.min(pct, 100)}%"></span></span>${pct}% CPU</span></div>` +
            `${chips.length ? chipList(chips) : '<p class="muted">no pods</p>'}</li>`,
        );
      }
      out.push('</ul>');
    } else {
      const marked = zoneChips.filter((c) => c.verdict !== 'ok');
      const ok = zoneChips.length - marked.length;
      if (marked.length) out.push(chipList(marked));
      if (ok)
        out.push(
          `<p class="muted">${marked.length ? `plus ${plural(ok, 'ok workload')}` : `${plural(ok, 'workload')}, all ok`}</p>`,
        );
    }
    out.push('</section>');
  }
  out.push('</div>', '</section>');
  return out.join('\n');
}

/** The map's own rules, added to the shared page style. */
export const MAP_CSS = `
nav.sections{display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.9rem}
.legend{font-size:.85rem;margin:0 0 .75rem}.legend p{margin:.25rem 0}
.unscheduled{grid-column:1/-1;border:1px dashed var(--stuck);border-radius:6px;padding:0 .75rem .5rem}
.unscheduled h3{margin-top:.75rem;color:var(--stuck)}
.zone>p.muted,.unscheduled>p.muted{margin:.25rem 0 .5rem}
.nodes{list-style:none;margin:0;padding:0}
.nodes li.node{border-top:1px solid var(--line);padding:.4rem 0}
.node-head{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem;margin-bottom:.25rem}
.node-head code{font-weight:600}.node-head .cpu{font-size:.8rem;color:var(--muted);white-space:nowrap}
.nodes li.node>p{margin:0;font-size:.8rem}
.pods li.chip{overflow-wrap:anywhere}
.chip .mark{margin-right:.25rem}
.pods li.v-outage{color:var(--error);background:var(--error-bg);border:2px solid var(--error);font-weight:600}
.pods li.v-stuck{color:var(--stuck);background:var(--stuck-bg);border:2px solid var(--stuck);font-weight:600}
.pods li.v-degraded{border-color:var(--warning)}.pods li.v-degraded .mark{color:var(--warning)}
@media print{.pods li.chip{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
`.trim();
