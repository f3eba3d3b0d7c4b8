import { severityAtLeast, type Summary } from '../engine/check.js';
import type { Finding, Severity } from '../rules/types.js';
import { groupByFileAndObject, plural } from './group.js';
import { ruleDocUrl, SEVERITY_ORDER, type Formatter, type ReportContext } from './types.js';

/**
 * One self-contained HTML5 page for a check or a scan: a summary, then the findings grouped as the
 * text reporter groups them (file, then object; namespace, then object for a live cluster).
 */
export const html: Formatter = (result, ctx) => {
  const command = ctx.command ?? 'check';
  const s = result.summary;
  const total = s.error + s.warning + s.info;
  const body: string[] = [
    `<header><h1>kubeha ${command}</h1></header>`,
    '<main>',
    summarySection(result.findings, s, ctx),
  ];
  if (total > 0) body.push(findingsSection(result.findings, ctx));
  body.push('</main>', footer(ctx.toolVersion, ctx));
  const title = `kubeha ${command}: ${total === 0 ? 'no HA problems' : plural(total, 'problem')}`;
  return htmlDocument(title, ctx.toolVersion, body, FINDINGS_CSS);
};

/** The finding's headline stands out; its detail reads as the paragraph under it. */
export const FINDINGS_CSS = '\n.headline{font-weight:600}.detail{margin-top:.2rem}';

function summarySection(findings: readonly Finding[], s: Summary, ctx: ReportContext): string {
  return [
    '<section aria-labelledby="summary">',
    '<h2 id="summary">Summary</h2>',
    ...summaryParts(findings, s, ctx),
    '</section>',
  ].join('\n');
}

/** The outcome line and the counts of one check or scan (one cluster's, in a fleet). */
export function summaryParts(
  findings: readonly Finding[],
  s: Summary,
  ctx: Pick<ReportContext, 'failOn'>,
): string[] {
  const total = s.error + s.warning + s.info;
  const stats: [string, string][] = [
    ['Objects', String(s.objects)],
    ['Workloads', String(s.workloads)],
    ...SEVERITY_ORDER.map((sev): [string, string] => [plurals(sev), String(s[sev])]),
  ];
  if (s.suppressed) stats.push(['Suppressed by kubeha.io/ignore', String(s.suppressed)]);
  const failing = findings.filter((f) => severityAtLeast(f.severity, ctx.failOn)).length;
  const scope = `${plural(s.objects, 'object')} (${plural(s.workloads, 'workload')})`;
  const headline =
    total === 0
      ? `<p class="outcome pass"><span aria-hidden="true">✔</span> No HA problems in ${scope}.</p>`
      : `<p class="outcome ${failing ? 'fail' : 'pass'}"><span aria-hidden="true">${failing ? '✖' : '✔'}</span> ` +
        `${plural(total, 'problem')} in ${scope}. ${esc(outcome(failing, ctx.failOn))}</p>`;
  return [headline, statsList(stats)];
}

/** Counts as a row of tiles. */
export function statsList(stats: readonly (readonly [string, string])[]): string {
  return `<dl class="stats">${stats.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`;
}

export function outcome(failing: number, failOn: ReportContext['failOn']): string {
  if (failOn === 'none') return 'Passes: --fail-on none never fails.';
  if (failing === 0) return `Passes --fail-on ${failOn}: nothing at or above ${failOn}.`;
  return `Fails --fail-on ${failOn}: ${plural(failing, 'finding')} at or above ${failOn}.`;
}

function findingsSection(findings: readonly Finding[], ctx: ReportContext): string {
  return [
    '<section aria-labelledby="findings">',
    '<h2 id="findings">Findings</h2>',
    severityFilter(),
    ...findingGroups(findings, ctx),
    EXPLAIN_HINT,
    '</section>',
  ].join('\n');
}

export const EXPLAIN_HINT =
  '<p class="hint"><code>kubeha explain &lt;rule&gt;</code> says why a rule matters and how to fix what it finds.</p>';

/** Checkboxes and :has() filter the rows without any script (the page forbids scripts); once a page. */
export function severityFilter(): string {
  return [
    '<fieldset class="filter"><legend>Show</legend>',
    ...SEVERITY_ORDER.map(
      (sev) =>
        `<label><input type="checkbox" id="show-${sev}" checked> ${badge(sev)} ${plurals(sev)}</label>`,
    ),
    '</fieldset>',
  ].join('\n');
}

/**
 * A table per file (namespace, for a live cluster) with a row group per object, under an h3. Within
 * a file, what needs fixing first comes first: the objects that have an error before the others, and
 * within an object its errors, then warnings, then info; otherwise the order stays the input's.
 */
export function findingGroups(
  findings: readonly Finding[],
  ctx: Pick<ReportContext, 'docsBaseUrl'>,
): string[] {
  const out: string[] = [];
  for (const group of groupByFileAndObject(findings)) {
    out.push(
      '<section class="group">',
      `<h3>${esc(group.file)}</h3>`,
      '<table>',
      `<caption class="visually-hidden">Findings in ${esc(group.file)}</caption>`,
      '<thead><tr><th scope="col">Severity</th><th scope="col">Problem</th><th scope="col">Rule</th></tr></thead>',
    );
    for (const obj of errorsFirst(group.objects)) {
      out.push('<tbody>', `<tr class="object"><th scope="rowgroup" colspan="3">${esc(obj.label)}</th></tr>`);
      for (const f of bySeverity(obj.findings)) {
        // Under the message rather than in a column of its own: the message gets the width.
        const where = f.location
          ? `<div class="location"><code>${esc(`${f.location.file}:${f.location.line}:${f.location.column}`)}</code></div>`
          : '';
        out.push(
          `<tr class="finding sev-${f.severity}">` +
            `<td>${badge(f.severity)} ${label(f.severity)}</td>` +
            `<td class="message"><div class="headline">${esc(f.message)}</div>${detail(f)}${where}</td>` +
            `<td class="rule"><a href="${esc(ruleDocUrl(ctx, f.rule))}"><code>${esc(f.rule)}</code></a></td>` +
            '</tr>',
        );
      }
      out.push('</tbody>');
    }
    out.push('</table>', '</section>');
  }
  return out;
}

function detail(f: Finding): string {
  return f.detail === '' ? '' : `<div class="detail">${esc(f.detail)}</div>`;
}

/** The objects that have an error first; sort is stable, so each part keeps its order. */
function errorsFirst<T extends { findings: readonly Finding[] }>(objects: readonly T[]): T[] {
  const hasError = (o: T): number => (o.findings.some((f) => f.severity === 'error') ? 0 : 1);
  return [...objects].sort((a, b) => hasError(a) - hasError(b));
}

function bySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
}

const ICON: Record<Severity, string> = { error: '✖', warning: '▲', info: 'ℹ' };

/** The icon is decoration: the word beside it carries the severity for screen readers and print. */
function badge(sev: Severity): string {
  return `<span class="badge sev-${sev}" aria-hidden="true">${ICON[sev]}</span>`;
}

export function plurals(sev: Severity): string {
  return sev === 'info' ? 'Info' : `${label(sev)}s`;
}

function label(sev: Severity): string {
  return sev === 'info' ? 'Info' : sev[0]!.toUpperCase() + sev.slice(1);
}

export function footer(toolVersion: string, ctx: Pick<ReportContext, 'docsBaseUrl'>): string {
  return (
    `<footer>kubeha ${esc(toolVersion)} · rule documentation: ` +
    `<a href="${esc(ctx.docsBaseUrl)}">${esc(ctx.docsBaseUrl)}</a></footer>`
  );
}

/** Text for HTML content and double- or single-quoted attribute values. */
export function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The page around a report's body. The Content-Security-Policy forbids scripts and every fetch, so
 * a report opened from a CI artifact stays inert even if a value ever escaped esc().
 */
export function htmlDocument(
  title: string,
  toolVersion: string,
  body: readonly string[],
  /** Rules only one report's page uses (the simulate placement map's). */
  extraCss = '',
): string {
  return (
    [
      '<!DOCTYPE html>',
      '<html lang="en">',
      '<head>',
      '<meta charset="utf-8">',
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`,
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      '<meta name="color-scheme" content="light dark">',
      `<meta name="generator" content="kubeha ${esc(toolVersion)}">`,
      `<title>${esc(title)}</title>`,
      `<style>${CSS}${extraCss}</style>`,
      '</head>',
      '<body>',
      ...body,
      '</body>',
      '</html>',
    ].join('\n') + '\n'
  );
}

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;--link:#0969da;
--error:#c62828;--error-bg:#ffebe9;--warning:#9a6700;--warning-bg:#fff8c5;--info:#0b5cad;--info-bg:#ddf4ff;
--ok:#1a7f37;--ok-bg:#dafbe1;--stuck:#8250df;--stuck-bg:#fbefff}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#151b23;
--line:#3d444d;--link:#4493f8;--error:#ff8182;--error-bg:#3c1618;--warning:#e3b341;--warning-bg:#3a2d0b;
--info:#79c0ff;--info-bg:#0c2d4b;--ok:#56d364;--ok-bg:#0f2e1a;--stuck:#d2a8ff;--stuck-bg:#2e1d47}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1.5rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--fg);background:var(--bg)}
h1{font-size:1.6rem;margin:0 0 .5rem}h2{font-size:1.25rem;margin:2rem 0 .75rem;padding-bottom:.25rem;
border-bottom:1px solid var(--line)}h3{font-size:1rem;margin:1.5rem 0 .5rem;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
a{color:var(--link)}code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.875em}
.outcome{font-weight:600;padding:.6rem .9rem;border-radius:6px;border-left:4px solid}
.outcome.pass{color:var(--ok);background:var(--ok-bg)}.outcome.fail{color:var(--error);background:var(--error-bg)}
.stats{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0;padding:0}
.stats div{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.4rem .9rem;min-width:7rem}
.stats dt{font-size:.8rem;color:var(--muted)}.stats dd{margin:0;font-size:1.3rem;font-weight:600}
table{width:100%;border-collapse:collapse;margin:.25rem 0 1rem}
th,td{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid var(--line)}
thead th{font-size:.8rem;color:var(--muted);font-weight:600;border-bottom:2px solid var(--line)}
tr.object th{background:var(--panel);font-weight:600}
td:first-child{white-space:nowrap;width:1%}
td.rule{white-space:nowrap;width:1%}
.location{color:var(--muted);margin-top:.15rem}
td.message{overflow-wrap:break-word}
.badge{display:inline-block;min-width:1.4em;text-align:center;border-radius:4px;font-weight:700}
.sev-error .badge,.badge.sev-error{color:var(--error);background:var(--error-bg)}
.sev-warning .badge,.badge.sev-warning{color:var(--warning);background:var(--warning-bg)}
.sev-info .badge,.badge.sev-info{color:var(--info);background:var(--info-bg)}
tr.sev-error td:first-child{color:var(--error);font-weight:600}
tr.sev-warning td:first-child{color:var(--warning);font-weight:600}
tr.sev-info td:first-child{color:var(--info)}
.v-outage .verdict{color:var(--error)}.v-outage .badge{background:var(--error-bg)}
.v-stuck .verdict{color:var(--stuck)}.v-stuck .badge{background:var(--stuck-bg)}
.v-degraded .verdict{color:var(--warning)}.v-degraded .badge{background:var(--warning-bg)}
.v-ok .verdict{color:var(--ok)}.v-ok .badge{background:var(--ok-bg)}
td.verdict{font-weight:600;white-space:nowrap;width:1%}
.filter{display:flex;gap:1.25rem;border:1px solid var(--line);border-radius:6px;padding:.35rem .9rem;margin:0 0 .5rem}
.filter legend{font-size:.8rem;color:var(--muted);padding:0 .25rem}
body:has(#show-error:not(:checked)) tr.sev-error,body:has(#show-warning:not(:checked)) tr.sev-warning,
body:has(#show-info:not(:checked)) tr.sev-info{display:none}
.zones{display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:1rem}
.zone{border:1px solid var(--line);border-radius:6px;padding:0 .75rem .5rem;background:var(--panel)}
.zone h3{margin-top:.75rem}.zone table{margin:0}.zone td{border-bottom-color:var(--line)}
.bar{display:inline-block;width:4rem;height:.55rem;background:var(--line);border-radius:3px;vertical-align:middle;margin-right:.35rem;overflow:hidden}
.bar span{display:block;height:100%;background:var(--link)}
.pods{display:flex;flex-wrap:wrap;gap:.25rem;list-style:none;margin:0;padding:0}
.pods li{background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:0 .35rem;font-family:ui-monospace,monospace;font-size:.8rem}
.muted,.hint,footer{color:var(--muted)}footer{margin-top:2.5rem;font-size:.8rem;border-top:1px solid var(--line);padding-top:.5rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:40rem){body{padding:1rem}table,tbody,tr,th,td{display:block;width:auto!important}thead{display:none}
tr.finding,tr.workload,tr.node{border-bottom:1px solid var(--line);padding:.35rem 0}th,td{border:0;padding:.15rem .5rem}}
@media print{.filter{display:none}body{max-width:none}}
`.trim();
